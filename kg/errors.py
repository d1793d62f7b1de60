"""Errors a user can cause and fix: the CLI prints them as one line, never a traceback."""


class CyberkgError(Exception):
    """A problem with the user's input or environment, with a message that says what
    was expected. The CLI prints it on one line and exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def __reduce__(self):
        # raised in a worker process of a parallel build, it arrives whole in the parent
        return type(self), (str(self), self.exit_code)


class UsageError(CyberkgError):
    """A bad argument, option or parameter value (exit 2, like click's usage errors)."""

    exit_code = 2
