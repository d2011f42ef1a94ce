#!/usr/bin/python3
"""Turn the JSON of `winterflow compare ... --json` into the markdown tables
of docs/study.md.

    build/winterflow compare models/partnership/fragmented.yaml ... \
        --replicates 20 --seed 1 --json --quiet > study.json
    /usr/bin/python3 docs/tools/study_tables.py study.json > study-tables.md

(or read the JSON from standard input: `... --json | study_tables.py -`).

Prints, for the configurations in the order compare ran them (the first is
the baseline):
  1. outcomes for the whole system: the baseline's mean [95% interval], then
     each configuration's paired difference from the baseline, mean [95%
     interval] (Student t on the per-replicate differences, as compare
     computes them);
  2. delayed bed-days by reason, the same way;
  3. the cost ledger by organisation (GBP million), the same way, and the
     levers' own running cost within it;
  4. who pays and who gains: the differences summed by kind of organisation
     (means only: an interval of a sum needs the per-replicate values, which
     the JSON does not carry; the per-organisation intervals are in 2);
  5. the ranking of the configurations other than the second (the "all
     levers" configuration) by delayed bed-days saved.

With --posterior, also the table of each lever's effect with the
uncertainty of the calibrated parameters:

    build/winterflow compare ... --posterior models/data/reference_posterior.h5 \
        --replicates 40 --seed 1 --json --quiet --out study-posterior.h5 > study-posterior.json
    /usr/bin/python3 docs/tools/study_tables.py study.json \
        --posterior study-posterior.json study-posterior.h5

  6. per configuration: delayed bed-days saved and the change of 08:00
     occupancy, with fixed parameters (study.json) and over the posterior
     (study-posterior.json): the mean paired difference with its 95%
     interval (the library's, as compare prints it), and the 90% range of
     the replicates' paired differences (their 5% and 95% quantiles, from
     the results file: each replicate is one draw of the parameters and one
     winter, so the range is what the effect may be, not how well its mean
     is known).

Standard library only, but for the 90% ranges (h5py and numpy, Debian's
python3-h5py). Every number comes from the JSON and the results file, so
the tables of a fresh run with the same seed are identical.
"""
import json
import sys

OUTCOMES = [
    # metric, heading, scale, decimals
    ("delayed_bed_days", "delayed bed-days", 1, 0),
    ("nctr_patients_8am", "NCTR at 08:00", 1, 0),
    ("occupancy_8am", "occupancy at 08:00 (pp)", 100, 2),
    ("discharged_on_ready_date", "on the ready date (pp)", 100, 1),
    ("waits_over_12h", "12-hour ED waits", 1, 0),
    ("elective_cancellations", "cancelled electives", 1, 0),
    ("readmissions_30d", "readmissions", 1, 0),
    ("deaths", "deaths in hospital", 1, 0),
]
REASONS = ["assessment", "funding", "home_care", "rehab_bed", "care_home", "other"]
KIND_LABEL = {"hospital": "hospitals", "locality": "councils", "community": "community provider"}


def fmt(x, decimals):
    """Thousands separators; a negative zero prints as 0."""
    s = f"{x:,.{decimals}f}"
    return s[1:] if s.startswith("-") and float(s[1:].replace(",", "")) == 0 else s


def cell(st, scale, decimals):
    return (f"{fmt(st['mean'] * scale, decimals)} "
            f"[{fmt(st['lo'] * scale, decimals)}, {fmt(st['hi'] * scale, decimals)}]")


def stat(metric, label, base):
    """The baseline's own stat, or label's paired difference from it."""
    if label == base:
        return metric["configurations"][label]
    return metric["differences"][f"{label} - {base}"]


