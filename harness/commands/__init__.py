"""One module per ``backcheck`` subcommand, each with ``register(subparsers)``."""
