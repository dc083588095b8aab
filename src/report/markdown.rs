//! `--format markdown`: GitHub-flavoured tables for reports and wikis.

use super::{Opts, basis, rows, score_text};
use crate::engine::Evaluation;
use crate::lang::Msg;
use crate::number::display;

/// A table cell's text: pipes escaped, line breaks folded, so a row stays one row.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn indent(depth: usize, title: &str) -> String {
    format!("{}{}", "&nbsp;&nbsp;".repeat(depth.saturating_sub(1)), cell(title))
}

fn title(e: &Evaluation, opts: &Opts) -> String {
    let l = opts.lang;
    let period = e.period.as_deref().map(|p| format!(" {}", cell(p))).unwrap_or_default();
    let grade =
        e.grade.as_deref().map(|g| format!("{}{} **{g}**", l.t(Msg::Comma), l.t(Msg::Grade))).unwrap_or_default();
    // The rubric by title, id and fingerprint (SPEC §5.1).
    let tag = super::table::rubric_tag(&e.rubric.id, &e.rubric.fingerprint);
    format!(
        "## {}{period}{}{} ({})\n\n{} **{}** / {}{grade}\n\n",
        cell(&e.subject),
        l.t(Msg::Colon),
        cell(&e.rubric.title),
        cell(&tag),
        l.t(Msg::Total),
        display(e.total),
        display(e.max)
    )
}

/// A header row in the options' language and its alignment row.
fn header(opts: &Opts, keys: &[Msg], align: &str) -> String {
    let names: Vec<&str> = keys.iter().map(|k| opts.lang.t(*k)).collect();
    format!("| {} |\n|{align}\n", names.join(" | "))
}

pub fn score(e: &Evaluation, depth: usize, opts: &Opts) -> String {
    let mut out = title(e, opts);
    out.push_str(&header(opts, &[Msg::Indicator, Msg::Points, Msg::Score, Msg::Lost], "---|--:|--:|--:|"));
    for (d, n) in rows(e, Some(depth)) {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            indent(d, &n.title),
            display(n.points),
            score_text(n.score),
            score_text(n.lost())
        ));
    }
    out.push_str(&format!(
        "| **{}** | {} | **{}** | {} |\n",
        opts.lang.t(Msg::Total),
        display(e.max),
        display(e.total),
        display(e.max - e.total)
    ));
    out
}

pub fn breakdown(e: &Evaluation, opts: &Opts) -> String {
    let mut out = title(e, opts);
    let keys = [Msg::Indicator, Msg::Points, Msg::Score, Msg::Lost, Msg::Weight, Msg::Basis];
    out.push_str(&header(opts, &keys, "---|--:|--:|--:|--:|---|"));
    for (d, n) in rows(e, None) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            indent(d, &n.title),
            display(n.points),
            score_text(n.score),
            score_text(n.lost()),
            n.weight.map(super::percent).unwrap_or_default(),
            cell(&basis(n, opts.lang))
        ));
    }
    out
}
