#!/usr/bin/env bash
# Batch benchmark: scores N generated data files with `selfeval score --format csv` and compares
# it with a parse-only baseline (serde_yaml 0.9 on one thread), with selfeval's own YAML
# loader alone and with the bare event stream of the parser under it. Also times one-file scoring against `selfeval --version` and reports peak memory.
#
# usage: scripts/bench-batch.sh N        (e.g. 10000)
# needs: cargo, python3, hyperfine (installed from Debian's packages when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?usage: scripts/bench-batch.sh N}

if ! command -v hyperfine >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null
  else
    echo "hyperfine is needed: apt-get install hyperfine" >&2
    exit 1
  fi
fi

cargo build --release --quiet
cargo build --release --quiet --bench parse_baseline
BASELINE=$(ls -t target/release/deps/parse_baseline-* | grep -v '\.d$' | head -n 1)
SELFEVAL=target/release/selfeval

DATA=target/bench-data/$N
if [ ! -d "$DATA" ] || [ "$(ls "$DATA" | wc -l)" -ne "$N" ]; then
  rm -rf "$DATA"
  python3 scripts/gen-data.py "$N" "$DATA"
fi

echo "== machine: $(nproc) cores, $(uname -srm)"
echo "== $N files, $(du -sh "$DATA" | cut -f1)"
hyperfine --warmup 1 --runs 5 --export-markdown "target/bench-$N.md" \
  -n "parse-only, serde_yaml 0.9, 1 thread" "$BASELINE $DATA" \
  -n "parse-only, selfeval loader, 1 thread" "$BASELINE --ours $DATA" \
  -n "parser events only, granit-parser, 1 thread" "$BASELINE --events $DATA" \
  -n "selfeval score --format csv" "$SELFEVAL score -r cast-dept-2021 $DATA --format csv"

echo "== one file vs --version"
hyperfine --warmup 30 --runs 300 -N \
  -n "selfeval --version" "$SELFEVAL --version" \
  -n "selfeval score (seed)" "$SELFEVAL score examples/conghua-cast-2021/data.yaml"

echo "== peak memory (max RSS)"
/usr/bin/time -f "$N files: %e s, %M KiB" "$SELFEVAL" score -r cast-dept-2021 "$DATA" --format csv >/dev/null
