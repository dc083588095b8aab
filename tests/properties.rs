//! Property tests: random rubric trees and data never panic, every score stays within
//! [0, points], every branch obeys SPEC §4 and every table row SPEC §2.3 (both recomputed here
//! independently), and scoring is deterministic. Random text never panics the loaders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use selfeval::data::DataFile;
use selfeval::engine::{self, Evaluation, NodeResult, Status};
use selfeval::lang::Lang;
use selfeval::method::MethodKind;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Tree {
    Leaf {
        points: u32,
        bonus: bool,
        value: Decimal,
    },
    Branch {
        points: Option<u32>,
        children: Vec<Tree>,
    },
    /// A `rows` branch (SPEC §2.3): `points` with `scale: true`, else the rows' sum.
    Rows {
        points: Option<u32>,
        linear: bool,
        rows: Vec<RowCase>,
    },
}

/// One row of an indicator table.
#[derive(Debug, Clone)]
struct RowCase {
    op: &'static str,
    target: Decimal,
    actual: Decimal,
    /// The actual of a 定性 row.
    level: &'static str,
    /// Made from `points_units` and `points_places` once the precision is known.
    points: Decimal,
    points_units: u32,
    points_places: u32,
    /// Points with one decimal more than `precision.indicator` (an input error, item 1).
    too_precise: bool,
    listed: bool,
}

const LEVELS: [(&str, u32); 3] = [("达成", 100), ("部分达成", 60), ("未达成", 0)];

#[derive(Debug, Clone)]
struct Case {
    sections: Vec<Tree>,
    indicator: u32,
    total: u32,
    rounding: &'static str,
    policies: Vec<Option<&'static str>>,
    listed: Vec<bool>,
}

fn value() -> impl Strategy<Value = Decimal> {
    (-5_000i64..15_000, 0u32..4).prop_map(|(n, scale)| Decimal::new(n, scale))
}

fn row_case() -> impl Strategy<Value = RowCase> {
    (
        prop::sample::select(vec![">=", "≥", "<=", "≤", "=", "＝", "定性"]),
        prop_oneof![Just(Decimal::ZERO), (0i64..15_000, 0u32..3).prop_map(|(n, scale)| Decimal::new(n, scale))],
        value(),
        prop::sample::select(LEVELS.iter().map(|(l, _)| *l).collect::<Vec<_>>()),
        (0u32..=2_000, 0u32..4, prop::bool::weighted(0.04), prop::bool::weighted(0.1)),
    )
        .prop_map(|(op, target, actual, level, (points_units, points_places, too_precise, listed))| RowCase {
            op,
            target,
            actual,
            level,
            points: Decimal::ZERO,
            points_units,
            points_places,
            too_precise,
            listed,
        })
}

fn tree() -> impl Strategy<Value = Tree> {
    let plain = (0u32..=10, prop::bool::weighted(0.15), value()).prop_map(|(points, bonus, value)| Tree::Leaf {
        points,
        bonus,
        value,
    });
    let rows = (prop::option::weighted(0.4, 1u32..=20), any::<bool>(), prop::collection::vec(row_case(), 1..5))
        .prop_map(|(points, linear, rows)| Tree::Rows { points, linear, rows });
    let leaf = prop_oneof![3 => plain, 1 => rows];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (prop::option::weighted(0.3, 1u32..=20), prop::collection::vec(inner, 1..4)).prop_map(
            |(points, mut children)| {
                // A branch needs a non-bonus child.
                if let Some(Tree::Leaf { bonus, .. }) = children.first_mut() {
                    *bonus = false;
                }
                Tree::Branch { points, children }
            },
        )
    })
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(tree(), 1..4),
        0u32..4,
        0u32..4,
        prop::sample::select(vec!["half_up", "half_even", "down"]),
        prop::collection::vec(prop::sample::select(vec![None, Some("reweight"), Some("full"), Some("zero")]), 64),
        prop::collection::vec(prop::bool::weighted(0.15), 64),
    )
        .prop_map(|(mut sections, indicator, total, rounding, policies, listed)| {
            for s in &mut sections {
                if let Tree::Leaf { bonus, .. } = s {
                    *bonus = false;
                }
                fix_row_points(s, indicator);
            }
            Case { sections, indicator, total, rounding, policies, listed }
        })
}

