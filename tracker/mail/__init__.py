"""The morning mail: SMTP delivery (smtp), the digest as a mail (digest), its commands."""
