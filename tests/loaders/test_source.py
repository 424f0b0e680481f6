"""Reading and compiling source: encodings, Python 2, line numbers for tracebacks."""

from __future__ import annotations

import inspect
import linecache

import nbformat
import pytest

from harness.loaders.file import load_file
from harness.loaders.notebook import load_notebook
from harness.loaders.source import (
    SourceProblem,
    compile_source,
    decode,
    python2_hint,
    translated,
    translating,
)


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


def test_a_translation_applies_within_its_block_only():
    with translating(lambda text: text.replace("xrange", "range")):
        assert translated("xrange(3)") == "range(3)"
    assert translated("xrange(3)") == "xrange(3)"


def test_a_failing_translation_is_a_source_problem_naming_the_file_and_its_line():
    with translating(lambda text: 1 / 0), pytest.raises(SourceProblem) as raised:
        translated("x = 1", "net.py")
    line = test_a_failing_translation_is_a_source_problem_naming_the_file_and_its_line
    assert str(raised.value) == (
        f"the adapter file's translate() failed on net.py at test_source.py:"
        f"{line.__code__.co_firstlineno + 1}: ZeroDivisionError: division by zero")


def test_a_translation_must_return_the_source():
    with translating(lambda text: None), pytest.raises(SourceProblem, match="NoneType"):
        translated("x = 1")


def test_a_python2_file_says_how_to_load_it_anyway(tmp_path):
    path = tmp_path / "net.py"
    path.write_text("def f():\n    print 'hello'\n")
    error = load_file(str(path)).error
    assert "looks like Python 2: a print statement" in error
    assert error.endswith("or load it through an adapter file that translates it)")


def test_file_and_notebook_sources_are_translated_before_they_compile(tmp_path):
    script = tmp_path / "net.py"
    script.write_text("SIZE = len(xrange(3))\n")
    notebook = tmp_path / "net.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("SIZE = len(xrange(4))")]), str(notebook))
    with translating(lambda text: text.replace("xrange", "range")):
        assert load_file(str(script)).namespace["SIZE"] == 3
        assert load_notebook(str(notebook)).namespace["SIZE"] == 4
