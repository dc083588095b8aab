//! `report --format markdown`: the report's blocks as Markdown, the 附表 as a pipe table
//! (merged 一级/二级 cells are written once, at the top of their run).

use super::text::Block;
use super::{Appendix, Narrative};
use std::fmt::Write;

pub fn render(n: &Narrative, blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}\n");
            }
            Block::Heading(level, t) => {
                let _ = writeln!(out, "{} {t}\n", "#".repeat(usize::from(*level) + 1));
            }
            Block::Paragraph(t) => {
                let t = if t.starts_with('#') { format!("\\{t}") } else { t.clone() };
                let _ = writeln!(out, "{t}\n");
            }
        }
    }
    appendix(&mut out, &n.appendix, n);
    out
}

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}

fn appendix(out: &mut String, a: &Appendix, n: &Narrative) {
    let _ = writeln!(out, "## {}\n", a.title);
    let _ = writeln!(out, "| {} |", a.columns.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "|---|---|---|--:|---|--:|---|");
    let mut previous: Option<(&str, &str)> = None;
    for r in &a.rows {
        let first = if previous.is_some_and(|(f, _)| f == r.first.0) { "" } else { r.first.1.as_str() };
        let second = if previous.is_some_and(|(_, s)| s == r.second.0) { "" } else { r.second.1.as_str() };
        previous = Some((&r.first.0, &r.second.0));
        let cells = [first, second, &r.third, &r.points, &r.standard, &r.score, &r.reason];
        let _ = writeln!(out, "| {} |", cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
    let total = n.lang.pick("合计", "Total");
    let grade = a.grade.as_deref().map(|g| format!("{}{g}", n.lang.pick("等级：", "grade: "))).unwrap_or_default();
    let _ = writeln!(out, "| **{total}** |  |  | {} |  | **{}** | {} |", a.total.0, a.total.1, cell(&grade));
    let _ = writeln!(out);
    let sign: Vec<String> = n.sign_off.iter().map(|(k, v)| format!("{k}{}{v}", n.lang.pick("：", ": "))).collect();
    let _ = writeln!(out, "{}", cell(&sign.join(n.lang.pick("　　", "   "))));
}
