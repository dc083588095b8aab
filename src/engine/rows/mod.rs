//! Indicator tables (SPEC §2.3): a `rows` branch's leaves are the rows of a list in the data
//! file. Before scoring, each applicable rows branch is expanded into one leaf per row, with id
//! `<branch>.<n>` and the row's name as title; from then on rows are leaves like any other.
//! How a printed cell reads is `cells.rs` (and `crate::printed`); the points of a form
//! without a 分值 column are `equal_shares`.

mod cells;

use crate::data::DataFile;
use crate::diag::{Diagnostics, with_suggestion};
use crate::lang::Lang;
use crate::method::{Figure, Method, Op, Row, same_text};
use crate::number::display;
use crate::rubric::load::node_points;
use crate::rubric::{Node, NodeKind, RowPoints, RowsSpec, Rubric};
use crate::tr;
use crate::yaml::{MapReader, Node as YNode, Reader};
use cells::{Cell, Reading};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What reading one branch's rows needs besides the rows.
struct RowCx<'a> {
    rubric: &'a Rubric,
    spec: &'a RowsSpec,
    /// `precision.indicator`, which rows' points may not exceed in decimals.
    places: u32,
    file: &'a str,
    /// The year of the data file's `period`, for a date printed without one (`12月底前`).
    year: Option<i32>,
    lang: Lang,
}

impl RowCx<'_> {
    fn levels(&self) -> &[(String, Decimal)] {
        self.spec.qualitative.as_deref().unwrap_or_default()
    }
}

/// `rubric` with every rows branch that is not listed as not applicable (itself or through an
/// ancestor) expanded from `data`. Borrowed as is when the rubric has no rows branch.
pub(crate) fn expand<'r>(rubric: &'r Rubric, data: &DataFile, diags: &mut Diagnostics, lang: Lang) -> Cow<'r, Rubric> {
    if rubric.row_sources.is_empty() {
        return Cow::Borrowed(rubric);
    }
    let mut expanded = rubric.clone();
    for section in &mut expanded.sections {
        expand_node(section, false, rubric, data, diags, lang);
    }
    Cow::Owned(expanded)
}

fn expand_node(
    node: &mut Node,
    listed_above: bool,
    rubric: &Rubric,
    data: &DataFile,
    diags: &mut Diagnostics,
    lang: Lang,
) {
    let listed = listed_above || data.not_applicable.iter().any(|e| e.id == node.id);
    match &mut node.kind {
        NodeKind::Branch(children) => {
            for child in children {
                expand_node(child, listed, rubric, data, diags, lang);
            }
        }
        NodeKind::Rows(spec) => {
            // A not-applicable table needs no rows at all.
            let rows = if listed {
                Vec::new()
            } else {
                let cx = RowCx {
                    rubric,
                    spec,
                    places: rubric.precision.indicator,
                    file: data.file.as_str(),
                    year: data.period.as_deref().and_then(crate::printed::year_of_period),
                    lang,
                };
                read_rows(node.id.as_str(), node.points, node.scale, &cx, data, diags)
            };
            node.kind = NodeKind::Branch(rows);
        }
        NodeKind::Leaf(_) => {}
    }
}

