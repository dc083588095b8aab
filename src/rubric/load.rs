//! Reading a rubric from its YAML tree (SPEC §2), reporting every problem at once.

use super::model::*;
use crate::diag::{Diagnostics, Pos, describe_deceptive, is_deceptive, list_separator, printable, with_suggestion};
use crate::expr::{self, NameType, Type, TypeEnv};
use crate::method::params::{ParseCx, ScopedTypes, Types, expr_pos, parse_expr, read_points};
use crate::method::{Method, Reverse};
use crate::number::{RoundingMode, display};
use crate::tr;
use crate::yaml::{Kind, MapReader, Node as YNode, Reader, Source};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// Reads and checks a rubric. Warnings come back with it; any error fails the load.
pub fn load(source: &Source) -> Result<(Rubric, Diagnostics), Diagnostics> {
    let (mut rubric, warnings) = load_tree(&source.name, &source.parse()?)?;
    rubric.fingerprint = fingerprint(source.text.as_bytes());
    Ok((rubric, warnings))
}

/// [`load`] for a rubric already parsed into its tree; `file` names it in diagnostics.
pub fn load_tree(file: &str, root: &YNode) -> Result<(Rubric, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let rubric = read_rubric(file, root, &mut diags);
    match rubric {
        Some(r) if !diags.has_errors() => Ok((r, diags)),
        _ => Err(diags),
    }
}

