//! The indicator tree of a 评分表: each line's path of names (blank or merged upper cells carried
//! down from the line above), positional ids, points checked against the children's sum.

use super::table::{Cell, Header, Line, Sheet};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::lang::Lang;
use crate::tr;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Most lines of a table read as indicators: a 部门整体 table has a hundred or so, and a rubric
/// holds at most a few thousand indicators (docs/design.md, limits of size).
pub(crate) const MAX_LINES: usize = 10_000;

/// An indicator of the table.
#[derive(Debug)]
pub(crate) struct TableNode {
    pub id: String,
    pub title: String,
    /// Where its name is.
    pub pos: Pos,
    /// The points its own line prints, if it has a line and a figure there.
    pub printed: Option<Decimal>,
    /// The points the drafted rubric gives it: the printed figure for a leaf, the children's
    /// sum for a branch.
    pub points: Decimal,
    pub standard: Option<String>,
    pub explanation: Option<String>,
    /// Whether a line of the table names it last (rather than only as the parent of others).
    pub has_line: bool,
    pub children: Vec<TableNode>,
    /// The children by title, so that a wide table is built in linear time.
    index: HashMap<String, usize>,
}

impl TableNode {
    fn new(title: String, pos: Pos) -> Self {
        TableNode {
            id: String::new(),
            title,
            pos,
            printed: None,
            points: Decimal::ZERO,
            standard: None,
            explanation: None,
            has_line: false,
            children: Vec::new(),
            index: HashMap::new(),
        }
    }
}

/// The table's indicators and the lines read.
pub(crate) struct Tree {
    pub sections: Vec<TableNode>,
    pub lines_read: usize,
}

/// Text a first-level cell holds on a line of totals, which is not an indicator.
const TOTAL_WORDS: [&str; 5] = ["合计", "总计", "总分", "小计", "总分值"];

/// Builds the tree from the lines under the header; every problem is reported, located.
pub(crate) fn build(file: &str, sheet: &Sheet, header: &Header, lang: Lang) -> Result<Tree, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut root = TableNode::new(String::new(), Pos::UNKNOWN);
    let mut carried: Vec<Option<Cell>> = vec![None; header.levels.len()];
    let mut lines_read = 0usize;
    for line in sheet.lines.iter().skip(header.line + 1) {
        let names: Vec<Option<&Cell>> = header.levels.iter().map(|&c| line.get(c)).collect();
        let points = line.get(header.points);
        let standard = header.standard.and_then(|c| line.get(c));
        let Some(deepest) = names.iter().rposition(Option::is_some) else {
            if let Some(cell) = points.or(standard) {
                diags.error(
                    file,
                    cell.pos.clone(),
                    tr!(
                        lang,
                        "这一行有分值或评分标准，却没有指标名称",
                        "this line has points or a standard but no indicator name"
                    ),
                );
            }
            continue;
        };
        if names[0].is_some_and(|c| TOTAL_WORDS.contains(&c.text.as_str())) {
            continue;
        }
        lines_read += 1;
        if lines_read > MAX_LINES {
            diags.error(
                file,
                line.pos.clone(),
                tr!(
                    lang,
                    "表格超过 {MAX_LINES} 行指标；评分表通常只有几十到一百多行",
                    "the table has more than {MAX_LINES} lines of indicators; a 评分表 has a few dozen to a hundred or so"
                ),
            );
            break;
        }
        let mut path: Vec<Cell> = Vec::new();
        for (level, name) in names.iter().enumerate().take(deepest + 1) {
            match name {
                Some(cell) => {
                    carried[level] = Some((*cell).clone());
                    carried.iter_mut().skip(level + 1).for_each(|c| *c = None);
                    path.push((*cell).clone());
                }
                None => match &carried[level] {
                    Some(above) => path.push(above.clone()),
                    None => {
                        diags.error(
                            file,
                            line.pos.clone(),
                            tr!(
                                lang,
                                "第 {} 级指标是空的，上面也没有可沿用的名称",
                                "the level-{} indicator is blank and there is no name above to carry down",
                                level + 1
                            ),
                        );
                        break;
                    }
                },
            }
        }
        if path.len() != deepest + 1 {
            continue;
        }
        let printed = points.and_then(|cell| read_points(file, cell, header.weight, &mut diags, lang));
        place(file, &mut root, &path, line, header, printed, &mut diags, lang);
    }
    assign(file, &mut root.children, "", 0, &mut diags, lang);
    diags.into_result(Tree { sections: root.children, lines_read }).map(|(t, _)| t)
}

