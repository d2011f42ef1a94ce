"""Observed data for ``winterflow calibrate``: the long CSV format
(``date,organisation,metric,value``; docs/calibrate.md) and a converter
from the layouts NHS England publishes, saved as CSV from their
spreadsheets:

  discharge-sitrep      the acute discharge situation report's daily tables
                        (one sheet per measure): a title block, then a header
                        row with the organisation's code and name and one
                        column per day, one row per organisation. The sheet
                        of patients not discharged (no longer meeting the
                        criteria to reside and still in hospital at the end
                        of the day) becomes ``nctr_patients_8am`` (the
                        model's sitrep-basis count).
  discharge-ready-date  the monthly Discharge Ready Date measures: one row
                        per organisation and month, with the month (a
                        "Period" or "Month" column), the organisation's code
                        and the percentage of discharges on the discharge
                        ready date, which becomes ``discharged_on_ready_date``
                        (a share) by month.
  ga-beds               the winter UEC sitrep's G&A beds sheet: a title
                        block, a row of dates (each over its group of
                        columns), a row naming the columns of each day (G&A
                        beds open, occupied, occupancy rate), then one row per
                        trust. Becomes ``occupancy_8am`` by day: occupied /
                        open at the 08:00 snapshot (or the rate, when the
                        counts are not there).

Organisation codes are mapped to the scenario's names (``{"RXX": "city"}``);
rows of other organisations are left out, so a national file can be given
as it is. ``system=True`` adds the rows of the whole system: counts summed,
occupancy as total occupied / total open (the Discharge Ready Date share
cannot be added up from percentages and has no system row).

Command line (the helper the tutorial uses):

    python3 -m winterflow.observed --layout ga-beds --org RXX=city \\
        --org RYY=county --system beds-jan.csv beds-feb.csv --out observed.csv

Errors name the file and line.
"""

import argparse
import csv
import datetime as _dt
import math
import re
import sys

HEADER = ["date", "organisation", "metric", "value"]
LAYOUTS = ("discharge-sitrep", "discharge-ready-date", "ga-beds")


class ObservedError(ValueError):
    """A file that cannot be converted: the message names the file and line."""


# ---- the long format --------------------------------------------------------

def read(path):
    """The rows of an observed CSV file as a pandas DataFrame (the header is
    checked; the library checks the rest when it calibrates)."""
    import pandas as pd
    with open(path, newline="", encoding="utf-8-sig") as f:
        head = next(csv.reader(f), None)
    if head != HEADER:
        raise ObservedError(f"{path}: line 1: the header must be {','.join(HEADER)}")
    return pd.read_csv(path, dtype={"date": str, "organisation": str, "metric": str, "value": float})


def write(rows, path):
    """Write rows (a DataFrame or (date, organisation, metric, value)
    tuples) as an observed CSV file."""
    if hasattr(rows, "itertuples"):
        rows = list(rows[HEADER].itertuples(index=False, name=None))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for d, o, m, v in rows:
            w.writerow([d, o, m, repr(float(v))])


# ---- parsing the published layouts --------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _date(text):
    """A day written as NHS England's files write it (2025-01-06,
    06/01/2025, 06-Jan-25, 06 January 2025), as YYYY-MM-DD; None if not a
    date."""
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y",
                "%Y-%m-%d %H:%M:%S"):
        try:
            return _dt.datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            pass
    return None


def _month(text):
    """A month (2024-11, Nov-24, November 2024, 01/11/2024) as YYYY-MM; None
    if not one."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*[- ](\d{2}|\d{4})", t)
    if m and m.group(1).lower() in _MONTHS:
        y = int(m.group(2))
        y = y + 2000 if y < 100 else y
        return f"{y:04d}-{_MONTHS[m.group(1).lower()]:02d}"
    d = _date(t)
    return d[:7] if d else None


def _number(text, path, line):
    """A cell's number; None for a blank or a dash (not reported)."""
    t = text.strip().replace(",", "")
    if t in ("", "-", "*", "..", "n/a", "N/A"):
        return None
    pct = t.endswith("%")
    try:
        v = float(t[:-1] if pct else t)
    except ValueError:
        raise ObservedError(f"{path}: line {line}: '{text.strip()}' is not a number") from None
    if not math.isfinite(v):
        raise ObservedError(f"{path}: line {line}: '{text.strip()}' is not a number")
    return v / 100 if pct else v


