"""``python -m harness`` is the ``backcheck`` command."""

from harness.cli import entry

if __name__ == "__main__":
    entry()