/// Puts a line's indicator into the tree at its path, creating the parents it names.
#[allow(clippy::too_many_arguments)]
fn place(
    file: &str,
    root: &mut TableNode,
    path: &[Cell],
    line: &Line,
    header: &Header,
    printed: Option<Decimal>,
    diags: &mut Diagnostics,
    lang: Lang,
) {
    let mut node = root;
    let mut named_points = None;
    for (i, full) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let (title, named) = points_in_name(&full.text);
        let cell = &Cell { text: title.to_owned(), pos: full.pos.clone() };
        let found = node.index.get(&cell.text).copied();
        let index = match found {
            Some(at) if last && node.children[at].has_line => {
                let first = node.children[at].pos.clone();
                diags.push(
                    Diagnostic::error(
                        file,
                        cell.pos.clone(),
                        tr!(
                            lang,
                            "指标“{}”在同一上级指标下出现了两次（{}）",
                            "the indicator “{}” appears twice under the same parent (first at {})",
                            cell.text,
                            first.phrase(lang)
                        ),
                    )
                    .also_at(first),
                );
                return;
            }
            Some(at) => at,
            None => {
                node.children.push(TableNode::new(cell.text.clone(), cell.pos.clone()));
                node.index.insert(cell.text.clone(), node.children.len() - 1);
                node.children.len() - 1
            }
        };
        node = &mut node.children[index];
        // A parent named with its points (`投入（16分）`) and without a line of its own.
        if !last && !node.has_line && node.printed.is_none() {
            node.printed = named;
        }
        named_points = named;
    }
    node.has_line = true;
    node.pos = path.last().map_or(line.pos.clone(), |c| c.pos.clone());
    node.printed = printed.or(named_points);
    node.standard = header.standard.and_then(|c| line.get(c)).map(|c| c.text.clone());
    node.explanation = header.explanation.and_then(|c| line.get(c)).map(|c| c.text.clone());
}

/// An indicator's name without the points published in it: `投入（16分）` is 投入 worth 16.
fn points_in_name(text: &str) -> (&str, Option<Decimal>) {
    let Some(inner) = text.strip_suffix(['）', ')']) else { return (text, None) };
    let Some(open) = inner.rfind(['（', '(']) else { return (text, None) };
    let figure = inner[open..].trim_start_matches(['（', '(']).trim();
    let points = figure.strip_suffix('分').and_then(|f| crate::number::parse_literal(f.trim()).ok());
    match points {
        Some(p)
            if p >= Decimal::ZERO
                && p <= Decimal::from(crate::rubric::MAX_POINTS)
                && !inner[..open].trim().is_empty() =>
        {
            (inner[..open].trim_end(), Some(p))
        }
        _ => (text, None),
    }
}

/// A 分值 cell's points: a decimal, with `分` after it or, in a 权重 column, `%` (`10%` is 10
/// points).
fn read_points(file: &str, cell: &Cell, weight: bool, diags: &mut Diagnostics, lang: Lang) -> Option<Decimal> {
    let text = cell.text.trim();
    let bare = text.strip_suffix('分').or_else(|| text.strip_suffix(['%', '％'])).unwrap_or(text).trim();
    let most = Decimal::from(crate::rubric::MAX_POINTS);
    let value = crate::number::parse_literal(bare).ok().filter(|d| *d >= Decimal::ZERO && *d <= most);
    if value.is_none() {
        let column = if weight { "权重" } else { "分值" };
        diags.error(
            file,
            cell.pos.clone(),
            tr!(
                lang,
                "{column} `{text}` 不是分数：应为 0 到 {most} 之间的数字，如 10、2.5、10%",
                "{column} `{text}` is not a number of points: a decimal from 0 to {most} such as 10, 2.5 or 10%"
            ),
        );
    }
    value
}

/// Positional ids (`a1`, `a1_b2`, `a1_b2_c3`) and points: a leaf's printed figure (required), a
/// branch's children's sum.
fn assign(file: &str, nodes: &mut [TableNode], parent: &str, depth: usize, diags: &mut Diagnostics, lang: Lang) {
    let letter = char::from(b'a' + u8::try_from(depth.min(25)).unwrap_or(25));
    for (i, node) in nodes.iter_mut().enumerate() {
        node.id = if parent.is_empty() { format!("{letter}{}", i + 1) } else { format!("{parent}_{letter}{}", i + 1) };
        if node.children.is_empty() {
            match node.printed {
                Some(p) => node.points = p,
                None => diags.error(
                    file,
                    node.pos.clone(),
                    tr!(lang, "指标“{}”没有分值", "the indicator “{}” has no points", node.title),
                ),
            }
            continue;
        }
        let id = node.id.clone();
        assign(file, &mut node.children, &id, depth + 1, diags, lang);
        node.points = node.children.iter().fold(Decimal::ZERO, |sum, c| sum.saturating_add(c.points));
    }
}
