//! Reading method parameters from a leaf's YAML map: expressions checked against the names
//! in scope, literals, choices. The rubric loader builds the scope; each method reads its own
//! parameters through [`ParseCx`].

use super::Param;
use crate::diag::{Diagnostics, Pos, with_suggestion};
use crate::expr::{self, NameType, Type, TypeEnv};
use crate::lang::Lang;
use crate::number::display;
use crate::tr;
use crate::yaml::{MapReader, Node as YNode, Reader};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Names visible to expressions, with their types and labels.
#[derive(Default)]
pub(crate) struct Types {
    pub(crate) names: BTreeMap<String, (NameType, Option<String>)>,
    /// Declared `min`/`max` of numeric fields, for band-gap warnings.
    pub(crate) ranges: HashMap<String, (Option<Decimal>, Option<Decimal>)>,
}

pub(crate) struct ScopedTypes<'a> {
    pub(crate) types: &'a Types,
    pub(crate) points: bool,
}

impl TypeEnv for ScopedTypes<'_> {
    fn name_type(&self, name: &str) -> Option<NameType> {
        if self.points && name == "points" {
            return Some(NameType { ty: Type::Number, levels: None });
        }
        self.types.names.get(name).map(|(t, _)| t.clone())
    }
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.types.names.keys().cloned().collect();
        if self.points {
            names.push("points".into());
        }
        names
    }
}

/// What method parsers need: the file, the diagnostics and the names in scope.
pub(crate) struct ParseCx<'a> {
    pub file: &'a str,
    /// The language of its messages.
    pub lang: Lang,
    pub diags: &'a mut Diagnostics,
    pub(crate) types: &'a Types,
    /// True while reading a `formula`, whose `expr` may use `points`.
    pub allow_points: bool,
    /// The indicator being read, named in every message about it.
    pub(crate) node: Option<String>,
}

impl<'a> ParseCx<'a> {
    /// A reader of the file being read, in the same language.
    pub fn reader(&self) -> Reader<'a> {
        Reader { file: self.file, lang: self.lang }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        let message = self.in_node(message.into());
        self.diags.error(self.file, pos, message);
    }

    /// An error that speaks of a second place too (where a duplicate was first written).
    pub fn error_also(&mut self, pos: Pos, also: Pos, message: impl Into<String>) {
        let message = self.in_node(message.into());
        self.diags.push(crate::diag::Diagnostic::error(self.file, pos, message).also_at(also));
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>) {
        let message = self.in_node(message.into());
        self.diags.warning(self.file, pos, message);
    }

    fn in_node(&self, message: String) -> String {
        match &self.node {
            Some(id) => tr!(self.lang, "指标 `{id}`：{message}", "indicator `{id}`: {message}"),
            None => message,
        }
    }

    pub fn name_type(&self, name: &str) -> Option<NameType> {
        self.types.names.get(name).map(|(t, _)| t.clone())
    }

    /// The declared `min` and `max` of a numeric field.
    pub fn range_of(&self, name: &str) -> (Option<Decimal>, Option<Decimal>) {
        self.types.ranges.get(name).copied().unwrap_or_default()
    }

    pub fn label_of(&self, name: &str) -> String {
        self.types.names.get(name).and_then(|(_, l)| l.clone()).unwrap_or_else(|| name.to_owned())
    }

    pub fn unknown_name(&mut self, pos: Pos, name: &str, what: &str) {
        let message = with_suggestion(
            tr!(self.lang, "{what}：未知的字段 `{name}`", "{what}: unknown field `{name}`"),
            name,
            self.types.names.keys().map(String::as_str),
            self.lang,
        );
        self.error(pos, message);
    }

    /// A required expression parameter of type `want`, parsed and type-checked.
    pub fn expr(&mut self, map: &mut MapReader, key: &'static str, want: Type) -> Option<Param> {
        // The indicator is named once: "指标 `x`：缺少…", "indicator `x`: leaf: missing …".
        let what = match &self.node {
            Some(id) => tr!(self.lang, "指标 `{id}`", "indicator `{id}`: leaf"),
            None => leaf(self.lang),
        };
        let node = map.require(key, &what, self.diags)?;
        let env = ScopedTypes { types: self.types, points: self.allow_points };
        let mut found = Diagnostics::default();
        let param = parse_expr(self.file, node, key, want, &env, &mut found, self.lang);
        for mut d in found.0 {
            d.message = self.in_node(d.message);
            self.diags.push(d);
        }
        param
    }

    /// An optional text parameter restricted to `options`.
    pub fn choice(&mut self, map: &mut MapReader, key: &'static str, options: &[&'static str]) -> Option<&'static str> {
        let node = map.get(key)?;
        let text = self.reader().text(node, &format!("`{key}`"), self.diags)?;
        let found = options.iter().find(|o| **o == text).copied();
        if found.is_none() {
            let message = with_suggestion(
                tr!(self.lang, "`{key}`：未知的取值 \"{text}\"", "`{key}`: unknown value \"{text}\""),
                &text,
                options.iter().copied(),
                self.lang,
            );
            self.error(node.pos.clone(), message);
        }
        found
    }

    /// An optional percent literal, 0–100.
    pub fn percent(&mut self, map: &mut MapReader, key: &'static str) -> Option<Decimal> {
        let node = map.get(key)?;
        let v = self.reader().decimal(node, &format!("`{key}`"), self.diags)?;
        if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            let found = display(v);
            self.error(
                node.pos.clone(),
                tr!(
                    self.lang,
                    "`{key}` 是百分比，应在 0–100 之间，实际为 `{found}`",
                    "`{key}` is a percent and must be 0–100, found `{found}`"
                ),
            );
        }
        Some(v)
    }

    pub fn required_literal(&mut self, map: &mut MapReader, key: &'static str) -> Option<Decimal> {
        let node = map.require(key, &leaf(self.lang), self.diags)?;
        self.reader().decimal(node, &format!("`{key}`"), self.diags)
    }

    pub fn required_non_negative(&mut self, map: &mut MapReader, key: &'static str) -> Option<Decimal> {
        let node = map.require(key, &leaf(self.lang), self.diags)?;
        read_points(&self.reader(), node, &format!("`{key}`"), self.diags)
    }

    pub fn optional_non_negative(&mut self, map: &mut MapReader, key: &'static str) -> Option<Decimal> {
        let node = map.get(key)?;
        read_points(&self.reader(), node, &format!("`{key}`"), self.diags)
    }
}