def replicate_ranges(path, metric, base, confs, scale):
    """The 5% and 95% quantiles of each configuration's per-replicate paired
    difference from base (system column), from a compare results file."""
    import h5py
    import numpy as np
    with h5py.File(path, "r") as f:
        names = ["".join(c.decode() for c in row).rstrip("\0") for row in f["scenario"][()]]
        orgs = ["".join(c.decode() for c in row).rstrip("\0") for row in f["organisation"][()]]
        x = f["summary"][metric][()][:, :, orgs.index("system")] * scale
    b = names.index(base)
    return {c: np.quantile(x[names.index(c)] - x[b], [0.05, 0.95]) for c in confs}


def uncertainty_table(d, dp, h5, p):
    """Table 6: each configuration's effect with fixed parameters and over
    the posterior (see the module's notes)."""
    base = d["baseline"]
    confs = [c for c in dp["configurations"] if c != base]
    sysf, sysp = d["organisations"]["system"]["metrics"], dp["organisations"]["system"]["metrics"]
    cols = [("delayed_bed_days", "delayed bed-days saved", -1, 0), ("occupancy_8am", "08:00 occupancy (pp)", 100, 2)]
    ranges = {m: replicate_ranges(h5, m, base, confs, 1 if k < 0 else k) for m, _, k, _ in cols}
    p(f"Each configuration against {base}: the mean paired difference [95% interval] with the "
      f"calibrated keys fixed at the reference's values ({d['replicates']} replicates), and over "
      f"their posterior ({dp['replicates']} replicates, each a draw of the parameters and a winter), "
      "with the 90% range of the replicates' differences: what the effect may be, given what is "
      "known of the parameters and chance together. Savings are positive.")
    p("")
    head = []
    for _, h, _, _ in cols:
        head += [f"{h}: fixed", f"{h}: posterior", f"{h}: 90% range"]
    p("| configuration | " + " | ".join(head) + " |")
    p("| --- |" + " --- |" * len(head))
    for c in confs:
        row = []
        for m, _, k, dec in cols:
            sign = -1 if k < 0 else 1
            scale = 1 if k < 0 else k
            for src in (sysf, sysp):
                st = src[m]["differences"].get(f"{c} - {base}")
                if st is None:
                    row.append("-")
                    continue
                lo, hi = sorted((sign * st["lo"] * scale, sign * st["hi"] * scale))
                row.append(f"{fmt(sign * st['mean'] * scale, dec)} [{fmt(lo, dec)}, {fmt(hi, dec)}]")
            q = sorted(sign * ranges[m][c])
            row.append(f"{fmt(q[0], dec)} to {fmt(q[1], dec)}")
        p(f"| {c} | " + " | ".join(row) + " |")


