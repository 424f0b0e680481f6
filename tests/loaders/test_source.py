"""Reading and compiling source: encodings, Python 2, line numbers for tracebacks."""

from __future__ import annotations

import inspect
import linecache

import pytest

from harness.loaders.source import SourceProblem, compile_source, decode, python2_hint


def test_decode_honours_a_cookie_and_falls_back_to_latin1():
    assert decode("é = 1".encode()) == ("é = 1", "")
    assert decode(b"# -*- coding: latin-1 -*-\nx = '\xe9'")[0].endswith("'é'")
    text, note = decode(b"x = '\xe9'")
    assert text == "x = 'é'" and "not valid UTF-8" in note


@pytest.mark.parametrize(("code", "hint"), [
    ('print "hi"', "a print statement"),
    ("try:\n    pass\nexcept ValueError, e:\n    pass", "'except X, e:'"),
    ("for i in xrange(3):\n    pass", "Python 2 built-ins"),
    ("print('hi')", ""),
])
def test_python2_hint(code, hint):
    assert python2_hint(code) == hint


def test_a_syntax_error_names_the_line_and_the_python2_look():
    with pytest.raises(SourceProblem, match=r"hw\.py has a SyntaxError at line 2: .*Python 2"):
        compile_source("x = 1\nprint x\n", "/tmp/hw.py", "hw.py")


def test_compiled_source_is_visible_to_tracebacks_and_inspect():
    namespace: dict = {}
    exec(compile_source("def f():\n    return 1\n", "<cell 9>"), namespace)
    assert linecache.getline("<cell 9>", 2) == "    return 1\n"
    assert inspect.getsource(namespace["f"]).startswith("def f():")
