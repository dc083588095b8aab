//! Reading a rubric from its YAML tree (SPEC §2), reporting every problem at once.
//!
//! This file reads the top level (keys, precision, rounding, full marks, grades, vetoes);
//! [`fields`] reads the fields and derived names, [`nodes`] the indicator tree, [`names`] the
//! names and ids they are written with.

mod fields;
mod names;
mod nodes;
mod report;

pub use fields::MAX_DERIVED_DEPTH;
pub(crate) use nodes::node_points;

use super::model::*;
use crate::diag::{Diagnostics, printable, with_suggestion};
use crate::expr::{NameType, Type};
use crate::lang::Lang;
use crate::method::params::{ParseCx, ScopedTypes, Types, parse_expr, read_points};
use crate::number::{RoundingMode, display};
use crate::tr;
use crate::yaml::{MapReader, Node as YNode, Reader, Source};
use fields::{read_derived, read_fields};
use names::{check_id_characters, read_name, read_policy};
use nodes::{points_at_precision, read_nodes};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// Reads and checks a rubric. Warnings come back with it; any error fails the load.
pub fn load(source: &Source, lang: Lang) -> Result<(Rubric, Diagnostics), Diagnostics> {
    let (mut rubric, warnings) = load_tree(&source.name, &source.parse(lang)?, lang)?;
    rubric.fingerprint = fingerprint(source.text.as_bytes());
    Ok((rubric, warnings))
}

/// [`load`] for a rubric already parsed into its tree; `file` names it in diagnostics.
pub fn load_tree(file: &str, root: &YNode, lang: Lang) -> Result<(Rubric, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let rubric = read_rubric(file, root, &mut diags, lang);
    match rubric {
        Some(r) if !diags.has_errors() => Ok((r, diags)),
        _ => Err(diags),
    }
}

fn read_rubric(file: &str, root: &YNode, diags: &mut Diagnostics, lang: Lang) -> Option<Rubric> {
    let reader = Reader { file, lang };
    let mut top = MapReader::new(file, lang, root, &tr!(lang, "指标体系文件", "the rubric file"), diags)?;
    let top_keys = tr!(lang, "指标体系", "rubric");
    let text = |top: &mut MapReader, key: &'static str, diags: &mut Diagnostics| {
        top.get(key).and_then(|n| reader.text(n, &format!("`{key}`"), diags))
    };
    let id = top.require("id", &top_keys, diags).and_then(|n| {
        let id = reader.text(n, "`id`", diags)?;
        check_id_characters(file, n, &id, &tr!(lang, "指标体系", "the rubric"), diags, lang);
        Some(id)
    });
    let title = top.require("title", &top_keys, diags).and_then(|n| reader.text(n, "`title`", diags));
    let version = text(&mut top, "version", diags);
    let description = text(&mut top, "description", diags);
    let full_marks =
        top.get("full_marks").and_then(|n| read_points(&reader, n, "`full_marks`", diags).map(|v| (v, n.pos.clone())));
    let precision = read_precision(file, &mut top, diags);
    let rounding = match top.get("rounding") {
        None => RoundingMode::default(),
        Some(n) => read_name(file, n, "`rounding`", &RoundingMode::NAMES, diags, lang)
            .and_then(RoundingMode::from_name)
            .unwrap_or_default(),
    };
    let not_applicable = match top.get("not_applicable") {
        None => NaPolicy::default(),
        Some(n) => read_policy(file, n, diags, lang).unwrap_or_default(),
    };
    let grades_node = top.get("grades");
    let (fields, broken) = top.get("fields").map(|n| read_fields(file, n, diags, lang)).unwrap_or_default();
    let mut types = Types::default();
    for f in &fields {
        types.names.insert(f.name.clone(), (f.ty.name_type(), f.label.clone()));
        types.ranges.insert(f.name.clone(), (f.min, f.max));
    }
    for name in broken {
        // Already reported; known to expressions so that their uses are not reported as unknown.
        types.names.insert(name, (NameType { ty: Type::Number, levels: None }, None));
    }
    let derived =
        top.get("derived").map(|n| read_derived(file, n, &fields, &mut types, diags, lang)).unwrap_or_default();
    let sections_node = top.require("sections", &top_keys, diags);
    let vetoes_node = top.get("vetoes");
    let report = top.get("report").map(|n| report::read_report(file, n, &fields, diags, lang)).unwrap_or_default();
    top.finish(&tr!(lang, "指标体系", "the rubric"), diags);

    let mut cx = ParseCx { file, lang, diags, types: &types, allow_points: false, node: None };
    let mut ids = HashMap::new();
    let sections = match sections_node {
        Some(n) => read_nodes(n, "`sections`", &mut cx, precision, &mut ids),
        None => Vec::new(),
    };
    if sections_node.is_some() && sections.is_empty() && !cx.diags.has_errors() {
        cx.error(
            root.pos.clone(),
            tr!(
                lang,
                "`sections` 是空的；指标体系至少需要一个部分",
                "`sections` is empty; a rubric needs at least one section"
            ),
        );
    }
    if sections_node.is_some() && !sections.is_empty() && sections.iter().all(|s| s.bonus) {
        cx.error(
            root.pos.clone(),
            tr!(
                lang,
                "每个部分都是加分项；指标体系至少需要一个不是加分项的部分",
                "every section is a bonus; a rubric needs at least one non-bonus section"
            ),
        );
    }
    let tree_max: Decimal = sections.iter().filter(|s| !s.bonus).map(|s| s.points).sum();
    let max = match full_marks {
        Some((fm, pos)) => {
            if fm != tree_max && !sections.is_empty() {
                cx.error(
                    pos,
                    tr!(
                        lang,
                        "`full_marks` 是 {}，但各部分分值合计为 {}",
                        "`full_marks` is {} but the sections add up to {}",
                        display(fm),
                        display(tree_max)
                    ),
                );
            }
            fm
        }
        None => tree_max,
    };
    let grades = match grades_node {
        Some(n) => read_grades(file, n, cx.diags, lang),
        None if max == Decimal::ONE_HUNDRED => default_grades(),
        None => Vec::new(),
    };
    let vetoes = vetoes_node.map(|n| read_vetoes(n, &mut cx, &grades, precision)).unwrap_or_default();
    let row_sources = sections
        .iter()
        .flat_map(Node::walk)
        .filter_map(|n| match &n.kind {
            NodeKind::Rows(spec) => Some(spec.source.clone()),
            _ => None,
        })
        .collect();
    let mut rubric = Rubric {
        file: file.to_owned(),
        fingerprint: String::new(),
        id: id?,
        title: title?,
        version,
        description,
        precision,
        rounding,
        not_applicable,
        grades,
        fields,
        derived,
        sections,
        vetoes,
        report,
        max,
        row_sources,
        names: HashMap::new(),
        needed_when_all_apply: Default::default(),
        paths: std::sync::OnceLock::new(),
    };
    rubric.index_names();
    Some(rubric)
}

/// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 (SPEC §4.2).
pub fn default_grades() -> Vec<Grade> {
    [(90, "优"), (80, "良"), (60, "中"), (0, "差")]
        .into_iter()
        .map(|(min, label)| Grade { min: Decimal::from(min), label: label.into() })
        .collect()
}

fn read_precision(file: &str, top: &mut MapReader, diags: &mut Diagnostics) -> Precision {
    let lang = top.lang();
    let mut precision = Precision::default();
    let Some(node) = top.get("precision") else { return precision };
    let reader = Reader { file, lang };
    let Some(mut m) = MapReader::new(file, lang, node, "`precision`", diags) else { return precision };
    if let Some(n) = m.get("indicator").and_then(|n| reader.integer(n, "`precision.indicator`", 0, 28, diags)) {
        precision.indicator = n;
    }
    if let Some(n) = m.get("total").and_then(|n| reader.integer(n, "`precision.total`", 0, 28, diags)) {
        precision.total = n;
    }
    m.finish("`precision`", diags);
    precision
}

fn read_grades(file: &str, node: &YNode, diags: &mut Diagnostics, lang: Lang) -> Vec<Grade> {
    let reader = Reader { file, lang };
    let Some(items) = reader.seq(node, "`grades`", diags) else { return Vec::new() };
    let mut grades: Vec<Grade> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let what = tr!(lang, "第 {} 个等级", "grade {}", i + 1);
        let Some(mut m) = MapReader::new(file, lang, item, &what, diags) else { continue };
        let min = m
            .require("min", &what, diags)
            .and_then(|n| reader.decimal(n, &crate::tr!(lang, "{what}：`min`", "{what}: `min`"), diags));
        let label = m
            .require("label", &what, diags)
            .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`label`", "{what}: `label`"), diags));
        m.finish(&what, diags);
        let (Some(min), Some(label)) = (min, label) else { continue };
        if let Some(prev) = grades.last()
            && min >= prev.min
        {
            diags.error(
                file,
                item.pos.clone(),
                tr!(
                    lang,
                    "各等级的 `min` 必须严格递减：{} 排在 {} 之后",
                    "grades must have strictly decreasing `min`: {} after {}",
                    display(min),
                    display(prev.min)
                ),
            );
        }
        if grades.iter().any(|g| g.label == label) {
            diags.error(
                file,
                item.pos.clone(),
                tr!(lang, "等级名称 `{label}` 用了两次", "grade label `{label}` is used twice"),
            );
        }
        grades.push(Grade { min, label });
    }
    grades
}

