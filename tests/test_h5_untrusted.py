"""Results files from someone else (docs/results-file.md, "A damaged or
crafted file"): each test crafts a file with h5py from a good one and runs
`winterflow run FILE.h5#0` on it. Every one must end in exit 4 with one
clear line naming the object, never a signal, a hang or HDF5's own text.
Run by ctest (tests/h5_python.cmake) in the release and the sanitizer
builds, with WF_CLI naming the winterflow program.

Also here: a file-size limit (`ulimit -f`) on `run --out`, which must be one
line, exit 4 and no temporary file."""
import os
import shutil
import subprocess

import pytest

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

CLI = os.environ.get("WF_CLI")
SRC = os.path.abspath(os.environ.get("WF_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..")))
TINY = os.path.join(SRC, "tests", "cli", "tiny.yaml")
FORMAT1 = os.path.join(SRC, "tests", "fixtures", "results", "format1_sweep.h5")

pytestmark = pytest.mark.skipif(not CLI or not os.path.exists(CLI), reason="WF_CLI not set")


def cli(args, cwd, timeout=120):
    return subprocess.run([CLI] + args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          errors="replace")


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    d = tmp_path_factory.mktemp("good")
    p = cli(["run", TINY, "--set", "run.days=5", "--set", "run.warmup_days=2", "--replicates", "2",
             "--quiet", "--out", "good.h5"], d)
    assert p.returncode == 0, p.stderr
    return d / "good.h5"


def crafted(good, tmp_path, change):
    path = tmp_path / "crafted.h5"
    shutil.copy(good, path)
    with h5py.File(path, "r+") as f:
        change(f)
    return path