fn read_rubric(file: &str, root: &YNode, diags: &mut Diagnostics) -> Option<Rubric> {
    let reader = Reader { file };
    let mut top = MapReader::new(file, root, &tr!("指标体系文件", "the rubric file"), diags)?;
    let top_keys = tr!("指标体系", "rubric");
    let text = |top: &mut MapReader, key: &'static str, diags: &mut Diagnostics| {
        top.get(key).and_then(|n| reader.text(n, &format!("`{key}`"), diags))
    };
    let id = top.require("id", &top_keys, diags).and_then(|n| {
        let id = reader.text(n, "`id`", diags)?;
        check_id_characters(file, n, &id, &tr!("指标体系", "the rubric"), diags);
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
        Some(n) => read_name(file, n, "`rounding`", &RoundingMode::NAMES, diags)
            .and_then(RoundingMode::from_name)
            .unwrap_or_default(),
    };
    let not_applicable = match top.get("not_applicable") {
        None => NaPolicy::default(),
        Some(n) => read_policy(file, n, diags).unwrap_or_default(),
    };
    let grades_node = top.get("grades");
    let (fields, broken) = top.get("fields").map(|n| read_fields(file, n, diags)).unwrap_or_default();
    let mut types = Types::default();
    for f in &fields {
        types.names.insert(f.name.clone(), (f.ty.name_type(), f.label.clone()));
        types.ranges.insert(f.name.clone(), (f.min, f.max));
    }
    for name in broken {
        // Already reported; known to expressions so that their uses are not reported as unknown.
        types.names.insert(name, (NameType { ty: Type::Number, levels: None }, None));
    }
    let derived = top.get("derived").map(|n| read_derived(file, n, &fields, &mut types, diags)).unwrap_or_default();
    let sections_node = top.require("sections", &top_keys, diags);
    let vetoes_node = top.get("vetoes");
    top.finish(&tr!("指标体系", "the rubric"), diags);

    let mut cx = ParseCx { file, diags, types: &types, allow_points: false, node: None };
    let mut ids = HashMap::new();
    let sections = match sections_node {
        Some(n) => read_nodes(n, "`sections`", &mut cx, precision, &mut ids),
        None => Vec::new(),
    };
    if sections_node.is_some() && sections.is_empty() && !cx.diags.has_errors() {
        cx.error(
            root.pos.clone(),
            tr!(
                "`sections` 是空的；指标体系至少需要一个部分",
                "`sections` is empty; a rubric needs at least one section"
            ),
        );
    }
    if sections_node.is_some() && !sections.is_empty() && sections.iter().all(|s| s.bonus) {
        cx.error(
            root.pos.clone(),
            tr!(
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
        Some(n) => read_grades(file, n, cx.diags),
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
        max,
        row_sources,
        names: HashMap::new(),
        needed_when_all_apply: std::sync::OnceLock::new(),
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

fn read_name<'a>(file: &str, node: &YNode, what: &str, names: &[&'a str], diags: &mut Diagnostics) -> Option<&'a str> {
    let text = Reader { file }.text(node, what, diags)?;
    let found = names.iter().find(|n| **n == text).copied();
    if found.is_none() {
        diags.error(
            file,
            node.pos.clone(),
            with_suggestion(
                tr!("{what}：未知的取值 \"{text}\"", "{what}: unknown value \"{text}\""),
                &text,
                names.iter().copied(),
            ),
        );
    }
    found
}

fn read_policy(file: &str, node: &YNode, diags: &mut Diagnostics) -> Option<NaPolicy> {
    read_name(file, node, "`not_applicable`", &NaPolicy::NAMES, diags).and_then(NaPolicy::from_name)
}

fn read_precision(file: &str, top: &mut MapReader, diags: &mut Diagnostics) -> Precision {
    let mut precision = Precision::default();
    let Some(node) = top.get("precision") else { return precision };
    let reader = Reader { file };
    let Some(mut m) = MapReader::new(file, node, "`precision`", diags) else { return precision };
    if let Some(n) = m.get("indicator").and_then(|n| reader.integer(n, "`precision.indicator`", 0, 28, diags)) {
        precision.indicator = n;
    }
    if let Some(n) = m.get("total").and_then(|n| reader.integer(n, "`precision.total`", 0, 28, diags)) {
        precision.total = n;
    }
    m.finish("`precision`", diags);
    precision
}

/// The fields, and the names of fields whose definitions are broken (reported already).
fn read_fields(file: &str, node: &YNode, diags: &mut Diagnostics) -> (Vec<Field>, Vec<String>) {
    let reader = Reader { file };
    let Kind::Map(entries) = &node.kind else {
        let found = node.kind_name();
        diags.error(
            file,
            node.pos.clone(),
            tr!(
                "`fields`：应为“名称 → 定义”的映射，实际为{found}",
                "`fields` must be a map of name → definition, found {found}"
            ),
        );
        return (Vec::new(), Vec::new());
    };
    let mut fields: Vec<Field> = Vec::new();
    let mut broken = Vec::new();
    for (key, def) in entries {
        let name = &key.name;
        let what = tr!("字段 `{name}`", "field `{name}`");
        check_name(file, key.pos.clone(), name, &what, diags);
        let Some(mut m) = MapReader::new(file, def, &what, diags) else { continue };
        let ty_name = m.require("type", &what, diags).and_then(|n| {
            read_name(file, n, &crate::tr!("{what}：`type`", "{what}: `type`"), &FieldType::NAMES, diags)
        });
        let levels = m
            .get("levels")
            .and_then(|n| reader.seq(n, &crate::tr!("{what}：`levels`", "{what}: `levels`"), diags))
            .map(|items| {
                let level = tr!("{what}：等级", "{what}: level");
                items.iter().filter_map(|i| reader.text(i, &level, diags)).collect::<Vec<_>>()
            });
        let ty = match (ty_name, levels) {
            (Some("level"), Some(levels)) => {
                if levels.is_empty() {
                    diags.error(file, def.pos.clone(), tr!("{what}：`levels` 是空的", "{what}: `levels` is empty"));
                }
                let mut seen = HashSet::new();
                for l in &levels {
                    if !seen.insert(l) {
                        diags.error(
                            file,
                            def.pos.clone(),
                            tr!("{what}：等级 `{l}` 列了两次", "{what}: level `{l}` is listed twice"),
                        );
                    }
                }
                Some(FieldType::Level(levels))
            }
            (Some("level"), None) => {
                diags.error(
                    file,
                    def.pos.clone(),
                    tr!("{what}：等级字段需要 `levels`", "{what}: a level field needs `levels`"),
                );
                None
            }
            (Some(other), levels) => {
                if levels.is_some() {
                    diags.error(
                        file,
                        def.pos.clone(),
                        tr!("{what}：`levels` 只用于 `type: level`", "{what}: `levels` is only for `type: level`"),
                    );
                }
                Some(match other {
                    "number" => FieldType::Number,
                    "integer" => FieldType::Integer,
                    "percent" => FieldType::Percent,
                    "bool" => FieldType::Bool,
                    _ => FieldType::Text,
                })
            }
            (None, _) => None,
        };
        let unit = m.get("unit").and_then(|n| reader.text(n, &crate::tr!("{what}：`unit`", "{what}: `unit`"), diags));
        let label =
            m.get("label").and_then(|n| reader.text(n, &crate::tr!("{what}：`label`", "{what}: `label`"), diags));
        let numeric = matches!(ty, Some(FieldType::Number | FieldType::Integer | FieldType::Percent));
        let bound = |m: &mut MapReader, key: &'static str, diags: &mut Diagnostics| {
            let n = m.get(key)?;
            if !numeric && ty.is_some() {
                diags.error(
                    file,
                    n.pos.clone(),
                    tr!(
                        "{what}：`{key}` 只用于 number、integer 和 percent 字段",
                        "{what}: `{key}` is only for number, integer and percent fields"
                    ),
                );
                return None;
            }
            reader.decimal(n, &tr!("{what}：`{key}`", "{what}: `{key}`"), diags)
        };
        let min = bound(&mut m, "min", diags);
        let max = bound(&mut m, "max", diags);
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            let (lo, hi) = (display(lo), display(hi));
            diags.error(
                file,
                def.pos.clone(),
                tr!("{what}：`min` {lo} 大于 `max` {hi}", "{what}: `min` {lo} is above `max` {hi}"),
            );
        }
        let default_node = m.get("default");
        m.finish(&what, diags);
        let Some(ty) = ty else {
            broken.push(name.clone());
            continue;
        };
        let mut field = Field { name: name.clone(), ty, unit, label, min, max, default: None, pos: key.pos.clone() };
        if let Some(n) = default_node {
            match field.read(n) {
                Ok(v) => field.default = Some(v),
                Err(e) => diags.error(file, n.pos.clone(), tr!("{what}：`default`：{e}", "{what}: `default`: {e}")),
            }
        }
        fields.push(field);
    }
    // `a` is a dotted prefix of `b` exactly when `a.` starts `b`. No character allowed in a name
    // sorts before `.`, so in sorted order the names that `a.` starts directly follow `a`.
    let mut sorted: Vec<&Field> = fields.iter().collect();
    sorted.sort_by(|x, y| x.name.cmp(&y.name));
    for (i, a) in sorted.iter().enumerate() {
        let prefix = format!("{}.", a.name);
        for b in sorted[i + 1..].iter().take_while(|b| b.name.starts_with(&prefix)) {
            diags.error(
                file,
                b.pos.clone(),
                tr!(
                    "字段 `{}` 是字段 `{}` 带点的前缀；一个值不能既是数字又是映射",
                    "field `{}` is a dotted prefix of field `{}`; a value cannot be both a number and a map",
                    a.name,
                    b.name
                ),
            );
        }
    }
    (fields, broken)
}

