"""Errors a user can cause. The CLI prints them as one line and exits 2."""


class UsageError(Exception):
    """Bad flags, unreadable files, unknown codes: anything that stops a command from running."""
