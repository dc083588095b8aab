#!/usr/bin/env bash
# Diagnostics benchmark (issue 11, item 4): files full of problems must be answered in time
# linear in their size. Generates hostile files and times `selfeval` on each (release build):
#
#   values-120k        the seed with 120 000 unknown keys under `values:` (3.4 MB), validate
#   values-120k-score  the same, `score` (table; the warnings on stderr)
#   values-120k-json   the same, `score --format json` (all 120 000 warnings in the JSON)
#   missing-120k       cast-dept-2021 with 120 000 unknown keys and every field missing
#                      (each missing field looks for a misspelt key among the unknown ones)
#   manual-40k         40 000 unknown `manual:` ids (the parser's node limit allows ~45 000)
#   na-120k            120 000 unknown `not_applicable:` ids
#   declared-120k      120 000 unknown `declared:` ids
#   rubric-100k        a rubric with 50 000 unknown top-level keys and 50 000 in one indicator
#
# Target: each under 1 s. Prints a markdown table to target/bench-diagnostics.md.
#
# usage: scripts/bench-diagnostics.sh [RUNS]   (default 5)
# needs: cargo, python3; hyperfine if installed (apt-get install hyperfine), else a timing loop.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}

cargo build --release --quiet
SELFEVAL=target/release/selfeval
DIR=target/bench-diag
mkdir -p "$DIR"

python3 - "$DIR" <<'EOF'
import sys, os
out = sys.argv[1]
seed = open("examples/conghua-cast-2021/data.yaml", encoding="utf-8").read()
head, tail = seed.split("\nvalues:\n", 1)

def write(name, text):
    path = os.path.join(out, name)
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
        open(path, "w", encoding="utf-8").write(text)

keys = "".join(f"  unknown_key_{i:06d}: {i}\n" for i in range(120_000))
write("values-120k.yaml", f"{head}\nvalues:\n{keys}{tail}")
write("missing-120k.yaml", f"subject: x\nrubric: cast-dept-2021\nvalues:\n{keys}")
bare = "subject: x\nrubric: cast-dept-2021\nvalues: {budget: {initial: 1}}\n"
write("manual-40k.yaml", bare + "manual:\n" + "".join(f"  node_{i:06d}: {{score: 1, reason: r}}\n" for i in range(40_000)))
write("na-120k.yaml", bare + "not_applicable:\n" + "".join(f"  node_{i:06d}: why\n" for i in range(120_000)))
write("declared-120k.yaml", bare + "declared:\n" + "".join(f"  node_{i:06d}: 1\n" for i in range(120_000)))
rubric = ["id: big\ntitle: t\nversion: '1'\n"]
rubric += [f"unknown_top_{i:06d}: 1\n" for i in range(50_000)]
rubric.append("sections:\n  - id: s\n    title: s\n    points: 10\n    method: manual\n")
rubric += [f"    unknown_leaf_{i:06d}: 1\n" for i in range(50_000)]
write("rubric-100k.yaml", "".join(rubric))
EOF

declare -a NAMES=(values-120k values-120k-score values-120k-json missing-120k manual-40k na-120k declared-120k rubric-100k)
declare -A CMDS=(
  [values-120k]="$SELFEVAL validate cast-dept-2021 --data $DIR/values-120k.yaml"
  [values-120k-score]="$SELFEVAL score $DIR/values-120k.yaml"
  [values-120k-json]="$SELFEVAL score $DIR/values-120k.yaml --format json"
  [missing-120k]="$SELFEVAL validate cast-dept-2021 --data $DIR/missing-120k.yaml"
  [manual-40k]="$SELFEVAL validate cast-dept-2021 --data $DIR/manual-40k.yaml"
  [na-120k]="$SELFEVAL validate cast-dept-2021 --data $DIR/na-120k.yaml"
  [declared-120k]="$SELFEVAL validate cast-dept-2021 --data $DIR/declared-120k.yaml"
  [rubric-100k]="$SELFEVAL validate $DIR/rubric-100k.yaml"
)

echo "== machine: $(nproc) cores, $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${NAMES[@]}"; do
  lines=$(${CMDS[$name]} 2>&1 >/dev/null | wc -l || true)
  file=$(echo "${CMDS[$name]}" | grep -o "$DIR/[a-z0-9-]*\.yaml")
  echo "== $name: $(du -h "$file" | cut -f1) input, $lines lines on stderr"
done

if command -v hyperfine >/dev/null 2>&1; then
  args=()
  for name in "${NAMES[@]}"; do
    args+=(-n "$name" "${CMDS[$name]}")
  done
  # validate exits 1 on errors, which is the point here.
  hyperfine --warmup 1 --runs "$RUNS" -i --export-markdown target/bench-diagnostics.md "${args[@]}"
else
  echo "| command | mean (s) |" >target/bench-diagnostics.md
  echo "|---|---|" >>target/bench-diagnostics.md
  for name in "${NAMES[@]}"; do
    start=$(date +%s.%N)
    for _ in $(seq "$RUNS"); do ${CMDS[$name]} >/dev/null 2>&1 || true; done
    end=$(date +%s.%N)
    mean=$(echo "($end - $start) / $RUNS" | bc -l)
    printf '%s: %.3f s\n' "$name" "$mean"
    printf '| %s | %.3f |\n' "$name" "$mean" >>target/bench-diagnostics.md
  done
fi
echo "== peak memory (max RSS)"
for name in "${NAMES[@]}"; do
  /usr/bin/time -o "$DIR/time.txt" -f "$name: %e s, %M KiB" ${CMDS[$name]} >/dev/null 2>&1 || true
  cat "$DIR/time.txt"
done
