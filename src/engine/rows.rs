//! Indicator tables (SPEC §2.3): a `rows` branch's leaves are the rows of a list in the data
//! file. Before scoring, each applicable rows branch is expanded into one leaf per row, with id
//! `<branch>.<n>` and the row's name as title; from then on rows are leaves like any other.

use crate::data::DataFile;
use crate::diag::{Diagnostics, with_suggestion};
use crate::lang::Lang;
use crate::method::{Figure, Method, Op, Row};
use crate::number::{display, parse_literal};
use crate::rubric::load::node_points;
use crate::rubric::{Node, NodeKind, RowsSpec, Rubric};
use crate::tr;
use crate::yaml::{Kind, MapReader, Node as YNode, Reader};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// `rubric` with every rows branch that is not listed as not applicable (itself or through an
/// ancestor) expanded from `data`. Borrowed as is when the rubric has no rows branch.
pub(crate) fn expand<'r>(rubric: &'r Rubric, data: &DataFile, diags: &mut Diagnostics, lang: Lang) -> Cow<'r, Rubric> {
    if rubric.row_sources.is_empty() {
        return Cow::Borrowed(rubric);
    }
    let mut expanded = rubric.clone();
    let places = rubric.precision.indicator;
    for section in &mut expanded.sections {
        expand_node(section, false, places, data, diags, lang);
    }
    Cow::Owned(expanded)
}

/// `places`: `precision.indicator`, which rows' points may not exceed in decimals.
fn expand_node(node: &mut Node, listed_above: bool, places: u32, data: &DataFile, diags: &mut Diagnostics, lang: Lang) {
    let listed = listed_above || data.not_applicable.iter().any(|e| e.id == node.id);
    match &mut node.kind {
        NodeKind::Branch(children) => {
            for child in children {
                expand_node(child, listed, places, data, diags, lang);
            }
        }
        NodeKind::Rows(spec) => {
            // A not-applicable table needs no rows at all.
            let rows = if listed {
                Vec::new()
            } else {
                read_rows(node.id.as_str(), node.points, node.scale, spec, places, data, diags, lang)
            };
            node.kind = NodeKind::Branch(rows);
        }
        NodeKind::Leaf(_) => {}
    }
}

/// The rows of one branch as leaves; problems are reported naming the branch or the row.
#[allow(clippy::too_many_arguments)]
fn read_rows(
    branch: &str,
    points: Decimal,
    scale: bool,
    spec: &RowsSpec,
    places: u32,
    data: &DataFile,
    diags: &mut Diagnostics,
    lang: Lang,
) -> Vec<Node> {
    let file = data.file.as_str();
    let reader = Reader { file, lang };
    let what = tr!(lang, "`{branch}` 的表格行（values.{}）", "rows of `{branch}` (values.{})", spec.source);
    let list = match data.lookup(&spec.source, lang) {
        Err((e, pos, first)) => {
            let message = tr!(lang, "values：{e}", "values: {e}");
            diags.push(crate::diag::Diagnostic::error(file, pos, message).also_at(first));
            return Vec::new();
        }
        Ok(None) => {
            diags.error(
                file,
                data.values_pos.clone(),
                tr!(
                    lang,
                    "缺少{what}：请填写这个列表；如果没有任何行，请把 `{branch}` 列在 `not_applicable` 下",
                    "missing {what}: give the list, or list `{branch}` under `not_applicable` if it has no rows"
                ),
            );
            return Vec::new();
        }
        Ok(Some(list)) => list,
    };
    let Some(items) = reader.seq(list, &what, diags) else { return Vec::new() };
    if items.is_empty() {
        diags.error(
            file,
            list.pos.clone(),
            tr!(
                lang,
                "{what}：列表是空的；请改为把 `{branch}` 列在 `not_applicable` 下",
                "{what}: the list is empty; list `{branch}` under `not_applicable` instead"
            ),
        );
        return Vec::new();
    }
    let mut leaves = Vec::new();
    // The rows' points, while every row's could be read: a row with another problem still
    // counts in the sum, so a wrong sum is reported with it, not after it is fixed.
    let mut sum = Some(Decimal::ZERO);
    for (i, item) in items.iter().enumerate() {
        let id = format!("{branch}.{}", i + 1);
        let (leaf, row_points) = read_row(&id, item, spec, places, file, diags, lang);
        leaves.push(leaf);
        sum = sum.zip(row_points).map(|(s, p)| s + p);
    }
    if let Some(sum) = sum
        && !scale
        && sum != points
    {
        diags.error(
            file,
            list.pos.clone(),
            tr!(
                lang,
                "{what}：各行分值合计 `{}`，但 `{branch}` 的分值是 {}（如果各行分值是权重，请在该分支上写 `scale: true`）",
                "{what}: the rows' points add up to `{}`, but `{branch}` is worth {} (write `scale: true` on the branch if they are weights)",
                display(sum),
                display(points)
            ),
        );
    }
    leaves
}