def _rows(path):
    """The CSV's rows with their line numbers (a BOM is fine)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            r = csv.reader(f)
            out = []
            for row in r:
                out.append((r.line_num, row))
            return out
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ObservedError(f"{path}: cannot read: {e}") from None


def _find(cells, *names):
    """The index of the first cell named one of names (case and spaces
    ignored), or None."""
    want = {re.sub(r"\s+", " ", n.strip().lower()) for n in names}
    for i, c in enumerate(cells):
        if re.sub(r"\s+", " ", c.strip().lower()) in want:
            return i
    return None


def _header(rows, path):
    """The header row: the first with an organisation code column."""
    for k, (line, row) in enumerate(rows):
        code = _find(row, "code", "org code", "organisation code", "provider code", "trust code")
        if code is not None:
            return k, line, row, code
    raise ObservedError(f"{path}: no header row with an organisation code column (Code, Org Code, ...)")


def _discharge_sitrep(path, orgs):
    rows = _rows(path)
    k, hline, head, code = _header(rows, path)
    dates = [(i, _date(c)) for i, c in enumerate(head)]
    dates = [(i, d) for i, d in dates if d]
    if not dates:
        raise ObservedError(f"{path}: line {hline}: no day columns in the header (dates such as 06/01/2025)")
    out = []
    for line, row in rows[k + 1:]:
        if len(row) <= code or row[code].strip() not in orgs:
            continue
        for i, d in dates:
            v = _number(row[i], path, line) if i < len(row) else None
            if v is not None:
                out.append((d, orgs[row[code].strip()], "nctr_patients_8am", v, "sum"))
    return out


def _discharge_ready_date(path, orgs):
    rows = _rows(path)
    k, hline, head, code = _header(rows, path)
    period = _find(head, "period", "month", "reporting period", "date")
    share = None
    for i, c in enumerate(head):
        t = c.lower()
        if "ready date" in t and ("%" in t or "percent" in t or "proportion" in t or "share" in t) and "on" in t:
            share = i
            break
    if period is None or share is None:
        raise ObservedError(f"{path}: line {hline}: the header needs a Period (or Month) column and a column of "
                            "the percentage of discharges on the discharge ready date")
    out = []
    for line, row in rows[k + 1:]:
        if len(row) <= max(code, period, share) or row[code].strip() not in orgs:
            continue
        m = _month(row[period])
        if not m:
            raise ObservedError(f"{path}: line {line}: '{row[period].strip()}' is not a month")
        v = _number(row[share], path, line)
        if v is None:
            continue
        if v > 1:
            v /= 100  # a percentage written without its sign
        out.append((m, orgs[row[code].strip()], "discharged_on_ready_date", v, None))
    return out


def _ga_beds(path, orgs):
    rows = _rows(path)
    k, hline, head, code = _header(rows, path)
    if k == 0:
        raise ObservedError(f"{path}: line {hline}: no row of dates above the header row")
    dline, drow = rows[k - 1]
    # each date spans its group of columns: carry it to the right
    day, col_day = None, {}
    for i in range(len(head)):
        c = drow[i] if i < len(drow) else ""
        if c.strip():
            d = _date(c)
            if not d:
                raise ObservedError(f"{path}: line {dline}: '{c.strip()}' is not a date")
            day = d
        if day:
            col_day[i] = day
    if not col_day:
        raise ObservedError(f"{path}: line {dline}: no dates over the columns")

    def kind(name):
        t = name.strip().lower()
        if "occupancy" in t or "rate" in t:
            return "rate"
        if "occ" in t:
            return "occupied"
        if "open" in t or "available" in t:
            return "open"
        return None

    cols = {}
    for i, d in col_day.items():
        kd = kind(head[i]) if i < len(head) else None
        if kd:
            cols.setdefault(d, {})[kd] = i
    out = []
    for line, row in rows[k + 1:]:
        if len(row) <= code or row[code].strip() not in orgs:
            continue
        org = orgs[row[code].strip()]
        for d, c in sorted(cols.items()):
            get = {kd: (_number(row[i], path, line) if i < len(row) else None) for kd, i in c.items()}
            if get.get("open") is not None and get.get("occupied") is not None and get["open"] > 0:
                out.append((d, org, "occupancy_8am", get["occupied"] / get["open"],
                            ("ratio", get["occupied"], get["open"])))
            elif get.get("rate") is not None:
                v = get["rate"]
                out.append((d, org, "occupancy_8am", v / 100 if v > 1 else v, None))
    return out


_READERS = {"discharge-sitrep": _discharge_sitrep, "discharge-ready-date": _discharge_ready_date,
            "ga-beds": _ga_beds}


def convert(layout, paths, organisations, system=False):
    """Rows of the long format from files in one of the published
    ``layout``s (LAYOUTS), for the organisations mapped by ``organisations``
    (code -> the scenario's name), as a DataFrame. ``system``: add the whole
    system's rows (see the module's notes). Raises ObservedError naming the
    file and line; a row given twice (the same day and organisation in two
    files) is an error too."""
    import pandas as pd
    if layout not in _READERS:
        raise ObservedError(f"unknown layout '{layout}': expected one of {', '.join(LAYOUTS)}")
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    orgs = {str(k).strip(): v for k, v in dict(organisations).items()}
    if not orgs:
        raise ObservedError("no organisations: map each code to the scenario's name (RXX=city)")
    rows, seen, agg = [], {}, {}
    for path in paths:
        for d, o, m, v, how in _READERS[layout](str(path), orgs):
            key = (d, o, m)
            if key in seen:
                raise ObservedError(f"{path}: {m} of {o} on {d} is given twice (also in {seen[key]})")
            seen[key] = path
            rows.append((d, o, m, v))
            if system and how:
                a = agg.setdefault((d, m), [0.0, 0.0, 0])
                if how == "sum":
                    a[0] += v
                else:
                    a[0] += how[1]
                    a[1] += how[2]
                a[2] += 1
    if not rows:
        raise ObservedError(f"no rows for the organisations {', '.join(sorted(orgs))} in "
                            f"{', '.join(str(p) for p in paths)}")
    n_orgs = len(set(orgs.values()))
    for (d, m), (a, b, n) in sorted(agg.items()):
        if n < n_orgs:
            continue  # the system's total needs every organisation on that day
        rows.append((d, "system", m, a / b if b else a))
    return pd.DataFrame(rows, columns=HEADER)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python3 -m winterflow.observed",
        description="Convert NHS England's published layouts (saved as CSV) into winterflow's observed "
                    "format (date,organisation,metric,value).")
    p.add_argument("files", nargs="+", help="the published tables, saved as CSV")
    p.add_argument("--layout", required=True, choices=LAYOUTS)
    p.add_argument("--org", action="append", default=[], metavar="CODE=NAME",
                   help="an organisation code and the scenario's name for it (repeatable)")
    p.add_argument("--system", action="store_true", help="add the whole system's rows")
    p.add_argument("--out", required=True, help="the observed CSV file to write")
    a = p.parse_args(argv)
    orgs = {}
    for spec in a.org:
        if "=" not in spec:
            p.error(f"--org {spec}: expected CODE=NAME, e.g. RXX=city")
        k, v = spec.split("=", 1)
        orgs[k.strip()] = v.strip()
    try:
        df = convert(a.layout, a.files, orgs, system=a.system)
    except ObservedError as e:
        print(f"winterflow.observed: {e}", file=sys.stderr)
        return 3
    write(df, a.out)
    print(f"{a.out}: {len(df)} rows ({', '.join(sorted(set(df['metric'])))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
