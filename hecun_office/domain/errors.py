"""Errors as types (STYLE.md habit 9).

DomainError: the clerk can fix it (wrong input, action not allowed now). Its message is Chinese and
says what is wrong and what to do. EnvironmentProblem: the machine is in the way (disk full, locked
file, network share). Anything else is a bug and goes to the log with its traceback.
"""


class HecunError(Exception):
    """Base of every error we raise on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DomainError(HecunError):
    """Something the clerk can correct; the message is shown as is."""


class ValidationError(DomainError):
    """Input is missing or malformed. ``field`` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TransitionNotAllowed(DomainError):
    """An action that the matter's current status does not allow."""


class NotFound(DomainError):
    """A record the clerk referred to does not exist (any more)."""


class EnvironmentProblem(HecunError):
    """The environment prevents the work: disk, locks, network shares, missing files."""


# What the machine did, by kind (issue 15 item 3): hecun_office/environment.py turns the operating system's and the
# database's error codes into these, each with a message that says what happened and what to do.

class DiskFull(EnvironmentProblem):
    """No space left on the disk (or the user's quota) where we write."""


class FileLocked(EnvironmentProblem):
    """Another program or another clerk holds the file or the database; waiting or closing that program helps."""


class ReadOnlyLocation(EnvironmentProblem):
    """The folder, file or drive may not be written: read-only, write-protected, or no permission."""


class StorageGone(EnvironmentProblem):
    """The drive or network share went away while we used it (unplugged, disconnected, moved)."""


class NotSetUp(DomainError):
    """The database has no office profile yet; run the first-run set-up."""
