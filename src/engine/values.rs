//! The data file's values, typed by the rubric's fields, and lazy derived names.

use crate::data::{DataFile, Known, resolve};
use crate::diag::{Diagnostics, Pos};
use crate::expr::{Env, EvalError, Value};
use crate::lang::Lang;
use crate::number::{RoundingMode, display};
use crate::rubric::PathKind;
use crate::rubric::{Derived, Rubric};
use crate::tr;
use crate::yaml::{Key, Node};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Every field value the data file gives (or its default), and derived values once used.
pub(crate) struct Values<'a> {
    rubric: &'a Rubric,
    /// The language of its messages.
    lang: Lang,
    fields: HashMap<String, Value>,
    derived: HashMap<String, Result<Value, EvalError>>,
    /// `points` inside a formula's `expr`.
    pub points: Option<Decimal>,
}

impl<'a> Values<'a> {
    /// Reads and checks every field the data file gives; reports every missing needed one.
    pub fn read(
        rubric: &'a Rubric,
        data: &DataFile,
        needed: &BTreeMap<String, Vec<String>>,
        diags: &mut Diagnostics,
        lang: Lang,
    ) -> Values<'a> {
        let mut fields = HashMap::new();
        let mut missing = Vec::new();
        // One walk over `values`: every written field value (nested and flat spellings both,
        // so writing one twice is caught) and every key the rubric does not know.
        let mut written: Vec<Vec<(&Key, &Node)>> = vec![Vec::new(); rubric.fields.len()];
        let mut unknown: Vec<(String, Pos)> = Vec::new();
        let kind = |path: &str| match rubric.path_kind(path) {
            PathKind::Value => Known::Field,
            PathKind::Prefix => Known::Prefix,
            PathKind::Unknown => Known::Unknown,
        };
        data.scan(
            &kind,
            &mut |path, key, node| {
                if let Some(i) = rubric.field_index(path) {
                    written[i].push((key, node));
                }
            },
            &mut |path, key| unknown.push((path.to_owned(), key.pos.clone())),
        );
        for (field, found) in rubric.fields.iter().zip(&written) {
            let value = match resolve(&field.name, found, lang) {
                Ok(n) => n,
                Err((e, pos, first)) => {
                    let message = tr!(lang, "values：{e}", "values: {e}");
                    diags.push(crate::diag::Diagnostic::error(&data.file, pos, message).also_at(first));
                    continue;
                }
            };
            match value {
                Some(node) => match field.read(node, lang) {
                    Ok(v) => {
                        fields.insert(field.name.clone(), v);
                    }
                    Err(e) => diags.error(
                        &data.file,
                        node.pos.clone(),
                        tr!(lang, "值 `{}`（{}）：{e}", "value `{}` ({}): {e}", field.name, field.display_name()),
                    ),
                },
                None => match &field.default {
                    Some(d) => {
                        fields.insert(field.name.clone(), d.clone());
                    }
                    // A key written with nothing after it (an unfilled template) is told at the key.
                    None if needed.contains_key(&field.name) => {
                        missing.push((field, found.first().map(|(k, _)| k.pos.clone())))
                    }
                    None => {}
                },
            }
        }
        for (field, empty_key) in missing {
            let unit = field.unit.as_deref().map(|u| tr!(lang, "，{u}", ", {u}")).unwrap_or_default();
            let users = needed.get(&field.name).map(|u| u.join(&tr!(lang, "；", "; "))).unwrap_or_default();
            // A near-miss key in the file is most likely the missing value misspelt.
            let near = unknown.iter().find(|(name, _)| crate::diag::is_similar(name, &field.name, 0.9));
            let (pos, hint) = match (empty_key, near) {
                (Some(key), _) => {
                    let message = tr!(
                        lang,
                        "`{}`（{}{unit}，{}）未填写：请在冒号后写上值；用于：{users}",
                        "`{}` ({}{unit}, {}) is not filled in: write its value after the colon; needed by {users}",
                        field.name,
                        field.display_name(),
                        field.ty.label(lang)
                    );
                    diags.error(&data.file, key, message);
                    continue;
                }
                (None, Some((name, pos))) => (
                    pos.clone(),
                    tr!(
                        lang,
                        "；文件{}有 `{name}`：是不是拼错了？",
                        "; the file has `{name}` at {}: a misspelling?",
                        pos.phrase(lang)
                    ),
                ),
                (None, None) => (data.values_pos.clone(), String::new()),
            };
            let message = tr!(
                lang,
                "缺少值 `{}`（{}{unit}，{}），用于：{users}{hint}",
                "missing value `{}` ({}{unit}, {}), needed by {users}{hint}",
                field.name,
                field.display_name(),
                field.ty.label(lang)
            );
            diags.error(&data.file, pos, message);
        }
        for (name, pos) in unknown {
            let message = crate::diag::with_suggestion(
                tr!(
                    lang,
                    "values：`{name}` 不是指标体系 `{}` 的字段，已忽略",
                    "values: `{name}` is not a field of rubric `{}`; ignored",
                    rubric.id
                ),
                &name,
                rubric.fields.iter().map(|f| f.name.as_str()),
                lang,
            );
            diags.warning(&data.file, pos, message);
        }
        Values { rubric, lang, fields, derived: HashMap::new(), points: None }
    }

    pub fn mode(&self) -> RoundingMode {
        self.rubric.rounding
    }

    /// How the rubric writes computed numbers for people.
    pub fn figures(&self) -> crate::number::Figures {
        self.rubric.figures()
    }

    pub fn is_field(&self, name: &str) -> bool {
        self.rubric.field(name).is_some()
    }

    pub fn field_unit(&self, name: &str) -> Option<String> {
        self.rubric.field(name).and_then(|f| f.unit.clone())
    }

    /// Evaluates derived name `name` and caches the result; every derived name it reads must
    /// be cached already (see [`Self::settle_dependencies`]).
    fn evaluate_derived(&mut self, name: &str, derived: &'a Derived) -> Result<Value, EvalError> {
        // Derived names never see `points`: they belong to the rubric, not to a leaf.
        let points = self.points.take();
        let (mode, lang) = (self.rubric.rounding, self.lang);
        let result = derived
            .expr
            .eval(self, mode, lang)
            .map_err(|e| EvalError::InName { name: name.to_owned(), source: Box::new(e) });
        self.points = points;
        self.derived.insert(name.to_owned(), result.clone());
        result
    }

    /// Evaluates the derived names that `derived` reads, directly or through others, and that
    /// are not cached yet — deepest first, so that no evaluation recurses from one derived name
    /// into another. (A chain of MAX_DERIVED_DEPTH names, each MAX_HEIGHT operators deep,
    /// would otherwise nest 25 600 evaluations.) A dependency that fails is cached as failed
    /// and only matters if it is read.
    fn settle_dependencies(&mut self, derived: &'a Derived) {
        let rubric = self.rubric;
        let mut order: Vec<(&'a str, &'a Derived)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<(&'a str, bool)> = derived.expr.names().into_iter().map(|n| (n, false)).collect();
        while let Some((name, expanded)) = stack.pop() {
            let Some(d) = rubric.derived(name) else { continue };
            if expanded {
                order.push((name, d));
            } else if !self.derived.contains_key(name) && seen.insert(name) {
                stack.push((name, true));
                stack.extend(d.expr.names().into_iter().map(|n| (n, false)));
            }
        }
        for (name, d) in order {
            // Its own dependencies came before it, so this reads only cached values.
            let _ = self.evaluate_derived(name, d);
        }
    }
}

