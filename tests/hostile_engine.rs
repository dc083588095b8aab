//! Untrusted data files against the engine (issue 11): never a wrong number. Row points held
//! to the rubric's precision and every score within [0, points] (item 1), every row problem of
//! a file reported at once and located (item 11), capped results worked out without the
//! overflowing quotient (item 13).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::scoring::{d, data, refused, rubric, scored};
use rust_decimal::Decimal;
use selfeval::engine::{self, Evaluation};

/// Every node scores within [0, points].
fn assert_within_points(e: &Evaluation) {
    for (_, n) in e.walk() {
        if let Some(s) = n.score {
            assert!(s >= Decimal::ZERO && s <= n.points, "{} scored {s} of {}", n.id, n.points);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// item 1: a row leaf never scores above its points
// ---------------------------------------------------------------------------------------------

const ROWS_RUBRIC: &str = "\
id: rows
title: rows
precision: { indicator: 2, total: 2 }
sections:
  - id: out
    title: 产出
    points: 30
    rows: outputs
    qualitative: { 达成: 100, 部分达成: 60 }
";

#[test]
fn item1_row_points_obey_precision() {
    // Each row is met, so each would score its points rounded to 2 places: 10.01 and 20,
    // above 10.005 and 19.995 (and `lost` −0.005).
    let data = "\
values:
  outputs:
    - { name: A, op: \">=\", target: 10, actual: 12, points: 10.005 }
    - { name: B, op: \">=\", target: 10, actual: 12, points: 19.995 }
";
    let errors = refused(ROWS_RUBRIC, data);
    assert!(
        errors.contains(
            "d.yaml:3:60: error: row `out.1` (A): points `10.005` have more decimals than precision.indicator (2)"
        ),
        "{errors}"
    );
    assert!(errors.contains("d.yaml:4:60: error: row `out.2` (B): points `19.995`"), "{errors}");
}

#[test]
fn item1_row_points_at_precision_are_accepted() {
    // Two decimals at precision 2: 10.25 + 19.75 = 30; the first row misses (≥ 10, actual 5:
    // 10.25 × 5 / 10 = 5.125 → 5.13), the second is met.
    let data = "\
values:
  outputs:
    - { name: A, op: \">=\", target: 10, actual: 5, points: 10.25 }
    - { name: B, op: \">=\", target: 10, actual: 12, points: 19.75 }
";
    let e = scored(ROWS_RUBRIC, data);
    assert_within_points(&e);
    assert_eq!(e.node("out.1").unwrap().score, Some(d("5.13")));
    assert_eq!(e.node("out.2").unwrap().score, Some(d("19.75")));
    assert_eq!(e.total, d("24.88"));
}

const LEAF_RUBRIC: &str = "\
id: leaf
title: leaf
precision: { indicator: 2, total: 2 }
fields:
  x: { type: number }
sections:
  - id: a
    title: A
    points: 10
    method: formula
    expr: x
";

#[test]
fn item1_engine_refuses_a_leaf_rounded_past_its_points() {
    // Points with more decimals than precision.indicator cannot come out of the loaders; made
    // here by hand, the engine must refuse them rather than score 10.01 of 10.005 or clamp.
    let mut r = rubric(LEAF_RUBRIC);
    r.sections[0].points = d("10.005");
    r.max = d("10.005");
    let data = data("values:\n  x: 10.005\n");
    let errors = match engine::score(&r, &data, &engine::Options::default()) {
        Ok((e, _)) => panic!("a score above the points must be an error, got {:?}", e.nodes[0].score),
        Err(e) => e.to_string(),
    };
    assert!(errors.contains("indicator `a` (A): internal error: score 10.005 rounds to 10.01"), "{errors}");
}

// ---------------------------------------------------------------------------------------------
// item 11: every row problem of a file at once, each at its value
// ---------------------------------------------------------------------------------------------

#[test]
fn item11_every_row_problem_at_once_and_located() {
    // One problem of each kind, several in one row; an unknown 定性 level used to be reported
    // only once every other row error was fixed, and without a line.
    let data = "\
values:
  outputs:
    - { name: A, op: \"==\", target: 10, actual: 12, points: 10 }
    - { name: B, op: 定性, target: 达成, actual: 差不多, points: 5 }
    - { name: C, op: \">=\", target: abc, actual: 12, points: 5.001 }
    - { name: D, op: \">=\", target: -3, actual: 1e3, points: 5 }
    - { name: E, op: \"?\", target: 3, actual: 差, points: 3 }
    - { name: F, op: 定性, actual: 部分达, points: 2 }
    - { name: G, op: \">=\", target: 1, actual: true }
";
    let errors = refused(ROWS_RUBRIC, data);
    for expected in [
        "d.yaml:3:22: error: row `out.1` (A): operator \"==\" is not one of",
        "d.yaml:4:46: error: row `out.2` (B): `actual`: level \"差不多\" is not in the branch's `qualitative` map and differs from the target; expected one of: `达成`, `部分达成`",
        "d.yaml:5:36: error: row `out.3` (C): `target`: \"abc\" is not a number (with a unit or not, as in 150万元), a percent text or a date",
        "d.yaml:5:61: error: row `out.3` (C): points `5.001` have more decimals than precision.indicator (2)",
        "d.yaml:6:36: error: row `out.4` (D): `target`: must be ≥ 0, found `-3`",
        "d.yaml:6:48: error: row `out.4` (D): `actual`: `1e3` uses an exponent",
        "d.yaml:7:22: error: row `out.5` (E): operator \"?\" is not one of",
        // With the operator unknown, text that is no level of the map is judged as a number.
        "d.yaml:7:46: error: row `out.5` (E): `actual`: \"差\" is not a number (with a unit or not, as in 150万元), a percent text or a date",
        "d.yaml:8:34: error: row `out.6` (F): `actual`: level \"部分达\" is not in the branch's `qualitative` map and differs from the target; did you mean `部分达成`?",
        "d.yaml:9:7: error: row `out.7` (G): missing required key `points`",
        "d.yaml:9:47: error: row `out.7` (G): `actual`: expected a number, found a boolean",
    ] {
        assert!(errors.contains(expected), "missing:\n{expected}\nin:\n{errors}");
    }
    assert_eq!(errors.lines().filter(|l| l.contains(": error: ")).count(), 11, "{errors}");
}

#[test]
fn item11_a_wrong_sum_is_reported_with_the_rows_problems() {
    // 10 + 10 + 11 = 31 ≠ 30: said together with the bad operator and the unknown level. A
    // row with problems keeps its id, so naming it under not_applicable or manual is not
    // reported as naming an unknown indicator.
    let data = "\
values:
  outputs:
    - { name: A, op: \"==\", target: 10, actual: 12, points: 10 }
    - { name: B, op: 定性, target: 达成, actual: 差不多, points: 10 }
    - { name: C, op: \">=\", target: 1, actual: 12, points: 11 }
not_applicable:
  out.1: 无此项
";
    let errors = refused(ROWS_RUBRIC, data);
    assert!(
        errors.contains("d.yaml:3:5: error: rows of `out` (values.outputs): the rows' points add up to `31`"),
        "{errors}"
    );
    assert!(errors.contains("d.yaml:3:22: error: row `out.1` (A): operator"), "{errors}");
    assert!(errors.contains("d.yaml:4:46: error: row `out.2` (B): `actual`: level \"差不多\""), "{errors}");
    assert!(!errors.contains("unknown indicator id"), "{errors}");
    assert_eq!(errors.lines().filter(|l| l.contains(": error: ")).count(), 3, "{errors}");
}

#[test]
fn issue15_a_qualitative_row_without_a_map_is_met_as_its_target_else_located_at_its_actual() {
    // Issue 15 item 4: `qualitative` is needed only when some row needs it. A row that prints
    // its target as its actual is met (was: an error at the operator, issue 11).
    let rubric = "\
id: rows
title: rows
sections:
  - id: out
    title: 产出
    points: 10
    rows: outputs
";
    let met = "\
values:
  outputs:
    - { name: A, op: 定性, target: 符合相关文件要求, actual: \" 符合相关文件要求\u{3000}\", points: 10 }
";
    assert_eq!(scored(rubric, met).total.to_string(), "10");
    let data = "\
values:
  outputs:
    - { name: A, op: 定性, target: 达成, actual: 基本达成, points: 10 }
";
    let errors = refused(rubric, data);
    assert!(
        errors.contains(
            "d.yaml:3:46: error: row `out.1` (A): `actual`: \"基本达成\" differs from the target \"达成\", and the branch has no `qualitative` map to score it"
        ),
        "{errors}"
    );
}

#[test]
fn item11_workbook_row_errors_are_located_at_their_cells() {
    // A fill-in workbook of our own: the info sheet naming the rubric, the fields sheet
    // (header only) and one rows sheet whose rows have a bad operator, an unknown level and a
    // bad number. (Scored with `-r` instead, its errors are told as row:column today.)
    use rust_xlsxwriter::Workbook;
    let dir = std::env::temp_dir().join(format!("selfeval-hostile-engine-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rubric_path = dir.join("rubric.yaml");
    std::fs::write(&rubric_path, ROWS_RUBRIC).unwrap();
    let book = dir.join("rows.xlsx");
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("信息").unwrap();
    for (c, h) in ["项目", "名称", "值"].iter().enumerate() {
        info.write_string(0, c as u16, *h).unwrap();
    }
    info.write_string(1, 0, "rubric").unwrap();
    info.write_string(1, 2, "rubric.yaml").unwrap();
    let fields = wb.add_worksheet();
    fields.set_name("字段").unwrap();
    fields.write_string(0, 0, "字段名").unwrap();
    fields.write_string(0, 1, "值").unwrap();
    let rows = wb.add_worksheet();
    rows.set_name("产出").unwrap();
    rows.write_string(0, 0, "列表").unwrap();
    rows.write_string(0, 1, "outputs").unwrap();
    for (c, h) in ["指标名称", "单位", "指标性质", "年度指标值", "全年完成值", "分值"].iter().enumerate()
    {
        rows.write_string(1, c as u16, *h).unwrap();
    }
    let lines: [(&str, &str, &str, &str, f64); 3] =
        [("A", "==", "10", "12", 10.0), ("B", "定性", "达成", "差不多", 10.0), ("C", ">=", "abc", "12", 10.0)];
    for (r, (name, op, target, actual, points)) in (2u32..).zip(lines) {
        rows.write_string(r, 0, name).unwrap();
        rows.write_string(r, 2, op).unwrap();
        for (c, v) in [(3u16, target), (4, actual)] {
            match v.parse::<f64>() {
                Ok(n) => rows.write_number(r, c, n).map(|_| ()).unwrap(),
                Err(_) => rows.write_string(r, c, v).map(|_| ()).unwrap(),
            }
        }
        rows.write_number(r, 5, points).unwrap();
    }
    wb.save(&book).unwrap();
    let out = assert_cmd::cargo::cargo_bin_cmd!("selfeval")
        .args(["score", book.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Each on a line of its own that names its cell (however the cell is written before it).
    for (cell, expected) in [
        ("产出!C3", "row `out.1` (A): operator \"==\""),
        ("产出!E4", "row `out.2` (B): `actual`: level \"差不多\" is not in the branch's `qualitative` map"),
        (
            "产出!D5",
            "row `out.3` (C): `target`: \"abc\" is not a number (with a unit or not, as in 150万元), a percent text or a date",
        ),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(cell) && l.contains("error") && l.contains(expected)),
            "missing:\n{cell} {expected}\nin:\n{stderr}"
        );
    }
    assert_eq!(stderr.lines().filter(|l| l.contains("error")).count(), 3, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// item 13: a result past its cap is found however large the quotient
// ---------------------------------------------------------------------------------------------

const FAR_RUBRIC: &str = "\
id: far
title: far
fields:
  v: { type: number }
  t: { type: number }
  n: { type: number }
  lv: { type: number }
  lt: { type: number }
sections:
  - id: higher
    title: 越高越好
    points: 10
    method: ratio
    value: v
    target: t
  - id: capped
    title: 封顶
    points: 10
    method: ratio
    value: v
    target: t
    cap: 80
  - id: lower
    title: 越低越好
    points: 10
    method: ratio
    value: lv
    target: lt
    direction: lower
  - id: line
    title: 线性
    points: 10
    method: linear
    value: v
    full: 100
    zero: -60
  - id: many
    title: 扣分
    points: 10
    method: deduct
    count: n
    per: 20
    max: 4
";

#[test]
fn item13_a_ratio_far_past_its_target_scores_its_cap() {
    // The issue's figures: 7.9·10²⁷ over a target of 10⁻²⁸ used to be "overflow computing 10 ×
    // 7900000000000000000000000000"; the capped answer is the points (80 % of them with cap 80),
    // and lower-is-better the other way round is capped too. A linear value past `full` and a
    // deduction count whose product with `per` does not fit are as certain.
    let data = "\
values:
  v: 7900000000000000000000000000
  t: 0.0000000000000000000000000001
  n: 7900000000000000000000000000
  lv: 0.0000000000000000000000000001
  lt: 7900000000000000000000000000
";
    let e = scored(FAR_RUBRIC, data);
    let score = |id: &str| e.node(id).unwrap().score.unwrap();
    assert_eq!(score("higher"), d("10"));
    assert_eq!(score("capped"), d("8"));
    assert_eq!(score("lower"), d("10"));
    assert_eq!(score("line"), d("10"));
    assert_eq!(score("many"), d("6"));
    assert_eq!(e.total, d("44"));
    assert_within_points(&e);
}

#[test]
fn item13_far_below_is_zero_and_an_inexact_quotient_is_still_an_error() {
    // A value far below zero: the ratio and the linear score are 0 (as the clamp makes them).
    let data = "\
values:
  v: -7900000000000000000000000000
  t: 0.0000000000000000000000000001
  n: 0
  lv: 1
  lt: 1
";
    let e = scored(FAR_RUBRIC, data);
    assert_eq!(e.node("higher").unwrap().score, Some(d("0")));
    assert_eq!(e.node("line").unwrap().score, Some(d("0")));
    // Below the cap, a quotient that neither fits nor divides exactly is refused as before,
    // never approximated: 10 × 7.95·10²⁷ / 9.1·10²⁷ (8.736…) does not end, nor does
    // 7.95 / 9.1 or 10 / 9.1·10²⁷ taken first.
    let data = "\
values:
  v: 7950000000000000000000000000
  t: 9100000000000000000000000000
  n: 0
  lv: 1
  lt: 1
";
    let errors = refused(FAR_RUBRIC, data);
    assert!(errors.contains("indicator `higher`"), "{errors}");
    assert!(errors.contains("overflow computing 10 × 7950000000000000000000000000"), "{errors}");
}