/// How a row's target and actual are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Numbers or percent texts (`>=` `<=` `=`).
    Number,
    /// Levels (`定性`).
    Level,
    /// The operator is missing or unknown: a level of the branch's map as a level, anything
    /// else as a number, so that a figure's own problem is reported now, with the operator's.
    Either,
}

/// One row as a leaf, and its points when they could be read. Every problem of the row is
/// reported, each at the value it is about; a row with problems is still a leaf (never
/// scored: its errors stop the file first), so that `not_applicable` or `manual` naming it
/// by id are not reported as naming an unknown indicator.
fn read_row(
    id: &str,
    item: &YNode,
    spec: &RowsSpec,
    places: u32,
    file: &str,
    diags: &mut Diagnostics,
    lang: Lang,
) -> (Node, Option<Decimal>) {
    let reader = Reader { file, lang };
    let what = tr!(lang, "行 `{id}`", "row `{id}`");
    let unread = |title: Option<String>, points: Option<Decimal>| {
        let row = Row {
            op: Op::AtLeast,
            target: None,
            actual: Figure::Level(String::new()),
            unit: None,
            reverse: spec.reverse,
            qualitative: Vec::new(),
        };
        let node = leaf(id, title, item.pos.clone(), points.unwrap_or_default(), row);
        (node, points)
    };
    let Some(mut m) = MapReader::new(file, lang, item, &what, diags) else { return unread(None, None) };
    let name = m
        .require("name", &what, diags)
        .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`name`", "{what}: `name`"), diags));
    let what = match &name {
        Some(n) => tr!(lang, "行 `{id}`（{n}）", "row `{id}` ({n})"),
        None => what,
    };
    let op_node = m.require("op", &what, diags);
    let op = op_node.and_then(|n| {
        let text = reader.text(n, &crate::tr!(lang, "{what}：`op`", "{what}: `op`"), diags)?;
        let op = Op::parse(&text);
        if op.is_none() {
            let spellings = Op::SPELLINGS.join(" ");
            diags.error(
                file,
                n.pos.clone(),
                tr!(
                    lang,
                    "{what}：运算符 \"{text}\" 不是以下写法之一：{spellings}",
                    "{what}: operator \"{text}\" is not one of {spellings}"
                ),
            );
        }
        op
    });
    // Held to the rule of the rubric's own points, so a row's score rounded to
    // `precision.indicator` cannot exceed them (10.005 would score 10.01).
    let points = m.require("points", &what, diags).and_then(|n| node_points(n, &what, places, file, diags, lang));
    let unit = m.get("unit").and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`unit`", "{what}: `unit`"), diags));
    let reading = match op {
        Some(Op::Qualitative) => Reading::Level,
        Some(_) => Reading::Number,
        None => Reading::Either,
    };
    let mut sound = true;
    let levels = spec.qualitative.as_deref().unwrap_or_default();
    if reading == Reading::Level
        && spec.qualitative.is_none()
        && let Some(n) = op_node
    {
        diags.error(
            file,
            n.pos.clone(),
            tr!(
                lang,
                "{what}：定性行要求指标体系在其所属分支上写有 `qualitative` 映射",
                "{what}: a 定性 row needs a `qualitative` map on its branch in the rubric"
            ),
        );
        sound = false;
    }
    let target_what = crate::tr!(lang, "{what}：`target`", "{what}: `target`");
    // Only quantitative rows need a target; with the operator unknown, nobody can say.
    let target_node = if reading == Reading::Number { m.require("target", &what, diags) } else { m.get("target") };
    let target = target_node.map(|n| (n, figure(n, reading, levels, &target_what, file, diags, lang)));
    if let Some((n, Some(Figure::Number(t)))) = &target
        && *t < Decimal::ZERO
    {
        let found = display(*t);
        diags.error(
            file,
            n.pos.clone(),
            tr!(lang, "{target_what}：目标值应 ≥ 0，实际为 `{found}`", "{target_what}: must be ≥ 0, found `{found}`"),
        );
        sound = false;
    }
    let actual_what = crate::tr!(lang, "{what}：`actual`", "{what}: `actual`");
    let actual =
        m.require("actual", &what, diags).map(|n| (n, figure(n, reading, levels, &actual_what, file, diags, lang)));
    // The level that scores a 定性 row must be one of the map's; known now, so said now, where
    // it is written (a row's level is not a field of the rubric, so no other check sees it).
    if reading == Reading::Level
        && spec.qualitative.is_some()
        && let Some((n, Some(Figure::Level(level)))) = &actual
        && !levels.iter().any(|(l, _)| l == level)
    {
        diags.error(
            file,
            n.pos.clone(),
            with_suggestion(
                tr!(
                    lang,
                    "{actual_what}：等级 \"{level}\" 不在所属分支的 `qualitative` 映射中",
                    "{actual_what}: level \"{level}\" is not in the branch's `qualitative` map"
                ),
                level,
                levels.iter().map(|(l, _)| l.as_str()),
                lang,
            ),
        );
        sound = false;
    }
    // Other columns of the 绩效目标表 (指标性质, 偏差原因 …) are carried along and ignored.
    let (Some(op), Some(points_value), Some((_, Some(actual)))) = (op, points, actual) else {
        return unread(name, points);
    };
    let target = match target {
        Some((_, Some(t))) => Some(t),
        Some((_, None)) => return unread(name, points),
        None => None,
    };
    if !sound {
        return unread(name, points);
    }
    let row = Row {
        op,
        target,
        actual,
        unit,
        reverse: spec.reverse,
        qualitative: spec.qualitative.clone().unwrap_or_default(),
    };
    (leaf(id, name, item.pos.clone(), points_value, row), points)
}

