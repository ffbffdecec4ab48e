"""One module per `budgetbook` command; each exposes `add(subparsers)`."""
