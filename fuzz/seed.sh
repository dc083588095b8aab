#!/usr/bin/env bash
# Builds the seed corpora in fuzz/corpus/<target>/ from the repository's rubrics and examples.
# The corpora are generated, never committed (fuzz/corpus is git-ignored).
#
#   fuzz/seed.sh            # from anywhere inside the repository
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/rubric_loader" "$corpus/data_loader" "$corpus/expr" "$corpus/workbook"

# Copies a file into a corpus directory under the name of its own hash (as libFuzzer does).
add() {
    local dir=$1 file=$2
    cp "$file" "$dir/$(sha1sum "$file" | cut -c1-40)"
}

# Loaders: every YAML file goes to both, since rubrics and data files share the YAML layer.
while IFS= read -r -d '' f; do
    add "$corpus/rubric_loader" "$f"
    add "$corpus/data_loader" "$f"
done < <(find "$root/rubrics" "$root/examples" -name '*.yaml' -print0)

# Expressions: every double-quoted scalar and every value of a key that holds an expression
# or a name (value, target, full, zero, count, expr, when, cap, derived names …).
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
find "$root/rubrics" "$root/examples" -name '*.yaml' -print0 |
    xargs -0 perl -ne '
        next if /^\s*#/;
        print "$1\n" while /"([^"\n]*)"/g;
        print "$1\n" if /^\s*-?\s*(?:value|target|full|zero|count|expr|when|per|cap):\s*([^"#\s{][^#]*?)\s*$/;
    ' | sort -u > "$tmp"
# A few hand-written lines so that every function, operator and literal kind is seeded.
cat >> "$tmp" <<'SEEDS'
round(x * 100 / budget.initial, 2)
clamp(x, 0, 10) + abs(y) - ceil(tiny) * floor(-x)
if(n == 0, 0, x / n)
not ok and (bad or x >= 1) and y != -3
level == "优" or 质量 != '良'
min(x, y, 1.50) <= max(-0.5, 执行率)
（x ＋ 1）× 2 ≥ 3
SEEDS
n=0
while IFS= read -r line; do
    [ -n "$line" ] || continue
    printf '%s' "$line" > "$tmp.one"
    add "$corpus/expr" "$tmp.one"
    n=$((n + 1))
done < "$tmp"
rm -f "$tmp.one"

# Workbooks: the fill-in form of every built-in rubric in both languages (what
# `selfeval init -r ID --format xlsx` writes), and the form of every example data file's rubric
# filled with its figures (fuzz/examples/workbook_seeds.rs, which fills as tests/xlsx.rs does).
books=$(mktemp -d)
trap 'rm -f "$tmp"; rm -rf "$books"' EXIT
find "$root/examples" -name '*.yaml' ! -name 'rubric.yaml' -print0 | sort -z |
    xargs -0 cargo run --quiet --manifest-path "$root/fuzz/Cargo.toml" --release --example workbook_seeds -- "$books"
for f in "$books"/*.xlsx; do
    add "$corpus/workbook" "$f"
done

for t in rubric_loader data_loader expr workbook; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds in fuzz/corpus/$t"
done
