//! Property tests: random rubric trees and data never panic, every score stays within
//! [0, points], every branch obeys SPEC §4 (recomputed here independently), and scoring is
//! deterministic. Random text never panics the loaders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use selfeval::data::DataFile;
use selfeval::engine::{self, Evaluation, NodeResult, Status};
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

#[derive(Debug, Clone)]
enum Tree {
    Leaf { points: u32, bonus: bool, value: Decimal },
    Branch { points: Option<u32>, children: Vec<Tree> },
}

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

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = (0u32..=10, prop::bool::weighted(0.15), value()).prop_map(|(points, bonus, value)| Tree::Leaf {
        points,
        bonus,
        value,
    });
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
            }
            Case { sections, indicator, total, rounding, policies, listed }
        })
}

/// Writes the case as a rubric and a data file. Every leaf is a formula over its own field.
fn render(case: &Case) -> (String, String) {
    let mut rubric = format!(
        "id: prop\ntitle: property\nprecision: {{ indicator: {}, total: {} }}\nrounding: {}\nfields:\n",
        case.indicator, case.total, case.rounding
    );
    let mut nodes = String::new();
    let mut values = String::new();
    let mut na = String::new();
    let mut n = 0usize;
    #[allow(clippy::too_many_arguments)]
    fn walk(
        t: &Tree,
        depth: usize,
        case: &Case,
        n: &mut usize,
        fields: &mut String,
        nodes: &mut String,
        values: &mut String,
        na: &mut String,
    ) {
        let id = *n;
        *n += 1;
        let pad = "  ".repeat(depth * 2 + 1);
        nodes.push_str(&format!("{pad}- id: n{id}\n{pad}  title: N{id}\n"));
        if let Some(p) = case.policies[id % 64] {
            nodes.push_str(&format!("{pad}  not_applicable: {p}\n"));
        }
        if case.listed[id % 64] {
            na.push_str(&format!("  n{id}: reason {id}\n"));
        }
        match t {
            Tree::Leaf { points, bonus, value } => {
                fields.push_str(&format!("  x{id}: {{ type: number }}\n"));
                values.push_str(&format!("  x{id}: {value}\n"));
                nodes.push_str(&format!("{pad}  points: {points}\n{pad}  method: formula\n{pad}  expr: \"x{id}\"\n"));
                if *bonus {
                    nodes.push_str(&format!("{pad}  bonus: true\n"));
                }
            }
            Tree::Branch { points, children } => {
                if let Some(p) = points {
                    nodes.push_str(&format!("{pad}  points: {p}\n{pad}  scale: true\n"));
                }
                nodes.push_str(&format!("{pad}  children:\n"));
                for c in children {
                    walk(c, depth + 1, case, n, fields, nodes, values, na);
                }
            }
        }
    }
    for s in &case.sections {
        walk(s, 0, case, &mut n, &mut rubric, &mut nodes, &mut values, &mut na);
    }
    rubric.push_str("sections:\n");
    rubric.push_str(&nodes);
    let mut data = format!("values:\n{values}");
    if !na.is_empty() {
        data.push_str(&format!("not_applicable:\n{na}"));
    }
    (rubric, data)
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
    Some(points.min(r + b))
}

fn is_bonus_na(n: &NodeResult) -> bool {
    n.bonus
}

fn check_invariants(case: &Case, e: &Evaluation) {
    for (_, n) in e.walk() {
        if let Some(s) = n.score {
            assert!(s >= Decimal::ZERO && s <= n.points, "{} scored {s} of {}", n.id, n.points);
        }
        if n.status != Status::NotApplicable && !n.children.is_empty() {
            let expected = branch_rule(n.points, &n.children, Some((case.rounding, case.indicator)));
            assert_eq!(n.score, expected, "branch {} breaks §4", n.id);
        }
        if let Some(leaf) = &n.leaf {
            let x = leaf.inputs[0].1.to_string().parse::<Decimal>().unwrap();
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
        let (rubric_text, data_text) = render(&case);
        let rubric = match load(&Source { name: "r.yaml".into(), text: rubric_text.clone() }) {
            Ok((r, _)) => r,
            // Random weights can make full_marks or sums disagree only through scale, which
            // is always declared; anything else is a generator bug worth seeing.
            Err(d) => panic!("rubric rejected: {d}\n{rubric_text}"),
        };
        let (data, _) = DataFile::load(&Source { name: "d.yaml".into(), text: data_text.clone() }).unwrap();
        match engine::score(&rubric, &data) {
            Ok((e, _)) => {
                check_invariants(&case, &e);
                let (again, _) = engine::score(&rubric, &data).unwrap();
                prop_assert_eq!(e, again);
            }
            Err(d) => {
                let text = d.to_string();
                prop_assert!(text.contains("every section is not applicable") || text.contains("already covered"), "{}\n{}\n{}", text, rubric_text, data_text);
            }
        }
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let source = Source { name: "x.yaml".into(), text };
        let _ = load(&source);
        let _ = DataFile::load(&source);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(source) = Source::decode("x.yaml", bytes) {
            let _ = load(&source);
            let _ = DataFile::load(&source);
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
        let _ = load(&source);
        let _ = DataFile::load(&source);
    }
}