impl Env for Values<'_> {
    fn value(&mut self, name: &str) -> Result<Value, EvalError> {
        if name == "points"
            && let Some(p) = self.points
        {
            return Ok(Value::Number(p));
        }
        if let Some(v) = self.fields.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.derived.get(name) {
            return v.clone();
        }
        if let Some(d) = self.rubric.derived(name) {
            self.settle_dependencies(d);
            return self.evaluate_derived(name, d);
        }
        Err(EvalError::Env(tr!(self.lang, "`{name}` 没有值", "no value for `{name}`")))
    }
}

/// Records the names an expression reads directly, with their values (a leaf's inputs).
pub(crate) struct Recorder<'v, 'a> {
    pub values: &'v mut Values<'a>,
    pub log: &'v mut Vec<(String, Value)>,
}

impl Env for Recorder<'_, '_> {
    fn value(&mut self, name: &str) -> Result<Value, EvalError> {
        let v = self.values.value(name)?;
        if name != "points" && !self.log.iter().any(|(n, _)| n == name) {
            self.log.push((name.to_owned(), v.clone()));
        }
        Ok(v)
    }
}

/// Describes an evaluation failure with the numbers involved.
pub(crate) fn describe(e: &EvalError, lang: Lang) -> String {
    match e {
        EvalError::ClampBounds { lo, hi } => tr!(
            lang,
            "clamp 的上下限颠倒了：下限 lo {} > 上限 hi {}",
            "clamp bounds reversed: lo {} > hi {}",
            display(*lo),
            display(*hi)
        ),
        other => other.describe(lang),
    }
}
