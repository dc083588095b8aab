//! The expression language of SPEC §2.2: exact decimal arithmetic, comparisons, boolean logic
//! and a few functions over named inputs.
//!
//! The pipeline is `parse` (text → immutable [`Expr`]), then [`Expr::check`] against a
//! [`TypeEnv`] (all static errors at once, before any data is read), then [`Expr::eval`]
//! against an [`Env`] (lazy: names are fetched only when the evaluation reaches them).

mod ast;
mod check;
mod eval;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use crate::lang::Lang;
use crate::number::RoundingMode;
use crate::tr;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;

/// The static type of an expression or name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    Bool,
    /// Level and text fields are text.
    Text,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Number => "number",
            Type::Bool => "bool",
            Type::Text => "text",
        })
    }
}

impl Type {
    /// The type's name for messages, in the given language (`Display` stays English).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Type::Number => lang.pick("数字", "number"),
            Type::Bool => lang.pick("布尔值", "bool"),
            Type::Text => lang.pick("文本", "text"),
        }
    }
}

/// A value an expression evaluates to or an environment provides.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(Decimal),
    Bool(bool),
    Text(String),
}

impl Value {
    pub fn ty(&self) -> Type {
        match self {
            Value::Number(_) => Type::Number,
            Value::Bool(_) => Type::Bool,
            Value::Text(_) => Type::Text,
        }
    }

    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => f.write_str(&crate::number::display(*d)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// A syntax error (from [`parse`]) or a static error (from [`Expr::check`]), located by the
/// 1-based character (not byte) column in the expression text, so CJK text points right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    /// An error at byte offset `at` of `src`.
    fn at(src: &str, at: usize, message: impl Into<String>) -> Self {
        ParseError { column: column(src, at), message: message.into() }
    }
}

/// At most this many characters of an expression are quoted by a message.
pub const QUOTED_CHARS: usize = 120;

/// An expression as a message quotes it: whole when short, else the [`QUOTED_CHARS`]
/// characters around its 1-based character `column` (where the error is), with `…` where text
/// is left out. A 200 000-character formula gives a message of one line, not of 200 KB; the
/// diagnostic's own line:col still points at the place in the file.
pub fn quote(text: &str, column: usize) -> String {
    crate::diag::excerpt(text, column.saturating_sub(1), QUOTED_CHARS).0
}

/// A part of an expression (an operand, a branch) as a message quotes it: its start, at most
/// [`QUOTED_CHARS`] characters.
fn quote_part(text: &str) -> String {
    crate::diag::excerpt(text, 0, QUOTED_CHARS).0
}

/// The 1-based character column of byte offset `at` in `src`.
fn column(src: &str, at: usize) -> usize {
    src.get(..at).map_or(1, |s| s.chars().count() + 1)
}

/// Why an evaluation failed. Never a panic, never a silent zero. Told in a language by
/// [`EvalError::describe`]; `Display` is English.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// `expr` is the source text of the division that divided by zero.
    DivisionByZero {
        expr: String,
    },
    Overflow {
        expr: String,
    },
    ClampBounds {
        lo: Decimal,
        hi: Decimal,
    },
    /// Only reachable when an expression is evaluated without having been checked.
    Type {
        expr: String,
        message: String,
    },
    /// Raised by environments when evaluating a derived name failed.
    InName {
        name: String,
        source: Box<EvalError>,
    },
    /// Any other failure reported by the environment (e.g. a missing value).
    Env(String),
}

impl EvalError {
    /// The failure in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            EvalError::DivisionByZero { expr } => tr!(lang, "计算 `{expr}` 时除以零", "division by zero in `{expr}`"),
            EvalError::Overflow { expr } => tr!(lang, "计算 `{expr}` 时溢出", "arithmetic overflow in `{expr}`"),
            EvalError::ClampBounds { lo, hi } => tr!(
                lang,
                "clamp(x, lo, hi) 的下限 lo {} 大于上限 hi {}",
                "clamp(x, lo, hi) with lo {} above hi {}",
                crate::number::display(*lo),
                crate::number::display(*hi)
            ),
            EvalError::Type { expr, message } => {
                tr!(lang, "`{expr}` 中类型错误：{message}", "type error in `{expr}`: {message}")
            }
            EvalError::InName { name, source } => {
                let source = source.describe(lang);
                tr!(lang, "在派生值 `{name}` 中：{source}", "in derived `{name}`: {source}")
            }
            EvalError::Env(message) => message.clone(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EvalError::InName { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// What a checker knows about a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameType {
    pub ty: Type,
    /// For level fields: the declared levels, so `field == "优"` can be checked statically.
    pub levels: Option<Vec<String>>,
}

/// The static environment: names and their types.
pub trait TypeEnv {
    fn name_type(&self, name: &str) -> Option<NameType>;
    /// All known names, for "did you mean".
    fn names(&self) -> Vec<String>;
}

/// The runtime environment. `&mut` so that it may evaluate derived names lazily and cache them.
pub trait Env {
    fn value(&mut self, name: &str) -> Result<Value, EvalError>;
}

/// A plain map of values: a simple environment for tests and small callers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapEnv(pub BTreeMap<String, Value>);

impl Env for MapEnv {
    fn value(&mut self, name: &str) -> Result<Value, EvalError> {
        // Its messages are in English: it serves tests and small callers, which read them so.
        self.0.get(name).cloned().ok_or_else(|| EvalError::Env(format!("unknown name `{name}`")))
    }
}

impl TypeEnv for MapEnv {
    fn name_type(&self, name: &str) -> Option<NameType> {
        self.0.get(name).map(|v| NameType { ty: v.ty(), levels: None })
    }

    fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }
}

/// The built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Min,
    Max,
    Abs,
    Round,
    Floor,
    Ceil,
    Clamp,
    If,
}

