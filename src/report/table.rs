//! Terminal tables (comfy-table). No colour is ever emitted, so output is the same on a
//! terminal, in a pipe and under NO_COLOR.

use super::{basis, ranked, rows, score_text};
use crate::engine::Evaluation;
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

fn table(style: Style, header: &[&str], numeric: &[usize]) -> Table {
    let mut t = Table::new();
    t.force_no_tty();
    t.load_style(match style {
        Style::Utf8 => presets::UTF8_FULL_CONDENSED,
        Style::Ascii => presets::ASCII_FULL_CONDENSED,
    });
    t.set_truncation_indicator("...");
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(header.iter().copied());
    for &i in numeric {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn indent(depth: usize, title: &str) -> String {
    format!("{}{title}", "  ".repeat(depth.saturating_sub(1)))
}

/// The headline: who, which period, which rubric.
fn heading(e: &Evaluation) -> String {
    let period = e.period.as_deref().map(|p| format!(" · {p}")).unwrap_or_default();
    format!("{}{period} · {} ({})\n", e.subject, e.rubric.title, e.rubric.id)
}

/// `总分 92.7 / 100 · 等级 优`, then any veto that fired.
fn footer(e: &Evaluation) -> String {
    let grade = e.grade.as_deref().map(|g| format!(" · 等级 {g}")).unwrap_or_default();
    let mut out = format!("总分 {} / {}{grade}\n", display(e.total), display(e.max));
    for v in &e.vetoes {
        let cap = v.cap.map(|c| format!("，封顶 {}", display(c))).unwrap_or_default();
        let grade = v.grade.as_deref().map(|g| format!("，等级定为 {g}")).unwrap_or_default();
        out.push_str(&format!("一票否决 {}：{}{cap}{grade}\n", v.id, v.title.as_deref().unwrap_or("")));
    }
    out
}

/// `score` for one file: the tree down to `depth` (1 = sections).
pub fn score(e: &Evaluation, depth: usize, style: Style) -> String {
    let mut t = table(style, &["指标", "分值", "得分", "扣分"], &[1, 2, 3]);
    for (d, n) in rows(e, Some(depth)) {
        t.add_row(vec![indent(d, &n.title), display(n.points), score_text(n.score), score_text(n.lost())]);
    }
    t.add_row(vec!["总分".to_owned(), display(e.max), display(e.total), display(e.max - e.total)]);
    format!("{}{t}\n{}", heading(e), footer(e))
}

/// `score` for several files: one row each, ranked by total.
pub fn ranking(evaluations: &[Evaluation], style: Style) -> String {
    let sections: Vec<&str> =
        evaluations.first().map(|e| e.nodes.iter().map(|n| n.title.as_str()).collect()).unwrap_or_default();
    let mut header = vec!["名次", "单位", "年度", "总分", "等级"];
    header.extend(sections.iter().copied());
    let numeric: Vec<usize> = std::iter::once(0).chain(3..header.len()).filter(|&i| i != 4).collect();
    let mut t = table(style, &header, &numeric);
    for (rank, e) in ranked(evaluations) {
        let mut row = vec![
            rank.to_string(),
            e.subject.clone(),
            e.period.clone().unwrap_or_default(),
            display(e.total),
            e.grade.clone().unwrap_or_default(),
        ];
        row.extend(e.nodes.iter().map(|n| score_text(n.score)));
        t.add_row(row);
    }
    format!("{t}\n")
}

/// `breakdown`: every node with the rule and inputs behind each leaf.
pub fn breakdown(e: &Evaluation, style: Style) -> String {
    let mut t = table(style, &["指标", "分值", "得分", "扣分", "评分依据"], &[1, 2, 3]);
    for (d, n) in rows(e, None) {
        t.add_row(vec![indent(d, &n.title), display(n.points), score_text(n.score), score_text(n.lost()), basis(n)]);
    }
    t.add_row(vec!["总分".to_owned(), display(e.max), display(e.total), display(e.max - e.total), String::new()]);
    format!("{}{t}\n{}", heading(e), footer(e))
}

/// `show`: a rubric as a table of indicators, points and standards.
pub fn show(r: &Rubric, style: Style) -> String {
    let mut t = table(style, &["指标", "id", "分值", "评分方法", "评分标准"], &[2]);
    fn add(t: &mut Table, n: &Node, depth: usize) {
        let method = match &n.kind {
            NodeKind::Leaf(m) => m.name().to_owned(),
            NodeKind::Rows(spec) => format!("rows: {}", spec.source),
            NodeKind::Branch(_) if n.scale => "scale".into(),
            NodeKind::Branch(_) => String::new(),
        };
        let points = if n.bonus { format!("+{}", display(n.points)) } else { display(n.points) };
        t.add_row(vec![indent(depth, &n.title), n.id.clone(), points, method, n.standard.clone().unwrap_or_default()]);
        for c in n.children() {
            add(t, c, depth + 1);
        }
    }
    for s in &r.sections {
        add(&mut t, s, 1);
    }
    t.add_row(vec!["满分".to_owned(), String::new(), display(r.max), String::new(), String::new()]);
    let version = r.version.as_deref().map(|v| format!(" v{v}")).unwrap_or_default();
    let grades = if r.grades.is_empty() {
        String::new()
    } else {
        format!(
            "等级：{}\n",
            r.grades.iter().map(|g| format!("{} ≥ {}", g.label, display(g.min))).collect::<Vec<_>>().join("，")
        )
    };
    format!("{} ({}){version}\n{t}\n{grades}", r.title, r.id)
}

/// `rubrics`: the built-in library.
pub fn rubric_list(rubrics: &[&Rubric], style: Style) -> String {
    let mut t = table(style, &["id", "名称", "版本", "满分", "指标数"], &[3, 4]);
    for r in rubrics {
        let leaves = r.nodes().iter().filter(|n| matches!(n.kind, NodeKind::Leaf(_))).count();
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
