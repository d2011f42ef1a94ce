#!/usr/bin/env bash
# Redraw every picture in docs/images/ and regenerate the study's tables
# with the model as it is now, each stamped with the winterflow version and
# git commit that drew it. Run it whenever the model changes, then check
# that the text around them (docs/python.md, docs/cli.md, README.md, the
# prose of docs/study.md) still says true things about them.
#   python-*.png   winterflow.plots one-liners (python-bindings/examples/make_figures.py)
#   report.png     the top of `winterflow report` of the reference compare
#   docs/study.md  the tables under "Results", between its begin and end
#                  markers: the study's compare (docs/study.md, "Reproduce";
#                  about a minute on 2 shared cores) through
#                  docs/tools/study_tables.py
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
. scripts/deps.sh
wf_ensure_packages build-essential cmake libgsl-dev libhdf5-dev libyaml-dev libcsv-dev pkg-config \
  libplplot-dev libxlsxwriter-dev chromium python3 python3-pil python3-numpy python3-pandas \
  python3-xarray python3-matplotlib python3-cffi python3-yaml
wf_check_cmake
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 >/dev/null

version=$(build/winterflow --version | sed -n '1s/^winterflow //p')
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || true)
if [ -n "$commit" ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit with uncommitted changes"
fi
export WF_DOCS_STAMP="drawn by winterflow $version${commit:+, commit $commit}"
echo "stamp: $WF_DOCS_STAMP"

WINTERFLOW_LIBRARY=build/libwinterflow.so PYTHONPATH=python-bindings MPLBACKEND=Agg \
  /usr/bin/python3 python-bindings/examples/make_figures.py docs/images

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/winterflow compare models/reference.yaml --partnership fragmented,integrated \
  --replicates 10 --seed 1 --quiet --out "$tmp/results.h5" >/dev/null
wf=$PWD/build/winterflow
(cd "$tmp" && "$wf" report results.h5 --out report.html)
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
  --window-size=1000,2300 --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null 2>&1
/usr/bin/python3 docs/tools/stamp.py "$tmp/report.png" docs/images/report.png "$WF_DOCS_STAMP"
echo docs/images/report.png

# The study's tables: the compare of docs/study.md, "Reproduce", its JSON
# through docs/tools/study_tables.py, spliced between the markers.
P=models/partnership
build/winterflow compare $P/fragmented.yaml $P/integrated.yaml \
  $P/trusted_assessor.yaml $P/discharge_to_assess.yaml $P/seven_day_working.yaml \
  $P/pooled_capacity.yaml $P/shared_record.yaml $P/delegated_funding.yaml \
  $P/bridging.yaml $P/admission_avoidance.yaml $P/early_planning.yaml \
  --replicates 20 --seed 1 --json --quiet > "$tmp/study.json"
/usr/bin/python3 docs/tools/study_tables.py "$tmp/study.json" > "$tmp/study-tables.md"
begin='<!-- begin: tables written by scripts/docs.sh'
end='<!-- end: tables written by scripts/docs.sh'
if [ "$(grep -c "^$begin" docs/study.md)" != 1 ] || [ "$(grep -c "^$end" docs/study.md)" != 1 ]; then
  echo "docs.sh: docs/study.md needs one '$begin ...' and one '$end ...' line" >&2
  exit 1
fi
awk -v begin="$begin" -v end="$end" -v tables="$tmp/study-tables.md" -v stamp="$WF_DOCS_STAMP" '
  index($0, begin) == 1 { print; print ""; print "*Tables " stamp ".*"; print "";
                          while ((getline line < tables) > 0) print line; print ""; skip = 1; next }
  index($0, end) == 1 { skip = 0 }
  !skip { print }
' docs/study.md > docs/study.md.new
mv docs/study.md.new docs/study.md
echo docs/study.md