/// Rows' points with at most `indicator` decimals, or one more where the case asks for it.
fn fix_row_points(t: &mut Tree, indicator: u32) {
    match t {
        Tree::Leaf { .. } => {}
        Tree::Branch { children, .. } => children.iter_mut().for_each(|c| fix_row_points(c, indicator)),
        Tree::Rows { rows, .. } => {
            for r in rows {
                let places = if r.too_precise { indicator + 1 } else { r.points_places.min(indicator) };
                // The last digit nonzero, so that one more place really is one too many.
                let units = if r.too_precise { r.points_units * 10 + 5 } else { r.points_units };
                r.points = Decimal::new(i64::from(units), places);
            }
        }
    }
}

fn too_precise(points: Decimal, indicator: u32) -> bool {
    points.normalize().scale() > indicator
}

/// A case written out, with what the checks need to know of its rows.
struct Rendered {
    rubric: String,
    data: String,
    /// Each row by its id (`<branch>.<n>`), with its table's `reverse: linear`.
    rows: HashMap<String, (RowCase, bool)>,
    /// A table that is read (not listed as not applicable) has a row with too many decimals.
    precision_error: bool,
}

/// Writes the case as a rubric and a data file. Every leaf is a formula over its own field;
/// every rows branch reads the list `t<id>`.
fn render(case: &Case) -> Rendered {
    let rubric = format!(
        "id: prop\ntitle: property\nprecision: {{ indicator: {}, total: {} }}\nrounding: {}\nfields:\n",
        case.indicator, case.total, case.rounding
    );
    let mut out = Rendered { rubric, data: String::new(), rows: HashMap::new(), precision_error: false };
    let mut w = Writer { case, n: 0, nodes: String::new(), values: String::new(), na: String::new() };
    for s in &case.sections {
        w.walk(s, 0, false, &mut out);
    }
    out.rubric.push_str("sections:\n");
    out.rubric.push_str(&w.nodes);
    out.data = format!("values:\n{}", w.values);
    if !w.na.is_empty() {
        out.data.push_str(&format!("not_applicable:\n{}", w.na));
    }
    out
}

struct Writer<'c> {
    case: &'c Case,
    n: usize,
    nodes: String,
    values: String,
    na: String,
}

impl Writer<'_> {
    /// `listed_above`: an ancestor is listed as not applicable, so rows below are not read.
    fn walk(&mut self, t: &Tree, depth: usize, listed_above: bool, out: &mut Rendered) {
        let case = self.case;
        let id = self.n;
        self.n += 1;
        let pad = "  ".repeat(depth * 2 + 1);
        self.nodes.push_str(&format!("{pad}- id: n{id}\n{pad}  title: N{id}\n"));
        if let Some(p) = case.policies[id % 64] {
            self.nodes.push_str(&format!("{pad}  not_applicable: {p}\n"));
        }
        let listed = case.listed[id % 64];
        if listed {
            self.na.push_str(&format!("  n{id}: reason {id}\n"));
        }
        match t {
            Tree::Leaf { points, bonus, value } => {
                out.rubric.push_str(&format!("  x{id}: {{ type: number }}\n"));
                self.values.push_str(&format!("  x{id}: {value}\n"));
                self.nodes
                    .push_str(&format!("{pad}  points: {points}\n{pad}  method: formula\n{pad}  expr: \"x{id}\"\n"));
                if *bonus {
                    self.nodes.push_str(&format!("{pad}  bonus: true\n"));
                }
            }
            Tree::Branch { points, children } => {
                if let Some(p) = points {
                    self.nodes.push_str(&format!("{pad}  points: {p}\n{pad}  scale: true\n"));
                }
                self.nodes.push_str(&format!("{pad}  children:\n"));
                for c in children {
                    self.walk(c, depth + 1, listed_above || listed, out);
                }
            }
            Tree::Rows { points, linear, rows } => {
                let sum: Decimal = rows.iter().map(|r| r.points).sum();
                // Unscaled, the branch is worth its rows' sum, which must itself fit the precision.
                match points {
                    Some(p) => self.nodes.push_str(&format!("{pad}  points: {p}\n{pad}  scale: true\n")),
                    None if too_precise(sum, case.indicator) => {
                        self.nodes.push_str(&format!("{pad}  points: 10\n{pad}  scale: true\n"));
                    }
                    None => self.nodes.push_str(&format!("{pad}  points: {sum}\n")),
                }
                let reverse = if *linear { "linear" } else { "ratio" };
                let levels: Vec<String> = LEVELS.iter().map(|(l, pc)| format!("{l}: {pc}")).collect();
                self.nodes.push_str(&format!(
                    "{pad}  rows: t{id}\n{pad}  reverse: {reverse}\n{pad}  qualitative: {{ {} }}\n",
                    levels.join(", ")
                ));
                self.values.push_str(&format!("  t{id}:\n"));
                let read = !(listed_above || listed);
                for (k, r) in rows.iter().enumerate() {
                    let (target, actual) = if r.op == "定性" {
                        ("达成".to_owned(), r.level.to_owned())
                    } else {
                        (r.target.to_string(), r.actual.to_string())
                    };
                    self.values.push_str(&format!(
                        "    - {{ name: R{k}, op: \"{}\", target: {target}, actual: {actual}, points: {} }}\n",
                        r.op, r.points
                    ));
                    let row_id = format!("n{id}.{}", k + 1);
                    if read && r.listed {
                        self.na.push_str(&format!("  {row_id}: row reason\n"));
                    }
                    out.precision_error |= read && too_precise(r.points, case.indicator);
                    out.rows.insert(row_id, (r.clone(), *linear));
                }
            }
        }
    }
}

