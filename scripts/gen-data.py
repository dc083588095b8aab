#!/usr/bin/env python3
"""Writes N realistic data files for a built-in rubric into a folder.

cast-dept-2021 (部门整体, the default): each file is the seed's shape (every field the rubric
reads, the same comments-free layout a bureau receives) with figures varied per unit: budgets,
execution, counts, qualitative levels, an occasional not-applicable indicator and a declared
block. mof-project-2020 (项目支出): a budget and three indicator tables (产出, 效益, 满意度) of
varied rows, and a declared total. `mixed`: the two alternating, as a bureau's folder holds
both. Deterministic for a given N and rubric.

usage: gen-data.py N OUTDIR [cast-dept-2021|mof-project-2020|mixed]
"""
import os
import random
import sys


def unit(i: int, rng: random.Random) -> str:
    budget = round(rng.uniform(80, 5000), 2)
    executed = round(budget * rng.uniform(0.78, 1.0), 2)
    levels4 = ["明确", "较明确", "基本明确", "不明确"]
    quality = ["好", "较好", "一般", "差"]
    b = lambda p: "true" if rng.random() < p else "false"
    na = ""
    if rng.random() < 0.1:
        na = "not_applicable:\n  procurement_mgmt: 本年度无政府采购预算\n"
    return f"""subject: 示例单位{i:05d}
period: "2024"
rubric: cast-dept-2021
values:
  budget:
    initial: {budget}
    executed: {executed}
    basic: {round(budget * 0.8, 2)}
    project: {round(budget * 0.2, 2)}
    adjustment: {round(budget * rng.uniform(0, 0.15), 2)}
    carryover: {round(budget - executed, 2)}
  sanggong:
    budget: {round(rng.uniform(0.5, 20), 2)}
    actual: {round(rng.uniform(0.3, 22), 2)}
  fund:
    violations: {rng.choice([0, 0, 0, 1, 2])}
  rules:
    budget: {b(0.95)}
    finance: {b(0.9)}
    updated: {b(0.6)}
  goals:
    set: {b(0.95)}
    aligned: {b(0.85)}
    matched: {b(0.6)}
  kpi:
    clarity: {rng.choice(levels4)}
  monitoring:
    quality: {rng.choice(quality)}
  procurement:
    budget: {round(rng.uniform(5, 200), 2)}
    actual: {round(rng.uniform(4, 200), 2)}
    planned: {b(0.9)}
    procedure: {b(0.9)}
    records: {b(0.85)}
  disclosure:
    missed: {rng.choice([0, 0, 0, 1])}
    targets_public: {b(0.9)}
    selfeval_public: {b(0.9)}
  asset:
    security: {rng.choice(quality)}
    utilization: {rng.randint(60, 100)}
    mismatch: {rng.choice([0, 0, 1])}
  tweets:
    issues: {rng.randint(40, 120)}
    articles: {rng.randint(150, 600)}
  radio:
    episodes: {rng.randint(100, 260)}
  media:
    errors: {rng.choice([0, 0, 1])}
  events:
    huimin: {rng.randint(3, 12)}
    science_day: {rng.randint(4, 14)}
    volunteer: {rng.randint(5, 30)}
  bases:
    provincial: {rng.randint(0, 9)}
    national: {rng.randint(0, 2)}
  board:
    updates: {rng.randint(6, 12)}
    topic_epidemic: {b(0.9)}
    topic_disaster: {b(0.8)}
    topic_health: {b(0.9)}
  campus:
    experts: {rng.randint(1, 6)}
    schools: {rng.randint(2, 10)}
    students: {rng.randint(500, 3000)}
  rural:
    towns: {rng.randint(1, 4)}
    yards: {rng.randint(1, 3)}
  members:
    groups: {rng.randint(8, 25)}
  major_violation: {b(0.02)}
{na}declared:
  total: {round(rng.uniform(70, 98), 1)}
"""


def row(rng: random.Random, name: str, points: int, unit: str) -> str:
    kind = rng.random()
    if kind < 0.15:
        actual = rng.choice(["达成", "达成预期指标", "部分达成", "未达成"])
        return f"    - {{ name: {name}, op: 定性, target: 达成, actual: {actual}, points: {points} }}\n"
    if kind < 0.3:
        target = rng.randint(2, 20)
        actual = round(target * rng.uniform(0.9, 1.3), 2)
        return f"    - {{ name: {name}, unit: \"{unit}\", op: \"<=\", target: {target}, actual: {actual}, points: {points} }}\n"
    target = rng.randint(10, 500)
    actual = round(target * rng.uniform(0.7, 1.2), 2)
    return f"    - {{ name: {name}, unit: \"{unit}\", op: \">=\", target: {target}, actual: {actual}, points: {points} }}\n"


def project(i: int, rng: random.Random) -> str:
    full = round(rng.uniform(20, 3000), 2)
    outputs = "".join(row(rng, f"产出指标{k}", p, "处") for k, p in enumerate([15, 10, 10, 10, 5]))
    outcomes = "".join(row(rng, f"效益指标{k}", p, "人") for k, p in enumerate([10, 10, 5, 5]))
    satisfaction = row(rng, "受益群众满意度", 10, "%")
    return f"""subject: 示例项目{i:05d}
period: "2024"
rubric: mof-project-2020
values:
  budget:
    initial: {round(full * 0.9, 2)}
    full_year: {full}
    executed: {round(full * rng.uniform(0.7, 1.0), 2)}
  outputs:
{outputs}  outcomes:
{outcomes}  satisfaction:
{satisfaction}declared:
  total: {round(rng.uniform(70, 98), 1)}
"""


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    rubric = sys.argv[3] if len(sys.argv) > 3 else "cast-dept-2021"
    makers = {"cast-dept-2021": [unit], "mof-project-2020": [project], "mixed": [unit, project]}[rubric]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(n)
    width = max(5, len(str(n - 1)))
    for i in range(n):
        with open(os.path.join(out, f"unit-{i:0{width}d}.yaml"), "w", encoding="utf-8") as f:
            f.write(makers[i % len(makers)](i, rng))


if __name__ == "__main__":
    main()
