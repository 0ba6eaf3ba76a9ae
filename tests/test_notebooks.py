"""The notebooks run top to bottom and are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_three_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    for expected in (
        "01_quickstart.ipynb",
        "02_check_the_report.ipynb",
        "03_sizing_charts.ipynb",
    ):
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_cells_are_short(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            assert len(lines) <= 30, cell.source[:60]
            assert max(map(len, lines), default=0) <= 100, cell.source[:60]


#: What each notebook's outputs must show: the current API at work.
SHOWN = {
    # the chosen layout, an expert-parallel layout chosen by hand, the KV-token
    # capacity line and the layout column of a sweep
    "01_quickstart": [" replicas, fits: ", "DP8×EP8", "tokens per request", "layout"],
}


def _text(out) -> str:
    if out.output_type == "stream":
        return out.text
    return str(out.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    # raises CellExecutionError (with the failing cell and traceback) on the first error
    client.execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert not errors
    shown = "\n".join(
        _text(out) for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    for expected in SHOWN.get(path.stem, []):
        assert expected in shown, expected
    if path.stem == "03_sizing_charts":
        images = [
            out
            for cell in nb.cells
            if cell.cell_type == "code"
            for out in cell.outputs
            if "image/png" in out.get("data", {})
        ]
        assert len(images) >= 7  # every chart displayed, plus the two-panel figure
