"""Setting up a new system from Python: whole numbers as pandas hands them
over, every problem at once, a new scenario from the reference, and plots
that name what exists when a name is mistyped."""

import math

import pytest


def test_whole_numbers_accept_a_zero_fraction(wf, reference):
    import numpy as np
    import pandas as pd
    s = wf.Scenario.from_file(reference)
    s.set("hospitals.city.beds", 900.0)                        # a float from a DataFrame
    assert s.get("hospitals.city.beds") == "900"
    beds = pd.Series([1100, None]).iloc[0]                      # float64 once a value is missing
    assert isinstance(beds, np.floating)
    assert s.with_(**{"hospitals.city.beds": beds}).get("hospitals.city.beds") == "1100"
    with pytest.raises(wf.ValueTypeError, match=r"expected a whole number, got '900.5' \(it has a fraction"):
        s.set("hospitals.city.beds", 900.5)
    assert s.get("hospitals.city.beds") == "900"                # a failed set changes nothing


def test_check_lists_every_problem(wf, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("name: bad\n"
                 "localities:\n"
                 "  north: {population: 100000, care_home_beds: -4, hospital_share: {city: 1}}\n"
                 "hospitals:\n"
                 "  city: {beds: 900, bedz: 3}\n"
                 "run: {days: 0}\n")
    found = wf.Scenario.check_file(p)
    errors = [f["message"] for f in found if not f["warning"]]
    assert len(errors) == 4, found                               # and no community provider
    assert any("no community provider serves this locality" in e for e in errors)
    assert any(":3:" in e and "care_home_beds" in e for e in errors)
    assert any(":5:" in e and "did you mean 'beds'" in e for e in errors)
    assert any("run.days" in e for e in errors)
    with pytest.raises(wf.WinterflowIOError):
        wf.Scenario.check_file(tmp_path / "missing.yaml")


def test_init_starts_from_the_reference(wf, reference, tmp_path):
    text = wf.init("mine", hospitals={"general": 900, "royal": None},
                   councils={"town": 350000, "shire": 250000}, voluntary=["help"],
                   path=tmp_path / "mine.yaml")
    assert text.startswith("# mine: a winterflow scenario")
    s = wf.Scenario.from_file(tmp_path / "mine.yaml")
    assert s.check() == []                                      # valid, and no warning
    ref = wf.Scenario.from_file(reference).params()
    mine = s.params()
    assert mine["patients.los.fit.mean_days"] == ref["patients.los.fit.mean_days"]
    assert mine["hospitals.general.beds"] == "900"
    assert s.organisations("community") == ["community"]        # added: pathway 2 needs one
    # admissions follow the population at the reference's rate
    assert float(mine["localities.town.emergency_admissions_per_day"]) == pytest.approx(
        350000 * float(mine["localities.town.emergency_admissions_per_1000"]) / 1000 / 365)
    with pytest.raises(FileExistsError):
        wf.init("mine", hospitals=["a"], councils=["b"], path=tmp_path / "mine.yaml")
    with pytest.raises(wf.UnknownKeyError, match="twice"):
        wf.init("x", hospitals=["a"], councils=["a"])
    with pytest.raises(wf.InvalidArgumentError, match="at least one hospital"):
        wf.init("x", councils=["a"])


def test_perspective_and_nonnegative_intervals(wf, tiny):
    res = wf.run(tiny, replicates=3)
    t = res.table()
    assert (t["lo"].dropna() >= 0).all()
    p = t.set_index(["organisation", "metric"])["perspective"]
    assert p[("north", "delayed_bed_days")] == "home_council"
    assert p[("city", "delayed_bed_days")] == "organisation"
    assert p[("system", "delayed_bed_days")] == "system"


def test_mistyped_organisation_names_those_there_are(wf, tiny):
    comp = wf.compare(tiny, partnership=["fragmented", "integrated"], replicates=2)
    with pytest.raises(KeyError, match=r"no organisation 'citty'.*did you mean 'city'.*there are: .*city"):
        wf.plots.winter(comp.results, organisation="citty")
    with pytest.raises(KeyError, match=r"no organisation 'nort'.*north"):
        wf.plots.compare(comp.differences, organisation="nort")
    with pytest.raises(KeyError, match=r"no metric 'delayed_beddays'.*delayed_bed_days"):
        wf.plots.compare(comp.differences, metric="delayed_beddays")
    with pytest.raises(KeyError, match=r"they have: city, north"):
        comp.results.table(organisations=["town"])
