//! Renderers for a batch: the ranking of each rubric group (one row per file, highest total
//! first) with its summary, and the pieces of the streamed outputs (a file's csv rows, its JSON
//! document, its text section).

use super::Opts;
use super::markdown::cell;
use super::table::table;
use crate::engine::Evaluation;
use crate::lang::{Lang, Msg};
use crate::number::{RoundingMode, display};
use crate::ranking::{Group, Row, Summary, Tally, summarize};
use rust_decimal::Decimal;

/// Ranked by total, highest first; equal totals share a rank and keep the input order.
pub fn ranked<'a>(rows: &[&'a Row]) -> Vec<(usize, &'a Row)> {
    let mut order: Vec<&Row> = rows.to_vec();
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

/// The ranking's columns, in every format: rank, subject, period, total, grade, then each
/// level-1 section of the group's rubric.
pub(crate) fn ranking_header(group: &Group, lang: Lang) -> Vec<&str> {
    let mut header =
        vec![lang.t(Msg::Rank), lang.t(Msg::Subject), lang.t(Msg::Period), lang.t(Msg::Total), lang.t(Msg::Grade)];
    header.extend(group.rubric.sections.iter().map(|s| s.title.as_str()));
    // Last: two units of one name are told apart by their files.
    header.push(lang.pick("文件", "File"));
    header
}

pub fn ranking_table(group: &Group, rows: &[&Row], opts: &Opts) -> String {
    let header = ranking_header(group, opts.lang);
    let numeric: Vec<usize> = std::iter::once(0).chain(3..header.len() - 1).filter(|&i| i != 4).collect();
    let mut t = table(opts, &header, &numeric);
    for (rank, s) in ranked(rows) {
        let mut row = vec![
            rank.to_string(),
            s.subject.clone(),
            s.period.clone().unwrap_or_default(),
            display(s.total),
            s.grade.clone().unwrap_or_default(),
        ];
        row.extend(s.sections.iter().map(|x| super::score_text(*x)));
        row.push(s.file.clone());
        t.add_row(row);
    }
    format!("{t}\n")
}

/// Each rubric group (in the order its first file came): the rubric's heading, the group's
/// ranking and its summary.
pub fn ranking_text(tally: &Tally, opts: &Opts) -> String {
    let mut out = String::new();
    for (at, group) in tally.groups.iter().enumerate() {
        let rows = tally.rows_of(at);
        if at > 0 {
            out.push('\n');
        }
        out.push_str(&super::table::rubric_heading(&group.rubric));
        out.push_str(&ranking_table(group, &rows, opts));
        if let Some(summary) = summarize(group, &rows, tally.failed) {
            out.push_str(&summary_text(&summary, opts));
        }
    }
    out
}

/// Markdown of each group: its ranking table (a group's first block), its summary, then the
/// rubric's heading.
pub fn ranking_markdown(tally: &Tally, opts: &Opts) -> String {
    let mut out = String::new();
    for (at, group) in tally.groups.iter().enumerate() {
        let rows = tally.rows_of(at);
        if at > 0 {
            out.push('\n');
        }
        let summary = summarize(group, &rows, tally.failed);
        out.push_str(&group_markdown(group, &rows, summary.as_ref(), opts));
        out.push_str(&format!("\n{}\n", cell(super::table::rubric_heading(&group.rubric).trim_end())));
    }
    out
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
        let units = s.count;
        for (title, lost, losing) in &s.top_losses {
            // Per unit of the group, those losing nothing included: a sum grows with the batch.
            let per_unit = avg(lost.checked_div(Decimal::from(units)).unwrap_or_default());
            out.push_str(&crate::tr!(
                l,
                "  {title}：平均扣 {per_unit} 分，{units} 个单位中 {losing} 个扣分\n",
                "  {title}: {per_unit} lost per unit on average; {losing} of {units} units lost points\n"
            ));
        }
    }
    out
}

