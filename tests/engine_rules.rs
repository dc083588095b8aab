//! The scoring rules of SPEC §2–§5, each proved through the whole library (rubric YAML →
//! data YAML → `engine::score`). Every expected number is worked out by hand from the SPEC in
//! the comment above its assertion; none is copied from the program's output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_decimal::Decimal;
use selfeval::data::DataFile;
use selfeval::diag::Diagnostics;
use selfeval::engine::{self, Evaluation, Status};
use selfeval::lang::Lang;
use selfeval::method::{MethodKind, Op, Rule};
use selfeval::rubric::Rubric;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("bad decimal literal in test: {s}"))
}

/// Strips the common indentation so YAML can be written indented inside the test source.
fn dedent(text: &str) -> String {
    let indent =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| if l.len() >= indent { &l[indent..] } else { l.trim_start() }).collect::<Vec<_>>().join("\n")
        + "\n"
}

fn load_rubric(yaml: &str) -> Result<(Rubric, Diagnostics), Diagnostics> {
    load(&Source { name: "r.yaml".into(), text: dedent(yaml) }, Lang::En)
}

fn rubric(yaml: &str) -> Rubric {
    match load_rubric(yaml) {
        Ok((r, _)) => r,
        Err(e) => panic!("rubric should load, got:\n{e}\n--- rubric ---\n{}", dedent(yaml)),
    }
}

fn load_data(yaml: &str) -> Result<(DataFile, Diagnostics), Diagnostics> {
    DataFile::load(&Source { name: "d.yaml".into(), text: dedent(yaml) }, Lang::En)
}

/// Scores `data` against `rubric`; panics with the diagnostics when anything fails.
fn score(rubric_yaml: &str, data_yaml: &str) -> (Evaluation, Diagnostics) {
    let r = rubric(rubric_yaml);
    let (data, _) = match load_data(data_yaml) {
        Ok(x) => x,
        Err(e) => panic!("data should load, got:\n{e}\n--- data ---\n{}", dedent(data_yaml)),
    };
    match engine::score(&r, &data, &engine::Options::default()) {
        Ok(x) => x,
        Err(e) => panic!("scoring should succeed, got:\n{e}\n--- data ---\n{}", dedent(data_yaml)),
    }
}

fn eval(rubric_yaml: &str, data_yaml: &str) -> Evaluation {
    score(rubric_yaml, data_yaml).0
}

fn error_messages(diags: &Diagnostics) -> Vec<String> {
    diags.0.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect()
}

fn warning_messages(diags: &Diagnostics) -> Vec<String> {
    diags.0.iter().filter(|d| !d.is_error()).map(|d| d.message.clone()).collect()
}

/// The error messages of a rubric that must fail to load.
fn rubric_errors(yaml: &str) -> Vec<String> {
    match load_rubric(yaml) {
        Ok(_) => panic!("rubric should fail to load:\n{}", dedent(yaml)),
        Err(e) => {
            let errors = error_messages(&e);
            assert!(!errors.is_empty(), "a failed load must carry at least one error: {e}");
            errors
        }
    }
}

/// The error messages of a data file that fails to load or to score (the rubric must load).
fn score_errors(rubric_yaml: &str, data_yaml: &str) -> Vec<String> {
    let r = rubric(rubric_yaml);
    let result = load_data(data_yaml).and_then(|(data, _)| engine::score(&r, &data, &engine::Options::default()));
    match result {
        Ok((ev, _)) => panic!("scoring should fail, but gave total {}:\n{}", ev.total, dedent(data_yaml)),
        Err(e) => {
            let errors = error_messages(&e);
            assert!(!errors.is_empty(), "a failure must carry at least one error: {e}");
            errors
        }
    }
}

/// Some message contains every needle.
fn assert_has(messages: &[String], needles: &[&str]) {
    assert!(
        messages.iter().any(|m| needles.iter().all(|n| m.contains(n))),
        "no message contains all of {needles:?}; messages:\n  {}",
        messages.join("\n  ")
    );
}

fn score_of(ev: &Evaluation, id: &str) -> Option<Decimal> {
    ev.node(id).unwrap_or_else(|| panic!("no node `{id}` in the result")).score
}

fn status_of(ev: &Evaluation, id: &str) -> Status {
    ev.node(id).unwrap_or_else(|| panic!("no node `{id}` in the result")).status
}

/// `yaml` with `extra` inserted as top-level keys after its `title: T` line.
fn top(yaml: &str, extra: &str) -> String {
    dedent(yaml).replacen("title: T\n", &format!("title: T\n{extra}\n"), 1)
}

/// A one-leaf rubric worth `points` whose leaf is `formula: x`; `extra` goes at the top.
fn one_leaf(points: &str, extra: &str) -> String {
    format!(
        "id: t\ntitle: T\n{extra}\nfields:\n  x: {{ type: number }}\nsections:\n  - {{ id: s, title: S, points: {points}, method: formula, expr: \"x\" }}\n"
    )
}

// ---------------------------------------------------------------------------------------------
// 1. §4.1 the worked example
// ---------------------------------------------------------------------------------------------

const WORKED: &str = r#"
    id: t
    title: T
    precision: { indicator: 2, total: 1 }
    rounding: MODE
    fields:
      a: { type: number }
    sections:
      - id: s
        title: S
        children:
          - { id: l1, title: L1, points: 5, method: formula, expr: "a" }
          - { id: l2, title: L2, points: 5, method: formula, expr: "10 / 3" }
"#;

fn worked(mode: &str) -> Evaluation {
    eval(&WORKED.replace("MODE", mode), "values: { a: 4.815 }")
}

#[test]
fn worked_example_half_up() {
    // 4.815 → 4.82 (half away from zero); 3.3333… → 3.33; branch 4.82 + 3.33 = 8.15 (W = P = 10,
    // no rescale); total round(8.15, 1) half up = 8.2.
    let ev = worked("half_up");
    assert_eq!(score_of(&ev, "l1"), Some(d("4.82")));
    assert_eq!(score_of(&ev, "l2"), Some(d("3.33")));
    assert_eq!(score_of(&ev, "s"), Some(d("8.15")));
    assert_eq!(ev.total, d("8.2"));
}

#[test]
fn worked_example_half_even() {
    // 4.815 → 4.82 (the even neighbour of 4.81/4.82 is 4.82); 3.33; branch 8.15; 8.15 → 8.2
    // (the even neighbour of 8.1/8.2).
    let ev = worked("half_even");
    assert_eq!(score_of(&ev, "l1"), Some(d("4.82")));
    assert_eq!(score_of(&ev, "l2"), Some(d("3.33")));
    assert_eq!(score_of(&ev, "s"), Some(d("8.15")));
    assert_eq!(ev.total, d("8.2"));
}

#[test]
fn worked_example_down() {
    // toward zero: 4.815 → 4.81; 3.333… → 3.33; branch 8.14; total 8.14 → 8.1.
    let ev = worked("down");
    assert_eq!(score_of(&ev, "l1"), Some(d("4.81")));
    assert_eq!(score_of(&ev, "l2"), Some(d("3.33")));
    assert_eq!(score_of(&ev, "s"), Some(d("8.14")));
    assert_eq!(ev.total, d("8.1"));
}

