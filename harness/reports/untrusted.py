"""Text a submission controls (error messages, notes, names), made inert for reports.

A hostile submission can raise an exception whose message carries ANSI escapes (to
repaint a terminal or forge a score line), NUL and other characters XML 1.0 forbids
(to break junit.xml), bidirectional overrides (to make text read differently than it
is), or lone surrogates (which no UTF-8 file can hold). ``printable`` writes every such
character as a visible escape (``\\x1b``, ``\\u202e``), keeping newlines and tabs. Each
report then applies its own format's escaping on top (HTML entities, Markdown
backslashes, rich markup escapes, XML attributes).
"""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]")
"""C0 and C1 controls except tab and newline, DEL, zero-width and bidirectional
formatting characters, XML's non-characters, and surrogates."""


def printable(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape."""
    return UNSAFE.sub(_escape, str(text))


def one_line(text: str) -> str:
    """``printable`` on a single line: newlines and tabs become spaces."""
    return re.sub(r"[\n\t]+", " ", printable(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
