//! A rubric as the 评分表 a bureau publishes (`show --format csv|xlsx`): one line per indicator,
//! its path in the 一级／二级／三级指标 columns, its 分值 and 评分标准 — the columns `draft` reads
//! back into the same tree. A branch has its own line (its points, and its standard if it has
//! one) before its children's.

use crate::number::display;
use crate::rubric::{Node, Rubric};
use rust_decimal::Decimal;

/// The level columns' names, from the top (a tree deeper than four levels numbers on).
const LEVELS: [&str; 4] = ["一级指标", "二级指标", "三级指标", "四级指标"];

/// One line of the table.
pub struct Line<'a> {
    /// The titles from the section down to this node.
    pub path: Vec<&'a str>,
    pub points: Decimal,
    pub standard: &'a str,
}

/// The header and the lines, with as many level columns as the tree is deep (at least three).
pub fn lines(r: &Rubric) -> (Vec<String>, Vec<Line<'_>>) {
    fn add<'a>(n: &'a Node, path: &mut Vec<&'a str>, out: &mut Vec<Line<'a>>) {
        path.push(&n.title);
        out.push(Line { path: path.clone(), points: n.points, standard: n.standard.as_deref().unwrap_or("") });
        for c in n.children() {
            add(c, path, out);
        }
        path.pop();
    }
    let mut out = Vec::new();
    for s in &r.sections {
        add(s, &mut Vec::new(), &mut out);
    }
    let depth = out.iter().map(|l| l.path.len()).max().unwrap_or(0).max(3);
    let mut header: Vec<String> =
        (0..depth).map(|i| LEVELS.get(i).map_or_else(|| format!("{}级指标", i + 1), |s| (*s).to_owned())).collect();
    header.extend(["分值".to_owned(), "评分标准".to_owned()]);
    (header, out)
}

/// `show --format csv`: UTF-8 with a byte-order mark, CRLF, formula-like texts made inert.
pub fn csv(r: &Rubric) -> String {
    let (header, lines) = lines(r);
    let depth = header.len() - 2;
    let mut out = String::from(super::csv::BOM);
    out.push_str(&super::csv::line(&header));
    for l in lines {
        let mut fields: Vec<String> = (0..depth).map(|i| l.path.get(i).map_or("", |t| t).to_owned()).collect();
        fields.push(display(l.points));
        fields.push(l.standard.to_owned());
        out.push_str(&super::csv::line(&fields));
    }
    out
}
