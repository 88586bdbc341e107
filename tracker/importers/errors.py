"""The error raised for a file that cannot be read at all."""

from tracker.services import ServiceError


class ImportFormatError(ServiceError):
    """A file that is empty, binary, or in no format the importer knows."""