/// The largest points value (points, full marks, caps, deductions) accepted. Far above any
/// real rubric, and small enough that no sum of points in a tree of `yaml::MAX_NODES` can
/// overflow a decimal.
pub const MAX_POINTS: u64 = 1_000_000_000_000;

/// A points value (points, full marks, caps, deductions): from 0 to [`MAX_POINTS`].
pub(crate) fn read_points(reader: &Reader, node: &YNode, what: &str, diags: &mut Diagnostics) -> Option<Decimal> {
    let d = reader.non_negative(node, what, diags)?;
    let lang = reader.lang;
    if d > Decimal::from(MAX_POINTS) {
        let found = display(d);
        diags.error(
            reader.file,
            node.pos.clone(),
            tr!(
                lang,
                "{what}：不能超过 {MAX_POINTS}，实际为 `{found}`",
                "{what} may not exceed {MAX_POINTS}, found `{found}`"
            ),
        );
        return None;
    }
    Some(d)
}

/// "leaf", naming a leaf's map in messages.
fn leaf(lang: Lang) -> String {
    tr!(lang, "末级指标", "leaf")
}

pub(crate) fn parse_expr(
    file: &str,
    node: &YNode,
    key: &str,
    want: Type,
    env: &dyn TypeEnv,
    diags: &mut Diagnostics,
    lang: Lang,
) -> Option<Param> {
    let text = Reader { file, lang }.text(node, &format!("`{key}`"), diags)?;
    let parsed = match expr::parse(&text, lang) {
        Ok(e) => e,
        Err(e) => {
            let quoted = expr::quote(&text, e.column);
            let message = tr!(lang, "`{key}`：表达式 `{quoted}`：{}", "`{key}`: expression `{quoted}`: {}", e.message);
            diags.error(file, expr_pos(node, e.column), message);
            return None;
        }
    };
    match parsed.check(env, lang) {
        Ok(ty) if ty == want => Some(Param { expr: parsed, pos: node.pos.clone() }),
        Ok(ty) => {
            let quoted = expr::quote(&text, 1);
            let message = tr!(
                lang,
                "`{key}`：表达式 `{quoted}` 的类型是{}，但这里需要{}",
                "`{key}`: expression `{quoted}` is {}, but {} is needed here",
                ty.label(lang),
                want.label(lang)
            );
            diags.error(file, node.pos.clone(), message);
            None
        }
        Err(errors) => {
            for e in errors {
                let quoted = expr::quote(&text, e.column);
                let message =
                    tr!(lang, "`{key}`：表达式 `{quoted}`：{}", "`{key}`: expression `{quoted}`: {}", e.message);
                diags.error(file, expr_pos(node, e.column), message);
            }
            None
        }
    }
}

/// Where column `column` (1-based, in characters) of an expression written in `node` is in
/// the file; the node's own position when the expression spans lines.
pub(crate) fn expr_pos(node: &YNode, column: usize) -> Pos {
    match (node.content_col, &node.pos) {
        (Some(start), Pos::Text { line, .. }) => {
            Pos::new(*line, start + u32::try_from(column.saturating_sub(1)).unwrap_or(0))
        }
        _ => node.pos.clone(),
    }
}
