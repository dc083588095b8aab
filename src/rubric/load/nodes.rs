//! The indicator tree under `sections`: ids, titles, points, and each node's kind — a branch
//! and its children's sum, a `rows` branch, or a leaf and its scoring method.

use super::names::{check_id_characters, read_name, read_policy};
use crate::diag::{Diagnostics, Pos, list_separator, printable, with_suggestion};
use crate::expr;
use crate::lang::Lang;
use crate::method::params::{ParseCx, read_points};
use crate::method::{Method, Reverse};
use crate::number::display;
use crate::rubric::model::*;
use crate::tr;
use crate::yaml::{Kind, MapReader, Node as YNode, Reader};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A points-like value (points, a cap) under `key`: non-negative, and reported with
/// `too_precise(value, places)` when it has more decimals than the precision it is kept at.
pub(super) fn points_at_precision(
    node: &YNode,
    what: &str,
    key: &str,
    places: u32,
    (file, diags): (&str, &mut Diagnostics),
    too_precise: impl Fn(String, u32) -> String,
    lang: Lang,
) -> Option<Decimal> {
    let value = read_points(&Reader { file, lang }, node, &tr!(lang, "{what}：`{key}`", "{what}: `{key}`"), diags)?;
    if value.normalize().scale() > places {
        diags.error(file, node.pos.clone(), too_precise(display(value), places));
    }
    Some(value)
}

/// The `points` of an indicator, or of a table row read from a data file (SPEC §2.1, §2.3):
/// ≥ 0, at most [`MAX_POINTS`], with no more decimals than `precision.indicator` (`places`),
/// so that no score rounded to that precision can exceed them.
pub(crate) fn node_points(
    node: &YNode,
    what: &str,
    places: u32,
    file: &str,
    diags: &mut Diagnostics,
    lang: Lang,
) -> Option<Decimal> {
    points_at_precision(
        node,
        what,
        "points",
        places,
        (file, diags),
        |p, places| {
            tr!(
                lang,
                "{what}：分值 `{p}` 的小数位数多于 precision.indicator（{places}）",
                "{what}: points `{p}` have more decimals than precision.indicator ({places})"
            )
        },
        lang,
    )
}

pub(super) fn read_nodes(
    node: &YNode,
    what: &str,
    cx: &mut ParseCx,
    precision: Precision,
    ids: &mut HashMap<String, Pos>,
) -> Vec<Node> {
    let Some(items) = cx.reader().seq(node, what, cx.diags) else { return Vec::new() };
    items.iter().filter_map(|item| read_node(item, cx, precision, ids)).collect()
}