def main(argv):
    post = None
    if len(argv) == 5 and argv[2] == "--posterior":
        post = (argv[3], argv[4])
        argv = argv[:2]
    if len(argv) != 2:
        sys.exit("usage: study_tables.py STUDY.json [--posterior POSTERIOR.json POSTERIOR.h5] (or - for "
                 "standard input)")
    src = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    d = json.load(src)
    confs, base = d["configurations"], d["baseline"]
    orgs = d["organisations"]
    system = orgs["system"]["metrics"]
    out = []
    p = out.append

    p(f"{d['replicates']} replicates, seed {d['seed']}, {d['days']} days from "
      f"{d['start_date']}, common random numbers. First row: {base} (mean [95% "
      f"interval]); other rows: paired difference from {base} (configuration - "
      f"{base}), mean [95% interval].")
    p("")
    p("| configuration | " + " | ".join(h for _, h, _, _ in OUTCOMES) + " |")
    p("| --- |" + " --- |" * len(OUTCOMES))
    for c in confs:
        p(f"| {c} | " + " | ".join(cell(stat(system[m], c, base), k, dp) for m, _, k, dp in OUTCOMES) + " |")

    # delayed bed-days by reason
    p("")
    p(f"Delayed bed-days by what the patient waited for: {base}, then paired differences.")
    p("")
    p("| configuration | " + " | ".join(r.replace("_", " ") for r in REASONS) + " |")
    p("| --- |" + " --- |" * len(REASONS))
    for c in confs:
        p(f"| {c} | " + " | ".join(cell(stat(system["delayed_bed_days_" + r], c, base), 1, 0) for r in REASONS) + " |")

    # cost ledger: every organisation with a cost, system last
    cost_orgs = [o for o, v in orgs.items() if o != "system" and "cost" in v["metrics"]] + ["system"]
    p("")
    p(f"Cost ledger, GBP million over the {d['days']} days: {base}, then paired differences.")
    p("")
    p("| configuration | " + " | ".join(f"{o} ({orgs[o]['kind']})" for o in cost_orgs) + " |")
    p("| --- |" + " --- |" * len(cost_orgs))
    for c in confs:
        p(f"| {c} | " + " | ".join(cell(stat(orgs[o]["metrics"]["cost"], c, base), 1e-6, 2)
                                   for o in cost_orgs) + " |")

    p("")
    p("The levers' running cost within it (trusted assessor posts, seven-day staff, funding panels), "
      "GBP million over the window, whole system: " + base + ", then paired differences.")
    p("")
    p("| configuration | lever cost |")
    p("| --- | --- |")
    for c in confs:
        p(f"| {c} | {cell(stat(system['lever_cost'], c, base), 1e-6, 2)} |")

    # who pays, who gains: differences summed by kind (means)
    kinds = [k for k in KIND_LABEL if any(orgs[o]["kind"] == k for o in cost_orgs)]
    p("")
    p(f"Who pays, who gains: change in cost from {base}, GBP million, summed by kind "
      "of organisation (means; negative = spends less).")
    p("")
    p("| configuration | " + " | ".join(KIND_LABEL[k] for k in kinds) + " | whole system |")
    p("| --- |" + " --- |" * (len(kinds) + 1))
    for c in confs[1:]:
        row = []
        for k in kinds:
            row.append(sum(stat(orgs[o]["metrics"]["cost"], c, base)["mean"]
                           for o in cost_orgs if orgs[o]["kind"] == k))
        row.append(stat(orgs["system"]["metrics"]["cost"], c, base)["mean"])
        p(f"| {c} | " + " | ".join(fmt(x * 1e-6, 2) for x in row) + " |")

    # ranking by delayed bed-days saved
    dbd = system["delayed_bed_days"]
    b = dbd["configurations"][base]["mean"]
    saved = {c: dbd["differences"][f"{c} - {base}"] for c in confs[1:]}
    p("")
    p(f"Ranking by delayed bed-days saved over the winter (saved = {base} - configuration; "
      f"share of {base}'s {fmt(b, 0)}).")
    p("")
    p("| rank | configuration | saved [95% interval] | share of " + base + " |")
    p("| --- | --- | --- | --- |")
    allc = confs[1]
    s = saved[allc]
    p(f"| - | {allc} | {fmt(-s['mean'], 0)} [{fmt(-s['hi'], 0)}, {fmt(-s['lo'], 0)}] | "
      f"{100 * -s['mean'] / b:.1f}% |")
    ranked = sorted(confs[2:], key=lambda c: saved[c]["mean"])
    for i, c in enumerate(ranked, 1):
        s = saved[c]
        p(f"| {i} | {c} | {fmt(-s['mean'], 0)} [{fmt(-s['hi'], 0)}, {fmt(-s['lo'], 0)}] | "
          f"{100 * -s['mean'] / b:.1f}% |")
    total = -sum(saved[c]["mean"] for c in ranked)
    p("")
    p(f"Sum of the {len(ranked)} single configurations' savings: {fmt(total, 0)} "
      f"({100 * total / b:.0f}% of {base}); {allc}: {fmt(-saved[allc]['mean'], 0)}.")
    if post:
        with open(post[0], encoding="utf-8") as f:
            dp = json.load(f)
        p("")
        uncertainty_table(d, dp, post[1], p)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