/// Ids are shown in tables, CSV and messages and compared by eye. A control character (NUL,
/// a line break, escape), a zero-width character or a bidirectional-text control (which
/// reorders what a terminal shows: `a\u{202E}dcb` reads as `abcd`) would let one id pass for
/// another, so none is allowed. Reported at the first such character, naming each (U+XXXX).
fn check_id_characters(file: &str, node: &YNode, id: &str, what: &str, diags: &mut Diagnostics) {
    let Some(first) = id.chars().position(is_deceptive) else { return };
    let mut found: Vec<char> = Vec::new();
    for c in id.chars().filter(|c| is_deceptive(*c)) {
        if !found.contains(&c) && found.len() < 5 {
            found.push(c);
        }
    }
    let named: Vec<String> = found.into_iter().map(describe_deceptive).collect();
    let named = named.join(&list_separator());
    // The character's own column when the id is written as is (not quoted with escapes).
    let pos = match (node.content_col, node.pos.line()) {
        (Some(start), Some(line)) => Pos::new(line, start + u32::try_from(first).unwrap_or(0)),
        _ => node.pos.clone(),
    };
    diags.error(
        file,
        pos,
        tr!(
            "{what}：id 含有 {named}；id 不能含有控制字符、零宽字符或双向文本控制符，它们会让一个 id 看起来像另一个",
            "{what}: the id contains {named}; ids may not contain control, zero-width or bidirectional-text characters, which make one id look like another"
        ),
    );
}