/// The rows of one branch as leaves; problems are reported naming the branch or the row.
fn read_rows(
    branch: &str,
    points: Decimal,
    scale: bool,
    cx: &RowCx,
    data: &DataFile,
    diags: &mut Diagnostics,
) -> Vec<Node> {
    let (file, lang, spec) = (cx.file, cx.lang, cx.spec);
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
    let shares = match spec.row_points {
        RowPoints::Equal => match equal_shares(points, items.len(), cx.places) {
            Some(shares) => shares.into_iter().map(Some).collect(),
            None => {
                diags.error(
                    file,
                    list.pos.clone(),
                    tr!(
                        lang,
                        "{what}：分值 {} 无法按 precision.indicator 平均分给 {} 行",
                        "{what}: points {} cannot be shared among {} rows at precision.indicator",
                        display(points),
                        items.len()
                    ),
                );
                return Vec::new();
            }
        },
        RowPoints::Written => vec![None; items.len()],
    };
    let mut leaves = Vec::new();
    // The rows' points, while every row's could be read: a row with another problem still
    // counts in the sum, so a wrong sum is reported with it, not after it is fixed.
    let mut sum = Some(Decimal::ZERO);
    for (i, (item, share)) in items.iter().zip(shares).enumerate() {
        let id = format!("{branch}.{}", i + 1);
        let (leaf, row_points) = read_row(&id, item, share, cx, diags);
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

/// `points` shared among `rows` rows at `places` decimals (SPEC §2.3 `row_points: equal`):
/// each gets the share rounded down, and the first rows one more unit each until the sum is
/// exact (30 over 7 rows at 2 places: 4.29 four times, then 4.28 three times). `None` where the
/// arithmetic does not fit a decimal.
pub(crate) fn equal_shares(points: Decimal, rows: usize, places: u32) -> Option<Vec<Decimal>> {
    let n = Decimal::from(u64::try_from(rows).ok()?);
    if n.is_zero() {
        return Some(Vec::new());
    }
    let unit = Decimal::try_from_i128_with_scale(1, places).ok()?;
    let mut share = points.checked_div(n)?.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToZero);
    // The quotient's last digit is rounded, so the share may be one unit off: make it the
    // greatest with share × n ≤ points. A share whose unit a decimal cannot add (28 places on a
    // large value) is refused rather than approximated.
    if share.checked_mul(n)? > points {
        share = share.checked_sub(unit)?;
    }
    let next = share.checked_add(unit)?;
    if next == share {
        return None;
    }
    if next.checked_mul(n)? <= points {
        share = next;
    }
    if share.checked_mul(n)? > points || share.checked_add(unit)?.checked_mul(n)? <= points {
        return None;
    }
    let left = points.checked_sub(share.checked_mul(n)?)?;
    let extra = left.checked_div(unit)?;
    let extra = usize::try_from(u64::try_from(extra.trunc().mantissa()).ok()?).ok()?;
    let more = share.checked_add(unit)?;
    Some((0..rows).map(|i| if i < extra { more } else { share }).collect())
}

/// One row as a leaf, and its points when they could be read. Every problem of the row is
/// reported, each at the value it is about; a row with problems is still a leaf (never
/// scored: its errors stop the file first), so that `not_applicable` or `manual` naming it
/// by id are not reported as naming an unknown indicator. `share`: its points under
/// `row_points: equal`.
fn read_row(
    id: &str,
    item: &YNode,
    share: Option<Decimal>,
    cx: &RowCx,
    diags: &mut Diagnostics,
) -> (Node, Option<Decimal>) {
    let (file, lang, spec) = (cx.file, cx.lang, cx.spec);
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
            late_per_month: None,
        };
        let node = leaf(id, title, item.pos.clone(), points.unwrap_or_default(), row);
        (node, points)
    };
    let Some(mut m) = MapReader::new(file, lang, item, &what, diags) else { return unread(None, share) };
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
    let points = match share {
        Some(share) => {
            if let Some(n) = m.get("points") {
                diags.error(
                    file,
                    n.pos.clone(),
                    tr!(
                        lang,
                        "{what}：所属分支写了 `row_points: equal`，各行分值由分支平均分配；请删去 `points`",
                        "{what}: the branch shares its points equally (`row_points: equal`); remove `points`"
                    ),
                );
            }
            Some(share)
        }
        // Held to the rule of the rubric's own points, so a row's score rounded to
        // `precision.indicator` cannot exceed them (10.005 would score 10.01).
        None => m.require("points", &what, diags).and_then(|n| node_points(n, &what, cx.places, file, diags, lang)),
    };
    let unit = m.get("unit").and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`unit`", "{what}: `unit`"), diags));
    let reading = match op {
        Some(Op::Qualitative) => Reading::Level,
        Some(_) => Reading::Number,
        None => Reading::Either,
    };
    let target_what = crate::tr!(lang, "{what}：`target`", "{what}: `target`");
    // Only quantitative rows need a target; with the operator unknown, nobody can say.
    let target_node = if reading == Reading::Number { m.require("target", &what, diags) } else { m.get("target") };
    let target = target_node.map(|n| (n, cx.cell(n, reading, &target_what, diags)));
    let actual_what = crate::tr!(lang, "{what}：`actual`", "{what}: `actual`");
    let actual = m.require("actual", &what, diags).map(|n| (n, cx.cell(n, reading, &actual_what, diags)));
    // Other columns of the 绩效目标表 (指标性质, 偏差原因 …) are carried along and ignored.
    let cell = |c: &Option<(&YNode, Option<Cell>)>| c.as_ref().and_then(|(_, c)| c.clone());
    let (target_cell, actual_cell) = (cell(&target), cell(&actual));
    let row_unit = RowCx::row_unit(unit.as_deref(), [target_cell.as_ref(), actual_cell.as_ref()]);
    let actual_pos = actual.as_ref().map_or(item.pos.clone(), |(n, _)| n.pos.clone());
    let dates = cx.dates(op, target_cell.as_ref(), actual_cell.as_ref(), (&actual_pos, &what), diags);
    let both_dates = dates.unwrap_or(false);
    let target = match (&target, target_cell) {
        (Some((n, _)), Some(c)) => Some(cx.figure(c, row_unit.as_ref(), both_dates, (&n.pos, &target_what), diags)),
        (Some(_), None) => Some(None),
        (None, _) => None,
    };
    let actual = match (&actual, actual_cell) {
        (Some((n, _)), Some(c)) => cx.figure(c, row_unit.as_ref(), both_dates, (&n.pos, &actual_what), diags),
        _ => None,
    };
    if let Some(Some(Figure::Number(t))) = &target
        && *t < Decimal::ZERO
        && let Some(n) = target_node
    {
        let found = display(*t);
        diags.error(
            file,
            n.pos.clone(),
            tr!(lang, "{target_what}：目标值应 ≥ 0，实际为 `{found}`", "{target_what}: must be ≥ 0, found `{found}`"),
        );
        return unread(name, points);
    }
    let sound = reading != Reading::Level
        || cx.level_is_scored(
            target.as_ref().and_then(Option::as_ref),
            actual.as_ref(),
            (&actual_pos, &actual_what),
            diags,
        );
    let (Some(op), Some(points_value), Some(actual), Some(_)) = (op, points, actual, dates) else {
        return unread(name, points);
    };
    let target = match target {
        Some(Some(t)) => Some(t),
        Some(None) => return unread(name, points),
        None => None,
    };
    if !sound {
        return unread(name, points);
    }
    let row = Row {
        op,
        target,
        actual,
        // A row without `unit` takes the unit its figures were written in.
        unit: unit.or_else(|| row_unit.filter(|u| !u.is_plain()).map(|u| u.text())),
        reverse: spec.reverse,
        qualitative: spec.qualitative.clone().unwrap_or_default(),
        late_per_month: spec.late_per_month,
    };
    (leaf(id, name, item.pos.clone(), points_value, row), points)
}

