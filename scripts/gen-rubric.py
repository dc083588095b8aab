#!/usr/bin/env python3
"""Writes a rubric with N leaf indicators (mixed methods, three levels) and a data file for it,
to measure how scoring time grows with rubric size.

usage: gen-rubric.py N OUTDIR     → OUTDIR/rubric.yaml, OUTDIR/data.yaml
"""
import os
import random
import sys


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(n)
    sections = 4
    per_branch = 10
    branches = max(1, n // per_branch)
    fields, nodes, values = [], [], []
    leaf = 0
    for s in range(sections):
        nodes.append(f"  - id: s{s}\n    title: 部分{s}\n    scale: true\n    points: 25\n    children:\n")
        for b in range(s, branches, sections):
            nodes.append(f"      - id: b{b}\n        title: 二级{b}\n        children:\n")
            for _ in range(per_branch):
                i = leaf
                leaf += 1
                kind = i % 4
                pad = "          "
                nodes.append(f"{pad}- id: l{i}\n{pad}  title: 指标{i}\n{pad}  points: 1\n")
                if kind == 0:
                    fields.append(f"  f{i}: {{ type: number, label: 完成值{i}, min: 0 }}")
                    nodes.append(f"{pad}  method: ratio\n{pad}  value: f{i}\n{pad}  target: 100\n")
                elif kind == 1:
                    fields.append(f"  f{i}: {{ type: integer, label: 次数{i}, min: 0 }}")
                    nodes.append(f"{pad}  method: deduct\n{pad}  count: f{i}\n{pad}  per: 0.25\n")
                elif kind == 2:
                    fields.append(f"  f{i}: {{ type: level, levels: [优, 良, 中, 差] }}")
                    nodes.append(f"{pad}  method: levels\n{pad}  value: f{i}\n{pad}  levels: {{ 优: 100, 良: 80, 中: 60, 差: 0 }}\n")
                else:
                    fields.append(f"  f{i}: {{ type: percent }}")
                    nodes.append(
                        f"{pad}  method: bands\n{pad}  value: f{i}\n{pad}  bands:\n"
                        f"{pad}    - {{ gte: 90, percent: 100 }}\n{pad}    - {{ gte: 60, percent: 60 }}\n{pad}    - {{ percent: 0 }}\n"
                    )
                values.append(
                    f"  f{i}: "
                    + [str(round(rng.uniform(50, 120), 2)), str(rng.randint(0, 3)), rng.choice("优良中差"), f"\"{rng.randint(40, 100)}%\""][kind]
                )
    with open(os.path.join(out, "rubric.yaml"), "w", encoding="utf-8") as f:
        f.write(f"id: big-{n}\ntitle: 大型指标体系 {n}\nprecision: {{ indicator: 2, total: 1 }}\nfull_marks: 100\nfields:\n")
        f.write("\n".join(fields) + "\n")
        f.write("sections:\n" + "".join(nodes))
    with open(os.path.join(out, "data.yaml"), "w", encoding="utf-8") as f:
        f.write("subject: 测试单位\nrubric: rubric.yaml\nvalues:\n" + "\n".join(values) + "\n")


if __name__ == "__main__":
    main()
