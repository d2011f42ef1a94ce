"""open_results on files from someone else: crafted or damaged results
files raise WinterflowIOError (a WinterflowError) naming the object, never a
crash of the interpreter and never a bare UnicodeDecodeError. The same
files through the CLI: tests/test_h5_untrusted.py."""
import shutil

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")


@pytest.fixture(scope="module")
def good(wf, reference, tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.h5"
    wf.run(reference, replicates=2, run__days=5).save(path)
    return path


def crafted(good, tmp_path, change):
    path = tmp_path / "crafted.h5"
    shutil.copy(good, path)
    with h5py.File(path, "r+") as f:
        change(f)
    return path


def replace(f, name, data, **kw):
    del f[name]
    f.create_dataset(name, data=data, **kw)


def refused(wf, path, word):
    with pytest.raises(wf.WinterflowIOError) as e:
        wf.open_results(path)
    assert isinstance(e.value, wf.WinterflowError)
    assert word in str(e.value), str(e.value)


def test_good_file_opens(wf, good):
    assert wf.open_results(good).replicates == 2


def test_complete_flags_longer_than_scenarios(wf, good, tmp_path):
    refused(wf, crafted(good, tmp_path, lambda f: replace(f, "scenario_complete", np.ones(9, np.int8))),
            "scenario_complete")


def test_seed_not_scalar(wf, good, tmp_path):
    def change(f):
        del f.attrs["seed"]
        f.attrs["seed"] = np.arange(1000, dtype=np.int64)
    refused(wf, crafted(good, tmp_path, change), "seed")


def test_replicate_dimension_of_2_to_the_58(wf, good, tmp_path):
    def change(f):
        del f["replicate"]
        f.create_dataset("replicate", shape=(2 ** 58,), dtype=np.int32, chunks=(1024,))
    refused(wf, crafted(good, tmp_path, change), "replicate")


def test_name_not_utf8(wf, good, tmp_path):
    """Bytes that are not UTF-8 in a name: an error, not UnicodeDecodeError."""
    def change(f):
        rows = f["organisation"][()]
        rows[0, :2] = [b"\xc3", b"\x28"]
        replace(f, "organisation", rows)
    refused(wf, crafted(good, tmp_path, change), "UTF-8")


def test_truncated_and_junk(wf, good, tmp_path):
    data = good.read_bytes()
    for i, blob in enumerate([data[:len(data) // 2], data[:100], b"\x89HDF\r\n\x1a\n" + bytes(500),
                              bytes(range(256)) * 40]):
        path = tmp_path / ("bad%d.h5" % i)
        path.write_bytes(blob)
        with pytest.raises(wf.WinterflowIOError):
            wf.open_results(path)