impl RowCx<'_> {
    /// Whether a 定性 row's actual can be scored (SPEC §2.3): a level of the branch's map, the
    /// target's own text, or a deadline against a deadline. Said now, where it is written (a
    /// row's level is not a field of the rubric, so no other check sees it).
    fn level_is_scored(
        &self,
        target: Option<&Figure>,
        actual: Option<&Figure>,
        (pos, what): (&crate::diag::Pos, &str),
        diags: &mut Diagnostics,
    ) -> bool {
        let lang = self.lang;
        let Some(Figure::Level(level)) = actual else { return true };
        let levels = self.levels();
        if levels.iter().any(|(l, _)| l == level) {
            return true;
        }
        if let Some(Figure::Level(t)) = target
            && same_text(t, level)
        {
            return true;
        }
        let message = match (&self.spec.qualitative, target) {
            (None, Some(Figure::Level(t))) => tr!(
                lang,
                "{what}：\"{level}\" 与目标 \"{t}\" 不同，而所属分支没有 `qualitative` 映射来评分（请在指标体系的该分支上写 `qualitative`）",
                "{what}: \"{level}\" differs from the target \"{t}\", and the branch has no `qualitative` map to score it (write `qualitative` on the branch in the rubric)"
            ),
            (None, _) => tr!(
                lang,
                "{what}：定性行没有目标可比，所属分支也没有 `qualitative` 映射来评分",
                "{what}: a 定性 row with no target to match needs a `qualitative` map on its branch in the rubric"
            ),
            (Some(_), _) => tr!(
                lang,
                "{what}：等级 \"{level}\" 不在所属分支的 `qualitative` 映射中，也与目标不同",
                "{what}: level \"{level}\" is not in the branch's `qualitative` map and differs from the target"
            ),
        };
        diags.error(
            self.file,
            pos.clone(),
            with_suggestion(message, level, levels.iter().map(|(l, _)| l.as_str()), lang),
        );
        false
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn shares(points: &str, rows: usize, places: u32) -> Vec<String> {
        equal_shares(d(points), rows, places).unwrap().into_iter().map(display).collect()
    }

    #[test]
    fn equal_row_points_split_exactly() {
        // The case, 30 over 7 rows: 4.28 each leaves 0.04, so the first four get 4.29
        // (4 × 4.29 + 3 × 4.28 = 30; the "4.29 × 2, 4.28 × 5" adds up to 29.98).
        assert_eq!(shares("30", 7, 2), ["4.29", "4.29", "4.29", "4.29", "4.28", "4.28", "4.28"]);
        assert_eq!(shares("20", 3, 2), ["6.67", "6.67", "6.66"]);
        assert_eq!(shares("10", 3, 0), ["4", "3", "3"]);
        assert_eq!(shares("50", 5, 2), ["10", "10", "10", "10", "10"]);
        assert_eq!(shares("1", 3, 1), ["0.4", "0.3", "0.3"]);
        // Fewer units than rows: the last rows get 0.
        assert_eq!(shares("0.02", 3, 2), ["0.01", "0.01", "0"]);
        // A unit a decimal cannot add to the share: refused, never approximated (nor a hang).
        assert_eq!(equal_shares(d("1000000000000"), 7, 28), None);
        for (p, n, places) in [("30", 7, 2), ("100", 3, 2), ("99.99", 11, 2), ("7", 6, 3), ("1000000000000", 7, 12)] {
            let s = equal_shares(d(p), n, places).unwrap();
            assert_eq!(s.iter().copied().sum::<Decimal>(), d(p), "{p} over {n}");
            assert!(s.iter().all(|x| x.normalize().scale() <= places));
        }
    }
}
