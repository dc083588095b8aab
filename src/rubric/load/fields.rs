//! The rubric's inputs: `fields` (typed, with bounds, levels and defaults) and `derived` names
//! (expressions over them, typed in dependency order, cycles and over-long chains refused).

use super::names::{check_name, read_name};
use crate::diag::{Diagnostics, Pos};
use crate::expr::{self, NameType, Type, TypeEnv};
use crate::lang::Lang;
use crate::method::params::{ScopedTypes, Types, expr_pos};
use crate::number::display;
use crate::rubric::model::*;
use crate::tr;
use crate::yaml::{Kind, MapReader, Node as YNode, Reader};
use std::collections::{HashMap, HashSet};

/// The fields, and the names of fields whose definitions are broken (reported already).
pub(super) fn read_fields(file: &str, node: &YNode, diags: &mut Diagnostics, lang: Lang) -> (Vec<Field>, Vec<String>) {
    let reader = Reader { file, lang };
    let Kind::Map(entries) = &node.kind else {
        let found = node.kind_name(lang);
        diags.error(
            file,
            node.pos.clone(),
            tr!(
                lang,
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
        let what = tr!(lang, "字段 `{name}`", "field `{name}`");
        check_name(file, key.pos.clone(), name, &what, diags, lang);
        let Some(mut m) = MapReader::new(file, lang, def, &what, diags) else { continue };
        let ty_name = m.require("type", &what, diags).and_then(|n| {
            read_name(file, n, &crate::tr!(lang, "{what}：`type`", "{what}: `type`"), &FieldType::NAMES, diags, lang)
        });
        let levels = m
            .get("levels")
            .and_then(|n| reader.seq(n, &crate::tr!(lang, "{what}：`levels`", "{what}: `levels`"), diags))
            .map(|items| {
                let level = tr!(lang, "{what}：等级", "{what}: level");
                items.iter().filter_map(|i| reader.text(i, &level, diags)).collect::<Vec<_>>()
            });
        let ty = match (ty_name, levels) {
            (Some("level"), Some(levels)) => {
                if levels.is_empty() {
                    diags.error(
                        file,
                        def.pos.clone(),
                        tr!(lang, "{what}：`levels` 是空的", "{what}: `levels` is empty"),
                    );
                }
                let mut seen = HashSet::new();
                for l in &levels {
                    if !seen.insert(l) {
                        diags.error(
                            file,
                            def.pos.clone(),
                            tr!(lang, "{what}：等级 `{l}` 列了两次", "{what}: level `{l}` is listed twice"),
                        );
                    }
                }
                Some(FieldType::Level(levels))
            }
            (Some("level"), None) => {
                diags.error(
                    file,
                    def.pos.clone(),
                    tr!(lang, "{what}：等级字段需要 `levels`", "{what}: a level field needs `levels`"),
                );
                None
            }
            (Some(other), levels) => {
                if levels.is_some() {
                    diags.error(
                        file,
                        def.pos.clone(),
                        tr!(
                            lang,
                            "{what}：`levels` 只用于 `type: level`",
                            "{what}: `levels` is only for `type: level`"
                        ),
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
        let unit =
            m.get("unit").and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`unit`", "{what}: `unit`"), diags));
        let label =
            m.get("label").and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`label`", "{what}: `label`"), diags));
        let numeric = matches!(ty, Some(FieldType::Number | FieldType::Integer | FieldType::Percent));
        let bound = |m: &mut MapReader, key: &'static str, diags: &mut Diagnostics| {
            let n = m.get(key)?;
            if !numeric && ty.is_some() {
                diags.error(
                    file,
                    n.pos.clone(),
                    tr!(
                        lang,
                        "{what}：`{key}` 只用于 number、integer 和 percent 字段",
                        "{what}: `{key}` is only for number, integer and percent fields"
                    ),
                );
                return None;
            }
            reader.decimal(n, &tr!(lang, "{what}：`{key}`", "{what}: `{key}`"), diags)
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
                tr!(lang, "{what}：`min` {lo} 大于 `max` {hi}", "{what}: `min` {lo} is above `max` {hi}"),
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
            match field.read(n, lang) {
                Ok(v) => field.default = Some(v),
                Err(e) => {
                    diags.error(file, n.pos.clone(), tr!(lang, "{what}：`default`：{e}", "{what}: `default`: {e}"))
                }
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
                    lang,
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

/// The longest chain of derived names referring to one another.
pub const MAX_DERIVED_DEPTH: usize = 100;

pub(super) fn read_derived(
    file: &str,
    node: &YNode,
    fields: &[Field],
    types: &mut Types,
    diags: &mut Diagnostics,
    lang: Lang,
) -> Vec<Derived> {
    let Kind::Map(entries) = &node.kind else {
        let found = node.kind_name(lang);
        diags.error(
            file,
            node.pos.clone(),
            tr!(
                lang,
                "`derived`：应为“名称 → 表达式”的映射，实际为{found}",
                "`derived` must be a map of name → expression, found {found}"
            ),
        );
        return Vec::new();
    };
    let mut parsed: Vec<(String, Pos, expr::Expr)> = Vec::new();
    let mut nodes: HashMap<String, &YNode> = HashMap::new();
    // What people read for a name: its label and unit, from the long form.
    let mut words: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    let reader = Reader { file, lang };
    for (key, written) in entries {
        let what = tr!(lang, "派生值 `{}`", "derived `{}`", key.name);
        check_name(file, key.pos.clone(), &key.name, &what, diags, lang);
        if fields.iter().any(|f| f.name == key.name) {
            diags.error(
                file,
                key.pos.clone(),
                tr!(lang, "{what}：与一个字段同名", "{what}: a field has the same name"),
            );
            continue;
        }
        // `name: "expr"`, or `name: { expr: "…", label: …, unit: … }`.
        let value = match &written.kind {
            Kind::Map(_) => {
                let Some(mut m) = MapReader::new(file, lang, written, &what, diags) else { continue };
                let expr_node = m.require("expr", &what, diags);
                let mut text_of = |key: &'static str| {
                    m.get(key).and_then(|n| reader.text(n, &tr!(lang, "{what}：`{key}`", "{what}: `{key}`"), diags))
                };
                let (label, unit) = (text_of("label"), text_of("unit"));
                m.finish(&what, diags);
                words.insert(key.name.clone(), (label, unit));
                let Some(node) = expr_node else { continue };
                node
            }
            _ => written,
        };
        let Some(text) = reader.text(value, &what, diags) else { continue };
        match expr::parse(&text, lang) {
            Ok(e) => {
                nodes.insert(key.name.clone(), value);
                parsed.push((key.name.clone(), value.pos.clone(), e));
            }
            Err(e) => {
                let quoted = expr::quote(&text, e.column);
                diags.error(
                    file,
                    expr_pos(value, e.column),
                    tr!(lang, "{what}：表达式 `{quoted}`：{}", "{what}: expression `{quoted}`: {}", e.message),
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
                lang,
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
            tr!(lang, "派生值循环引用：{cycle_text}", "derived names form a cycle: {cycle_text}"),
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
        match e.check(&env, lang) {
            Ok(ty) => {
                let levels = e.as_name().and_then(|n| env.name_type(n)).and_then(|t| t.levels);
                let (label, unit) = words.remove(name).unwrap_or_default();
                types.names.insert(name.clone(), (NameType { ty, levels }, label.clone()));
                out[i] = Some(Derived { name: name.clone(), expr: e.clone(), ty, pos: pos.clone(), label, unit });
            }
            Err(errors) => {
                for err in errors {
                    let at = nodes.get(name).map_or(pos.clone(), |n| expr_pos(n, err.column));
                    let message = tr!(
                        lang,
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
