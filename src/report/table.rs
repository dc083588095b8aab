//! Terminal tables (comfy-table). No colour is ever emitted, so output is the same on a
//! terminal, in a pipe and under NO_COLOR.

use super::{Opts, basis, rows, score_text};
use crate::engine::Evaluation;
use crate::lang::Msg;
use crate::number::display;
use crate::rubric::{Node, NodeKind, Rubric};
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

/// Border drawing: box characters, or plain ASCII for terminals that draw them wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Utf8,
    Ascii,
}

/// A table with `header` (in the options' language) whose `numeric` columns align right.
pub(crate) fn table(opts: &Opts, header: &[&str], numeric: &[usize]) -> Table {
    let mut t = Table::new();
    t.force_no_tty();
    t.load_style(match opts.style {
        Style::Utf8 => presets::UTF8_FULL_CONDENSED,
        Style::Ascii => presets::ASCII_FULL_CONDENSED,
    });
    t.set_truncation_indicator("...");
    match opts.width {
        // Long cells (titles, rules, standards) wrap so that the table fits the terminal.
        Some(width) => {
            t.set_width(width);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t.set_header(header.iter().copied());
    for &i in numeric {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

pub(crate) fn indent(depth: usize, title: &str) -> String {
    format!("{}{title}", "  ".repeat(depth.saturating_sub(1)))
}

/// The headline: who, which period, which rubric (by id and fingerprint).
pub(crate) fn heading(e: &Evaluation) -> String {
    let period = e.period.as_deref().map(|p| format!(" · {p}")).unwrap_or_default();
    format!("{}{period} · {} ({})\n", e.subject, e.rubric.title, super::rubric_tag(&e.rubric.id, &e.rubric.fingerprint))
}

/// The line naming a batch's rubric above its ranking: title, id and fingerprint.
pub fn rubric_heading(rubric: &Rubric) -> String {
    format!("{} ({})\n", rubric.title, super::rubric_tag(&rubric.id, &rubric.fingerprint))
}

/// `Total 92.7 / 100 · Grade 优`, then any veto that fired.
fn footer(e: &Evaluation, opts: &Opts) -> String {
    let l = opts.lang;
    let grade = e.grade.as_deref().map(|g| format!(" · {} {g}", l.t(Msg::Grade))).unwrap_or_default();
    let mut out = format!("{} {} / {}{grade}\n", l.t(Msg::Total), display(e.total), display(e.max));
    for v in &e.vetoes {
        let cap = v.cap.map(|c| format!(", {} {}", l.t(Msg::CappedAt), display(c))).unwrap_or_default();
        let grade = v.grade.as_deref().map(|g| format!(", {} {g}", l.t(Msg::GradeSetTo))).unwrap_or_default();
        out.push_str(&format!("{} {}: {}{cap}{grade}\n", l.t(Msg::Veto), v.id, v.title.as_deref().unwrap_or("")));
    }
    out
}

fn total_row(e: &Evaluation, opts: &Opts, columns: usize) -> Vec<String> {
    let mut row = vec![opts.lang.t(Msg::Total).to_owned(), display(e.max), display(e.total), display(e.max - e.total)];
    row.resize(columns, String::new());
    row
}

/// `score` for one file: the tree down to `depth` (1 = sections).
pub fn score(e: &Evaluation, depth: usize, opts: &Opts) -> String {
    let l = opts.lang;
    let mut t = table(opts, &[l.t(Msg::Indicator), l.t(Msg::Points), l.t(Msg::Score), l.t(Msg::Lost)], &[1, 2, 3]);
    for (d, n) in rows(e, Some(depth)) {
        t.add_row(vec![indent(d, &n.title), display(n.points), score_text(n.score), super::lost_text(n)]);
    }
    t.add_row(total_row(e, opts, 4));
    format!("{}{t}\n{}", heading(e), footer(e, opts))
}

/// `breakdown`: every node with its effective weight and the rule and inputs behind each leaf.
pub fn breakdown(e: &Evaluation, opts: &Opts) -> String {
    let l = opts.lang;
    let header =
        [l.t(Msg::Indicator), l.t(Msg::Points), l.t(Msg::Score), l.t(Msg::Lost), l.t(Msg::Weight), l.t(Msg::Basis)];
    let mut t = table(opts, &header, &[1, 2, 3, 4]);
    for (d, n) in rows(e, None) {
        let weight = n.weight.map(|w| super::share(w, e.rubric.figures())).unwrap_or_default();
        t.add_row(vec![
            indent(d, &n.title),
            display(n.points),
            score_text(n.score),
            super::lost_text(n),
            weight,
            basis(n, l),
        ]);
    }
    t.add_row(total_row(e, opts, 6));
    let confidence = format!(
        "{}{}{} ({})\n",
        l.t(Msg::ManualShare),
        l.t(Msg::Colon),
        super::share(e.unsure_share, e.rubric.figures()),
        l.t(Msg::FromManual)
    );
    format!("{}{confidence}{t}\n{}", heading(e), footer(e, opts))
}

/// `show`: a rubric as a table of indicators, points and standards.
pub fn show(r: &Rubric, opts: &Opts) -> String {
    let l = opts.lang;
    let header = [l.t(Msg::Indicator), l.t(Msg::Id), l.t(Msg::Points), l.t(Msg::Method), l.t(Msg::Standard)];
    let mut t = table(opts, &header, &[2]);
    fn add(t: &mut Table, n: &Node, depth: usize, lang: crate::lang::Lang) {
        let (points, method) = (super::rubric::points_text(n), super::rubric::method_text(n, lang));
        t.add_row(vec![indent(depth, &n.title), n.id.clone(), points, method, n.standard.clone().unwrap_or_default()]);
        for c in n.children() {
            add(t, c, depth + 1, lang);
        }
    }
    for s in &r.sections {
        add(&mut t, s, 1, l);
    }
    t.add_row(vec![l.t(Msg::FullMarks).to_owned(), String::new(), display(r.max), String::new(), String::new()]);
    let version = r.version.as_deref().map(|v| format!(" v{v}")).unwrap_or_default();
    let grades = if r.grades.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = r.grades.iter().map(|g| format!("{} ≥ {}", g.label, display(g.min))).collect();
        format!("{}{}{}\n", l.t(Msg::Grade), l.t(Msg::Colon), list.join(l.t(Msg::Comma)))
    };
    format!("{} ({}){version}\n{t}\n{grades}", r.title, r.id)
}

/// `rubrics`: the built-in library.
pub fn rubric_list(rubrics: &[&Rubric], opts: &Opts) -> String {
    let l = opts.lang;
    let header = [l.t(Msg::Id), l.t(Msg::Title), l.t(Msg::Version), l.t(Msg::FullMarks), l.t(Msg::Leaves)];
    let mut t = table(opts, &header, &[3, 4]);
    for r in rubrics {
        let leaves = r.nodes().iter().filter(|n| !matches!(n.kind, NodeKind::Branch(_))).count();
        t.add_row(vec![
            r.id.clone(),
            r.title.clone(),
            r.version.clone().unwrap_or_default(),
            display(r.max),
            leaves.to_string(),
        ]);
    }
    format!("{t}\n")
}