fn group_markdown(group: &Group, rows: &[&Row], summary: Option<&Summary>, opts: &Opts) -> String {
    let l = opts.lang;
    let header = ranking_header(group, l);
    let mut out = format!(
        "|{}\n|--:|---|---|--:|---|{}---|\n",
        header.iter().map(|h| format!(" {} |", cell(h))).collect::<String>(),
        "--:|".repeat(header.len() - 6)
    );
    for (rank, s) in ranked(rows) {
        out.push_str(&format!(
            "| {rank} | {} | {} | {} | {} |{} {} |\n",
            cell(&s.subject),
            cell(s.period.as_deref().unwrap_or("")),
            display(s.total),
            cell(s.grade.as_deref().unwrap_or("")),
            s.sections.iter().map(|x| format!(" {} |", super::score_text(*x))).collect::<String>(),
            cell(&s.file)
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

/// The columns of a batch's csv, whatever rubrics its files use (SPEC §6): one row per file
/// and node down to `--depth` (then the file's total, `id` `total`), the file and its rubric
/// group first; a file that could not be scored is one row with its `error`.
const CSV_COLUMNS: [&str; 4] = ["file", "rubric", "fingerprint", "error"];

pub fn csv_header() -> String {
    let mut header: Vec<String> = CSV_COLUMNS[..3].iter().map(|c| (*c).to_owned()).collect();
    header.extend(super::csv::SCORE_COLUMNS.iter().map(|c| (*c).to_owned()));
    header.push(CSV_COLUMNS[3].to_owned());
    format!("{}{}", super::csv::BOM, super::csv::line(&header))
}

/// A scored file's csv rows (see [`csv_header`]).
pub fn csv_rows(e: &Evaluation, depth: Option<usize>) -> String {
    let mut out = String::new();
    for record in super::csv::score_records(e, depth) {
        let mut row = vec![e.file.clone(), e.rubric.id.clone(), e.rubric.fingerprint.clone()];
        row.extend(record);
        row.push(String::new());
        out.push_str(&super::csv::line(&row));
    }
    out
}

/// A file that could not be scored, as its csv row.
pub fn csv_failed(file: &str, error: &str) -> String {
    let mut row = vec![file.to_owned()];
    row.resize(3 + super::csv::SCORE_COLUMNS.len(), String::new());
    row.push(error.to_owned());
    super::csv::line(&row)
}

/// A failed file in a batch's JSON: `{"file": …, "error": …}` at its place (SPEC §6).
pub fn failed_json(file: &str, error: &str) -> serde_json::Value {
    serde_json::json!({ "file": file, "error": error })
}

/// One file's document in a streamed JSON output: with `lines` (jsonl), a compact line; with `json`,
/// an element of the array, pretty and indented as `serde_json` indents an array's elements
/// (the brackets and commas are written around it).
pub fn json_item(value: &serde_json::Value, lines: bool) -> String {
    if lines {
        let mut line = serde_json::to_string(value).unwrap_or_default();
        line.push('\n');
        return line;
    }
    // The element as serde_json writes it inside an array, without the brackets around it.
    let array = serde_json::to_string_pretty(std::slice::from_ref(value)).unwrap_or_default();
    array.strip_prefix("[\n").and_then(|a| a.strip_suffix("\n]")).unwrap_or_default().to_owned()
}

/// One file's section of a multi-file `breakdown` or `explain`: its file named above it.
pub fn section(e: &Evaluation, body: String, markdown: bool) -> String {
    if markdown {
        format!("<!-- {} -->\n{body}", e.file.replace("--", "- -"))
    } else {
        format!("── {} ──\n{body}", e.file)
    }
}

/// The section of a file that could not be scored (its errors are on stderr).
pub fn section_failed(file: &str, markdown: bool, lang: Lang) -> String {
    let why = crate::tr!(lang, "无法评分（错误见标准错误输出）", "could not be scored (errors on stderr)");
    if markdown {
        format!("<!-- {} -->\n**{}**: {why}\n", file.replace("--", "- -"), cell(file))
    } else {
        format!("── {file} ──\n{why}\n")
    }
}

/// The closing line of a batch with failed files: how many, and the first of them by name.
pub fn failed_line(tally: &Tally, lang: Lang) -> String {
    let n = tally.failed;
    let mut list = tally.failed_named.join(", ");
    if n > tally.failed_named.len() {
        list.push_str(&crate::tr!(lang, " 等", ", …"));
    }
    crate::tr!(lang, "{n} 个文件出错：{list}\n", "{n} file(s) failed: {list}\n")
}
