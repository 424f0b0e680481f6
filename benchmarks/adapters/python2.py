"""Python 2 code (the book's network.py) ported as it loads, then read by the book
adapter: ``backcheck check network.py --adapter-file benchmarks/adapters/python2.py``."""
import re

from harness.adapters.api import builtin, declare

PORTS = (
    (r"^([ \t]*)print\b[ \t]*(?=[^\s(=]|$)", r"\1_ = "),  # the statement's value, unprinted
    (r"^([ \t]*except[ \t]+[\w.]+)[ \t]*,[ \t]*(\w+)[ \t]*:", r"\1 as \2:"),
    (r"\bxrange\(", "range("),
    (r"\.iteritems\(\)", ".items()"),
    (r"\bcPickle\b", "pickle"),
)


def python3(source):
    """``source`` with the Python 2 statements and built-ins it uses made Python 3."""
    for pattern, replacement in PORTS:
        source = re.sub(pattern, replacement, source, flags=re.MULTILINE)
    return source


ADAPTER = declare(builtin("book"), translate=python3)
