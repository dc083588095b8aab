//! The bureau's overview (src/overview.rs, src/report/overview.rs, the workbook's overview):
//! groups by rubric text, averages per unit, over-claims at check's tolerance, ranking with
//! shared ranks — checked against figures worked out here from the evaluations themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rust_decimal::Decimal;
use selfeval::data::DataFile;
use selfeval::engine::{self, Evaluation};
use selfeval::input::{load_rubric, read_source, rubric_named_by};
use selfeval::lang::Lang;
use selfeval::overview::Overview;
use selfeval::rubric::Rubric;
use std::sync::Arc;

fn evaluate(path: &str) -> (Arc<Rubric>, Evaluation) {
    let source = read_source(path, Lang::En).unwrap();
    let (data, _) = DataFile::load(&source, Lang::En).unwrap();
    let spec = rubric_named_by(&data, Lang::En).unwrap();
    let loaded = load_rubric(&spec, Lang::En).map_err(|(d, _)| d).unwrap();
    let e = engine::score(&loaded.rubric, &data, &engine::Options::default()).unwrap().0;
    (loaded.rubric, e)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn overview() -> (Overview, Vec<Evaluation>) {
    let mut o = Overview::new(Decimal::ZERO);
    let mut all = Vec::new();
    for path in [
        "examples/batch/unit-a.yaml",
        "examples/mof-project-2020/data.yaml",
        "examples/batch/unit-b.yaml",
        "examples/over-claimed/data.yaml",
        "examples/batch/unit-c.yaml",
    ] {
        let (r, e) = evaluate(path);
        o.add(&r, &e);
        all.push(e);
    }
    o.add_failed("broken.yaml", "\nbroken.yaml:1:1: error: not a map\n  more lines\n");
    (o, all)
}

#[test]
fn groups_are_rubric_texts_in_order_of_first_appearance() {
    let (o, all) = overview();
    let ids: Vec<(&str, usize)> = o.groups.iter().map(|g| (g.rubric_id.as_str(), g.units.len())).collect();
    assert_eq!(ids, vec![("cast-dept-2021", 4), ("mof-project-2020", 1)]);
    assert_eq!(o.scored(), 5);
    assert_eq!((o.failed_count, o.failed[0].1.as_str()), (1, "broken.yaml:1:1: error: not a map"));
    let g = &o.groups[0];
    // Mean and median of the four cast totals, worked out here.
    let mut totals: Vec<Decimal> = [0, 2, 3, 4].iter().map(|&i| all[i].total).collect();
    assert_eq!(g.mean(), totals.iter().sum::<Decimal>() / d("4"));
    totals.sort();
    assert_eq!(g.median(), (totals[1] + totals[2]) / d("2"));
    assert_eq!((g.min(), g.max_total()), (totals[0], totals[3]));
}

#[test]
fn losses_are_averaged_over_every_unit_of_the_group() {
    let (o, all) = overview();
    let g = &o.groups[0];
    let cast = [&all[0], &all[2], &all[3], &all[4]];
    for loss in g.losses() {
        let (mut sum, mut units) = (Decimal::ZERO, 0);
        for e in cast {
            if let Some(l) = e.node(&loss.id).and_then(|n| n.lost()).filter(|l| *l > Decimal::ZERO) {
                sum += l;
                units += 1;
            }
        }
        assert_eq!((loss.lost, loss.units), (sum, units), "{}", loss.id);
        assert_eq!(g.per_unit(loss.lost), sum / d("4"));
    }
    // Most lost first.
    let lost: Vec<Decimal> = g.losses().iter().map(|l| l.lost).collect();
    assert!(lost.windows(2).all(|w| w[0] >= w[1]));
    assert!(!lost.is_empty());
}

#[test]
fn over_claims_and_shared_ranks() {
    let (o, _) = overview();
    let g = &o.groups[0];
    let over = g.over_claims(Decimal::ZERO);
    assert_eq!(over.len(), 1);
    assert_eq!((over[0].declared, over[0].total), (Some(d("95")), d("92.7")));
    // Within a tolerance of 2.3 it agrees, as `check --tolerance 2.3` would say.
    assert!(g.over_claims(d("2.3")).is_empty());
    let ranking = g.ranking();
    for pair in ranking.windows(2) {
        let ((r1, u1), (r2, u2)) = (pair[0], pair[1]);
        assert!(u1.total >= u2.total);
        if u1.total == u2.total { assert_eq!(r1, r2) } else { assert!(r2 > r1) }
    }
}

#[test]
fn the_page_shows_each_group_with_figures_as_people_write_them() {
    let (o, _) = overview();
    let html = selfeval::report::overview::render(&o, Lang::Zh);
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("<script") && !html.contains("http"), "self-contained: {html}");
    assert_eq!(html.matches("<section class=\"group\"").count(), 2, "{html}");
    assert!(html.contains("等级分布") && html.contains("扣分最多的指标（按单位平均）"));
    assert!(html.contains("<td class=\"num over\">+2.3</td>"), "the over-claim");
    assert!(html.contains("broken.yaml:1:1: error: not a map"));
    // An average to two places, never 28 digits.
    let g = &o.groups[0];
    let first = g.losses()[0];
    let shown = selfeval::number::RoundingMode::HalfUp.round(g.per_unit(first.lost), 2).normalize().to_string();
    assert!(html.contains(&format!("<td class=\"num\">{shown}</td>")), "{shown}");
    let en = selfeval::report::overview::render(&o, Lang::En);
    assert!(en.contains("Grade distribution") && en.contains("<html lang=\"en\">") && !en.contains("等级分布"));
}

