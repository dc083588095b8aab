#!/usr/bin/env bash
# The bureau at scale (issue 13): peak memory and time of a batch in every format, and of a
# million files in csv. Data from scripts/gen-data.py: `mixed` (cast-dept-2021 部门整体 and
# mof-project-2020 项目支出 alternating, so every run is also a mixed-rubric batch); output to
# /dev/null (a workbook to a file in /tmp: it needs -o). Peak RSS by `/usr/bin/time -f %M`.
#
# usage: scripts/bench-bureau.sh N [BIG]     (e.g. 100000 1000000; BIG is optional: csv only)
# needs: cargo, python3, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?usage: scripts/bench-bureau.sh N [BIG]}
BIG=${2:-}

cargo build --release --quiet
SELFEVAL=target/release/selfeval

data() {
  local n=$1 dir=target/bench-data/mixed-$1
  if [ ! -d "$dir" ] || [ "$(find "$dir" -name '*.yaml' | wc -l)" -ne "$n" ]; then
    rm -rf "$dir"
    python3 scripts/gen-data.py "$n" "$dir" mixed
  fi
  echo "$dir"
}

# measure LABEL ARGS…: wall seconds, peak RSS (MiB), and the exit code (1 is expected for
# `check`: units disagree).
measure() {
  local label=$1
  shift
  local stats=target/bench-bureau.time
  /usr/bin/time -o "$stats" -f "%e %U %S %M" "$SELFEVAL" "$@" >/dev/null 2>/dev/null || true
  # GNU time puts "Command exited with non-zero status 1" first when it did (check does).
  read -r wall user sys kib < <(tail -n 1 "$stats")
  printf '| %s | %s | %s | %s | %s | %d |\n' "$label" "$N" "$wall" "$user" "$sys" "$((kib / 1024))"
}

echo "== machine: $(nproc) cores, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
DIR=$(data "$N")
echo "== $N files ($(du -sh "$DIR" | cut -f1)), mixed rubrics"
echo "| run | files | wall s | user s | sys s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for f in csv jsonl json table markdown; do
  measure "score --format $f" score "$DIR" --format "$f"
done
measure "score --format xlsx -o" score "$DIR" --format xlsx -o /tmp/bench-bureau.xlsx
measure "score -r cast-dept-2021 --format csv (half fail)" score -r cast-dept-2021 "$DIR" --format csv
for f in table csv jsonl json; do
  measure "check --format $f" check "$DIR" --format "$f"
done
measure "check --format xlsx -o" check "$DIR" --format xlsx -o /tmp/bench-bureau-check.xlsx
measure "check --format html -o" check "$DIR" --format html -o /tmp/bench-bureau-check.html
measure "breakdown --format jsonl" breakdown "$DIR" --format jsonl
measure "explain --format markdown" explain "$DIR" --format markdown
RAYON_NUM_THREADS=1 measure "score --format csv, RAYON_NUM_THREADS=1" score "$DIR" --format csv
rm -f /tmp/bench-bureau.xlsx /tmp/bench-bureau-check.xlsx /tmp/bench-bureau-check.html

if [ -n "$BIG" ]; then
  N=$BIG
  DIR=$(data "$BIG")
  echo "== $BIG files ($(du -sh "$DIR" | cut -f1)), mixed rubrics"
  echo "| run | files | wall s | user s | sys s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  measure "score --format csv" score "$DIR" --format csv
fi