fn read_vetoes(node: &YNode, cx: &mut ParseCx, grades: &[Grade], precision: Precision) -> Vec<Veto> {
    let lang = cx.lang;
    let file = cx.file;
    let reader = Reader { file, lang };
    let Some(items) = reader.seq(node, "`vetoes`", cx.diags) else { return Vec::new() };
    let mut vetoes = Vec::new();
    let mut ids = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let numbered = tr!(lang, "第 {} 个一票否决项", "veto {}", i + 1);
        let Some(mut m) = MapReader::new(file, lang, item, &numbered, cx.diags) else { continue };
        let id_node = m.require("id", &tr!(lang, "一票否决项", "veto"), cx.diags);
        let id = id_node.and_then(|n| reader.text(n, &tr!(lang, "一票否决项 `id`", "veto `id`"), cx.diags));
        let what = id.as_deref().map_or(numbered, |id| {
            let id = printable(id);
            tr!(lang, "一票否决项 `{id}`", "veto `{id}`")
        });
        if let (Some(id), Some(n)) = (&id, id_node) {
            check_id_characters(file, n, id, &what, cx.diags, lang);
        }
        if let Some(id) = &id
            && !ids.insert(id.clone())
        {
            cx.error(item.pos.clone(), tr!(lang, "{what}：一票否决项 id 重复", "{what}: duplicate veto id"));
        }
        let title = m
            .get("title")
            .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`title`", "{what}: `title`"), cx.diags));
        let when = m.require("when", &what, cx.diags).and_then(|n| {
            let env = ScopedTypes { types: cx.types, points: false };
            let mut found = Diagnostics::default();
            let when = parse_expr(file, n, "when", Type::Bool, &env, &mut found, lang);
            for mut d in found.0 {
                d.message = tr!(lang, "{what}：{}", "{what}: {}", d.message);
                cx.diags.push(d);
            }
            when
        });
        let grade_node = m.get("grade");
        let grade =
            grade_node.and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`grade`", "{what}: `grade`"), cx.diags));
        if let (Some(g), Some(n)) = (&grade, grade_node)
            && !grades.iter().any(|x| &x.label == g)
        {
            let message = if grades.is_empty() {
                tr!(
                    lang,
                    "{what}：`grade` 是 \"{g}\"，但没有适用的等级表（满分不是 100，指标体系也没有 `grades`）",
                    "{what}: `grade` \"{g}\" but no grade table is in force (the maximum is not 100 and the rubric has no `grades`)"
                )
            } else {
                with_suggestion(
                    tr!(
                        lang,
                        "{what}：`grade` \"{g}\" 不是等级表中的等级",
                        "{what}: `grade` \"{g}\" is not a label of the grade table"
                    ),
                    g,
                    grades.iter().map(|x| x.label.as_str()),
                    lang,
                )
            };
            cx.error(n.pos.clone(), message);
        }
        let cap_node = m.get("cap");
        let cap = cap_node.and_then(|n| {
            points_at_precision(
                n,
                &what,
                "cap",
                precision.total,
                (cx.file, cx.diags),
                |c, places| {
                    tr!(
                        lang,
                        "{what}：封顶分 `{c}` 的小数位数多于 precision.total（{places}）",
                        "{what}: cap `{c}` has more decimals than precision.total ({places})"
                    )
                },
                lang,
            )
        });
        if grade_node.is_none() && cap_node.is_none() {
            cx.error(
                item.pos.clone(),
                tr!(lang, "{what}：需要 `grade`、`cap` 或两者都写", "{what} needs `grade`, `cap` or both"),
            );
        }
        m.finish(&what, cx.diags);
        if let (Some(id), Some(when)) = (id, when) {
            vetoes.push(Veto { id, title, when, grade, cap, pos: item.pos.clone() });
        }
    }
    vetoes
}