fn check_name(file: &str, pos: Pos, name: &str, what: &str, diags: &mut Diagnostics) {
    if expr::is_reserved(name) {
        diags.error(file, pos, tr!("{what}：`{name}` 是保留字", "{what}: `{name}` is a reserved word"));
    } else if !expr::is_valid_name(name) {
        diags.error(
            file,
            pos,
            tr!(
                "{what}：`{name}` 不是有效的名称（第一个字符须是字母、`_` 或汉字，其后是字母、数字、`_`、`.` 或汉字；不能以点结尾）",
                "{what}: `{name}` is not a valid name (a letter, `_` or CJK character first, then letters, digits, `_`, `.`, CJK; no trailing dot)"
            ),
        );
    }
}

/// The longest chain of derived names referring to one another.
pub const MAX_DERIVED_DEPTH: usize = 100;

fn read_derived(
    file: &str,
    node: &YNode,
    fields: &[Field],
    types: &mut Types,
    diags: &mut Diagnostics,
) -> Vec<Derived> {
    let Kind::Map(entries) = &node.kind else {
        let found = node.kind_name();
        diags.error(
            file,
            node.pos.clone(),
            tr!(
                "`derived`：应为“名称 → 表达式”的映射，实际为{found}",
                "`derived` must be a map of name → expression, found {found}"
            ),
        );
        return Vec::new();
    };
    let mut parsed: Vec<(String, Pos, expr::Expr)> = Vec::new();
    let mut nodes: HashMap<String, &YNode> = HashMap::new();
    for (key, value) in entries {
        let what = tr!("派生值 `{}`", "derived `{}`", key.name);
        check_name(file, key.pos.clone(), &key.name, &what, diags);
        if fields.iter().any(|f| f.name == key.name) {
            diags.error(file, key.pos.clone(), tr!("{what}：与一个字段同名", "{what}: a field has the same name"));
            continue;
        }
        let Some(text) = Reader { file }.text(value, &what, diags) else { continue };
        match expr::parse(&text) {
            Ok(e) => {
                nodes.insert(key.name.clone(), value);
                parsed.push((key.name.clone(), value.pos.clone(), e));
            }
            Err(e) => {
                let quoted = expr::quote(&text, e.column);
                diags.error(
                    file,
                    expr_pos(value, e.column),
                    tr!("{what}：表达式 `{quoted}`：{}", "{what}: expression `{quoted}`: {}", e.message),
                )
            }
        }
    }
    // Type derived names in dependency order; a cycle is reported with its path.
    let index: HashMap<&str, usize> = parsed.iter().enumerate().map(|(i, (n, _, _))| (n.as_str(), i)).collect();
    let mut state = vec![0u8; parsed.len()]; // 0 new, 1 visiting, 2 done
    let mut order = Vec::new();
    #[allow(clippy::too_many_arguments)]
    fn visit(
        i: usize,
        parsed: &[(String, Pos, expr::Expr)],
        index: &HashMap<&str, usize>,
        state: &mut [u8],
        stack: &mut Vec<usize>,
        order: &mut Vec<usize>,
        cycles: &mut Vec<Vec<usize>>,
        too_deep: &mut Option<usize>,
    ) {
        if state[i] == 2 {
            return;
        }
        if stack.len() >= MAX_DERIVED_DEPTH {
            // Reported below; going deeper would only risk the stack.
            too_deep.get_or_insert(i);
            return;
        }
        if state[i] == 1 {
            if let Some(start) = stack.iter().position(|&s| s == i) {
                cycles.push(stack[start..].to_vec());
            }
            return;
        }
        state[i] = 1;
        stack.push(i);
        for name in parsed[i].2.names() {
            if let Some(&j) = index.get(name) {
                visit(j, parsed, index, state, stack, order, cycles, too_deep);
            }
        }
        stack.pop();
        state[i] = 2;
        order.push(i);
    }
    let mut cycles = Vec::new();
    let mut too_deep = None;
    for i in 0..parsed.len() {
        visit(i, &parsed, &index, &mut state, &mut Vec::new(), &mut order, &mut cycles, &mut too_deep);
    }
    // Derived names are evaluated by recursion, one level per name in a chain: a chain longer
    // than the limit is refused here rather than overflowing the stack when scored.
    let mut depth = vec![0usize; parsed.len()];
    for &i in &order {
        let below = parsed[i].2.names().into_iter().filter_map(|n| index.get(n)).map(|&j| depth[j]).max().unwrap_or(0);
        depth[i] = below + 1;
        if depth[i] > MAX_DERIVED_DEPTH {
            too_deep.get_or_insert(i);
        }
    }
    if let Some(i) = too_deep {
        diags.error(
            file,
            parsed[i].1.clone(),
            tr!(
                "派生值 `{}`：派生值之间的引用链超过 {MAX_DERIVED_DEPTH} 层的上限",
                "derived `{}`: derived names refer to one another more than {MAX_DERIVED_DEPTH} deep (the limit)",
                parsed[i].0
            ),
        );
        for (name, _, _) in &parsed {
            // Known to expressions, so that their uses are not reported as unknown too.
            types.names.insert(name.clone(), (NameType { ty: Type::Number, levels: None }, None));
        }
        return Vec::new();
    }
    let mut in_cycle = HashSet::new();
    for cycle in &cycles {
        let names: Vec<&str> = cycle.iter().chain(cycle.first()).map(|&i| parsed[i].0.as_str()).collect();
        let cycle_text = names.join(" → ");
        diags.error(
            file,
            parsed[cycle[0]].1.clone(),
            tr!("派生值循环引用：{cycle_text}", "derived names form a cycle: {cycle_text}"),
        );
        in_cycle.extend(cycle.iter().copied());
    }
    for &i in &in_cycle {
        // Already reported; typed as numbers so that their users do not report them again.
        types.names.insert(parsed[i].0.clone(), (NameType { ty: Type::Number, levels: None }, None));
    }
    let mut out: Vec<Option<Derived>> = vec![None; parsed.len()];
    for i in order {
        if in_cycle.contains(&i) {
            continue;
        }
        let (name, pos, e) = &parsed[i];
        let env = ScopedTypes { types, points: false };
        match e.check(&env) {
            Ok(ty) => {
                let levels = e.as_name().and_then(|n| env.name_type(n)).and_then(|t| t.levels);
                types.names.insert(name.clone(), (NameType { ty, levels }, None));
                out[i] = Some(Derived { name: name.clone(), expr: e.clone(), ty, pos: pos.clone() });
            }
            Err(errors) => {
                for err in errors {
                    let at = nodes.get(name).map_or(pos.clone(), |n| expr_pos(n, err.column));
                    let message = tr!(
                        "派生值 `{name}`：表达式 `{}`：{}",
                        "derived `{name}`: expression `{}`: {}",
                        expr::quote(e.source(), err.column),
                        err.message
                    );
                    diags.error(file, at, message);
                }
            }
        }
    }
    out.into_iter().flatten().collect()
}

