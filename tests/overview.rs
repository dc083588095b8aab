//! The bureau's overview (src/overview.rs, src/report/overview.rs, the workbook's overview):
//! groups by rubric text, averages per unit, over-claims at check's tolerance, ranking with
//! shared ranks — checked against figures worked out here from the evaluations themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rust_decimal::Decimal;
use selfeval::engine::Evaluation;
use selfeval::lang::Lang;
use selfeval::overview;
use selfeval::ranking::{FileSummary, Tally};
use selfeval::rubric::Rubric;
use std::sync::Arc;

fn evaluate(path: &str) -> (Arc<Rubric>, Evaluation) {
    let (rubric, e, _) = common::scoring::evaluate_file(path);
    (rubric, e)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const FILES: [&str; 5] = [
    "examples/batch/unit-a.yaml",
    "examples/mof-project-2020/data.yaml",
    "examples/batch/unit-b.yaml",
    "examples/over-claimed/data.yaml",
    "examples/batch/unit-c.yaml",
];

fn tally() -> (Tally, Vec<Evaluation>) {
    let mut t = Tally::default();
    let mut all = Vec::new();
    for path in FILES {
        let (r, e) = evaluate(path);
        t.add(FileSummary::of(&e, &r, path), true);
        all.push(e);
    }
    t.add_failed("broken.yaml");
    (t, all)
}

#[test]
fn losses_are_averaged_over_every_unit_of_the_group() {
    let (t, all) = tally();
    let ids: Vec<(&str, usize)> = t.groups.iter().map(|g| (g.rubric.id.as_str(), g.units)).collect();
    assert_eq!(ids, vec![("cast-dept-2021", 4), ("mof-project-2020", 1)]);
    let g = &t.groups[0];
    let cast = [&all[0], &all[2], &all[3], &all[4]];
    let losses = overview::losses(g);
    assert!(!losses.is_empty());
    for loss in &losses {
        let (mut sum, mut units) = (Decimal::ZERO, 0);
        for e in cast {
            if let Some(l) = e.node(&loss.node.id).and_then(|n| n.lost()).filter(|l| *l > Decimal::ZERO) {
                sum += l;
                units += 1;
            }
        }
        assert_eq!((loss.node.lost, loss.node.units), (sum, units), "{}", loss.node.id);
        assert_eq!(loss.per_unit, sum / d("4"), "averaged over all four units, not over those losing");
        assert_eq!(loss.share, Decimal::from(units) / d("4"));
        assert_eq!(loss.points, Some(all[0].node(&loss.node.id).unwrap().points));
    }
    let lost: Vec<Decimal> = losses.iter().map(|l| l.node.lost).collect();
    assert!(lost.windows(2).all(|w| w[0] >= w[1]), "most lost first");
}

#[test]
fn over_claims_at_the_tolerance() {
    let (t, _) = tally();
    let over = overview::over_claims(&t, 0, overview::TOLERANCE);
    assert_eq!(over.len(), 1);
    assert_eq!((over[0].declared_total, over[0].total), (Some(d("95")), d("92.7")));
    assert_eq!(overview::excess(over[0]), Some(d("2.3")));
    // Within a tolerance of 2.3 it agrees, as `check --tolerance 2.3` would say.
    assert!(overview::over_claims(&t, 0, d("2.3")).is_empty());
    // The project's declared total equals its computed one: no over-claim.
    assert!(overview::over_claims(&t, 1, overview::TOLERANCE).is_empty());
}

#[test]
fn the_page_shows_each_group_with_figures_as_people_write_them() {
    let (t, _) = tally();
    let html = selfeval::report::overview::render(&t, overview::TOLERANCE, Lang::Zh);
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(!html.contains("<script") && !html.contains("http"), "self-contained");
    assert_eq!(html.matches("<section class=\"group\"").count(), 2, "{html}");
    assert!(html.contains("等级分布") && html.contains("扣分最多的指标（按单位平均）"));
    assert!(html.contains("<td class=\"num over\">+2.3</td>"), "the over-claim");
    assert!(html.contains("broken.yaml"));
    // An average to two places, never 28 digits: rules_soundness loses 2 in each of 4 units.
    let first = &overview::losses(&t.groups[0])[0];
    let shown = selfeval::number::RoundingMode::HalfUp.round(first.per_unit, 2).normalize().to_string();
    assert!(html.contains(&format!("<td class=\"num\">{shown}</td>")), "{shown}");
    let en = selfeval::report::overview::render(&t, overview::TOLERANCE, Lang::En);
    assert!(en.contains("Grade distribution") && en.contains("<html lang=\"en\">") && !en.contains("等级分布"));
}

#[test]
fn user_text_in_the_page_is_escaped() {
    let (r, mut e) = evaluate("examples/batch/unit-a.yaml");
    e.subject = "<script>alert(1)</script>".into();
    let mut t = Tally::default();
    t.add(FileSummary::of(&e, &r, "x"), true);
    let mut summary = FileSummary::of(&e, &r, "x");
    summary.row.file = "<img src=x>.yaml".into();
    t.add(summary, true);
    t.add_failed("<b>bad</b>.yaml");
    let html = selfeval::report::overview::render(&t, overview::TOLERANCE, Lang::Zh);
    assert!(!html.contains("<script>alert") && !html.contains("<img") && !html.contains("<b>bad"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn the_workbook_adds_grades_losses_and_over_claims() {
    use calamine::{Data, Reader, Xlsx};
    let (t, _) = tally();
    let bytes = selfeval::report::workbook::ranking_workbook(&t, Lang::Zh).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    for sheet in ["等级分布", "扣分指标", "多报"] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let over = book.worksheet_range("多报").unwrap();
    let rows: Vec<&[Data]> = over.rows().collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], Data::String("cast-dept-2021".into()));
    assert_eq!((&rows[1][4], &rows[1][5], &rows[1][6]), (&Data::Float(95.0), &Data::Float(92.7), &Data::Float(2.3)));
    let losses = book.worksheet_range("扣分指标").unwrap();
    let first = losses.rows().nth(1).unwrap();
    let want = &overview::losses(&t.groups[0])[0];
    assert_eq!(first[2], Data::String(want.node.title.clone()));
    let avg = selfeval::number::RoundingMode::HalfUp.round(want.per_unit, 2).normalize().to_string();
    assert_eq!(first[4], Data::Float(avg.parse().unwrap()));
}

#[test]
fn the_overview_in_headless_chromium() {
    if !common::browser::chromium_available("the_overview_in_headless_chromium") {
        return;
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../overview-test");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("overview.html");
    let png = dir.join("overview.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_selfeval"))
        .args(["score", "--lang", "zh", "--format", "html", "-o"])
        .arg(&page)
        .args(FILES)
        .status()
        .unwrap();
    assert!(status.success());
    let dom = common::browser::render(&page, &png);
    let text = common::browser::visible_text(&dom);
    for shown in ["自评结果汇总", "等级分布", "甲单位", "mof-project-2020", "+2.3", "乙单位"] {
        assert!(text.contains(shown), "the browser does not show {shown}:\n{text}");
    }
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(common::browser::png_size(&bytes), (1240, 1754));
    assert!(bytes.len() > 40_000, "the screenshot is nearly empty ({} bytes)", bytes.len());
}

/// Rows go to their own group's table: a first group with no over-claims (no over-claim table)
/// must not take the second group's over-claim rows, nor leave that table empty.
#[test]
fn over_claim_rows_go_to_their_own_group() {
    let mut t = Tally::default();
    for path in ["examples/mof-project-2020/data.yaml", "examples/over-claimed/data.yaml"] {
        let (r, e) = evaluate(path);
        t.add(FileSummary::of(&e, &r, path), true);
    }
    assert_eq!(t.groups[0].rubric.id, "mof-project-2020");
    let html = selfeval::report::overview::render(&t, overview::TOLERANCE, Lang::Zh);
    let second = html.find("<section class=\"group\" id=\"group-2\"").expect("two groups");
    let (first_group, second_group) = html.split_at(second);
    assert!(!first_group.contains("+2.3"), "the first group shows another group's over-claim");
    let table = second_group.split("<table class=\"over-claims\">").nth(1).expect("an over-claim table");
    let body = table.split("</table>").next().unwrap();
    assert!(body.contains("<td class=\"num over\">+2.3</td>"), "{body}");
}