/// A row's leaf: id `<branch>.<n>`, titled by the row's name.
fn leaf(id: &str, name: Option<String>, pos: crate::diag::Pos, points: Decimal, row: Row) -> Node {
    Node {
        id: id.to_owned(),
        title: name.unwrap_or_else(|| id.to_owned()),
        pos,
        points,
        scale: false,
        bonus: false,
        not_applicable: None,
        standard: None,
        // A row's own `improve:` is its branch's, found by the report through the path.
        improve: None,
        kind: NodeKind::Leaf(Box::new(Method::Row(row))),
    }
}

/// A row's target or actual: a number or a percent text, or a level in 定性 rows (`levels`:
/// the branch's map, for [`Reading::Either`]).
fn figure(
    node: &YNode,
    reading: Reading,
    levels: &[(String, Decimal)],
    what: &str,
    file: &str,
    diags: &mut Diagnostics,
    lang: Lang,
) -> Option<Figure> {
    let level = match reading {
        Reading::Level => true,
        Reading::Number => false,
        Reading::Either => match &node.kind {
            Kind::Str(s) | Kind::Number(s) => levels.iter().any(|(l, _)| l == s),
            _ => false,
        },
    };
    match &node.kind {
        Kind::Str(s) if level => Some(Figure::Level(s.clone())),
        Kind::Number(raw) if level => Some(Figure::Level(raw.clone())),
        Kind::Number(raw) => match parse_literal(raw) {
            Ok(d) => Some(Figure::Number(d)),
            Err(e) => {
                diags.error(
                    file,
                    node.pos.clone(),
                    tr!(lang, "{what}：`{raw}` {}", "{what}: `{raw}` {}", e.describe(lang)),
                );
                None
            }
        },
        Kind::Str(s) => match crate::rubric::parse_percent_text(s) {
            Some(d) => Some(Figure::Number(d)),
            None => {
                diags.error(
                    file,
                    node.pos.clone(),
                    tr!(
                        lang,
                        "{what}：\"{s}\" 不是数字，也不是百分数文本",
                        "{what}: \"{s}\" is not a number or a percent text"
                    ),
                );
                None
            }
        },
        _ if level => {
            let found = node.kind_name(lang);
            diags.error(
                file,
                node.pos.clone(),
                tr!(lang, "{what}：应为等级，实际为{found}", "{what}: expected a level, found {found}"),
            );
            None
        }
        _ => {
            let found = node.kind_name(lang);
            diags.error(
                file,
                node.pos.clone(),
                tr!(lang, "{what}：应为数字，实际为{found}", "{what}: expected a number, found {found}"),
            );
            None
        }
    }
}
