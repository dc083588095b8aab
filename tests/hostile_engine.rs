//! Untrusted data files against the engine (issue 11): never a wrong number. Row points held
//! to the rubric's precision and every score within [0, points] (item 1), every row problem of
//! a file reported at once and located (item 11), capped results worked out without the
//! overflowing quotient (item 13).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_decimal::Decimal;
use selfeval::data::DataFile;
use selfeval::diag::Diagnostics;
use selfeval::engine::{self, Evaluation};
use selfeval::rubric::Rubric;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("bad decimal literal in test: {s}"))
}

fn rubric(text: &str) -> Rubric {
    match load(&Source { name: "r.yaml".into(), text: text.into() }) {
        Ok((r, _)) => r,
        Err(e) => panic!("rubric should load, got:\n{e}\n{text}"),
    }
}

fn data(text: &str) -> DataFile {
    match DataFile::load(&Source { name: "d.yaml".into(), text: text.into() }) {
        Ok((d, _)) => d,
        Err(e) => panic!("data should load, got:\n{e}\n{text}"),
    }
}

fn score(rubric_text: &str, data_text: &str) -> Result<(Evaluation, Diagnostics), Diagnostics> {
    engine::score(&rubric(rubric_text), &data(data_text))
}

fn scored(rubric_text: &str, data_text: &str) -> Evaluation {
    match score(rubric_text, data_text) {
        Ok((e, _)) => e,
        Err(e) => panic!("scoring should succeed, got:\n{e}\n{data_text}"),
    }
}

fn refused(rubric_text: &str, data_text: &str) -> String {
    match score(rubric_text, data_text) {
        Ok((e, _)) => panic!("scoring should fail, got total {}\n{data_text}", e.total),
        Err(e) => e.to_string(),
    }
}

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
    let errors = match engine::score(&r, &data) {
        Ok((e, _)) => panic!("a score above the points must be an error, got {:?}", e.nodes[0].score),
        Err(e) => e.to_string(),
    };
    assert!(errors.contains("indicator `a` (A): internal error: score 10.005 rounds to 10.01"), "{errors}");
}
