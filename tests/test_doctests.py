"""Run every docstring example of the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import llmsizing

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(llmsizing.__path__, "llmsizing.")
    if m.name not in ("llmsizing.__main__",)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_docstring_math_has_no_escaped_control_characters() -> None:
    # "\rceil" or "\frac" in a docstring that is not raw turns into a carriage return or a
    # form feed: the formula renders broken. Every docstring with TeX must be r"""..."""
    import ast
    from pathlib import Path

    bad = []
    for path in sorted((Path(__file__).parents[1] / "src" / "llmsizing").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node, clean=False) or ""
                if any(c in doc for c in "\a\b\f\v\r\t"):
                    bad.append(f"{path.name}:{getattr(node, 'name', 'module')}")
    assert bad == []
