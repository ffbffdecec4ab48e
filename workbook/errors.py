"""User-facing errors: one Chinese sentence, exit status 2, never a traceback."""


class BudgetbookError(Exception):
    """Bad input or an environment problem the user can fix.

    The message is a complete Chinese sentence naming the file (and cell, where there is one).
    The command line prints it and exits with status 2.
    """

    exit_code = 2
