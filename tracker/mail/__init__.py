"""The morning mail: SMTP delivery (smtp), its settings (settings), the digest as a mail
(digest), and its commands (commands)."""