#[test]
fn half_even_differs_from_half_up_on_an_even_midpoint() {
    // a = 4.825: half_up → 4.83, half_even → 4.82 (2 is even), down → 4.82.
    for (mode, leaf) in [("half_up", "4.83"), ("half_even", "4.82"), ("down", "4.82")] {
        let ev = eval(&WORKED.replace("MODE", mode), "values: { a: 4.825 }");
        assert_eq!(score_of(&ev, "l1"), Some(d(leaf)), "{mode}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. §4.1 branch = min(P, R + B); bonus leaves
// ---------------------------------------------------------------------------------------------

const BONUS: &str = r#"
    id: t
    title: T
    fields:
      x: { type: number }
      y: { type: number }
    sections:
      - id: s
        title: S
        children:
          - { id: a, title: A, points: 10, method: formula, expr: "x" }
          - { id: b, title: B, points: 3, bonus: true, method: formula, expr: "y" }
"#;

#[test]
fn bonus_pushing_a_branch_over_its_points_is_capped_at_p() {
    // R = 9, B = 2.5 → min(10, 11.5) = 10.
    let ev = eval(BONUS, "values: { x: 9, y: 2.5 }");
    assert_eq!(score_of(&ev, "a"), Some(d("9")));
    assert_eq!(score_of(&ev, "b"), Some(d("2.5")));
    assert_eq!(status_of(&ev, "b"), Status::Bonus);
    assert_eq!(score_of(&ev, "s"), Some(d("10")));
    assert_eq!(ev.total, d("10"));
}

#[test]
fn bonus_below_the_cap_is_added() {
    // R = 7, B = 2.5 → min(10, 9.5) = 9.5.
    let ev = eval(BONUS, "values: { x: 7, y: 2.5 }");
    assert_eq!(score_of(&ev, "s"), Some(d("9.5")));
    assert_eq!(ev.total, d("9.5"));
}

#[test]
fn bonus_points_count_in_no_maximum() {
    // Branch s has no `points`: it is worth its non-bonus children, 10 (not 13); the root too.
    let r = rubric(BONUS);
    assert_eq!(r.max, d("10"));
    let ev = eval(BONUS, "values: { x: 9, y: 2.5 }");
    assert_eq!(ev.max, d("10"));
    assert_eq!(ev.node("s").unwrap().points, d("10"));
    // full_marks 10 equals the non-bonus sum, so it loads; 13 would count the bonus and fails.
    rubric(&BONUS.replace("    title: T\n", "    title: T\n    full_marks: 10\n"));
    let errors = rubric_errors(&BONUS.replace("    title: T\n", "    title: T\n    full_marks: 13\n"));
    assert_has(&errors, &["full_marks", "13", "10"]);
}

#[test]
fn bonus_section_at_the_root() {
    // sections: s (10) and a bonus leaf `extra` (2): max 10.
    // x = 7, y = 1.5 → root min(10, 7 + 1.5) = 8.5; x = 9 → min(10, 10.5) = 10.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - { id: s, title: S, points: 10, method: formula, expr: "x" }
          - { id: extra, title: Extra, points: 2, bonus: true, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { x: 7, y: 1.5 }");
    assert_eq!(ev.max, d("10"));
    assert_eq!(ev.total, d("8.5"));
    let ev = eval(yaml, "values: { x: 9, y: 1.5 }");
    assert_eq!(ev.total, d("10"));
}

#[test]
fn bonus_inside_a_scaled_branch_is_not_rescaled() {
    // P = 10, non-bonus children 4 + 1 → W = 5 (the bonus's 2 points are not in W).
    // S = 3 + 1 = 4 → R = 4 × 10 / 5 = 8; B = 1.5 in its own points → 9.5.
    // (Rescaling the bonus would give 8 + 3 = 11 → 10; counting it in W would give
    // 5.5 × 10 / 7 = 7.86.)
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
          z: { type: number }
        sections:
          - id: s
            title: S
            points: 10
            scale: true
            children:
              - { id: a, title: A, points: 4, method: formula, expr: "x" }
              - { id: b, title: B, points: 1, method: formula, expr: "y" }
              - { id: c, title: C, points: 2, bonus: true, method: formula, expr: "z" }
    "#;
    let ev = eval(yaml, "values: { x: 3, y: 1, z: 1.5 }");
    assert_eq!(score_of(&ev, "c"), Some(d("1.5")));
    assert_eq!(ev.node("c").unwrap().points, d("2"));
    assert_eq!(score_of(&ev, "s"), Some(d("9.5")));
    assert_eq!(ev.total, d("9.5"));
}

// ---------------------------------------------------------------------------------------------
// 3. §4.3 rescaling
// ---------------------------------------------------------------------------------------------

const SCALED: &str = r#"
    id: t
    title: T
    rounding: MODE
    fields:
      x: { type: number }
      y: { type: number }
    sections:
      - id: s
        title: S
        points: 10
        scale: true
        children:
          - { id: a, title: A, points: 3, method: formula, expr: "x" }
          - { id: b, title: B, points: 4, method: formula, expr: "y" }
"#;

#[test]
fn scale_true_rescales_children_weights() {
    // P = 10, W = 3 + 4 = 7, S = 2.5 + 3 = 5.5 → R = 5.5 × 10 / 7 = 55 / 7 = 7.857142…
    // → 7.86 half_up at precision.indicator 2; 7.85 down. The root (W = P = 10) keeps it.
    for (mode, expected) in [("half_up", "7.86"), ("down", "7.85")] {
        let ev = eval(&SCALED.replace("MODE", mode), "values: { x: 2.5, y: 3 }");
        assert_eq!(score_of(&ev, "s"), Some(d(expected)), "{mode}");
        assert_eq!(ev.total, d(expected), "{mode}");
        // children keep their own points and scores
        assert_eq!(score_of(&ev, "a"), Some(d("2.5")));
        assert_eq!(ev.node("a").unwrap().points, d("3"));
        assert_eq!(ev.node("s").unwrap().rescaled_from, Some(d("5.5")));
    }
}

#[test]
fn reweighting_a_not_applicable_child() {
    // s = a (4) + b (6); b listed (default policy reweight) → W = 4, S = 3 → R = 3 × 10 / 4 = 7.5.
    // y (b's only field) is omitted: b's fields are not needed.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 4, method: formula, expr: "x" }
              - { id: b, title: B, points: 6, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { x: 3 }\nnot_applicable: { b: 本年度无此项 }");
    assert_eq!(score_of(&ev, "s"), Some(d("7.5")));
    assert_eq!(ev.total, d("7.5"));
    let b = ev.node("b").unwrap();
    assert_eq!(b.score, None);
    assert_eq!(b.status, Status::NotApplicable);
    assert_eq!(b.reason.as_deref(), Some("本年度无此项"));
}

const ROOT_RESCALE: &str = r#"
    id: t
    title: T
    precision: { indicator: 2, total: 1 }
    fields:
      x: { type: number }
      y: { type: number }
    sections:
      - { id: a, title: A, points: 20, method: formula, expr: "x" }
      - { id: b, title: B, points: 10, method: formula, expr: "y" }
"#;

#[test]
fn rescaling_at_the_root_rounds_once_to_precision_total() {
    // Root P = 30; b dropped → W = 20; S = 6.83 → R = 6.83 × 30 / 20 = 204.9 / 20 = 10.245 exactly.
    // Rounded once to precision.total 1 (half_up): 10.245 → 10.2.
    // (Rounding first to precision.indicator would give 10.25 → 10.3.)
    let ev = eval(ROOT_RESCALE, "values: { x: 6.83 }\nnot_applicable: { b: 无 }");
    assert_eq!(score_of(&ev, "a"), Some(d("6.83")));
    assert_eq!(ev.total, d("10.2"));
}

#[test]
fn rescaling_inside_a_branch_rounds_to_precision_indicator() {
    // The same numbers one level down: branch s (P 30, W 20) → R = 10.245 → 10.25 at
    // precision.indicator 2; the root (W = P = 30) then rounds 10.25 → 10.3 at precision.total 1.
    let yaml = r#"
        id: t
        title: T
        precision: { indicator: 2, total: 1 }
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 20, method: formula, expr: "x" }
              - { id: b, title: B, points: 10, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { x: 6.83 }\nnot_applicable: { b: 无 }");
    assert_eq!(score_of(&ev, "s"), Some(d("10.25")));
    assert_eq!(ev.total, d("10.3"));
}

#[test]
fn rescaling_when_w_equals_p_is_no_rescale() {
    // scale: true but children 4 + 6 = 10 = P → R = S = 3.33 + 5 = 8.33, nothing rescaled.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            points: 10
            scale: true
            children:
              - { id: a, title: A, points: 4, method: formula, expr: "x" }
              - { id: b, title: B, points: 6, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { x: 3.33, y: 5 }");
    assert_eq!(score_of(&ev, "s"), Some(d("8.33")));
    assert_eq!(ev.node("s").unwrap().rescaled_from, None);
    assert_eq!(ev.total, d("8.33"));
}

#[test]
fn zero_point_applicable_child_with_all_others_dropped_gives_r_zero() {
    // s = a (10) + z (0). a listed (reweight) → counted children {z}, W = 0, z applicable → R = 0.
    // s is not dropped: it counts in the root with 0. Root: P = 20, W = 10 + 10 = 20, S = 0 + 5
    // → total 5. (Dropping s would rescale the root: 5 × 20 / 10 = 10.)
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 10, method: formula, expr: "x" }
              - { id: z, title: Z, points: 0, method: formula, expr: "0" }
          - id: t2
            title: T2
            children:
              - { id: c, title: C, points: 10, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { y: 5 }\nnot_applicable: { a: 无 }");
    assert_eq!(score_of(&ev, "s"), Some(d("0")));
    assert_eq!(status_of(&ev, "s"), Status::Scored);
    assert_eq!(ev.total, d("5"));
}

#[test]
fn reweighting_inside_a_scaled_branch() {
    // scale: true, P = 10, children 3 and 4; the 4 is listed → W = 3, S = 2.5
    // → 2.5 × 10 / 3 = 8.333… → 8.33.
    let ev = eval(&SCALED.replace("MODE", "half_up"), "values: { x: 2.5 }\nnot_applicable: { b: 无 }");
    assert_eq!(score_of(&ev, "s"), Some(d("8.33")));
    assert_eq!(ev.total, d("8.33"));
}

// ---------------------------------------------------------------------------------------------
// 4. §4.4 not applicable
// ---------------------------------------------------------------------------------------------

const POLICY: &str = r#"
    id: t
    title: T
    not_applicable: POLICY
    fields:
      x: { type: number }
      y: { type: number }
    sections:
      - id: s
        title: S
        children:
          - { id: a, title: A, points: 4, method: formula, expr: "x" }
          - { id: bee, title: B, points: 6, method: formula, expr: "y" }
      - id: s2
        title: S2
        children:
          - { id: c, title: C, points: 10, method: formula, expr: "x" }
"#;
const POLICY_DATA: &str = "values: { x: 3 }\nnot_applicable: { bee: 本年度无此项 }";

#[test]
fn na_policy_reweight() {
    // bee dropped: s = 3 × 10 / 4 = 7.5; s2 = 3; total 10.5.
    let ev = eval(&POLICY.replace("POLICY", "reweight"), POLICY_DATA);
    assert_eq!(score_of(&ev, "bee"), None);
    assert_eq!(score_of(&ev, "s"), Some(d("7.5")));
    assert_eq!(ev.total, d("10.5"));
}

#[test]
fn na_policy_full() {
    // bee earns its 6 and counts in W: s = 3 + 6 = 9; total 9 + 3 = 12.
    let ev = eval(&POLICY.replace("POLICY", "full"), POLICY_DATA);
    assert_eq!(score_of(&ev, "bee"), Some(d("6")));
    assert_eq!(status_of(&ev, "bee"), Status::NotApplicable);
    assert_eq!(score_of(&ev, "s"), Some(d("9")));
    assert_eq!(ev.total, d("12"));
}

#[test]
fn na_policy_zero() {
    // bee earns 0 and counts in W: s = 3 + 0 = 3; total 6.
    let ev = eval(&POLICY.replace("POLICY", "zero"), POLICY_DATA);
    assert_eq!(score_of(&ev, "bee"), Some(d("0")));
    assert_eq!(status_of(&ev, "bee"), Status::NotApplicable);
    assert_eq!(score_of(&ev, "s"), Some(d("3")));
    assert_eq!(ev.total, d("6"));
}

#[test]
fn na_policy_forbidden_is_an_input_error() {
    let errors = score_errors(&POLICY.replace("POLICY", "forbidden"), POLICY_DATA);
    assert_has(&errors, &["bee", "forbidden"]);
}

#[test]
fn na_policy_inheritance_own_key_then_nearest_ancestor_then_rubric() {
    // rubric: zero; s1: full; m: no key; bee: own key reweight.
    //   a (under m, no key)   → nearest ancestor with a key is s1 → full → 2
    //   bee (own reweight)     → dropped
    //   m: W = 2 (a), S = 2, P = 4 → R = 2 × 4 / 2 = 4
    //   c = 5 → s1 = 4 + 5 = 9
    //   d (s2 has no key)     → rubric's zero → 0;  e = 4 → s2 = 4
    // total 13.
    let yaml = r#"
        id: t
        title: T
        not_applicable: zero
        fields:
          x1: { type: number }
          x2: { type: number }
          x3: { type: number }
          x4: { type: number }
          x5: { type: number }
        sections:
          - id: s1
            title: S1
            not_applicable: full
            children:
              - id: m
                title: M
                children:
                  - { id: a, title: A, points: 2, method: formula, expr: "x1" }
                  - { id: bee, title: B, points: 2, not_applicable: reweight, method: formula, expr: "x2" }
              - { id: c, title: C, points: 6, method: formula, expr: "x3" }
          - id: s2
            title: S2
            children:
              - { id: dee, title: D, points: 5, method: formula, expr: "x4" }
              - { id: e, title: E, points: 5, method: formula, expr: "x5" }
    "#;
    let data = "values: { x3: 5, x5: 4 }\nnot_applicable: { a: 无, bee: 无, dee: 无 }";
    let ev = eval(yaml, data);
    assert_eq!(score_of(&ev, "a"), Some(d("2")));
    assert_eq!(score_of(&ev, "bee"), None);
    assert_eq!(score_of(&ev, "m"), Some(d("4")));
    assert_eq!(score_of(&ev, "s1"), Some(d("9")));
    assert_eq!(score_of(&ev, "dee"), Some(d("0")));
    assert_eq!(score_of(&ev, "s2"), Some(d("4")));
    assert_eq!(ev.total, d("13"));
}

const TWO_SECTIONS: &str = r#"
    id: t
    title: T
    fields:
      x: { type: number }
      y: { type: number }
      z: { type: number }
    sections:
      - id: s1
        title: S1
        children:
          - { id: sub_one, title: A, points: 5, method: formula, expr: "x" }
          - { id: sub_two, title: B, points: 5, method: formula, expr: "y" }
      - id: s2
        title: S2
        children:
          - { id: c, title: C, points: 10, method: formula, expr: "z" }
"#;

#[test]
fn listing_a_branch_covers_its_descendants_and_their_fields_are_not_needed() {
    // s1 listed (reweight): root P = 20, W = 10, S = 4 → 4 × 20 / 10 = 8. x, y omitted.
    let ev = eval(TWO_SECTIONS, "values: { z: 4 }\nnot_applicable: { s1: 本年度无此业务 }");
    assert_eq!(ev.total, d("8"));
    let s1 = ev.node("s1").unwrap();
    assert_eq!(s1.score, None);
    assert_eq!(s1.status, Status::NotApplicable);
    assert_eq!(s1.reason.as_deref(), Some("本年度无此业务"));
    for id in ["sub_one", "sub_two"] {
        // descendants show as not applicable and earn nothing
        assert_eq!(status_of(&ev, id), Status::NotApplicable, "{id}");
        assert_eq!(score_of(&ev, id), None, "{id}");
    }
}

#[test]
fn listing_a_branch_under_full_or_zero() {
    // s1 listed under `full` earns its 10: total 10 + 4 = 14; under `zero` 0: total 0 + 4 = 4.
    for (policy, s1, total) in [("full", "10", "14"), ("zero", "0", "4")] {
        let yaml = top(TWO_SECTIONS, &format!("not_applicable: {policy}"));
        let ev = eval(&yaml, "values: { z: 4 }\nnot_applicable: { s1: 无 }");
        assert_eq!(score_of(&ev, "s1"), Some(d(s1)), "{policy}");
        assert_eq!(status_of(&ev, "s1"), Status::NotApplicable, "{policy}");
        assert_eq!(ev.total, d(total), "{policy}");
    }
}

#[test]
fn listing_a_descendant_of_a_listed_node_is_a_warning() {
    // Same result as listing s1 alone (8), plus a warning naming sub_one.
    let (ev, diags) = score(TWO_SECTIONS, "values: { z: 4 }\nnot_applicable: { s1: 无此业务, sub_one: 无 }");
    assert_eq!(ev.total, d("8"));
    assert_has(&warning_messages(&diags), &["sub_one"]);
}

#[test]
fn listing_a_node_whose_descendant_is_forbidden_is_an_error() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
          z: { type: number }
        sections:
          - id: s1
            title: S1
            children:
              - { id: locked, title: A, points: 5, not_applicable: forbidden, method: formula, expr: "x" }
              - { id: free, title: B, points: 5, method: formula, expr: "y" }
          - id: s2
            title: S2
            children:
              - { id: c, title: C, points: 10, method: formula, expr: "z" }
    "#;
    let errors = score_errors(yaml, "values: { x: 1, y: 1, z: 4 }\nnot_applicable: { s1: 无 }");
    assert_has(&errors, &["s1", "locked"]);
    // Listing the sibling that is not forbidden is fine: s1 = 1 × 10 / 5 = 2; total 2 + 4 = 6.
    let ev = eval(yaml, "values: { x: 1, z: 4 }\nnot_applicable: { free: 无 }");
    assert_eq!(ev.total, d("6"));
}

#[test]
fn forbidden_is_inherited_from_an_ancestor() {
    // s1 says forbidden; its child sub_two has no key → inherits forbidden → listing it errs.
    let yaml = TWO_SECTIONS.replace("        title: S1\n", "        title: S1\n        not_applicable: forbidden\n");
    let errors = score_errors(&yaml, "values: { x: 1, z: 4 }\nnot_applicable: { sub_two: 无 }");
    assert_has(&errors, &["sub_two", "forbidden"]);
}

#[test]
fn branch_whose_children_are_all_dropped_is_dropped_with_its_bonus_children() {
    // s1: a, b listed (reweight) → s1 dropped (score None, not applicable, with a reason); its
    // bonus leaf earns nothing and its field w is not needed. Root: P 20, W 10, S 7 → 14.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
          w: { type: number }
          z: { type: number }
        sections:
          - id: s1
            title: S1
            children:
              - { id: a, title: A, points: 5, method: formula, expr: "x" }
              - { id: b, title: B, points: 5, method: formula, expr: "y" }
              - { id: bonus1, title: Bonus, points: 2, bonus: true, method: formula, expr: "w" }
          - id: s2
            title: S2
            children:
              - { id: c, title: C, points: 10, method: formula, expr: "z" }
    "#;
    let ev = eval(yaml, "values: { z: 7 }\nnot_applicable: { a: 无, b: 无 }");
    let s1 = ev.node("s1").unwrap();
    assert_eq!(s1.score, None);
    assert_eq!(s1.status, Status::NotApplicable);
    assert!(s1.reason.is_some(), "a dropped branch carries a reason");
    assert_eq!(score_of(&ev, "bonus1").unwrap_or_default(), Decimal::ZERO);
    assert_eq!(status_of(&ev, "bonus1"), Status::NotApplicable);
    assert_eq!(ev.total, d("14"));
}

#[test]
fn dropped_inner_branch_makes_its_parent_rescale() {
    // s1 (10) = m (a 2 + b 2) + c (6). a, b listed → m dropped → s1: W = 6, S = 4.5
    // → 4.5 × 10 / 6 = 7.5.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
          z: { type: number }
        sections:
          - id: s1
            title: S1
            children:
              - id: m
                title: M
                children:
                  - { id: a, title: A, points: 2, method: formula, expr: "x" }
                  - { id: b, title: B, points: 2, method: formula, expr: "y" }
              - { id: c, title: C, points: 6, method: formula, expr: "z" }
    "#;
    let ev = eval(yaml, "values: { z: 4.5 }\nnot_applicable: { a: 无, b: 无 }");
    assert_eq!(score_of(&ev, "m"), None);
    assert_eq!(status_of(&ev, "m"), Status::NotApplicable);
    assert_eq!(score_of(&ev, "s1"), Some(d("7.5")));
    assert_eq!(ev.total, d("7.5"));
}

#[test]
fn every_section_dropped_is_an_error() {
    // The only non-bonus section is dropped; a bonus section alone cannot be scored.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 10, method: formula, expr: "x" }
          - { id: extra, title: Extra, points: 2, bonus: true, method: formula, expr: "y" }
    "#;
    let errors = score_errors(yaml, "values: { y: 1 }\nnot_applicable: { s: 无 }");
    assert_has(&errors, &["not applicable"]);
    // dropped through its only child, too
    let errors = score_errors(yaml, "values: { y: 1 }\nnot_applicable: { a: 无 }");
    assert_has(&errors, &["not applicable"]);
}

#[test]
fn not_applicable_bonus_leaf_earns_zero_under_every_policy() {
    // a = 8; bonus b listed → 0 whatever the policy (full must not give it 3 → 10).
    // s = min(10, 8 + 0) = 8; y omitted (not needed).
    let yaml = r#"
        id: t
        title: T
        not_applicable: POLICY
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 10, method: formula, expr: "x" }
              - { id: b, title: B, points: 3, bonus: true, method: formula, expr: "y" }
    "#;
    for policy in ["reweight", "full", "zero"] {
        let ev = eval(&yaml.replace("POLICY", policy), "values: { x: 8 }\nnot_applicable: { b: 无表彰 }");
        let b = ev.node("b").unwrap();
        assert_eq!(b.score, Some(d("0")), "{policy}");
        assert_eq!(b.status, Status::NotApplicable, "{policy}");
        assert_eq!(b.reason.as_deref(), Some("无表彰"), "{policy}");
        assert_eq!(score_of(&ev, "s"), Some(d("8")), "{policy}");
        assert_eq!(ev.total, d("8"), "{policy}");
    }
}

#[test]
fn unknown_id_in_not_applicable_is_an_error_with_did_you_mean() {
    let errors = score_errors(TWO_SECTIONS, "values: { x: 1, y: 1, z: 1 }\nnot_applicable: { sub_tow: 无 }");
    assert_has(&errors, &["sub_tow", "did you mean", "sub_two"]);
}

// ---------------------------------------------------------------------------------------------
// 5. §4.2 grades
// ---------------------------------------------------------------------------------------------

#[test]
fn default_grades_apply_only_when_the_maximum_is_exactly_100() {
    // max 100: total 90 → 优.
    let ev = eval(&one_leaf("100", ""), "values: { x: 90 }");
    assert_eq!(ev.grade.as_deref(), Some("优"));
    // max 50: no grade table, whatever the total.
    let ev = eval(&one_leaf("50", ""), "values: { x: 45 }");
    assert_eq!(ev.max, d("50"));
    assert_eq!(ev.grade, None);
    // max 120 with full_marks: no grade either.
    let ev = eval(&one_leaf("120", "full_marks: 120"), "values: { x: 100 }");
    assert_eq!(ev.grade, None);
}

#[test]
fn default_grade_boundaries_at_precision_2() {
    // 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0; the first whose min ≤ total.
    let r = one_leaf("100", "precision: { indicator: 2, total: 2 }");
    for (x, grade) in [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ] {
        let ev = eval(&r, &format!("values: {{ x: {x} }}"));
        assert_eq!(ev.total, d(x));
        assert_eq!(ev.grade.as_deref(), Some(grade), "total {x}");
    }
}

#[test]
fn grade_is_read_from_the_rounded_total() {
    // precision.total 1: 89.96 → 90.0 → 优 (not 良 from the unrounded 89.96).
    let ev = eval(&one_leaf("100", "precision: { indicator: 2, total: 1 }"), "values: { x: 89.96 }");
    assert_eq!(ev.total, d("90"));
    assert_eq!(ev.grade.as_deref(), Some("优"));
}

#[test]
fn custom_grades_and_a_total_below_every_min() {
    let grades = "grades:\n  - { min: 85, label: A }\n  - { min: 70, label: B }\n  - { min: 50, label: C }";
    let r = one_leaf("100", grades);
    for (x, grade) in [("86", Some("A")), ("85", Some("A")), ("84.99", Some("B")), ("70", Some("B")), ("50", Some("C"))]
    {
        let ev = eval(&r, &format!("values: {{ x: {x} }}"));
        assert_eq!(ev.grade.as_deref(), grade, "total {x}");
    }
    // 49.99 < 50, the lowest min → no grade, and a warning that says so.
    let (ev, diags) = score(&r, "values: { x: 49.99 }");
    assert_eq!(ev.grade, None);
    assert_has(&warning_messages(&diags), &["49.99"]);
    assert!(ev.warnings.iter().any(|w| w.contains("49.99")), "{:?}", ev.warnings);
}

#[test]
fn custom_grades_apply_when_the_maximum_is_not_100() {
    // max 10, grades A ≥ 9, B ≥ 6, C ≥ 0: total 7 → B.
    let grades = "grades:\n  - { min: 9, label: A }\n  - { min: 6, label: B }\n  - { min: 0, label: C }";
    let ev = eval(&one_leaf("10", grades), "values: { x: 7 }");
    assert_eq!(ev.grade.as_deref(), Some("B"));
}

// ---------------------------------------------------------------------------------------------
// 6. §4.5 vetoes
// ---------------------------------------------------------------------------------------------

fn veto_rubric(vetoes: &str, extra: &str) -> String {
    format!(
        "id: t\ntitle: T\nprecision: {{ indicator: 2, total: 1 }}\n{extra}\nfields:\n  x: {{ type: number }}\n  v1: {{ type: bool }}\n  v2: {{ type: bool }}\nsections:\n  - {{ id: s, title: S, points: 100, method: formula, expr: \"x\" }}\nvetoes: [{vetoes}]\n"
    )
}

#[test]
fn veto_order_round_then_cap_then_grade() {
    // root 59.96 → round to precision.total 1 → 60.0; cap 59.5 → 59.5; grade from 59.5 → 差.
    let r = veto_rubric(r#"{ id: low, when: "v1", cap: 59.5 }"#, "");
    let ev = eval(&r, "values: { x: 59.96, v1: true, v2: false }");
    assert_eq!(ev.total, d("59.5"));
    assert_eq!(ev.grade.as_deref(), Some("差"));
    assert_eq!(ev.vetoes.len(), 1);
    assert_eq!(ev.vetoes[0].id, "low");
    assert_eq!(ev.vetoes[0].cap, Some(d("59.5")));
    // Not firing: 59.96 → 60.0 → 中 (rounding happens before grading).
    let ev = eval(&r, "values: { x: 59.96, v1: false, v2: false }");
    assert_eq!(ev.total, d("60"));
    assert_eq!(ev.grade.as_deref(), Some("中"));
    assert!(ev.vetoes.is_empty());
}

#[test]
fn veto_cap_never_raises_a_total() {
    // total 50 below the cap 59 stays 50.
    let r = veto_rubric(r#"{ id: low, when: "v1", cap: 59 }"#, "");
    let ev = eval(&r, "values: { x: 50, v1: true, v2: false }");
    assert_eq!(ev.total, d("50"));
    assert_eq!(ev.vetoes.len(), 1);
}

#[test]
fn lowest_cap_wins_and_every_fired_veto_is_listed() {
    // caps 70, 59, 65 fire; 10 does not (v2 false) → min(85, 70, 59, 65) = 59 → 差.
    let r = veto_rubric(
        r#"{ id: c70, when: "v1", cap: 70 }, { id: c59, when: "x > 80", cap: 59 }, { id: c65, when: "v1 and x >= 85", cap: 65 }, { id: c10, when: "v2", cap: 10 }"#,
        "",
    );
    let ev = eval(&r, "values: { x: 85, v1: true, v2: false }");
    assert_eq!(ev.total, d("59"));
    assert_eq!(ev.grade.as_deref(), Some("差"));
    let mut fired: Vec<&str> = ev.vetoes.iter().map(|v| v.id.as_str()).collect();
    fired.sort_unstable();
    assert_eq!(fired, ["c59", "c65", "c70"]);
}

#[test]
fn forced_grade_is_the_worse_of_computed_and_forced() {
    // x = 85 → computed 良.
    let data = "values: { x: 85, v1: true, v2: true }";
    // forced 中 is worse than 良 → 中; the total is unchanged.
    let ev = eval(&veto_rubric(r#"{ id: g, when: "v1", grade: 中 }"#, ""), data);
    assert_eq!(ev.total, d("85"));
    assert_eq!(ev.grade.as_deref(), Some("中"));
    // two forced grades 中 and 差 → the worst forced, 差.
    let ev = eval(&veto_rubric(r#"{ id: g1, when: "v1", grade: 中 }, { id: g2, when: "v2", grade: 差 }"#, ""), data);
    assert_eq!(ev.grade.as_deref(), Some("差"));
    // cap 75 → computed 中; forced 良 is better → stays 中.
    let ev = eval(&veto_rubric(r#"{ id: g, when: "v1", cap: 75, grade: 良 }"#, ""), data);
    assert_eq!(ev.total, d("75"));
    assert_eq!(ev.grade.as_deref(), Some("中"));
    // cap 59 → computed 差; forced 中 → 差.
    let ev = eval(&veto_rubric(r#"{ id: g, when: "v1", cap: 59, grade: 中 }"#, ""), data);
    assert_eq!(ev.grade.as_deref(), Some("差"));
}

#[test]
fn veto_never_improves_a_grade() {
    // computed 良 (85), forced 优 → 良.
    let ev = eval(&veto_rubric(r#"{ id: g, when: "v1", grade: 优 }"#, ""), "values: { x: 85, v1: true, v2: false }");
    assert_eq!(ev.grade.as_deref(), Some("良"));
    assert_eq!(ev.vetoes.len(), 1);
}

#[test]
fn veto_that_does_not_fire_changes_nothing() {
    // v1 false: total 85, 良, no vetoes listed.
    let ev = eval(
        &veto_rubric(r#"{ id: g, when: "v1", cap: 10, grade: 差 }"#, ""),
        "values: { x: 85, v1: false, v2: false }",
    );
    assert_eq!(ev.total, d("85"));
    assert_eq!(ev.grade.as_deref(), Some("良"));
    assert!(ev.vetoes.is_empty());
}

#[test]
fn forced_grade_stands_when_the_total_has_no_grade() {
    // grades 优 90 / 良 80 / 中 60 only; total 50 → no computed grade; forced 中 stands.
    let grades = "grades:\n  - { min: 90, label: 优 }\n  - { min: 80, label: 良 }\n  - { min: 60, label: 中 }";
    let ev =
        eval(&veto_rubric(r#"{ id: g, when: "v1", grade: 中 }"#, grades), "values: { x: 50, v1: true, v2: false }");
    assert_eq!(ev.total, d("50"));
    assert_eq!(ev.grade.as_deref(), Some("中"));
}

// ---------------------------------------------------------------------------------------------
// 7. §2 needed fields
// ---------------------------------------------------------------------------------------------

const NEEDED: &str = r#"
    id: t
    title: T
    fields:
      budget.initial: { type: number, label: 年初预算数 }
      staff_count: { type: integer }
      other: { type: number }
      unused: { type: number }
      with_default: { type: number, default: 7 }
    sections:
      - id: s
        title: S
        children:
          - { id: a, title: A, points: 1000, method: formula, expr: "budget.initial" }
          - { id: b, title: B, points: 10, method: formula, expr: "staff_count" }
          - { id: c, title: C, points: 10, method: formula, expr: "other" }
          - { id: dflt, title: D, points: 10, method: formula, expr: "with_default" }
"#;

#[test]
fn every_missing_needed_field_is_reported_at_once() {
    let errors = score_errors(NEEDED, "values: { other: 1 }");
    assert_has(&errors, &["budget.initial"]);
    assert_has(&errors, &["staff_count"]);
}

#[test]
fn a_missing_unneeded_field_is_fine_and_defaults_fill_in() {
    // `unused` is read by nothing; `with_default` omitted → 7.
    // s = 500 + 3 + 1 + 7 = 511 (P = 1030, no rescale).
    let ev = eval(NEEDED, "values: { budget: { initial: 500 }, staff_count: 3, other: 1 }");
    assert_eq!(score_of(&ev, "dflt"), Some(d("7")));
    assert_eq!(ev.total, d("511"));
}

#[test]
fn default_is_used_when_the_value_is_null_or_empty() {
    for v in ["with_default: null", "with_default: ~", "with_default:"] {
        let data = format!("values:\n  budget.initial: 500\n  staff_count: 3\n  other: 1\n  {v}\n");
        let ev = eval(NEEDED, &data);
        assert_eq!(score_of(&ev, "dflt"), Some(d("7")), "{v}");
    }
    // given explicitly, the value wins: 3
    let ev = eval(NEEDED, "values: { budget.initial: 500, staff_count: 3, other: 1, with_default: 3 }");
    assert_eq!(score_of(&ev, "dflt"), Some(d("3")));
}

#[test]
fn neededness_is_static_an_untaken_if_branch_still_needs_its_field() {
    // r = if(flag, a_val, b_val): with flag true, b_val is never evaluated but is still needed.
    let yaml = r#"
        id: t
        title: T
        fields:
          flag: { type: bool }
          a_val: { type: number }
          b_val: { type: number }
        derived:
          r: "if(flag, a_val, b_val)"
        sections:
          - { id: s, title: S, points: 10, method: formula, expr: "r" }
    "#;
    let errors = score_errors(yaml, "values: { flag: true, a_val: 4 }");
    assert_has(&errors, &["b_val"]);
    let ev = eval(yaml, "values: { flag: true, a_val: 4, b_val: 9 }");
    assert_eq!(ev.total, d("4"));
}

#[test]
fn a_field_used_only_by_a_veto_is_needed() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          major_violation: { type: bool }
        sections:
          - { id: s, title: S, points: 100, method: formula, expr: "x" }
        vetoes:
          - { id: violation, when: "major_violation", cap: 59 }
    "#;
    let errors = score_errors(yaml, "values: { x: 90 }");
    assert_has(&errors, &["major_violation"]);
}

// ---------------------------------------------------------------------------------------------
// 8. §2.2 lazy evaluation, division by zero, cycles
// ---------------------------------------------------------------------------------------------

const GUARDED: &str = r#"
    id: t
    title: T
    fields:
      budget: { type: number }
      spent: { type: number }
    derived:
      rate: "if(budget == 0, 0, spent * 100 / budget)"
      rate2: "if(budget == 0, 0, spent / budget * 100)"
    sections:
      - { id: exec, title: Exec, points: 10, method: formula, expr: "rate / 10" }
      - { id: exec2, title: Exec2, points: 10, method: formula, expr: "rate2 / 10" }
    vetoes:
      - { id: slow, when: "budget != 0 and spent * 100 / budget < 50", cap: 1 }
"#;

#[test]
fn if_guard_makes_a_zero_budget_safe() {
    // budget 0 → rate = rate2 = 0 → both leaves 0; the veto's `and` short-circuits (no error).
    let ev = eval(GUARDED, "values: { budget: 0, spent: 5 }");
    assert_eq!(score_of(&ev, "exec"), Some(d("0")));
    assert_eq!(score_of(&ev, "exec2"), Some(d("0")));
    assert!(ev.vetoes.is_empty());
    assert_eq!(ev.total, d("0"));
    // budget 200, spent 150 → rate 75 → 7.5 each; 75 ≥ 50 → no veto; total 15.
    let ev = eval(GUARDED, "values: { budget: 200, spent: 150 }");
    assert_eq!(score_of(&ev, "exec"), Some(d("7.5")));
    assert_eq!(score_of(&ev, "exec2"), Some(d("7.5")));
    assert_eq!(ev.total, d("15"));
    // budget 200, spent 50 → rate 25 → 2.5 each → 5; 25 < 50 → veto caps at 1.
    let ev = eval(GUARDED, "values: { budget: 200, spent: 50 }");
    assert_eq!(ev.vetoes.len(), 1);
    assert_eq!(ev.total, d("1"));
}

#[test]
fn evaluated_division_by_zero_is_an_error_naming_the_expression_and_indicator() {
    let yaml = r#"
        id: t
        title: T
        fields:
          budget: { type: number }
          spent: { type: number }
        sections:
          - { id: exec_leaf, title: Exec, points: 10, method: formula, expr: "spent * 100 / budget" }
    "#;
    let errors = score_errors(yaml, "values: { budget: 0, spent: 5 }");
    assert_has(&errors, &["exec_leaf", "spent * 100 / budget"]);
    assert_has(&errors, &["exec_leaf", "zero"]);
}

#[test]
fn division_by_zero_inside_a_derived_name_names_the_derived_name_and_indicator() {
    let yaml = r#"
        id: t
        title: T
        fields:
          budget: { type: number }
          spent: { type: number }
        derived:
          exec_rate: "spent * 100 / budget"
        sections:
          - { id: exec_leaf, title: Exec, points: 10, method: formula, expr: "exec_rate / 10" }
    "#;
    let errors = score_errors(yaml, "values: { budget: 0, spent: 5 }");
    assert_has(&errors, &["exec_leaf", "exec_rate", "zero"]);
}

#[test]
fn derived_names_read_only_in_a_branch_not_taken_do_not_fail() {
    // `safe` depends on `rate`, which divides by zero when budget = 0; derived names are
    // evaluated dependencies first, but a failure counts only where it is read.
    let yaml = r#"
        id: t
        title: T
        fields:
          budget: { type: number }
          spent: { type: number }
        derived:
          rate: "spent * 100 / budget"
          safe: "if(budget > 0, rate, 100)"
          chained: "safe / 10"
        sections:
          - { id: exec_leaf, title: Exec, points: 10, method: formula, expr: "chained" }
    "#;
    // budget 0: safe = 100 (rate not read), chained = 10 → 10 of 10.
    let ev = eval(yaml, "values: { budget: 0, spent: 5 }");
    assert_eq!(score_of(&ev, "exec_leaf"), Some(d("10")));
    // budget 200, spent 50: rate = 5000 / 200 = 25, safe = 25, chained = 2.5 → 2.5.
    let ev = eval(yaml, "values: { budget: 200, spent: 50 }");
    assert_eq!(score_of(&ev, "exec_leaf"), Some(d("2.5")));
    // Read through the chain, the failure names every derived name on the way.
    let failing = yaml.replace(r#"safe: "if(budget > 0, rate, 100)""#, r#"safe: "rate""#);
    let errors = score_errors(&failing, "values: { budget: 0, spent: 5 }");
    assert_has(&errors, &["exec_leaf", "chained", "safe", "rate", "zero"]);
}

#[test]
fn division_by_zero_in_a_veto_names_the_veto() {
    let yaml = r#"
        id: t
        title: T
        fields:
          budget: { type: number }
          spent: { type: number }
        sections:
          - { id: s, title: S, points: 10, method: formula, expr: "spent" }
        vetoes:
          - { id: overspend, when: "spent / budget > 2", cap: 0 }
    "#;
    let errors = score_errors(yaml, "values: { budget: 0, spent: 5 }");
    assert_has(&errors, &["overspend", "spent / budget", "zero"]);
}

#[test]
fn derived_cycles_are_a_load_error_naming_the_cycle() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
        derived:
          alpha: "beta + x"
          beta: "alpha * 2"
        sections:
          - { id: s, title: S, points: 10, method: formula, expr: "alpha" }
    "#;
    let errors = rubric_errors(yaml);
    assert_has(&errors, &["alpha", "beta", "cycle"]);
    let errors = rubric_errors(&yaml.replace("beta + x", "alpha + x"));
    assert_has(&errors, &["alpha", "cycle"]);
}

// ---------------------------------------------------------------------------------------------
// 9. §3 methods, through the whole engine
// ---------------------------------------------------------------------------------------------

#[test]
fn method_ratio_multiplies_first() {
    // 30 × 7 / 48 = 210 / 48 = 4.375 exactly → 4.38 half_up, 4.38 half_even (7 is odd), 4.37 down.
    let yaml = r#"
        id: t
        title: T
        rounding: MODE
        fields:
          done: { type: integer }
          planned: { type: integer }
        sections:
          - { id: tasks, title: Tasks, points: 30, method: ratio, value: done, target: planned }
    "#;
    for (mode, expected) in [("half_up", "4.38"), ("half_even", "4.38"), ("down", "4.37")] {
        let ev = eval(&yaml.replace("MODE", mode), "values: { done: 7, planned: 48 }");
        assert_eq!(score_of(&ev, "tasks"), Some(d(expected)), "{mode}");
        assert_eq!(ev.node("tasks").unwrap().leaf.as_ref().unwrap().method.name(), "ratio");
    }
}

#[test]
fn method_ratio_with_a_derived_rate_and_cap() {
    // rate = 231.17 × 100 / 250 = 92.468; 10 × 92.468 / 100 = 9.2468 → 9.25 half_up, 9.24 down.
    let yaml = r#"
        id: t
        title: T
        rounding: MODE
        fields:
          spent: { type: number }
          budget: { type: number }
        derived:
          rate: "spent * 100 / budget"
        sections:
          - { id: exec, title: Exec, points: 10, method: ratio, value: rate, target: 100 }
          - { id: capped, title: Capped, points: 10, method: ratio, value: rate, target: 100, cap: 90 }
    "#;
    for (mode, expected) in [("half_up", "9.25"), ("down", "9.24")] {
        let ev = eval(&yaml.replace("MODE", mode), "values: { spent: 231.17, budget: 250 }");
        assert_eq!(score_of(&ev, "exec"), Some(d(expected)), "{mode}");
        // cap 90 % of 10 = 9 < 9.2468 → 9
        assert_eq!(score_of(&ev, "capped"), Some(d("9")), "{mode}");
    }
    // rate 260 × 100 / 250 = 104 → 10.4 → capped at p = 10; cap 90 → 9.
    let ev = eval(&yaml.replace("MODE", "half_up"), "values: { spent: 260, budget: 250 }");
    assert_eq!(score_of(&ev, "exec"), Some(d("10")));
    assert_eq!(score_of(&ev, "capped"), Some(d("9")));
    // rate 80 → 8 below the cap 9 → 8.
    let ev = eval(&yaml.replace("MODE", "half_up"), "values: { spent: 200, budget: 250 }");
    assert_eq!(score_of(&ev, "capped"), Some(d("8")));
}

#[test]
fn method_ratio_lower_is_better() {
    let yaml = r#"
        id: t
        title: T
        fields:
          cost: { type: number }
          standard: { type: number }
        sections:
          - { id: unit_cost, title: Cost, points: 10, method: ratio, direction: lower, value: cost, target: standard }
          - { id: capped, title: Capped, points: 10, method: ratio, direction: lower, value: cost, target: standard, cap: 80 }
    "#;
    // cost 0 → p × cap / 100: 10 and 8.
    let ev = eval(yaml, "values: { cost: 0, standard: 30 }");
    assert_eq!(score_of(&ev, "unit_cost"), Some(d("10")));
    assert_eq!(score_of(&ev, "capped"), Some(d("8")));
    // cost 34.5 → 10 × 30 / 34.5 = 8.6956… → 8.70; capped leaf: 8.6956 > 8 → 8.
    let ev = eval(yaml, "values: { cost: 34.5, standard: 30 }");
    assert_eq!(score_of(&ev, "unit_cost"), Some(d("8.70")));
    assert_eq!(score_of(&ev, "capped"), Some(d("8")));
    // cost 25 below the standard → 10 × 30 / 25 = 12 → p = 10.
    let ev = eval(yaml, "values: { cost: 25, standard: 30 }");
    assert_eq!(score_of(&ev, "unit_cost"), Some(d("10")));
    // target 0 = zero tolerance: value 0 → 10; value 0.01 → 0.
    let ev = eval(yaml, "values: { cost: 0, standard: 0 }");
    assert_eq!(score_of(&ev, "unit_cost"), Some(d("10")));
    let ev = eval(yaml, "values: { cost: 0.01, standard: 0 }");
    assert_eq!(score_of(&ev, "unit_cost"), Some(d("0")));
    // a negative target is an error naming the leaf
    let errors = score_errors(yaml, "values: { cost: 1, standard: -1 }");
    assert_has(&errors, &["unit_cost", "target"]);
}

#[test]
fn method_ratio_zero_target_is_an_error() {
    let yaml = r#"
        id: t
        title: T
        fields:
          done: { type: integer }
          planned: { type: integer }
        sections:
          - { id: tasks_leaf, title: Tasks, points: 30, method: ratio, value: done, target: planned }
    "#;
    let errors = score_errors(yaml, "values: { done: 7, planned: 0 }");
    assert_has(&errors, &["tasks_leaf", "target"]);
    let errors = score_errors(yaml, "values: { done: 7, planned: -2 }");
    assert_has(&errors, &["tasks_leaf", "target"]);
}

#[test]
fn method_linear_lower_is_better_when_full_is_below_zero() {
    // p 2, full 15, zero 45: p × (v − 45) / (15 − 45).
    let yaml = r#"
        id: t
        title: T
        fields:
          days: { type: number }
          rate: { type: percent }
        sections:
          - { id: days_leaf, title: Days, points: 2, method: linear, value: days, full: 15, zero: 45 }
          - { id: rate_leaf, title: Rate, points: 3, method: linear, value: rate, full: 100, zero: 60 }
    "#;
    for (days, expected) in [
        ("26", "1.27"), // 2 × (−19) / (−30) = 38 / 30 = 1.2666… → 1.27
        ("30", "1"),    // 2 × (−15) / (−30) = 1
        ("15", "2"),    // full
        ("10", "2"),    // 2 × (−35) / (−30) = 2.33 → clamped to 2
        ("45", "0"),    // zero
        ("50", "0"),    // 2 × 5 / (−30) < 0 → clamped to 0
    ] {
        let ev = eval(yaml, &format!("values: {{ days: {days}, rate: 85 }}"));
        assert_eq!(score_of(&ev, "days_leaf"), Some(d(expected)), "days {days}");
        // 3 × (85 − 60) / (100 − 60) = 75 / 40 = 1.875 → 1.88
        assert_eq!(score_of(&ev, "rate_leaf"), Some(d("1.88")));
    }
    // full == zero is a validation error, located at the leaf (line:col) and quoting the value.
    let diags = load_rubric(&yaml.replace("full: 15, zero: 45", "full: 30, zero: 30")).unwrap_err();
    let error = diags.0.iter().find(|d| d.is_error()).unwrap();
    assert!(
        error.message.contains("full") && error.message.contains("zero") && error.message.contains("30"),
        "{error}"
    );
    assert!(error.pos.is_known(), "{error}");
}

#[test]
fn method_bands_edges_gte_versus_gt() {
    // p 5; bands tried in order: (90, ∞) 100 %; [80, 90] 80 %; [60, 80) 3 points; anything 0 %.
    let yaml = r#"
        id: t
        title: T
        fields:
          v: { type: number }
        sections:
          - id: band_leaf
            title: Bands
            points: 5
            method: bands
            value: v
            bands:
              - { gt: 90, percent: 100 }
              - { gte: 80, lte: 90, percent: 80 }
              - { gte: 60, lt: 80, score: 3 }
              - { percent: 0 }
    "#;
    for (v, expected) in [
        ("100", "5"),
        ("90.01", "5"),
        ("90", "4"), // not > 90; ≤ 90 holds → 80 % of 5
        ("80", "4"), // ≥ 80 holds
        ("79.99", "3"),
        ("60", "3"),
        ("59.99", "0"),
    ] {
        let ev = eval(yaml, &format!("values: {{ v: {v} }}"));
        assert_eq!(score_of(&ev, "band_leaf"), Some(d(expected)), "v = {v}");
    }
}

#[test]
fn method_bands_no_match_scores_zero_with_a_warning() {
    let yaml = r#"
        id: t
        title: T
        fields:
          v: { type: number }
        sections:
          - { id: band_leaf, title: Bands, points: 5, method: bands, value: v, bands: [ { gte: 60, percent: 100 } ] }
    "#;
    let (ev, diags) = score(yaml, "values: { v: 50 }");
    assert_eq!(score_of(&ev, "band_leaf"), Some(d("0")));
    assert_has(&warning_messages(&diags), &["band_leaf"]);
}

#[test]
fn issue12_no_band_is_a_kind_of_rule_and_still_warned() {
    // The engine warns because the rule is `Rule::NoBand`, no longer because it reads "no band".
    let yaml = r#"
        id: t
        title: T
        fields:
          v: { type: number }
        sections:
          - { id: band_leaf, title: Bands, points: 5, method: bands, value: v, bands: [ { gte: 60, percent: 100 } ] }
    "#;
    let (ev, diags) = score(yaml, "values: { v: 50 }");
    let leaf = ev.node("band_leaf").unwrap().leaf.as_ref().unwrap();
    assert_eq!((leaf.method, &leaf.rule), (MethodKind::Bands, &Rule::NoBand));
    assert_eq!(leaf.rule.to_string(), "no band");
    assert_has(&warning_messages(&diags), &["band_leaf", "no band matches"]);
    // A band that holds: its place in the list, counted from 0, shown counted from 1; no warning.
    let (ev, diags) = score(yaml, "values: { v: 60 }");
    let leaf = ev.node("band_leaf").unwrap().leaf.as_ref().unwrap();
    assert_eq!((&leaf.rule, leaf.rule.to_string().as_str()), (&Rule::Band { index: 0 }, "band 1"));
    assert!(warning_messages(&diags).is_empty(), "{diags}");
}

#[test]
fn method_deduct_with_max_and_a_floor_count() {
    // p 4; count floor((100 − rate) / 5), per 1.5, max 3: p − min(1.5 × count, 3).
    let yaml = r#"
        id: t
        title: T
        fields:
          rate: { type: percent }
          minor: { type: integer }
          major: { type: integer }
          n: { type: number }
        sections:
          - { id: steps, title: Steps, points: 4, method: deduct, count: "floor((100 - rate) / 5)", per: 1.5, max: 3 }
          - { id: audit, title: Audit, points: 3, method: deduct, count: "minor * 0.5 + major", per: 1.2, max: 2.5 }
          - { id: plain, title: Plain, points: 4, method: deduct, count: "n", per: 3 }
    "#;
    for (rate, minor, major, n, steps, audit, plain) in [
        // 7.532 / 5 = 1.5064 → 1 → 4 − 1.5 = 2.5; count 2.5 × 1.2 = 3 → max 2.5 → 0.5; 4 − 3 = 1
        ("92.468", "3", "1", "1", "2.5", "0.5", "1"),
        // 16 / 5 = 3.2 → 3 → 4.5 → max 3 → 1; 0.5 × 1.2 = 0.6 → 2.4; 4 − min(6, 4 (default max p)) = 0
        ("84", "1", "0", "2", "1", "2.4", "0"),
        // 5 / 5 = 1 → 2.5; 0 → 3; 1.5 × 3 = 4.5 → max p 4 → 0
        ("95", "0", "0", "1.5", "2.5", "3", "0"),
        // 4.99 / 5 = 0.998 → 0 → 4; 0 → 0 → 4
        ("95.01", "0", "0", "0", "4", "3", "4"),
    ] {
        let data = format!("values: {{ rate: {rate}, minor: {minor}, major: {major}, n: {n} }}");
        let ev = eval(yaml, &data);
        assert_eq!(score_of(&ev, "steps"), Some(d(steps)), "{data}");
        assert_eq!(score_of(&ev, "audit"), Some(d(audit)), "{data}");
        assert_eq!(score_of(&ev, "plain"), Some(d(plain)), "{data}");
    }
    // a negative count is an error naming the leaf
    let errors = score_errors(yaml, "values: { rate: 100, minor: 0, major: 0, n: -1 }");
    assert_has(&errors, &["plain"]);
}

#[test]
fn method_checklist_sums_the_items_that_hold() {
    // 1.5 (是) + 0 (false) + 1 (true) = 2.5; all true = 4.
    let yaml = r#"
        id: t
        title: T
        fields:
          r1: { type: bool }
          r2: { type: bool }
          r3: { type: bool }
        sections:
          - id: rules
            title: Rules
            points: 4
            method: checklist
            items:
              - { field: r1, points: 1.5 }
              - { field: r2, points: 1.5 }
              - { field: r3, points: 1, title: 资产管理制度 }
    "#;
    let ev = eval(yaml, "values: { r1: 是, r2: false, r3: true }");
    assert_eq!(score_of(&ev, "rules"), Some(d("2.5")));
    let ev = eval(yaml, "values: { r1: true, r2: true, r3: true }");
    assert_eq!(score_of(&ev, "rules"), Some(d("4")));
    // items must add up to p: 1.5 + 1.5 + 1 = 4 ≠ 5
    let errors = rubric_errors(&yaml.replace("points: 4", "points: 5"));
    assert_has(&errors, &["4", "5"]);
}

#[test]
fn method_levels_and_an_undeclared_level() {
    // 良 → 80 % of 5 = 4; 中 → 60 % = 3. The map omits the declared 差: a load warning, and an
    // error when 差 occurs.
    let yaml = r#"
        id: t
        title: T
        fields:
          q: { type: level, levels: [优, 良, 中, 差] }
        sections:
          - { id: quality, title: Q, points: 5, method: levels, value: q, levels: { 优: 100, 良: 80, 中: 60 } }
    "#;
    let (_, warnings) = load_rubric(yaml).unwrap();
    assert_has(&warning_messages(&warnings), &["差"]);
    assert_eq!(score_of(&eval(yaml, "values: { q: 良 }"), "quality"), Some(d("4")));
    assert_eq!(score_of(&eval(yaml, "values: { q: 中 }"), "quality"), Some(d("3")));
    let errors = score_errors(yaml, "values: { q: 差 }");
    assert_has(&errors, &["quality", "差"]);
    // a map label that is not a declared level is a load error
    let errors = rubric_errors(&yaml.replace("中: 60 }", "中: 60, 好: 90 }"));
    assert_has(&errors, &["好"]);
}

const MANUAL: &str = r#"
    id: t
    title: T
    fields:
      x: { type: number }
    sections:
      - { id: docs, title: Docs, points: 5, method: manual }
      - { id: other, title: Other, points: 5, method: formula, expr: "x" }
"#;

#[test]
fn method_manual_scores() {
    // 4.5 as given; 4.555 has more decimals than precision.indicator → rounded half_up to 4.56.
    let ev = eval(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 4.5, reason: 抽查4份 } }");
    assert_eq!(score_of(&ev, "docs"), Some(d("4.5")));
    assert_eq!(ev.total, d("5.5"));
    let ev = eval(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 4.555, reason: 抽查 } }");
    assert_eq!(score_of(&ev, "docs"), Some(d("4.56")));
    // 0 and p are in range
    let ev = eval(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 5, reason: 满分 } }");
    assert_eq!(score_of(&ev, "docs"), Some(d("5")));
}

#[test]
fn method_manual_errors() {
    let errors = score_errors(MANUAL, "values: { x: 1 }");
    assert_has(&errors, &["docs"]);
    let errors = score_errors(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 6, reason: 太高 } }");
    assert_has(&errors, &["docs", "6"]);
    let errors = score_errors(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: -1, reason: 负数 } }");
    assert_has(&errors, &["docs", "-1"]);
    let errors = score_errors(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 4, reason: \"\" } }");
    assert_has(&errors, &["docs", "reason"]);
    let errors = score_errors(MANUAL, "values: { x: 1 }\nmanual: { docs: { score: 4 } }");
    assert_has(&errors, &["docs", "reason"]);
}

#[test]
fn method_formula_is_clamped_with_a_warning() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          a: { type: number }
          b: { type: number }
        sections:
          - { id: f_leaf, title: F, points: 5, method: formula, expr: "x" }
          - { id: uses_points, title: P, points: 4, method: formula, expr: "points * a / b" }
    "#;
    // 7 → clamped to 5, warning; 4 × 46 / 52 = 3.5384… → 3.54.
    let (ev, diags) = score(yaml, "values: { x: 7, a: 46, b: 52 }");
    assert_eq!(score_of(&ev, "f_leaf"), Some(d("5")));
    assert_eq!(score_of(&ev, "uses_points"), Some(d("3.54")));
    assert_has(&warning_messages(&diags), &["f_leaf"]);
    // −2 → clamped to 0, warning
    let (ev, diags) = score(yaml, "values: { x: -2, a: 46, b: 52 }");
    assert_eq!(score_of(&ev, "f_leaf"), Some(d("0")));
    assert_has(&warning_messages(&diags), &["f_leaf"]);
    // 3 → 3, no clamp warning
    let (ev, diags) = score(yaml, "values: { x: 3, a: 46, b: 52 }");
    assert_eq!(score_of(&ev, "f_leaf"), Some(d("3")));
    assert!(!warning_messages(&diags).iter().any(|w| w.contains("f_leaf")), "{diags}");
}

// ---------------------------------------------------------------------------------------------
// 10. §5 the data file
// ---------------------------------------------------------------------------------------------

const TYPED: &str = r#"
    id: t
    title: T
    fields:
      flag: { type: bool }
      rate: { type: percent }
      amount: { type: number }
      count: { type: integer }
      q: { type: level, levels: [优, 良, 中, 差] }
      budget.initial: { type: number }
    sections:
      - { id: flag_leaf, title: F, points: 5, method: formula, expr: "if(flag, 5, 0)" }
      - { id: rate_leaf, title: R, points: 10, method: formula, expr: "rate / 10" }
      - { id: amount_leaf, title: A, points: 10, method: formula, expr: "amount" }
      - { id: count_leaf, title: C, points: 10, method: formula, expr: "count / 10" }
      - { id: q_leaf, title: Q, points: 10, method: formula, expr: "if(q == \"优\", 10, 0)" }
      - { id: budget_leaf, title: B, points: 100, method: formula, expr: "budget.initial" }
"#;

/// A data file for TYPED with one value replaced.
fn typed_data(key: &str, value: &str) -> String {
    let mut values = vec![
        ("flag", "true"),
        ("rate", "50"),
        ("amount", "1"),
        ("count", "10"),
        ("q", "优"),
        ("budget", "{ initial: 20 }"),
    ];
    for v in &mut values {
        if v.0 == key {
            v.1 = value;
        }
    }
    let body: Vec<String> = values.iter().map(|(k, v)| format!("  {k}: {v}")).collect();
    format!("values:\n{}\n", body.join("\n"))
}

#[test]
fn bool_spellings() {
    for (text, expected) in [("是", "5"), ("否", "0"), ("True", "5"), ("FALSE", "0"), ("true", "5"), ("false", "0")] {
        let ev = eval(TYPED, &typed_data("flag", text));
        assert_eq!(score_of(&ev, "flag_leaf"), Some(d(expected)), "{text}");
    }
    for bad in ["yes", "no", "on", "1", "对", "\"true\""] {
        let errors = score_errors(TYPED, &typed_data("flag", bad));
        assert_has(&errors, &["flag", bad.trim_matches('"')]);
    }
}

#[test]
fn percent_texts_in_percent_fields() {
    // "96.5%" → 96.5 → 96.5 / 10 = 9.65; "96.5 ％" likewise; 0.965 is 0.965 % → 0.0965 → 0.10.
    for (text, expected) in [("\"96.5%\"", "9.65"), ("\"96.5 ％\"", "9.65"), ("96.5", "9.65"), ("0.965", "0.10")] {
        let ev = eval(TYPED, &typed_data("rate", text));
        assert_eq!(score_of(&ev, "rate_leaf"), Some(d(expected)), "{text}");
    }
}

#[test]
fn percent_text_in_a_number_field_is_rejected() {
    let errors = score_errors(TYPED, &typed_data("amount", "\"96.5%\""));
    assert_has(&errors, &["amount", "96.5%"]);
}

#[test]
fn integer_fields_accept_95_0_and_reject_95_5() {
    // 95.0 reads as 95 → 9.5.
    let ev = eval(TYPED, &typed_data("count", "95.0"));
    assert_eq!(score_of(&ev, "count_leaf"), Some(d("9.5")));
    let errors = score_errors(TYPED, &typed_data("count", "95.5"));
    assert_has(&errors, &["count", "95.5"]);
}

#[test]
fn level_not_in_the_list_is_rejected_listing_the_allowed_labels() {
    let errors = score_errors(TYPED, &typed_data("q", "好"));
    assert_has(&errors, &["`q`", "好", "优", "良", "中", "差"]);
}

#[test]
fn dotted_fields_nested_flat_and_both() {
    // nested and flat both read 20
    let ev = eval(TYPED, &typed_data("budget", "{ initial: 20 }"));
    assert_eq!(score_of(&ev, "budget_leaf"), Some(d("20")));
    let flat = typed_data("budget", "{ initial: 20 }").replace("  budget: { initial: 20 }", "  budget.initial: 20");
    let ev = eval(TYPED, &flat);
    assert_eq!(score_of(&ev, "budget_leaf"), Some(d("20")));
    let both = typed_data("budget", "{ initial: 20 }") + "  budget.initial: 30\n";
    let errors = score_errors(TYPED, &both);
    assert_has(&errors, &["budget.initial"]);
}

#[test]
fn unknown_top_level_key_is_an_error_with_did_you_mean() {
    let data = typed_data("q", "优") + "not_aplicable: { q_leaf: 无 }\n";
    let errors = score_errors(TYPED, &data);
    assert_has(&errors, &["not_aplicable", "did you mean", "not_applicable"]);
}

#[test]
fn unknown_values_name_is_a_warning() {
    let data = typed_data("q", "优") + "  amuont: 3\n";
    let (ev, diags) = score(TYPED, &data);
    assert_has(&warning_messages(&diags), &["amuont"]);
    assert_eq!(score_of(&ev, "amount_leaf"), Some(d("1")));
}

#[test]
fn manual_entry_for_a_non_manual_leaf_is_an_error() {
    let data = typed_data("q", "优") + "manual: { amount_leaf: { score: 1, reason: 手工 } }\n";
    let errors = score_errors(TYPED, &data);
    assert_has(&errors, &["amount_leaf", "manual"]);
}

#[test]
fn manual_entry_for_an_unknown_id_is_an_error() {
    let data = typed_data("q", "优") + "manual: { amount_laef: { score: 1, reason: 手工 } }\n";
    let errors = score_errors(TYPED, &data);
    assert_has(&errors, &["amount_laef", "did you mean", "amount_leaf"]);
}

#[test]
fn manual_entry_for_a_not_applicable_leaf_is_ignored_with_a_warning() {
    // docs listed (reweight) → total = other only = 1 × 10 / 5 = 2; the manual entry is ignored.
    let data = "values: { x: 1 }\nnot_applicable: { docs: 无 }\nmanual: { docs: { score: 4, reason: 抽查 } }";
    let (ev, diags) = score(MANUAL, data);
    assert_eq!(score_of(&ev, "docs"), None);
    assert_eq!(ev.total, d("2"));
    assert_has(&warning_messages(&diags), &["docs"]);
}

#[test]
fn declared_unknown_id_is_an_error_and_total_is_allowed() {
    let data = typed_data("q", "优") + "declared: { total: 50, amount_leef: 1 }\n";
    let errors = score_errors(TYPED, &data);
    assert_has(&errors, &["amount_leef", "did you mean", "amount_leaf"]);
    assert!(!errors.iter().any(|e| e.contains("`total`")), "{errors:?}");
    // `total` and a real node id alone are fine
    eval(TYPED, &(typed_data("q", "优") + "declared: { total: 50, amount_leaf: 1 }\n"));
}

#[test]
fn field_bounds_are_checked_on_input() {
    let yaml = r#"
        id: t
        title: T
        fields:
          sat: { type: percent, min: 0, max: 100 }
        sections:
          - { id: s, title: S, points: 100, method: formula, expr: "sat" }
    "#;
    let errors = score_errors(yaml, "values: { sat: 100.5 }");
    assert_has(&errors, &["sat", "100.5"]);
    // inclusive bounds: 100 is fine
    assert_eq!(eval(yaml, "values: { sat: 100 }").total, d("100"));
}

// ---------------------------------------------------------------------------------------------
// 11. rubric structural errors (§2, §2.1, §4.2, §4.5)
// ---------------------------------------------------------------------------------------------

const STRUCT: &str = r#"
    id: t
    title: T
    fields:
      x: { type: number }
    sections:
      - id: branch_one
        title: B
        points: 10
        children:
          - { id: leaf_one, title: L1, points: 4, method: formula, expr: "x" }
          - { id: leaf_two, title: L2, points: 6, method: formula, expr: "x" }
"#;

#[test]
fn structural_baseline_loads() {
    let r = rubric(STRUCT);
    assert_eq!(r.max, d("10"));
}

#[test]
fn branch_points_differing_from_children_sum_without_scale_is_an_error() {
    let errors = rubric_errors(&STRUCT.replace("points: 10", "points: 12"));
    assert_has(&errors, &["branch_one", "12", "10"]);
    // with scale: true it loads
    rubric(&STRUCT.replace("points: 10", "points: 12\n        scale: true"));
}

#[test]
fn full_marks_mismatch_is_an_error() {
    let errors = rubric_errors(&top(STRUCT, "full_marks: 100"));
    assert_has(&errors, &["full_marks", "100", "10"]);
}

#[test]
fn node_id_with_a_dot_is_an_error() {
    let errors = rubric_errors(&STRUCT.replace("id: leaf_one", "id: leaf.one"));
    assert_has(&errors, &["leaf.one"]);
}

#[test]
fn duplicate_node_ids_are_an_error() {
    let errors = rubric_errors(&STRUCT.replace("id: leaf_two", "id: leaf_one"));
    assert_has(&errors, &["leaf_one", "duplicate"]);
}

#[test]
fn node_with_both_children_and_method_is_an_error() {
    let errors = rubric_errors(&STRUCT.replace("points: 10\n", "points: 10\n        method: manual\n"));
    assert_has(&errors, &["branch_one", "children", "method"]);
}

#[test]
fn unknown_node_key_is_an_error_with_did_you_mean() {
    let errors = rubric_errors(&STRUCT.replace("points: 10\n", "points: 10\n        standrad: 说明\n"));
    assert_has(&errors, &["standrad", "did you mean", "standard"]);
}

#[test]
fn unknown_top_level_rubric_key_is_an_error_with_did_you_mean() {
    let errors = rubric_errors(&top(STRUCT, "precison: { indicator: 2 }"));
    assert_has(&errors, &["precison", "did you mean", "precision"]);
}

#[test]
fn unknown_method_is_an_error_with_did_you_mean() {
    let errors = rubric_errors(&STRUCT.replace("points: 4, method: formula", "points: 4, method: formlua"));
    assert_has(&errors, &["formlua", "did you mean", "formula"]);
}

#[test]
fn node_points_with_more_decimals_than_precision_indicator_is_an_error() {
    // precision.indicator 1; a leaf worth 4.25 (and its sibling 5.75, so the sum is still 10)
    let yaml = top(STRUCT, "precision: { indicator: 1, total: 1 }")
        .replace("points: 4,", "points: 4.25,")
        .replace("points: 6,", "points: 5.75,");
    let errors = rubric_errors(&yaml);
    assert_has(&errors, &["leaf_one", "4.25"]);
    // at precision.indicator 2 the same rubric loads
    rubric(&yaml.replace("indicator: 1", "indicator: 2"));
}

#[test]
fn grades_not_strictly_decreasing_are_an_error() {
    let equal = "grades:\n  - { min: 90, label: A }\n  - { min: 90, label: B }\n";
    let errors = rubric_errors(&top(STRUCT, equal));
    assert_has(&errors, &["90"]);
    let rising = "grades:\n  - { min: 60, label: A }\n  - { min: 80, label: B }\n";
    let errors = rubric_errors(&top(STRUCT, rising));
    assert_has(&errors, &["80", "60"]);
}

#[test]
fn veto_grade_not_in_the_grade_table_is_an_error() {
    let grades = "grades:\n  - { min: 9, label: A }\n  - { min: 0, label: C }\n";
    let yaml = top(STRUCT, grades) + "vetoes:\n  - { id: bad_veto, when: \"x > 100\", grade: 差 }\n";
    let errors = rubric_errors(&yaml);
    assert_has(&errors, &["bad_veto", "差"]);
    // with the grade of the table it loads
    rubric(&yaml.replace("grade: 差", "grade: C"));
}

#[test]
fn veto_cap_with_more_decimals_than_precision_total_is_an_error() {
    let yaml = top(STRUCT, "precision: { indicator: 2, total: 1 }")
        + "vetoes:\n  - { id: cap_veto, when: \"x > 100\", cap: 5.55 }\n";
    let errors = rubric_errors(&yaml);
    assert_has(&errors, &["cap_veto", "5.55"]);
}

#[test]
fn branch_needs_a_non_bonus_child() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
        sections:
          - id: s
            title: S
            children:
              - { id: a, title: A, points: 10, method: formula, expr: "x" }
          - id: only_bonus
            title: OB
            children:
              - { id: b, title: B, points: 2, bonus: true, method: formula, expr: "x" }
    "#;
    let errors = rubric_errors(yaml);
    assert_has(&errors, &["only_bonus"]);
}

#[test]
fn total_is_a_reserved_node_id() {
    let errors = rubric_errors(&STRUCT.replace("id: leaf_two", "id: total"));
    assert_has(&errors, &["total"]);
}

// ---------------------------------------------------------------------------------------------
// 12. §1 / §2.2 exact arithmetic and expression functions through the engine
// ---------------------------------------------------------------------------------------------

#[test]
fn decimal_arithmetic_is_exact() {
    // 0.1 + 0.2 == 0.3 exactly → 10.
    let yaml = r#"
        id: t
        title: T
        fields:
          a: { type: number }
          b: { type: number }
        sections:
          - { id: s, title: S, points: 10, method: formula, expr: "if(a + b == 0.3, 10, 0)" }
    "#;
    assert_eq!(eval(yaml, "values: { a: 0.1, b: 0.2 }").total, d("10"));
}

#[test]
fn expression_round_uses_the_rubric_mode_and_floor_ceil_do_not() {
    // round(-2.345, 2) = −2.35 / −2.34 / −2.34 → + 5 = 2.65 / 2.66 / 2.66.
    // floor(-2.5) = −3 → + 5 = 2; ceil(-2.5) = −2 → + 5 = 3, whatever the mode.
    let yaml = r#"
        id: t
        title: T
        rounding: MODE
        fields:
          x: { type: number }
        sections:
          - { id: r, title: R, points: 10, method: formula, expr: "round(x, 2) + 5" }
          - { id: f, title: F, points: 10, method: formula, expr: "floor(x - 0.155) + 5" }
          - { id: c, title: C, points: 10, method: formula, expr: "ceil(x - 0.155) + 5" }
    "#;
    for (mode, r) in [("half_up", "2.65"), ("half_even", "2.66"), ("down", "2.66")] {
        // x − 0.155 = −2.5
        let ev = eval(&yaml.replace("MODE", mode), "values: { x: -2.345 }");
        assert_eq!(score_of(&ev, "r"), Some(d(r)), "{mode}");
        assert_eq!(score_of(&ev, "f"), Some(d("2")), "{mode}");
        assert_eq!(score_of(&ev, "c"), Some(d("3")), "{mode}");
    }
}

#[test]
fn clamp_with_reversed_bounds_is_an_error_naming_the_indicator() {
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          lo: { type: number }
        sections:
          - { id: clamp_leaf, title: C, points: 10, method: formula, expr: "clamp(x, lo, 5)" }
    "#;
    // lo 2 ≤ 5: clamp(7, 2, 5) = 5
    assert_eq!(eval(yaml, "values: { x: 7, lo: 2 }").total, d("5"));
    let errors = score_errors(yaml, "values: { x: 7, lo: 6 }");
    assert_has(&errors, &["clamp_leaf", "6", "5"]);
}

// ---------------------------------------------------------------------------------------------
// 13. §2.3 indicator tables (rows from the data file)
// ---------------------------------------------------------------------------------------------

const ROWS: &str = r#"
    id: t
    title: T
    sections:
      - id: output
        title: 产出指标
        points: 50
        rows: outputs
        reverse: REVERSE
        qualitative: { 达成: 100, 基本达成: 80, 部分达成: 60, 未达成: 0 }
"#;

const ROWS_DATA: &str = r#"
    values:
      outputs:
        - { name: 科普活动场次, unit: 场, op: ">=", target: 10, actual: 8, points: 20 }
        - { name: 人均成本, unit: 元, op: "<=", target: 30, actual: 34.5, points: 10 }
        - { name: 验收合格率, unit: "%", op: "=", target: 100, actual: 100, points: 10 }
        - { name: 长效机制, op: 定性, target: 达成, actual: 部分达成, points: 10 }
"#;

#[test]
fn rows_score_each_operator() {
    // output.1 >=: 20 × 8 / 10 = 16
    // output.2 <= missed, reverse ratio: 10 × 30 / 34.5 = 8.6956… → 8.70
    // output.3 =, target > 0, as >=: 10 × 100 / 100 = 10
    // output.4 定性 部分达成: 60 % of 10 = 6
    // branch: 16 + 8.70 + 10 + 6 = 40.70 (rows' points add up to 50, no rescale)
    let ev = eval(&ROWS.replace("REVERSE", "ratio"), ROWS_DATA);
    assert_eq!(score_of(&ev, "output.1"), Some(d("16")));
    assert_eq!(score_of(&ev, "output.2"), Some(d("8.70")));
    assert_eq!(score_of(&ev, "output.3"), Some(d("10")));
    assert_eq!(score_of(&ev, "output.4"), Some(d("6")));
    assert_eq!(ev.node("output.1").unwrap().title, "科普活动场次");
    assert_eq!(score_of(&ev, "output"), Some(d("40.70")));
    assert_eq!(ev.total, d("40.70"));
    // reverse linear: 10 × max(0, 2 × 30 − 34.5) / 30 = 10 × 25.5 / 30 = 8.5 → 40.5
    let ev = eval(&ROWS.replace("REVERSE", "linear"), ROWS_DATA);
    assert_eq!(score_of(&ev, "output.2"), Some(d("8.5")));
    assert_eq!(ev.total, d("40.5"));
}

#[test]
fn issue12_rows_carry_their_operator_and_explain_advises_by_it() {
    let r = rubric(&ROWS.replace("REVERSE", "ratio"));
    let ev = eval(&ROWS.replace("REVERSE", "ratio"), ROWS_DATA);
    let rule = |id: &str| {
        let leaf = ev.node(id).unwrap().leaf.as_ref().unwrap();
        assert_eq!(leaf.method, MethodKind::Row, "{id}");
        leaf.rule.clone()
    };
    // The operator as typed; shown as before (`≥`, `≤`, `=`, `定性 <level>`).
    for (id, expected, shown) in [
        ("output.1", Rule::Row(Op::AtLeast), "≥"),
        ("output.2", Rule::Row(Op::AtMost), "≤"),
        ("output.3", Rule::Row(Op::Equal), "="),
        ("output.4", Rule::QualitativeRow("部分达成".into()), "定性 部分达成"),
    ] {
        assert_eq!(rule(id), expected, "{id}");
        assert_eq!(rule(id).to_string(), shown, "{id}");
    }
    // explain chooses its advice by the operator: 16 of 20 at ≥ 10, 8.70 of 10 at ≤ 30, and
    // 部分达成 (6 of 10) below 基本达成 (80 % of 10 = 8). output.3 lost nothing.
    let x = selfeval::explain::explain(&r, &ev, selfeval::lang::Lang::Zh);
    let advice = |id: &str| x.losses.iter().find(|l| l.id == id).and_then(|l| l.advice.clone());
    assert_eq!(advice("output.1").as_deref(), Some("完成值达到 10 可得满分"));
    assert_eq!(advice("output.2").as_deref(), Some("完成值不超过 30 可得满分"));
    assert_eq!(advice("output.4").as_deref(), Some("评为「基本达成」可得 8 分"));
}

#[test]
fn rows_edge_rules_and_not_applicable_rows() {
    let data = r#"
        values:
          outputs:
            - { name: 负值, op: ">=", target: 10, actual: -3, points: 10 }
            - { name: 零容忍, op: "≤", target: 0, actual: 1, points: 10 }
            - { name: 零容忍达标, op: "<=", target: 0, actual: 0, points: 10 }
            - { name: 零目标, op: "＝", target: 0, actual: 2, points: 10 }
            - { name: 零目标达标, op: "=", target: 0, actual: 0, points: 10 }
    "#;
    // negative actual counts as 0 → 0; <= target 0 missed → 0; met → 10; = target 0, actual 2 → 0;
    // actual 0 → 10. Branch 0 + 0 + 10 + 0 + 10 = 20.
    let ev = eval(&ROWS.replace("REVERSE", "ratio"), data);
    assert_eq!(score_of(&ev, "output.1"), Some(d("0")));
    assert_eq!(score_of(&ev, "output.2"), Some(d("0")));
    assert_eq!(score_of(&ev, "output.3"), Some(d("10")));
    assert_eq!(score_of(&ev, "output.4"), Some(d("0")));
    assert_eq!(score_of(&ev, "output.5"), Some(d("10")));
    assert_eq!(ev.total, d("20"));
    // a row listed as not applicable by its id (reweight): W = 40, S = 16 + 10 + 6 = 32
    // → 32 × 50 / 40 = 40.
    let data = format!("{}not_applicable: {{ output.2: 无此项 }}\n", dedent(ROWS_DATA));
    let ev = eval(&ROWS.replace("REVERSE", "ratio"), &data);
    assert_eq!(score_of(&ev, "output.2"), None);
    assert_eq!(ev.total, d("40"));
}

#[test]
fn rows_input_errors() {
    let r = ROWS.replace("REVERSE", "ratio");
    // an operator outside the list: quoted, with the row named
    let errors = score_errors(&r, &ROWS_DATA.replace("op: \">=\"", "op: \"==\""));
    assert_has(&errors, &["output.1", "=="]);
    // points 20 + 10 + 10 + 10 = 50; changing one to 15 → 45 ≠ 50
    let errors = score_errors(&r, &ROWS_DATA.replace("actual: 8, points: 20", "actual: 8, points: 15"));
    assert_has(&errors, &["output"]);
    // an empty list
    let errors = score_errors(&r, "values: { outputs: [] }");
    assert_has(&errors, &["output"]);
    // an unknown qualitative level
    let errors = score_errors(&r, &ROWS_DATA.replace("actual: 部分达成", "actual: 还行"));
    assert_has(&errors, &["还行"]);
}

// ---------------------------------------------------------------------------------------------
// 14. more corners of §2, §2.2, §4.2, §4.4, §5.2
// ---------------------------------------------------------------------------------------------

#[test]
fn fields_reached_only_through_a_derived_name_of_a_not_applicable_leaf_are_not_needed() {
    // exec (N/A) reads rate = spent * 100 / budget: neither spent nor budget is needed.
    // other = 3 of 10 → root P 20, W 10 → 3 × 20 / 10 = 6.
    let yaml = r#"
        id: t
        title: T
        fields:
          spent: { type: number }
          budget: { type: number }
          x: { type: number }
        derived:
          rate: "spent * 100 / budget"
        sections:
          - { id: exec, title: Exec, points: 10, method: ratio, value: rate, target: 100 }
          - { id: other, title: Other, points: 10, method: formula, expr: "x" }
    "#;
    let ev = eval(yaml, "values: { x: 3 }\nnot_applicable: { exec: 无预算 }");
    assert_eq!(ev.total, d("6"));
    // applicable again: both fields reached through `rate` are reported missing
    let errors = score_errors(yaml, "values: { x: 3 }");
    assert_has(&errors, &["spent"]);
    assert_has(&errors, &["budget"]);
}

#[test]
fn expression_validation_errors_are_all_reported_before_data() {
    // chained comparison, unknown name, type mismatch, wrong arity, a level literal that is not
    // a level, and `points` outside a formula: six problems, each reported.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          flag: { type: bool }
          q: { type: level, levels: [优, 良] }
        sections:
          - { id: e1, title: E1, points: 1, method: formula, expr: "if(1 < x < 3, 1, 0)" }
          - { id: e2, title: E2, points: 1, method: formula, expr: "xx + 1" }
          - { id: e3, title: E3, points: 1, method: formula, expr: "x + flag" }
          - { id: e4, title: E4, points: 1, method: formula, expr: "abs(x, 1)" }
          - { id: e5, title: E5, points: 1, method: formula, expr: "if(q == \"好\", 1, 0)" }
          - { id: e6, title: E6, points: 1, method: ratio, value: "points", target: 100 }
    "#;
    let errors = rubric_errors(yaml);
    assert_has(&errors, &["1 < x < 3"]);
    assert_has(&errors, &["xx", "did you mean"]);
    assert_has(&errors, &["x + flag"]);
    assert_has(&errors, &["abs"]);
    assert_has(&errors, &["好"]);
    assert_has(&errors, &["points"]);
}

#[test]
fn default_grades_apply_to_a_100_point_rubric_with_a_bonus_section() {
    // max = 100 (the bonus section's 5 are not counted); x = 95, y = 8 → min(100, 103) = 100 → 优.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
        sections:
          - { id: s, title: S, points: 100, method: formula, expr: "x" }
          - { id: extra, title: Extra, points: 5, bonus: true, method: formula, expr: "y" }
    "#;
    let ev = eval(yaml, "values: { x: 95, y: 8 }");
    assert_eq!(ev.max, d("100"));
    assert_eq!(ev.total, d("100"));
    assert_eq!(ev.grade.as_deref(), Some("优"));
    // x = 85, y = 3 → 88 → 良
    let ev = eval(yaml, "values: { x: 85, y: 3 }");
    assert_eq!(ev.total, d("88"));
    assert_eq!(ev.grade.as_deref(), Some("良"));
}

#[test]
fn branch_with_all_children_dropped_is_dropped_whatever_its_own_policy() {
    // s1 says `full`, but both children carry their own `reweight` and are listed: s1 is dropped
    // "as under reweight" (not given its full 10). Root: P 20, W 10, S 4 → 8.
    let yaml = r#"
        id: t
        title: T
        fields:
          x: { type: number }
          y: { type: number }
          z: { type: number }
        sections:
          - id: s1
            title: S1
            not_applicable: full
            children:
              - { id: a, title: A, points: 5, not_applicable: reweight, method: formula, expr: "x" }
              - { id: b, title: B, points: 5, not_applicable: reweight, method: formula, expr: "y" }
          - id: s2
            title: S2
            children:
              - { id: c, title: C, points: 10, method: formula, expr: "z" }
    "#;
    let ev = eval(yaml, "values: { z: 4 }\nnot_applicable: { a: 无, b: 无 }");
    assert_eq!(score_of(&ev, "s1"), None);
    assert_eq!(status_of(&ev, "s1"), Status::NotApplicable);
    assert_eq!(ev.total, d("8"));
}

#[test]
fn percent_text_in_an_integer_field_is_rejected() {
    let errors = score_errors(TYPED, &typed_data("count", "\"95%\""));
    assert_has(&errors, &["count", "95%"]);
}

#[test]
fn bands_are_limited_to_a_thousand_per_leaf() {
    // Each band is checked against all before it when the rubric loads; 20 000 bands took a
    // minute (review). 1 000 load; 1 001 are refused, naming the leaf.
    let rubric = |n: usize| {
        let bands: String = (0..n).map(|i| format!("      - {{ gte: {i}, lt: {}, score: 1 }}\n", i + 1)).collect();
        format!(
            "id: t\ntitle: T\nfields:\n  x: {{ type: number }}\nsections:\n  - id: a\n    title: A\n    points: 10\n    method: bands\n    value: x\n    bands:\n{bands}"
        )
    };
    assert!(load_rubric(&rubric(1000)).is_ok());
    assert_has(&rubric_errors(&rubric(1001)), &["`a`", "1001 bands", "limit of 1000"]);
}
