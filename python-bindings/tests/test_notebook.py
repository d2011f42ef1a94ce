"""The getting-started notebook executes without error and draws its plots."""

import os

# the test extras (python3-nbformat, -nbclient: installed by scripts/test.sh)
import nbclient  # noqa: E402
import nbformat  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_getting_started_executes(monkeypatch, tmp_path):
    # the kernel inherits this environment (PYTHONPATH, WINTERFLOW_LIBRARY from
    # conftest); let it use its inline backend so that figures become outputs
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(os.path.join(EXAMPLES, "getting-started.ipynb"), as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": EXAMPLES}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    pngs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "image/png" in o.get("data", {})]
    assert len(pngs) >= 6, len(pngs)
    nbformat.write(nb, str(tmp_path / "getting-started.executed.ipynb"))
