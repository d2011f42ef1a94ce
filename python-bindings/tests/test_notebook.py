"""The notebooks execute without error and draw their plots."""

import os

# the test extras (python3-nbformat, -nbclient: installed by scripts/test.sh)
import nbclient  # noqa: E402
import nbformat  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def execute(monkeypatch, name, timeout):
    """Run the notebook where it lives (its paths are relative to it), assert
    no cell failed, and return the PNGs it drew."""
    # the kernel inherits this environment (PYTHONPATH, WINTERFLOW_LIBRARY from
    # conftest); let it use its inline backend so that figures become outputs
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(os.path.join(EXAMPLES, name), as_version=4)
    nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": EXAMPLES}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    return nb, [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if "image/png" in o.get("data", {})]


def test_getting_started_executes(monkeypatch, tmp_path):
    nb, pngs = execute(monkeypatch, "getting-started.ipynb", 120)
    assert len(pngs) >= 6, len(pngs)
    nbformat.write(nb, str(tmp_path / "getting-started.executed.ipynb"))


def test_calibrate_executes(monkeypatch):
    """The calibration tutorial (docs/calibrate.md): observed data, calibrate,
    posterior, convergence, fit, a comparison with the posterior; its own
    files go to a temporary folder."""
    _, pngs = execute(monkeypatch, "calibrate.ipynb", 300)
    assert len(pngs) >= 4, len(pngs)
