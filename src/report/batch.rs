//! Renderers for a batch: the ranking (one row per file, highest total first) and the summary.

use super::Opts;
use super::markdown::cell;
use super::table::table;
use crate::lang::{Lang, Msg};
use crate::number::{RoundingMode, display};
use crate::ranking::{FileOutcome, Scored, Summary};
use rust_decimal::Decimal;

/// Ranked by total, highest first; equal totals share a rank and keep the input order.
pub fn ranked<'a>(scored: &[&'a Scored]) -> Vec<(usize, &'a Scored)> {
    let mut order: Vec<&Scored> = scored.to_vec();
    order.sort_by_key(|s| std::cmp::Reverse(s.total));
    let mut out = Vec::new();
    let mut rank = 0;
    let mut last = None;
    for (i, s) in order.into_iter().enumerate() {
        if last != Some(s.total) {
            rank = i + 1;
            last = Some(s.total);
        }
        out.push((rank, s));
    }
    out
}

/// Averages shown to two places (display only).
fn avg(d: Decimal) -> String {
    display(average_shown(d))
}

/// An average as every report shows it: two places, half up (so the workbook's cell holds the
/// number the table prints, not one Excel rounds its own way).
pub(crate) fn average_shown(d: Decimal) -> Decimal {
    RoundingMode::HalfUp.round(d, 2)
}

fn section_titles<'a>(scored: &[&'a Scored]) -> Vec<&'a str> {
    scored.first().map(|s| s.sections.iter().map(|(_, t, _)| t.as_ref()).collect()).unwrap_or_default()
}

/// The ranking's columns, in every format: rank, subject, period, total, grade, then each
/// level-1 section.
pub(crate) fn ranking_header<'a>(scored: &[&'a Scored], lang: Lang) -> Vec<&'a str> {
    let mut header =
        vec![lang.t(Msg::Rank), lang.t(Msg::Subject), lang.t(Msg::Period), lang.t(Msg::Total), lang.t(Msg::Grade)];
    header.extend(section_titles(scored));
    header
}

pub fn ranking_table(scored: &[&Scored], opts: &Opts) -> String {
    let header = ranking_header(scored, opts.lang);
    let numeric: Vec<usize> = std::iter::once(0).chain(3..header.len()).filter(|&i| i != 4).collect();
    let mut t = table(opts, &header, &numeric);
    for (rank, s) in ranked(scored) {
        let mut row = vec![
            rank.to_string(),
            s.subject.clone(),
            s.period.clone().unwrap_or_default(),
            display(s.total),
            s.grade.clone().unwrap_or_default(),
        ];
        row.extend(s.sections.iter().map(|(_, _, x)| super::score_text(*x)));
        t.add_row(row);
    }
    format!("{t}\n")
}

fn grade_name(label: &str, lang: Lang) -> String {
    if label.is_empty() { lang.t(Msg::NoGrade).to_owned() } else { label.to_owned() }
}

pub fn summary_text(s: &Summary, opts: &Opts) -> String {
    let l = opts.lang;
    let c = l.t(Msg::Comma);
    let share = |n: usize| super::percent(Decimal::from(n) / Decimal::from(s.count.max(1)));
    let mut out = format!(
        "{}{}{}{c}{} {}{c}{} {}{c}{} {}{c}{} {}\n",
        l.t(Msg::Files),
        l.t(Msg::Colon),
        s.count + s.failed,
        l.t(Msg::Mean),
        avg(s.mean),
        l.t(Msg::Median),
        avg(s.median),
        l.t(Msg::Min),
        display(s.min),
        l.t(Msg::Max),
        display(s.max)
    );
    if s.failed > 0 {
        out.push_str(&format!("{}{}{}\n", l.t(Msg::FailedFiles), l.t(Msg::Colon), s.failed));
    }
    let grades: Vec<String> =
        s.grades.iter().map(|(g, n)| format!("{} {n} ({})", grade_name(g, l), share(*n))).collect();
    if !grades.is_empty() {
        out.push_str(&format!("{}{}{}\n", l.t(Msg::Grade), l.t(Msg::Colon), grades.join(c)));
    }
    let sections: Vec<String> =
        s.sections.iter().map(|(t, a)| format!("{t} {}", a.map_or_else(|| "—".to_owned(), avg))).collect();
    out.push_str(&format!("{}{}{}\n", l.t(Msg::SectionAverages), l.t(Msg::Colon), sections.join(c)));
    if !s.top_losses.is_empty() {
        out.push_str(&format!("{}{}\n", l.t(Msg::MostLost), l.t(Msg::Colon)));
        for (title, lost, files) in &s.top_losses {
            out.push_str(&format!(
                "  {title}{}{} {} / {files} {}\n",
                l.t(Msg::Colon),
                l.t(Msg::Lost),
                display(*lost),
                l.t(Msg::FilesLower)
            ));
        }
    }
    out
}

pub fn ranking_markdown(scored: &[&Scored], summary: Option<&Summary>, opts: &Opts) -> String {
    let l = opts.lang;
    let header = ranking_header(scored, l);
    let mut out = format!(
        "|{}\n|--:|---|---|--:|---|{}\n",
        header.iter().map(|h| format!(" {} |", cell(h))).collect::<String>(),
        "--:|".repeat(header.len() - 5)
    );
    for (rank, s) in ranked(scored) {
        out.push_str(&format!(
            "| {rank} | {} | {} | {} | {} |{}\n",
            cell(&s.subject),
            cell(s.period.as_deref().unwrap_or("")),
            display(s.total),
            cell(s.grade.as_deref().unwrap_or("")),
            s.sections.iter().map(|(_, _, x)| format!(" {} |", super::score_text(*x))).collect::<String>()
        ));
    }
    if let Some(summary) = summary {
        out.push('\n');
        for line in summary_text(summary, opts).lines() {
            out.push_str(&format!("{line}  \n"));
        }
    }
    out
}

pub fn ranking_csv(scored: &[&Scored]) -> String {
    let mut out = String::from(super::csv::BOM);
    let ids: Vec<&str> =
        scored.first().map(|s| s.sections.iter().map(|(id, _, _)| id.as_ref()).collect()).unwrap_or_default();
    let mut header = vec!["rank", "file", "subject", "period", "total", "grade"];
    header.extend(ids);
    out.push_str(&super::csv::line(&header.into_iter().map(str::to_owned).collect::<Vec<_>>()));
    for (rank, s) in ranked(scored) {
        let mut row = vec![
            rank.to_string(),
            s.file.clone(),
            s.subject.clone(),
            s.period.clone().unwrap_or_default(),
            display(s.total),
            s.grade.clone().unwrap_or_default(),
        ];
        row.extend(s.sections.iter().map(|(_, _, x)| super::csv::opt(*x)));
        out.push_str(&super::csv::line(&row));
    }
    out
}

fn item_json(o: &FileOutcome) -> serde_json::Value {
    match o {
        FileOutcome::Scored(s) => s.json.clone().unwrap_or(serde_json::Value::Null),
        FileOutcome::Failed { file, error } => serde_json::json!({ "file": file, "error": error }),
    }
}

/// A JSON array in input order; failed files as `{"file": …, "error": …}` (SPEC §6).
pub fn json_array(outcomes: &[&FileOutcome]) -> String {
    let doc = serde_json::Value::Array(outcomes.iter().map(|o| item_json(o)).collect());
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// One compact JSON document per line, in input order.
pub fn json_lines(outcomes: &[&FileOutcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        out.push_str(&serde_json::to_string(&item_json(o)).unwrap_or_default());
        out.push('\n');
    }
    out
}