fn read_node(node: &YNode, cx: &mut ParseCx, precision: Precision, ids: &mut HashMap<String, Pos>) -> Option<Node> {
    let lang = cx.lang;
    let file = cx.file;
    let reader = Reader { file, lang };
    let mut m = MapReader::new(file, lang, node, &tr!(lang, "指标", "an indicator"), cx.diags)?;
    let id_node = m.require("id", &tr!(lang, "指标", "indicator"), cx.diags);
    let id = id_node.and_then(|n| reader.text(n, "`id`", cx.diags));
    let what = id.as_deref().map_or_else(
        || tr!(lang, "指标", "indicator"),
        |id| {
            let id = printable(id);
            tr!(lang, "指标 `{id}`", "indicator `{id}`")
        },
    );
    if let (Some(id), Some(n)) = (&id, id_node) {
        check_id_characters(file, n, id, &what, cx.diags, lang);
    }
    if let Some(id) = &id {
        if id.contains('.') {
            cx.error(
                node.pos.clone(),
                tr!(
                    lang,
                    "{what}：指标 id 不能含有 `.`（表格行的 id 要用它）",
                    "{what}: node ids may not contain `.` (row ids use it)"
                ),
            );
        }
        if id == "total" {
            cx.error(
                node.pos.clone(),
                tr!(lang, "{what}：`total` 留作总分使用", "{what}: `total` is reserved for the whole score"),
            );
        }
        if id.trim().is_empty() {
            cx.error(node.pos.clone(), tr!(lang, "指标 id 是空的", "indicator id is empty"));
        }
        if let Some(first) = ids.insert(id.clone(), node.pos.clone()) {
            let at = first.phrase(lang);
            let message = tr!(lang, "{what}：id 重复（第一次用在{at}）", "{what}: duplicate id (first used at {at})");
            cx.error_also(node.pos.clone(), first, message);
        }
    }
    let title = m
        .require("title", &what, cx.diags)
        .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`title`", "{what}: `title`"), cx.diags));
    let points_node = m.get("points");
    let points = points_node.and_then(|n| node_points(n, &what, precision.indicator, file, cx.diags, lang));
    let scale =
        m.get("scale").and_then(|n| reader.bool(n, &crate::tr!(lang, "{what}：`scale`", "{what}: `scale`"), cx.diags));
    let bonus =
        m.get("bonus").and_then(|n| reader.bool(n, &crate::tr!(lang, "{what}：`bonus`", "{what}: `bonus`"), cx.diags));
    let not_applicable = m.get("not_applicable").and_then(|n| read_policy(file, n, cx.diags, lang));
    let standard = m
        .get("standard")
        .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`standard`", "{what}: `standard`"), cx.diags));
    let improve = m
        .get("improve")
        .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`improve`", "{what}: `improve`"), cx.diags));
    let children = m.get("children");
    let rows = m.get("rows");
    let method = m.get("method");
    let kinds = [children.is_some(), rows.is_some(), method.is_some()].iter().filter(|x| **x).count();
    if kinds != 1 {
        cx.error(
            node.pos.clone(),
            tr!(
                lang,
                "{what}：`children`、`rows`、`method` 必须写且只能写一个，实际写了 {kinds} 个",
                "{what} needs exactly one of `children`, `rows` or `method`, found {kinds}"
            ),
        );
        // Its parameters are not the problem; do not report them as unknown keys too.
        m.allow(&Method::all_params());
    }
    let kind = if let Some(children) = children {
        if bonus.is_some() {
            cx.error(
                node.pos.clone(),
                tr!(lang, "{what}：`bonus` 只能用于末级指标", "{what}: `bonus` is for leaves only"),
            );
        }
        let kids =
            read_nodes(children, &crate::tr!(lang, "{what}：`children`", "{what}: `children`"), cx, precision, ids);
        NodeKind::Branch(kids)
    } else if let Some(rows) = rows {
        match read_rows_spec(rows, &mut m, &what, cx) {
            Some(spec) => {
                if bonus.is_some() {
                    cx.error(
                        node.pos.clone(),
                        tr!(lang, "{what}：`bonus` 只能用于末级指标", "{what}: `bonus` is for leaves only"),
                    );
                }
                if points_node.is_none() {
                    cx.error(
                        node.pos.clone(),
                        tr!(lang, "{what}：`rows` 分支需要 `points`", "{what}: a `rows` branch needs `points`"),
                    );
                }
                NodeKind::Rows(spec)
            }
            None => NodeKind::Branch(Vec::new()),
        }
    } else if let Some(method) = method {
        if scale.is_some() {
            cx.error(
                node.pos.clone(),
                tr!(lang, "{what}：`scale` 只能用于有下级的指标", "{what}: `scale` is for branches only"),
            );
        }
        if points.is_none() && points_node.is_none() {
            cx.error(node.pos.clone(), tr!(lang, "{what}：末级指标需要 `points`", "{what}: a leaf needs `points`"));
        }
        let name = reader.text(method, &crate::tr!(lang, "{what}：`method`", "{what}: `method`"), cx.diags);
        match name.as_deref() {
            Some(n) if Method::NAMES.contains(&n) => {
                cx.node = id.clone();
                let parsed = Method::parse(n, &mut m, cx, points.unwrap_or_default());
                cx.node = None;
                let params = Method::params_of(n);
                let misplaced: Vec<(&'static str, Pos)> = m
                    .rest()
                    .filter_map(|(k, _)| {
                        Method::all_params().into_iter().find(|p| *p == k.name).map(|p| (p, k.pos.clone()))
                    })
                    .collect();
                for (key, pos) in misplaced {
                    let takes = if params.is_empty() {
                        tr!(lang, "该方法没有参数", "it takes no parameters")
                    } else {
                        let sep = format!("`{}`", list_separator(lang));
                        tr!(lang, "可选值：`{}`", "expected one of: `{}`", params.join(&sep))
                    };
                    cx.error(
                        pos,
                        tr!(
                            lang,
                            "{what}：`{key}` 不是方法 `{n}` 的参数；{takes}",
                            "{what}: `{key}` is not a parameter of method `{n}`; {takes}"
                        ),
                    );
                    m.allow(&[key]);
                }
                NodeKind::Leaf(Box::new(parsed.unwrap_or(Method::Manual)))
            }
            Some(n) => {
                let message = tr!(lang, "{what}：未知的评分方法 \"{n}\"", "{what}: unknown method \"{n}\"");
                cx.error(method.pos.clone(), with_suggestion(message, n, Method::NAMES, lang));
                m.allow(&Method::all_params());
                NodeKind::Leaf(Box::new(Method::Manual))
            }
            None => NodeKind::Leaf(Box::new(Method::Manual)),
        }
    } else {
        NodeKind::Leaf(Box::new(Method::Manual))
    };
    m.finish(&what, cx.diags);
    let points = match &kind {
        NodeKind::Branch(kids) => {
            let sum: Decimal = kids.iter().filter(|k| !k.bonus).map(|k| k.points).sum();
            if children.is_some() && !kids.is_empty() && kids.iter().all(|k| k.bonus) {
                cx.error(
                    node.pos.clone(),
                    tr!(
                        lang,
                        "{what}：下级指标中至少要有一个不是加分项",
                        "{what}: a branch needs at least one non-bonus child"
                    ),
                );
            }
            if children.is_some() && kids.is_empty() && !cx.diags.has_errors() {
                cx.error(node.pos.clone(), tr!(lang, "{what}：`children` 是空的", "{what}: `children` is empty"));
            }
            match points {
                Some(p) if p != sum && scale != Some(true) && !kids.is_empty() => {
                    cx.error(
                        points_node.map_or(node.pos.clone(), |n| n.pos.clone()),
                        tr!(
                            lang,
                            "{what}：分值 {} 与下级指标分值之和 {} 不符（如果下级分值是相对权重，请写 `scale: true`）",
                            "{what}: points {} differ from the sum of its children's points {} (write `scale: true` if the children are relative weights)",
                            display(p),
                            display(sum)
                        ),
                    );
                    p
                }
                Some(p) => p,
                None => sum,
            }
        }
        NodeKind::Leaf(_) | NodeKind::Rows(_) => points.unwrap_or_default(),
    };
    Some(Node {
        id: id?,
        title: title?,
        pos: node.pos.clone(),
        points,
        scale: scale.unwrap_or(false),
        bonus: bonus.unwrap_or(false),
        not_applicable,
        standard,
        improve,
        kind,
    })
}

/// A rows branch's own keys (SPEC §2.3): where the list is and how its rows are scored.
fn read_rows_spec(rows: &YNode, m: &mut MapReader, what: &str, cx: &mut ParseCx) -> Option<RowsSpec> {
    let lang = cx.lang;
    let file = cx.file;
    let reader = Reader { file, lang };
    let source = reader.text(rows, &crate::tr!(lang, "{what}：`rows`", "{what}: `rows`"), cx.diags)?;
    if !expr::is_valid_name(&source) {
        cx.error(
            rows.pos.clone(),
            tr!(
                lang,
                "{what}：`rows` 应为 `values` 下一个列表的名称（带点的名称），实际为 \"{source}\"",
                "{what}: `rows` must name a list under `values` (a dotted name), found \"{source}\""
            ),
        );
    }
    let reverse = match m.get("reverse") {
        None => Reverse::default(),
        Some(n) => {
            match read_name(
                file,
                n,
                &crate::tr!(lang, "{what}：`reverse`", "{what}: `reverse`"),
                &Reverse::NAMES,
                cx.diags,
                lang,
            ) {
                Some("linear") => Reverse::Linear,
                _ => Reverse::Ratio,
            }
        }
    };
    let qualitative = m.get("qualitative").map(|n| {
        let Kind::Map(entries) = &n.kind else {
            let found = n.kind_name(lang);
            cx.error(
                n.pos.clone(),
                tr!(
                    lang,
                    "{what}：`qualitative` 应为“等级 → 百分比”的映射，实际为{found}",
                    "{what}: `qualitative` must be a map of level → percent, found {found}"
                ),
            );
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(key, v)| {
                let level = &key.name;
                let pc = reader.decimal(
                    v,
                    &tr!(lang, "{what}：qualitative `{level}`", "{what}: qualitative `{level}`"),
                    cx.diags,
                )?;
                if pc < Decimal::ZERO || pc > Decimal::ONE_HUNDRED {
                    cx.error(
                        v.pos.clone(),
                        tr!(
                            lang,
                            "{what}：qualitative `{level}`：百分比应在 0–100 之间，实际为 `{}`",
                            "{what}: qualitative `{level}`: percent must be 0–100, found `{}`",
                            display(pc)
                        ),
                    );
                }
                Some((key.name.clone(), pc))
            })
            .collect()
    });
    let row_points = match m.get("row_points") {
        None => RowPoints::default(),
        Some(n) => match read_name(
            file,
            n,
            &crate::tr!(lang, "{what}：`row_points`", "{what}: `row_points`"),
            &RowPoints::NAMES,
            cx.diags,
            lang,
        ) {
            Some("equal") => RowPoints::Equal,
            _ => RowPoints::Written,
        },
    };
    let late_per_month = m.get("late").and_then(|n| read_late(n, what, cx));
    Some(RowsSpec { source, reverse, qualitative, row_points, late_per_month })
}

/// `late: { per_month: 10% }` (SPEC §2.3): a percent, 0–100, as a number or a percent text.
fn read_late(node: &YNode, what: &str, cx: &mut ParseCx) -> Option<Decimal> {
    let lang = cx.lang;
    let file = cx.file;
    let late_what = tr!(lang, "{what}：`late`", "{what}: `late`");
    let mut m = MapReader::new(file, lang, node, &late_what, cx.diags)?;
    let per = m.require("per_month", &late_what, cx.diags);
    m.finish(&late_what, cx.diags);
    let per = per?;
    let key_what = tr!(lang, "{what}：`late.per_month`", "{what}: `late.per_month`");
    let value = match &per.kind {
        Kind::Str(s) if s.trim_end().ends_with(['%', '％']) => crate::rubric::parse_percent_text(s),
        _ => None,
    };
    let value = match value {
        Some(v) => v,
        None => Reader { file, lang }.decimal(per, &key_what, cx.diags)?,
    };
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        cx.error(
            per.pos.clone(),
            tr!(
                lang,
                "{key_what}：是百分比，应在 0–100 之间，实际为 `{}`",
                "{key_what} is a percent and must be 0–100, found `{}`",
                display(value)
            ),
        );
        return None;
    }
    Some(value)
}