fn round(mode: &str, x: Decimal, dp: u32) -> Decimal {
    let strategy = match mode {
        "half_up" => RoundingStrategy::MidpointAwayFromZero,
        "half_even" => RoundingStrategy::MidpointNearestEven,
        _ => RoundingStrategy::ToZero,
    };
    x.round_dp_with_strategy(dp, strategy)
}

/// SPEC §4.1/§4.3 written out again: min(P, R + B), R = S × P / W when W ≠ P.
fn branch_rule(points: Decimal, children: &[NodeResult], rounding: Option<(&str, u32)>) -> Option<Decimal> {
    let counted: Vec<&NodeResult> =
        children.iter().filter(|c| c.status != Status::Bonus && c.score.is_some() && !is_bonus_na(c)).collect();
    if counted.is_empty() {
        return None;
    }
    let w: Decimal = counted.iter().map(|c| c.points).sum();
    let s: Decimal = counted.iter().map(|c| c.score.unwrap()).sum();
    let b: Decimal =
        children.iter().filter(|c| c.status == Status::Bonus || is_bonus_na(c)).filter_map(|c| c.score).sum();
    let r = if w == points {
        s
    } else if w.is_zero() {
        Decimal::ZERO
    } else {
        let exact = s * points / w;
        match rounding {
            Some((mode, dp)) => round(mode, exact, dp),
            None => exact,
        }
    };
    // Only bonus points may need the cap: R itself is within [0, P].
    assert!(r >= Decimal::ZERO && r <= points, "R = {r} outside 0–{points}");
    Some(points.min(r + b))
}

fn is_bonus_na(n: &NodeResult) -> bool {
    n.bonus
}

/// SPEC §2.3 written out again: a row's raw score before clamping and rounding.
fn row_rule(row: &RowCase, linear: bool) -> Decimal {
    let p = row.points;
    if row.op == "定性" {
        let pc = LEVELS.iter().find(|(l, _)| *l == row.level).unwrap().1;
        return p * Decimal::from(pc) / Decimal::ONE_HUNDRED;
    }
    let (t, a) = (row.target, row.actual.max(Decimal::ZERO));
    let at_least = |a: Decimal, t: Decimal| if a >= t { p } else { p * a / t };
    match row.op {
        ">=" | "≥" => at_least(a, t),
        "=" | "＝" if t.is_zero() => {
            if a.is_zero() {
                p
            } else {
                Decimal::ZERO
            }
        }
        "=" | "＝" => at_least(a, t),
        _ if a <= t => p,
        _ if t.is_zero() => Decimal::ZERO,
        _ if linear => p * (t * Decimal::TWO - a).max(Decimal::ZERO) / t,
        _ => p * t / a,
    }
}

