//! `--format markdown`: GitHub-flavoured tables for reports and wikis.

use super::{basis, ranked, rows, score_text};
use crate::engine::Evaluation;
use crate::number::display;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn indent(depth: usize, title: &str) -> String {
    format!("{}{}", "&nbsp;&nbsp;".repeat(depth.saturating_sub(1)), cell(title))
}

fn title(e: &Evaluation) -> String {
    let period = e.period.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
    let grade = e.grade.as_deref().map(|g| format!("，等级 **{g}**")).unwrap_or_default();
    format!(
        "## {}{period}：{}\n\n总分 **{}** / {}{grade}\n\n",
        cell(&e.subject),
        cell(&e.rubric.title),
        display(e.total),
        display(e.max)
    )
}

pub fn score(e: &Evaluation, depth: usize) -> String {
    let mut out = title(e);
    out.push_str("| 指标 | 分值 | 得分 | 扣分 |\n|---|--:|--:|--:|\n");
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
        "| **总分** | {} | **{}** | {} |\n",
        display(e.max),
        display(e.total),
        display(e.max - e.total)
    ));
    out
}

pub fn breakdown(e: &Evaluation) -> String {
    let mut out = title(e);
    out.push_str("| 指标 | 分值 | 得分 | 扣分 | 评分依据 |\n|---|--:|--:|--:|---|\n");
    for (d, n) in rows(e, None) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            indent(d, &n.title),
            display(n.points),
            score_text(n.score),
            score_text(n.lost()),
            cell(&basis(n))
        ));
    }
    out
}

pub fn ranking(evaluations: &[Evaluation]) -> String {
    let sections: Vec<String> =
        evaluations.first().map(|e| e.nodes.iter().map(|n| cell(&n.title)).collect()).unwrap_or_default();
    let mut out = format!(
        "| 名次 | 单位 | 年度 | 总分 | 等级 |{}\n",
        sections.iter().map(|s| format!(" {s} |")).collect::<String>()
    );
    out.push_str(&format!("|--:|---|---|--:|---|{}\n", "--:|".repeat(sections.len())));
    for (rank, e) in ranked(evaluations) {
        out.push_str(&format!(
            "| {rank} | {} | {} | {} | {} |{}\n",
            cell(&e.subject),
            cell(e.period.as_deref().unwrap_or("")),
            display(e.total),
            e.grade.as_deref().unwrap_or(""),
            e.nodes.iter().map(|n| format!(" {} |", score_text(n.score))).collect::<String>()
        ));
    }
    out
}