/// A points-like value (points, a cap) under `key`: non-negative, and reported with
/// `too_precise(value, places)` when it has more decimals than the precision it is kept at.
fn points_at_precision(
    node: &YNode,
    what: &str,
    key: &str,
    places: u32,
    (file, diags): (&str, &mut Diagnostics),
    too_precise: impl Fn(String, u32) -> String,
) -> Option<Decimal> {
    let value = read_points(&Reader { file }, node, &tr!("{what}：`{key}`", "{what}: `{key}`"), diags)?;
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
) -> Option<Decimal> {
    points_at_precision(node, what, "points", places, (file, diags), |p, places| {
        tr!(
            "{what}：分值 `{p}` 的小数位数多于 precision.indicator（{places}）",
            "{what}: points `{p}` have more decimals than precision.indicator ({places})"
        )
    })
}

fn read_nodes(
    node: &YNode,
    what: &str,
    cx: &mut ParseCx,
    precision: Precision,
    ids: &mut HashMap<String, Pos>,
) -> Vec<Node> {
    let Some(items) = Reader { file: cx.file }.seq(node, what, cx.diags) else { return Vec::new() };
    items.iter().filter_map(|item| read_node(item, cx, precision, ids)).collect()
}

fn read_node(node: &YNode, cx: &mut ParseCx, precision: Precision, ids: &mut HashMap<String, Pos>) -> Option<Node> {
    let file = cx.file;
    let reader = Reader { file };
    let mut m = MapReader::new(file, node, &tr!("指标", "an indicator"), cx.diags)?;
    let id_node = m.require("id", &tr!("指标", "indicator"), cx.diags);
    let id = id_node.and_then(|n| reader.text(n, "`id`", cx.diags));
    let what = id.as_deref().map_or_else(
        || tr!("指标", "indicator"),
        |id| {
            let id = printable(id);
            tr!("指标 `{id}`", "indicator `{id}`")
        },
    );
    if let (Some(id), Some(n)) = (&id, id_node) {
        check_id_characters(file, n, id, &what, cx.diags);
    }
    if let Some(id) = &id {
        if id.contains('.') {
            cx.error(
                node.pos.clone(),
                tr!(
                    "{what}：指标 id 不能含有 `.`（表格行的 id 要用它）",
                    "{what}: node ids may not contain `.` (row ids use it)"
                ),
            );
        }
        if id == "total" {
            cx.error(
                node.pos.clone(),
                tr!("{what}：`total` 留作总分使用", "{what}: `total` is reserved for the whole score"),
            );
        }
        if id.trim().is_empty() {
            cx.error(node.pos.clone(), tr!("指标 id 是空的", "indicator id is empty"));
        }
        if let Some(first) = ids.insert(id.clone(), node.pos.clone()) {
            let at = first.phrase();
            cx.error(
                node.pos.clone(),
                tr!("{what}：id 重复（第一次用在{at}）", "{what}: duplicate id (first used at {at})"),
            );
        }
    }
    let title = m
        .require("title", &what, cx.diags)
        .and_then(|n| reader.text(n, &crate::tr!("{what}：`title`", "{what}: `title`"), cx.diags));
    let points_node = m.get("points");
    let points = points_node.and_then(|n| node_points(n, &what, precision.indicator, file, cx.diags));
    let scale =
        m.get("scale").and_then(|n| reader.bool(n, &crate::tr!("{what}：`scale`", "{what}: `scale`"), cx.diags));
    let bonus =
        m.get("bonus").and_then(|n| reader.bool(n, &crate::tr!("{what}：`bonus`", "{what}: `bonus`"), cx.diags));
    let not_applicable = m.get("not_applicable").and_then(|n| read_policy(file, n, cx.diags));
    let standard = m
        .get("standard")
        .and_then(|n| reader.text(n, &crate::tr!("{what}：`standard`", "{what}: `standard`"), cx.diags));
    let children = m.get("children");
    let rows = m.get("rows");
    let method = m.get("method");
    let kinds = [children.is_some(), rows.is_some(), method.is_some()].iter().filter(|x| **x).count();
    if kinds != 1 {
        cx.error(
            node.pos.clone(),
            tr!(
                "{what}：`children`、`rows`、`method` 必须写且只能写一个，实际写了 {kinds} 个",
                "{what} needs exactly one of `children`, `rows` or `method`, found {kinds}"
            ),
        );
        // Its parameters are not the problem; do not report them as unknown keys too.
        m.allow(&Method::all_params());
    }
    let kind = if let Some(children) = children {
        if bonus.is_some() {
            cx.error(node.pos.clone(), tr!("{what}：`bonus` 只能用于末级指标", "{what}: `bonus` is for leaves only"));
        }
        let kids = read_nodes(children, &crate::tr!("{what}：`children`", "{what}: `children`"), cx, precision, ids);
        NodeKind::Branch(kids)
    } else if let Some(rows) = rows {
        match read_rows_spec(rows, &mut m, &what, cx) {
            Some(spec) => {
                if bonus.is_some() {
                    cx.error(
                        node.pos.clone(),
                        tr!("{what}：`bonus` 只能用于末级指标", "{what}: `bonus` is for leaves only"),
                    );
                }
                if points_node.is_none() {
                    cx.error(
                        node.pos.clone(),
                        tr!("{what}：`rows` 分支需要 `points`", "{what}: a `rows` branch needs `points`"),
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
                tr!("{what}：`scale` 只能用于有下级的指标", "{what}: `scale` is for branches only"),
            );
        }
        if points.is_none() && points_node.is_none() {
            cx.error(node.pos.clone(), tr!("{what}：末级指标需要 `points`", "{what}: a leaf needs `points`"));
        }
        let name = reader.text(method, &crate::tr!("{what}：`method`", "{what}: `method`"), cx.diags);
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
                        tr!("该方法没有参数", "it takes no parameters")
                    } else {
                        let sep = format!("`{}`", list_separator());
                        tr!("可选值：`{}`", "expected one of: `{}`", params.join(&sep))
                    };
                    cx.error(
                        pos,
                        tr!(
                            "{what}：`{key}` 不是方法 `{n}` 的参数；{takes}",
                            "{what}: `{key}` is not a parameter of method `{n}`; {takes}"
                        ),
                    );
                    m.allow(&[key]);
                }
                NodeKind::Leaf(Box::new(parsed.unwrap_or(Method::Manual)))
            }
            Some(n) => {
                let message = tr!("{what}：未知的评分方法 \"{n}\"", "{what}: unknown method \"{n}\"");
                cx.error(method.pos.clone(), with_suggestion(message, n, Method::NAMES));
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
                        "{what}：下级指标中至少要有一个不是加分项",
                        "{what}: a branch needs at least one non-bonus child"
                    ),
                );
            }
            if children.is_some() && kids.is_empty() && !cx.diags.has_errors() {
                cx.error(node.pos.clone(), tr!("{what}：`children` 是空的", "{what}: `children` is empty"));
            }
            match points {
                Some(p) if p != sum && scale != Some(true) && !kids.is_empty() => {
                    cx.error(
                        points_node.map_or(node.pos.clone(), |n| n.pos.clone()),
                        tr!(
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
        kind,
    })
}

/// A rows branch's own keys (SPEC §2.3): where the list is and how its rows are scored.
fn read_rows_spec(rows: &YNode, m: &mut MapReader, what: &str, cx: &mut ParseCx) -> Option<RowsSpec> {
    let file = cx.file;
    let reader = Reader { file };
    let source = reader.text(rows, &crate::tr!("{what}：`rows`", "{what}: `rows`"), cx.diags)?;
    if !expr::is_valid_name(&source) {
        cx.error(
            rows.pos.clone(),
            tr!(
                "{what}：`rows` 应为 `values` 下一个列表的名称（带点的名称），实际为 \"{source}\"",
                "{what}: `rows` must name a list under `values` (a dotted name), found \"{source}\""
            ),
        );
    }
    let reverse = match m.get("reverse") {
        None => Reverse::default(),
        Some(n) => {
            match read_name(file, n, &crate::tr!("{what}：`reverse`", "{what}: `reverse`"), &Reverse::NAMES, cx.diags)
            {
                Some("linear") => Reverse::Linear,
                _ => Reverse::Ratio,
            }
        }
    };
    let qualitative = m.get("qualitative").map(|n| {
        let Kind::Map(entries) = &n.kind else {
            let found = n.kind_name();
            cx.error(
                n.pos.clone(),
                tr!(
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
                    &tr!("{what}：qualitative `{level}`", "{what}: qualitative `{level}`"),
                    cx.diags,
                )?;
                if pc < Decimal::ZERO || pc > Decimal::ONE_HUNDRED {
                    cx.error(
                        v.pos.clone(),
                        tr!(
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
    Some(RowsSpec { source, reverse, qualitative })
}

fn read_grades(file: &str, node: &YNode, diags: &mut Diagnostics) -> Vec<Grade> {
    let reader = Reader { file };
    let Some(items) = reader.seq(node, "`grades`", diags) else { return Vec::new() };
    let mut grades: Vec<Grade> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let what = tr!("第 {} 个等级", "grade {}", i + 1);
        let Some(mut m) = MapReader::new(file, item, &what, diags) else { continue };
        let min = m
            .require("min", &what, diags)
            .and_then(|n| reader.decimal(n, &crate::tr!("{what}：`min`", "{what}: `min`"), diags));
        let label = m
            .require("label", &what, diags)
            .and_then(|n| reader.text(n, &crate::tr!("{what}：`label`", "{what}: `label`"), diags));
        m.finish(&what, diags);
        let (Some(min), Some(label)) = (min, label) else { continue };
        if let Some(prev) = grades.last()
            && min >= prev.min
        {
            diags.error(
                file,
                item.pos.clone(),
                tr!(
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
                tr!("等级名称 `{label}` 用了两次", "grade label `{label}` is used twice"),
            );
        }
        grades.push(Grade { min, label });
    }
    grades
}

fn read_vetoes(node: &YNode, cx: &mut ParseCx, grades: &[Grade], precision: Precision) -> Vec<Veto> {
    let file = cx.file;
    let reader = Reader { file };
    let Some(items) = reader.seq(node, "`vetoes`", cx.diags) else { return Vec::new() };
    let mut vetoes = Vec::new();
    let mut ids = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let numbered = tr!("第 {} 个一票否决项", "veto {}", i + 1);
        let Some(mut m) = MapReader::new(file, item, &numbered, cx.diags) else { continue };
        let id_node = m.require("id", &tr!("一票否决项", "veto"), cx.diags);
        let id = id_node.and_then(|n| reader.text(n, &tr!("一票否决项 `id`", "veto `id`"), cx.diags));
        let what = id.as_deref().map_or(numbered, |id| {
            let id = printable(id);
            tr!("一票否决项 `{id}`", "veto `{id}`")
        });
        if let (Some(id), Some(n)) = (&id, id_node) {
            check_id_characters(file, n, id, &what, cx.diags);
        }
        if let Some(id) = &id
            && !ids.insert(id.clone())
        {
            cx.error(item.pos.clone(), tr!("{what}：一票否决项 id 重复", "{what}: duplicate veto id"));
        }
        let title =
            m.get("title").and_then(|n| reader.text(n, &crate::tr!("{what}：`title`", "{what}: `title`"), cx.diags));
        let when = m.require("when", &what, cx.diags).and_then(|n| {
            let env = ScopedTypes { types: cx.types, points: false };
            let mut found = Diagnostics::default();
            let when = parse_expr(file, n, "when", Type::Bool, &env, &mut found);
            for mut d in found.0 {
                d.message = tr!("{what}：{}", "{what}: {}", d.message);
                cx.diags.push(d);
            }
            when
        });
        let grade_node = m.get("grade");
        let grade =
            grade_node.and_then(|n| reader.text(n, &crate::tr!("{what}：`grade`", "{what}: `grade`"), cx.diags));
        if let (Some(g), Some(n)) = (&grade, grade_node)
            && !grades.iter().any(|x| &x.label == g)
        {
            let message = if grades.is_empty() {
                tr!(
                    "{what}：`grade` 是 \"{g}\"，但没有适用的等级表（满分不是 100，指标体系也没有 `grades`）",
                    "{what}: `grade` \"{g}\" but no grade table is in force (the maximum is not 100 and the rubric has no `grades`)"
                )
            } else {
                with_suggestion(
                    tr!(
                        "{what}：`grade` \"{g}\" 不是等级表中的等级",
                        "{what}: `grade` \"{g}\" is not a label of the grade table"
                    ),
                    g,
                    grades.iter().map(|x| x.label.as_str()),
                )
            };
            cx.error(n.pos.clone(), message);
        }
        let cap_node = m.get("cap");
        let cap = cap_node.and_then(|n| {
            points_at_precision(n, &what, "cap", precision.total, (cx.file, cx.diags), |c, places| {
                tr!(
                    "{what}：封顶分 `{c}` 的小数位数多于 precision.total（{places}）",
                    "{what}: cap `{c}` has more decimals than precision.total ({places})"
                )
            })
        });
        if grade_node.is_none() && cap_node.is_none() {
            cx.error(
                item.pos.clone(),
                tr!("{what}：需要 `grade`、`cap` 或两者都写", "{what} needs `grade`, `cap` or both"),
            );
        }
        m.finish(&what, cx.diags);
        if let (Some(id), Some(when)) = (id, when) {
            vetoes.push(Veto { id, title, when, grade, cap, pos: item.pos.clone() });
        }
    }
    vetoes
}
