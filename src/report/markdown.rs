//! `--format markdown`: GitHub-flavoured tables for reports and wikis.

use super::{Opts, basis, rows, score_text};
use crate::engine::Evaluation;
use crate::lang::Msg;
use crate::number::display;

/// A table cell's text: pipes escaped, line breaks folded, so a row stays one row; `<` and `>`
/// as entities, so text from a data file (`<img src=…>`, `<script>`) is shown, not rendered as
/// HTML by a wiki or a Markdown viewer.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ").replace('<', "&lt;").replace('>', "&gt;")
}

/// `text` as a fenced code block whose fence is longer than any run of backticks in it, so
/// text from a data file cannot close the block and be rendered as Markdown or HTML.
pub(crate) fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}\n{text}{fence}\n")
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
    let tag = super::rubric_tag(&e.rubric.id, &e.rubric.fingerprint);
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
            super::lost_text(n)
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
            super::lost_text(n),
            n.weight.map(|w| super::share(w, e.rubric.figures())).unwrap_or_default(),
            cell(&basis(n, opts.lang))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn item6_cells_show_markup_as_text() {
        assert_eq!(super::cell("<img src=x onerror=alert(1)>|a\nb"), "&lt;img src=x onerror=alert(1)&gt;\\|a b");
        assert_eq!(super::cell("op >= 90"), "op &gt;= 90");
        assert_eq!(super::fenced("a\n"), "```\na\n```\n");
        assert_eq!(super::fenced("```\n<b>\n"), "````\n```\n<b>\n````\n");
    }
}