def refused(path, *words):
    """`run FILE#0` exits 4 with one line naming the file and `words`."""
    p = cli(["run", "%s#0" % path, "--quiet"], path.parent)
    assert p.returncode == 4, (p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("winterflow: "), p.stderr
    assert str(path) in lines[0] or path.name in lines[0], p.stderr
    for w in words:
        assert w in lines[0], (w, p.stderr)
    assert "HDF5" not in p.stderr and "Traceback" not in p.stderr
    return lines[0]


def replace(f, name, data, **kw):
    """Put a new dataset where `name` was (its old links and scales gone)."""
    del f[name]
    f.create_dataset(name, data=data, **kw)


def test_good_file_runs(good):
    p = cli(["run", "%s#0" % good, "--quiet"], good.parent)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""


# The three crashes of issue 17 --------------------------------------------

def test_scenario_complete_longer_than_scenario(good, tmp_path):
    path = crafted(good, tmp_path, lambda f: replace(f, "scenario_complete", np.ones(50, np.int8)))
    refused(path, "scenario_complete", "50 entries for 1 scenarios")


def test_seed_not_scalar(good, tmp_path):
    def change(f):
        del f.attrs["seed"]
        f.attrs["seed"] = np.arange(100000, dtype=np.int64)
    refused(crafted(good, tmp_path, change), "seed")


def test_replicate_dimension_of_2_to_the_58(good, tmp_path):
    def change(f):
        del f["replicate"]
        f.create_dataset("replicate", shape=(2 ** 58,), dtype=np.int32, chunks=(1024,))
    refused(crafted(good, tmp_path, change), "replicate", "entries")


def test_summary_shape_wraps(good, tmp_path):
    """A metric claiming 2^40 replicates cannot size a buffer."""
    def change(f):
        del f["summary/admissions"]
        f.create_dataset("summary/admissions", shape=(1, 2 ** 40, 4), dtype=np.float64, chunks=(1, 1, 4))
    refused(crafted(good, tmp_path, change), "admissions")


# Dates and counts ------------------------------------------------------------

def test_units_year_overflow(good, tmp_path):
    def change(f):
        f["day"].attrs["units"] = "days since 2147483647-12-31"
    refused(crafted(good, tmp_path, change), "day", "units")


def test_day_values_near_2_to_the_31(good, tmp_path):
    def change(f):
        f["day"][0] = 2 ** 31 - 2
    refused(crafted(good, tmp_path, change), "day", "entry 0")


def test_flags_not_0_or_1(good, tmp_path):
    def change(f):
        f["scenario_complete"][0] = 7
    refused(crafted(good, tmp_path, change), "scenario_complete", "not 0 or 1")


def test_newer_format(good, tmp_path):
    def change(f):
        f.attrs["winterflow_file_format"] = np.int32(3)
    refused(crafted(good, tmp_path, change), "newer")


def test_not_a_results_file(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    refused(path, "not a winterflow results file")


# Text ------------------------------------------------------------------------

def test_organisation_not_utf8(good, tmp_path):
    def change(f):
        rows = f["organisation"][()]
        rows[0, 0] = b"\xff"
        replace(f, "organisation", rows)
    refused(crafted(good, tmp_path, change), "organisation", "UTF-8")


def test_stored_scenario_extends_is_not_followed(good, tmp_path):
    """A stored scenario naming a base file: refused, the file never read
    (its first line would otherwise appear in the message)."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("TOP-SECRET-LINE: 1\n")

    def change(f):
        text = b"extends: %s\n" % str(secret).encode()
        data = np.zeros(f["scenario_yaml"].shape, dtype="S1")
        data[0, :len(text)] = np.frombuffer(text, dtype="S1")
        replace(f, "scenario_yaml", data)
    line = refused(crafted(good, tmp_path, change), "extends", "not allowed", "no file it names is read")
    assert "TOP-SECRET" not in line


# Links and storage that name other files ---------------------------------------

def test_external_link(good, tmp_path):
    other = tmp_path / "other.h5"
    shutil.copy(good, other)

    def change(f):
        del f["organisation_kind"]
        f["organisation_kind"] = h5py.ExternalLink(str(other), "/organisation_kind")
    refused(crafted(good, tmp_path, change), "organisation_kind", "link")


def test_external_storage(good, tmp_path):
    raw = tmp_path / "raw.bin"
    raw.write_bytes(b"\x01" * 16)

    def change(f):
        del f["scenario_complete"]
        f.create_dataset("scenario_complete", shape=(1,), dtype=np.int8, external=[(str(raw), 0, 16)])
    refused(crafted(good, tmp_path, change), "scenario_complete", "external")


# Damage ----------------------------------------------------------------------

def test_damaged_chunk_is_an_error_not_nan(good, tmp_path):
    """One flipped byte in a metric's stored chunk: the checksum fails."""
    path = tmp_path / "damaged.h5"
    shutil.copy(good, path)
    with h5py.File(path, "r") as f:
        info = f["admissions"].id.get_chunk_info(0)
    data = bytearray(path.read_bytes())
    data[info.byte_offset + info.size // 2] ^= 0x40
    path.write_bytes(bytes(data))
    refused(path, "admissions", "checksum")


def test_format1_file_still_reads(tmp_path):
    """A file written before format 2 (tests/fixtures/results) runs."""
    path = tmp_path / "old.h5"
    shutil.copy(FORMAT1, path)
    p = cli(["run", "%s#1" % path, "--quiet", "--json"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert '"scenario": "hospitals.city.beds=60 #9eaf30fad238"' in p.stdout


# Writing under a file-size limit ------------------------------------------------

@pytest.mark.parametrize("blocks", [8, 60, 120])
def test_file_size_limit(tmp_path, blocks):
    """`ulimit -f`: one line with the system's reason, exit 4 (not SIGXFSZ,
    not a crash in libhdf5's exit handler), no temporary file, nothing
    at the target."""
    cmd = 'ulimit -f %d; exec "$0" run "$1" --quiet --out out.h5' % blocks
    p = subprocess.run(["bash", "-c", cmd, CLI, TINY], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 4, (p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "File too large" in lines[0], p.stderr
    assert "HDF5" not in p.stderr and "0x" not in p.stderr
    assert os.listdir(tmp_path) == []