fn check_invariants(case: &Case, rendered: &Rendered, e: &Evaluation) {
    for (_, n) in e.walk() {
        if let Some(s) = n.score {
            assert!(s >= Decimal::ZERO && s <= n.points, "{} scored {s} of {}", n.id, n.points);
        }
        if n.status != Status::NotApplicable && !n.children.is_empty() {
            let expected = branch_rule(n.points, &n.children, Some((case.rounding, case.indicator)));
            assert_eq!(n.score, expected, "branch {} breaks §4", n.id);
        }
        if let Some(leaf) = &n.leaf {
            let x = if leaf.method == MethodKind::Row {
                let (row, linear) = &rendered.rows[&n.id];
                assert_eq!(n.points, row.points, "row {}", n.id);
                row_rule(row, *linear)
            } else {
                leaf.inputs[0].1.to_string().parse::<Decimal>().unwrap()
            };
            let expected = round(case.rounding, x.max(Decimal::ZERO).min(n.points), case.indicator);
            assert_eq!(n.score, Some(expected), "leaf {}", n.id);
        }
    }
    let root = branch_rule(e.max, &e.nodes, None).unwrap();
    assert_eq!(e.total, round(case.rounding, root, case.total));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn random_trees_obey_section_4(case in case()) {
        let rendered = render(&case);
        let (rubric_text, data_text) = (&rendered.rubric, &rendered.data);
        let rubric = match load(&Source { name: "r.yaml".into(), text: rubric_text.clone() }, Lang::En) {
            Ok((r, _)) => r,
            // Random weights can make full_marks or sums disagree only through scale, which
            // is always declared; anything else is a generator bug worth seeing.
            Err(d) => panic!("rubric rejected: {d}\n{rubric_text}"),
        };
        let (data, _) = DataFile::load(&Source { name: "d.yaml".into(), text: data_text.clone() }, Lang::En).unwrap();
        match engine::score(&rubric, &data, &engine::Options::default()) {
            Ok((e, _)) => {
                prop_assert!(!rendered.precision_error, "rows with too many decimals were scored\n{}\n{}", rubric_text, data_text);
                check_invariants(&case, &rendered, &e);
                let (again, _) = engine::score(&rubric, &data, &engine::Options::default()).unwrap();
                prop_assert_eq!(e, again);
            }
            Err(d) => {
                let text = d.to_string();
                prop_assert!(!text.contains("internal error"), "{}\n{}\n{}", text, rubric_text, data_text);
                if rendered.precision_error {
                    prop_assert!(text.contains("more decimals than precision.indicator"), "{}\n{}\n{}", text, rubric_text, data_text);
                } else {
                    prop_assert!(text.contains("every section is not applicable") || text.contains("already covered"), "{}\n{}\n{}", text, rubric_text, data_text);
                }
            }
        }
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let source = Source { name: "x.yaml".into(), text };
        let _ = load(&source, Lang::En);
        let _ = DataFile::load(&source, Lang::En);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(source) = Source::decode("x.yaml", bytes, Lang::En) {
            let _ = load(&source, Lang::En);
            let _ = DataFile::load(&source, Lang::En);
        }
    }

    #[test]
    fn yamlish_text_never_panics(lines in prop::collection::vec(
        prop::sample::select(vec![
            "id: a", "title: t", "sections:", "  - id: s", "    title: S", "    points: 5", "    method: ratio",
            "    value: x", "    target: 0", "    children:", "      - id: c", "fields:", "  x: { type: number }",
            "values:", "  x: 1e3", "  x: \"96%\"", "not_applicable:", "  s: r", "grades:", "  - { min: 90, label: A }",
            "vetoes:", "  - { id: v, when: \"x > 1\", cap: 5 }", "&a [*a]", "- - - -", "{", "]", "x: !!binary AAAA",
            "derived:", "  y: \"x * 100 / (x - x)\"", "    method: formula", "    expr: \"points / 0\"",
        ]), 0..30)) {
        let source = Source { name: "x.yaml".into(), text: lines.join("\n") };
        let _ = load(&source, Lang::En);
        let _ = DataFile::load(&source, Lang::En);
    }
}