impl Func {
    const ALL: [(Func, &'static str); 8] = [
        (Func::Min, "min"),
        (Func::Max, "max"),
        (Func::Abs, "abs"),
        (Func::Round, "round"),
        (Func::Floor, "floor"),
        (Func::Ceil, "ceil"),
        (Func::Clamp, "clamp"),
        (Func::If, "if"),
    ];

    fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// `None` when the argument count is right, else how to call it.
    fn arity_error(self, name: &str, found: usize, lang: Lang) -> Option<String> {
        let (ok, usage) = match self {
            Func::Min | Func::Max => (found >= 1, lang.pick("至少 1 个参数", "at least 1 argument")),
            Func::Abs | Func::Floor | Func::Ceil => (found == 1, lang.pick("1 个参数（x）", "1 argument (x)")),
            Func::Round => (found == 2, lang.pick("2 个参数（x, decimals）", "2 arguments (x, decimals)")),
            Func::Clamp => (found == 3, lang.pick("3 个参数（x, lo, hi）", "3 arguments (x, lo, hi)")),
            Func::If => {
                (found == 3, lang.pick("3 个参数（condition, then, else）", "3 arguments (condition, then, else)"))
            }
        };
        (!ok).then(|| tr!(lang, "`{name}` 需要{usage}，实际给了 {found} 个", "`{name}` takes {usage}, found {found}"))
    }
}

/// Operator keywords and literals: never names.
const KEYWORDS: [&str; 5] = ["and", "or", "not", "true", "false"];

/// Words that may not be declared as field or derived names: the keywords, `points` (the
/// leaf's maximum, which only an expression may use) and the function names.
pub fn is_reserved(name: &str) -> bool {
    KEYWORDS.contains(&name) || name == "points" || Func::from_name(name).is_some()
}

/// Whether `name` has the shape of a name (SPEC §2.1): a letter, `_` or CJK character first,
/// then letters, digits, `_`, `.` or CJK, with no empty dotted segment and no trailing dot.
/// Says nothing about reserved words; see [`is_reserved`].
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(lexer::is_name_start)
        && chars.all(lexer::is_name_char)
        && !name.ends_with('.')
        && !name.contains("..")
}

/// Parses an expression. Errors carry the 1-based character column and are told in `lang`.
pub fn parse(src: &str, lang: Lang) -> Result<Expr, ParseError> {
    parser::parse(src, lang).map(|root| Expr { src: src.to_owned(), root })
}

/// A parsed expression: its source text and its syntax tree. Immutable once parsed.
#[derive(Debug, Clone)]
pub struct Expr {
    src: String,
    root: ast::Node,
}

impl Expr {
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Distinct names referenced anywhere in the expression (including both branches of
    /// `if`), in order of first appearance, `points` included if used.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.root.collect_names(&mut out);
        out
    }

    /// Every static error at once (unknown names and functions, arity, types, level
    /// literals), or the expression's type; messages in `lang`.
    pub fn check(&self, env: &dyn TypeEnv, lang: Lang) -> Result<Type, Vec<ParseError>> {
        check::check(&self.src, &self.root, env, lang)
    }

    /// Evaluates lazily: `if` evaluates one branch, `and`/`or` short-circuit and names are
    /// fetched from `env` only when reached. `mode` is the rubric's rounding for `round()`; a type
    /// error (only reachable unchecked) is told in `lang`.
    pub fn eval(&self, env: &mut dyn Env, mode: RoundingMode, lang: Lang) -> Result<Value, EvalError> {
        eval::Evaluator::new(&self.src, env, mode, lang).eval(&self.root)
    }

    /// If the whole expression is a single name, that name (used to label inputs).
    pub fn as_name(&self) -> Option<&str> {
        match &self.root.kind {
            ast::Kind::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// Canonical text with only the parentheses the grammar needs; it parses back to an equal tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}

/// The closest candidate to `word`, if close enough to be a plausible typo.
fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // Allow about one edit per three characters (at least one), so `执行律` finds `执行率`
    // but short unrelated names are not suggested.
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: a name of 100 000 characters is
        // not compared (in time and memory its length times each candidate's) with short ones.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}