#[test]
fn user_text_in_the_page_is_escaped() {
    let (r, mut e) = evaluate("examples/batch/unit-a.yaml");
    e.subject = "<script>alert(1)</script>".into();
    e.file = "a&b\".yaml".into();
    let mut o = Overview::new(Decimal::ZERO);
    o.add(&r, &e);
    o.add_failed("<img src=x>", "<b>bad</b>");
    let html = selfeval::report::overview::render(&o, Lang::Zh);
    assert!(!html.contains("<script>alert") && !html.contains("<img") && !html.contains("<b>bad"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;") || html.contains("&lt;script&gt;"));
}

#[test]
fn the_workbook_has_a_sheet_per_view_with_exact_cells() {
    use calamine::{Data, Reader, Xlsx};
    let (o, _) = overview();
    let bytes = selfeval::report::workbook::overview_workbook(&o, Lang::Zh).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, vec!["自评结果汇总", "扣分指标", "多报", "排名", "无法评分的文件"]);
    let ranking = book.worksheet_range("排名").unwrap();
    let rows: Vec<&[Data]> = ranking.rows().collect();
    assert_eq!(rows.len(), 1 + 5);
    assert_eq!(rows[0][0], Data::String("评分办法".into()));
    let over = book.worksheet_range("多报").unwrap();
    let row = over.rows().nth(1).unwrap();
    assert_eq!(row[0], Data::String("cast-dept-2021".into()));
    assert_eq!((&row[4], &row[5]), (&Data::Float(95.0), &Data::Float(92.7)));
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
    let (o, _) = overview();
    std::fs::write(&page, selfeval::report::overview::render(&o, Lang::Zh)).unwrap();
    let dom = common::browser::render(&page, &png);
    let text = common::browser::visible_text(&dom);
    for shown in ["自评结果汇总", "等级分布", "甲单位", "mof-project-2020", "+2.3", "broken.yaml"] {
        assert!(text.contains(shown), "the browser does not show {shown}:\n{text}");
    }
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(common::browser::png_size(&bytes), (1240, 1754));
    assert!(bytes.len() > 40_000, "the screenshot is nearly empty ({} bytes)", bytes.len());
}
