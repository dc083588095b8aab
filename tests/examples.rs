//! The shipped examples, node by node, against the hand-worked tables in
//! docs/seed.md and docs/all-methods.md (computed by hand from the SPEC, not by the program).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rust_decimal::Decimal;
use selfeval::engine::{Evaluation, Status};

fn evaluate(path: &str) -> Evaluation {
    let (_, evaluation, warnings) = common::scoring::evaluate_file(path);
    assert!(warnings.0.is_empty(), "unexpected warnings: {warnings}");
    evaluation
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// (id, points, score or None when dropped, status)
fn check(e: &Evaluation, expected: &[(&str, &str, Option<&str>, Status)]) {
    let ids: Vec<&str> = e.walk().iter().map(|(_, n)| n.id.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|x| x.0).collect();
    assert_eq!(ids, want, "nodes in rubric order");
    for (id, points, score, status) in expected {
        let n = e.node(id).unwrap();
        assert_eq!(n.points, d(points), "{id} points");
        assert_eq!(n.score, score.map(d), "{id} score");
        assert_eq!(n.status, *status, "{id} status");
    }
}

use Status::{Bonus, NotApplicable as Na, Scored};

#[test]
fn seed_reproduces_the_2021_report() {
    let e = evaluate("examples/conghua-cast-2021/data.yaml");
    assert_eq!(e.total, d("92.7"));
    assert_eq!(e.grade.as_deref(), Some("优"));
    assert_eq!(e.subject, "广州市从化区科学技术协会");
    assert!(e.vetoes.is_empty());
    check(
        &e,
        &[
            ("management", "50", Some("42.7"), Scored),
            ("fund_mgmt", "33", Some("25.7"), Scored),
            ("budget_execution", "5", Some("5"), Scored),
            ("budget_adjustment", "2", Some("2"), Scored),
            ("carryover", "2", Some("2"), Scored),
            ("sanggong_control", "2", Some("2"), Scored),
            ("fund_compliance", "3", Some("3"), Scored),
            ("rules_soundness", "4", Some("2"), Scored),
            ("target_reasonableness", "4", Some("2"), Scored),
            ("indicator_clarity", "5", Some("3.5"), Scored),
            ("monitoring_evaluation", "6", Some("4.2"), Scored),
            ("procurement_mgmt", "6", Some("6"), Scored),
            ("procurement_execution", "3", Some("3"), Scored),
            ("procurement_compliance", "3", Some("3"), Scored),
            ("disclosure_mgmt", "6", Some("6"), Scored),
            ("budget_disclosure", "4", Some("4"), Scored),
            ("performance_disclosure", "2", Some("2"), Scored),
            ("asset_mgmt", "5", Some("5"), Scored),
            ("asset_security", "2", Some("2"), Scored),
            ("asset_use", "3", Some("3"), Scored),
            ("performance", "50", Some("50"), Scored),
            ("media", "12", Some("12"), Scored),
            ("tweet_issues", "4", Some("4"), Scored),
            ("tweet_articles", "3", Some("3"), Scored),
            ("radio_episodes", "3", Some("3"), Scored),
            ("media_accuracy", "2", Some("2"), Scored),
            ("brand_events", "18", Some("18"), Scored),
            ("huimin_events", "5", Some("5"), Scored),
            ("science_day_events", "5", Some("5"), Scored),
            ("volunteer_events", "4", Some("4"), Scored),
            ("edu_bases", "4", Some("4"), Scored),
            ("board", "8", Some("8"), Scored),
            ("board_updates", "5", Some("5"), Scored),
            ("board_topics", "3", Some("3"), Scored),
            ("key_groups", "12", Some("12"), Scored),
            ("campus_experts", "2", Some("2"), Scored),
            ("campus_schools", "2", Some("2"), Scored),
            ("campus_students", "2", Some("2"), Scored),
            ("science_towns", "2", Some("2"), Scored),
            ("science_yards", "2", Some("2"), Scored),
            ("group_members", "2", Some("2"), Scored),
        ],
    );
    // The 7.3 lost points fall exactly where the report says, and nowhere else.
    let losers: Vec<(&str, Decimal)> = e
        .walk()
        .into_iter()
        .filter(|(_, n)| n.children.is_empty() && n.lost() != Some(Decimal::ZERO))
        .map(|(_, n)| (n.id.as_str(), n.lost().unwrap()))
        .collect();
    assert_eq!(
        losers,
        vec![
            ("rules_soundness", d("2")),
            ("target_reasonableness", d("2")),
            ("indicator_clarity", d("1.5")),
            ("monitoring_evaluation", d("1.8"))
        ]
    );
    // The report's own scores are the declared block.
    assert_eq!(
        e.declared,
        vec![("total".into(), d("92.7")), ("management".into(), d("42.7")), ("performance".into(), d("50"))]
    );
}

#[test]
fn seed_inputs_are_the_reports_figures() {
    let e = evaluate("examples/conghua-cast-2021/data.yaml");
    let input = |id: &str, name: &str| {
        let leaf = e.node(id).unwrap().leaf.as_ref().unwrap();
        leaf.inputs.iter().find(|(n, _)| n == name).map(|(_, v)| v.to_string()).unwrap()
    };
    assert_eq!(input("budget_execution", "execution_rate"), "100");
    assert_eq!(input("tweet_issues", "tweets.issues"), "95");
    assert_eq!(input("tweet_articles", "tweets.articles"), "455");
    assert_eq!(input("radio_episodes", "radio.episodes"), "201");
    assert_eq!(input("huimin_events", "events.huimin"), "8");
    assert_eq!(input("science_day_events", "events.science_day"), "10");
    assert_eq!(input("volunteer_events", "events.volunteer"), "19");
    assert_eq!(input("campus_students", "campus.students"), "2000");
    assert_eq!(input("group_members", "members.groups"), "18");
}

#[test]
fn all_methods_example_matches_the_hand_computation() {
    let e = evaluate("examples/all-methods/data.yaml");
    // Root: 22.23 + 20.72 + 33.59 = 76.54 → 76.5 (precision.total 1, half_up); grade 中.
    assert_eq!(e.total, d("76.5"));
    assert_eq!(e.grade.as_deref(), Some("中"));
    assert!(e.vetoes.is_empty());
    check(
        &e,
        &[
            ("finance", "30", Some("22.23"), Scored),
            ("exec_rate", "8", Some("7.4"), Scored),
            ("task_completion", "9", Some("4.38"), Scored),
            ("training", "4", Some("3.6"), Scored),
            ("unit_cost", "5", Some("4.35"), Scored),
            ("completion_steps", "4", Some("2.5"), Scored),
            ("management", "30", Some("20.72"), Scored),
            ("rules", "4", Some("2.5"), Scored),
            ("goal_quality", "5", Some("4"), Scored),
            ("audit_findings", "3", Some("0.5"), Scored),
            ("procurement", "10", Some("6.64"), Scored),
            ("procurement_rate", "3", Some("1.88"), Scored),
            ("procurement_days", "2", Some("1.27"), Scored),
            ("procurement_docs", "2", Some("1.5"), Scored),
            ("assets", "8", Some("7.08"), Scored),
            ("asset_use", "4", Some("3.54"), Scored),
            ("asset_disposal", "4", None, Na),
            ("outputs", "40", Some("33.59"), Scored),
            ("events", "8", Some("6"), Scored),
            ("satisfaction_score", "6", Some("4.61"), Scored),
            ("reach", "9", Some("7.78"), Scored),
            ("on_time", "6", Some("4.5"), Scored),
            ("social_impact", "6", Some("4.2"), Scored),
            ("hotline", "5", Some("5"), Na),
            ("award", "2", Some("1.5"), Bonus),
        ],
    );
    assert_eq!(e.node("procurement").unwrap().rescaled_from, Some(d("4.65")));
    assert_eq!(e.node("assets").unwrap().rescaled_from, Some(d("3.54")));
    assert_eq!(e.node("asset_disposal").unwrap().reason.as_deref(), Some("本年度无资产处置事项"));
}
