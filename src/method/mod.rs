//! The scoring methods of SPEC §3, one file each. A method turns a leaf's inputs into a
//! raw score; the engine clamps it to [0, p] and rounds it (SPEC §3, §4.1).

mod bands;
mod checklist;
mod deduct;
mod formula;
mod levels;
mod linear;
pub(crate) mod params;
mod ratio;
mod row;

pub use bands::{Award, Band, Bands, Bound};
pub use checklist::{Checklist, Item};
pub use deduct::Deduct;
pub use formula::Formula;
pub use levels::Levels;
pub use linear::Linear;
pub use ratio::{Direction, Ratio};
pub use row::{Figure, Op, Reverse, Row, same_text};

use crate::diag::Pos;
use crate::expr::Expr;
use crate::lang::Lang;
use crate::number::{Figures, Origin, display, human};
use crate::tr;
use crate::yaml::MapReader;
use params::ParseCx;
use rust_decimal::Decimal;

/// An expression parameter of a leaf or veto, with where it was written.
#[derive(Debug, Clone)]
pub struct Param {
    pub expr: Expr,
    pub pos: Pos,
}

/// What a leaf's method reads while scoring; the engine implements it and records inputs.
pub trait LeafEnv {
    fn number(&mut self, param: &Param) -> Result<Decimal, String>;
    fn text(&mut self, param: &Param) -> Result<String, String>;
    /// A bool field or derived name (checklist items).
    fn flag(&mut self, name: &str) -> Result<bool, String>;
    /// The data file's `manual` entry for this leaf: score and reason.
    fn manual(&mut self) -> Result<(Decimal, String), String>;
    /// The language of the one-line explanations; `None` when nobody will read them (a batch
    /// whose output shows only scores), so none is formatted.
    fn explain(&self) -> Option<Lang>;
    /// The language of error messages.
    fn lang(&self) -> Lang;
    /// How the rubric writes computed numbers (its `precision.indicator` and rounding mode).
    fn figures(&self) -> Figures;
    /// Whether `param` is a value as written — a field of the data file or a number in the
    /// rubric — rather than a worked-out one (a derived name, an expression).
    fn written(&self, param: &Param) -> bool;
    /// The `unit` of the field `param` names, when it names one that has a unit.
    fn unit(&self, param: &Param) -> Option<String>;

    /// `param`'s value as people read it: as written, or at the rubric's precision.
    fn show(&self, param: &Param, value: Decimal) -> String {
        let origin = if self.written(param) { Origin::Written } else { Origin::Computed };
        human(value, origin, self.figures())
    }

    /// A worked-out value as people read it.
    fn show_computed(&self, value: Decimal) -> String {
        human(value, Origin::Computed, self.figures())
    }
}

/// Whether an expression parameter is a number written in the rubric (`target: 100`).
pub(crate) fn is_literal(param: &Param) -> bool {
    param.expr.names().is_empty() && crate::number::parse_literal(param.expr.source()).is_ok()
}

/// What a method gives a leaf, before the engine clamps and rounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawScore {
    pub raw: Decimal,
    /// The rule that fired; reports show it short (`band 2`, `level 良`, `3 × 0.5`), code
    /// matches on it.
    pub rule: Rule,
    /// One human line: what was compared with what.
    pub detail: String,
}

/// The rule of its method that decided a leaf's score. Code decides by these variants, never
/// by the short text they are shown as (`Display`), which reports and JSON print unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `ratio`: points in proportion to value against target (`ratio`).
    Proportion,
    /// `ratio`: the share passed the cap, a percent of the points (`cap 90%`).
    Capped { cap: Decimal },
    /// `ratio`, lower is better: a value at or below 0 earns the cap (`value ≤ 0`).
    ValueAtMostZero,
    /// `ratio`, lower is better, with a target of 0: any value above it earns 0 (`zero tolerance`).
    ZeroTolerance,
    /// `linear`: interpolated between `zero` and `full` (`linear`).
    Linear,
    /// `bands`: the band that held the value, by its place in the leaf's list counted from 0
    /// (shown counted from 1: `band 2`).
    Band { index: usize },
    /// `bands`: no band held the value, so the leaf scores 0 and the engine warns (`no band`).
    NoBand,
    /// `deduct`: `count` deductions of `per` each (`3 × 0.5`).
    Deducted { count: Decimal, per: Decimal },
    /// `checklist`: how many of its items were met (`2/3 items`).
    ItemsMet { met: usize, of: usize },
    /// `levels`: the level rated (`level 良`).
    Level(String),
    /// `manual`: the data file's score (`manual`).
    Manual,
    /// `formula`: the expression's value (`formula`).
    Formula,
    /// A quantitative row of an indicator table: its operator (`≥`, `≤`, `=`).
    Row(Op),
    /// A 定性 row of an indicator table: the level rated (`定性 达成`).
    QualitativeRow(String),
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Proportion => f.write_str("ratio"),
            Rule::Capped { cap } => write!(f, "cap {}%", display(*cap)),
            Rule::ValueAtMostZero => f.write_str("value ≤ 0"),
            Rule::ZeroTolerance => f.write_str("zero tolerance"),
            Rule::Linear => f.write_str("linear"),
            Rule::Band { index } => write!(f, "band {}", index + 1),
            Rule::NoBand => f.write_str("no band"),
            Rule::Deducted { count, per } => write!(f, "{} × {}", display(*count), display(*per)),
            Rule::ItemsMet { met, of } => write!(f, "{met}/{of} items"),
            Rule::Level(level) => write!(f, "level {level}"),
            Rule::Manual => f.write_str("manual"),
            Rule::Formula => f.write_str("formula"),
            Rule::Row(op) => f.write_str(op.symbol()),
            Rule::QualitativeRow(level) => write!(f, "定性 {level}"),
        }
    }
}

/// Which scoring method a leaf has, without its parameters: what results and reports keep of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodKind {
    Ratio,
    Linear,
    Bands,
    Deduct,
    Checklist,
    Levels,
    Manual,
    Formula,
    /// A row of an indicator table.
    Row,
}

impl MethodKind {
    /// The methods a rubric may name, in the order of [`Method::NAMES`] (rows are not written).
    pub const WRITTEN: [MethodKind; 8] = [
        MethodKind::Ratio,
        MethodKind::Linear,
        MethodKind::Bands,
        MethodKind::Deduct,
        MethodKind::Checklist,
        MethodKind::Levels,
        MethodKind::Manual,
        MethodKind::Formula,
    ];

    /// The name a rubric writes (`row` for rows), as reports and JSON show it.
    pub fn name(self) -> &'static str {
        match self {
            MethodKind::Ratio => "ratio",
            MethodKind::Linear => "linear",
            MethodKind::Bands => "bands",
            MethodKind::Deduct => "deduct",
            MethodKind::Checklist => "checklist",
            MethodKind::Levels => "levels",
            MethodKind::Manual => "manual",
            MethodKind::Formula => "formula",
            MethodKind::Row => "row",
        }
    }
}

impl MethodKind {
    /// The method as people call it: the Chinese term, or the rubric's keyword in English.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MethodKind::Ratio => lang.pick("比率法", "ratio"),
            MethodKind::Linear => lang.pick("线性插值", "linear"),
            MethodKind::Bands => lang.pick("分档计分", "bands"),
            MethodKind::Deduct => lang.pick("扣分法", "deduct"),
            MethodKind::Checklist => lang.pick("逐项核查", "checklist"),
            MethodKind::Levels => lang.pick("等级评定", "levels"),
            MethodKind::Manual => lang.pick("人工评分", "manual"),
            MethodKind::Formula => lang.pick("公式", "formula"),
            MethodKind::Row => lang.pick("绩效目标表", "row"),
        }
    }
}

impl std::fmt::Display for MethodKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone)]
pub enum Method {
    Ratio(Ratio),
    Linear(Linear),
    Bands(Bands),
    Deduct(Deduct),
    Checklist(Checklist),
    Levels(Levels),
    Manual,
    Formula(Formula),
    /// A row of an indicator table; made by the engine from the data file, never written in a rubric.
    Row(Row),
}

impl Method {
    pub const NAMES: [&'static str; 8] =
        ["ratio", "linear", "bands", "deduct", "checklist", "levels", "manual", "formula"];

    /// Each method's parameter keys, for messages about a key given to the wrong method.
    pub const PARAMS: [(&'static str, &'static [&'static str]); 8] = [
        ("ratio", &["value", "target", "direction", "cap"]),
        ("linear", &["value", "full", "zero"]),
        ("bands", &["value", "bands"]),
        ("deduct", &["count", "per", "max", "unit"]),
        ("checklist", &["items"]),
        ("levels", &["value", "levels"]),
        ("manual", &[]),
        ("formula", &["expr"]),
    ];

    /// The parameter keys of the method called `name`.
    pub fn params_of(name: &str) -> &'static [&'static str] {
        Self::PARAMS.iter().find(|(n, _)| *n == name).map_or(&[], |(_, p)| p)
    }

    /// Every parameter key of every method.
    pub fn all_params() -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Self::PARAMS.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    pub fn kind(&self) -> MethodKind {
        match self {
            Method::Ratio(_) => MethodKind::Ratio,
            Method::Linear(_) => MethodKind::Linear,
            Method::Bands(_) => MethodKind::Bands,
            Method::Deduct(_) => MethodKind::Deduct,
            Method::Checklist(_) => MethodKind::Checklist,
            Method::Levels(_) => MethodKind::Levels,
            Method::Manual => MethodKind::Manual,
            Method::Formula(_) => MethodKind::Formula,
            Method::Row(_) => MethodKind::Row,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Reads the method's parameters from a leaf's map; `None` after reporting problems.
    pub(crate) fn parse(name: &str, map: &mut MapReader, cx: &mut ParseCx, points: Decimal) -> Option<Method> {
        Some(match name {
            "ratio" => Method::Ratio(Ratio::parse(map, cx)?),
            "linear" => Method::Linear(Linear::parse(map, cx)?),
            "bands" => Method::Bands(Bands::parse(map, cx, points)?),
            "deduct" => Method::Deduct(Deduct::parse(map, cx)?),
            "checklist" => Method::Checklist(Checklist::parse(map, cx, points)?),
            "levels" => Method::Levels(Levels::parse(map, cx)?),
            "manual" => Method::Manual,
            "formula" => Method::Formula(Formula::parse(map, cx)?),
            _ => return None,
        })
    }

    /// The names this method reads directly (fields or derived), for neededness (SPEC §2).
    pub fn names(&self) -> Vec<&str> {
        let params: Vec<&Param> = match self {
            Method::Ratio(m) => vec![&m.value, &m.target],
            Method::Linear(m) => vec![&m.value],
            Method::Bands(m) => vec![&m.value],
            Method::Deduct(m) => vec![&m.count],
            Method::Levels(m) => vec![&m.value],
            Method::Formula(m) => vec![&m.expr],
            Method::Checklist(m) => return m.items.iter().map(|i| i.field.as_str()).collect(),
            Method::Row(row) => return row.names(),
            Method::Manual => vec![],
        };
        params.into_iter().flat_map(|p| p.expr.names()).filter(|n| *n != "points").collect()
    }

    /// Scores a leaf worth `p`. The result is not yet clamped or rounded.
    pub fn score(&self, p: Decimal, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        match self {
            Method::Ratio(m) => m.score(p, env),
            Method::Linear(m) => m.score(p, env),
            Method::Bands(m) => m.score(p, env),
            Method::Deduct(m) => m.score(p, env),
            Method::Checklist(m) => m.score(env),
            Method::Levels(m) => m.score(p, env),
            Method::Manual => {
                let (score, reason) = env.manual()?;
                Ok(RawScore {
                    raw: score,
                    rule: Rule::Manual,
                    detail: env
                        .explain()
                        .map(|lang| tr!(lang, "人工评分 {}：{reason}", "scored by hand {}: {reason}", display(score)))
                        .unwrap_or_default(),
                })
            }
            Method::Formula(m) => m.score(env),
            Method::Row(row) => row.score(p, env),
        }
    }
}

/// `a × b / c`, multiplying first so exact results stay exact (SPEC §1). When `a × b` does not
/// fit a decimal, the quotient is still found if dividing first is exact (`b / c` or `a / c`,
/// proved so by multiplying back): a result is never approximated, only refused.
pub(crate) fn mul_div(a: Decimal, b: Decimal, c: Decimal, lang: Lang) -> Result<Decimal, String> {
    exact_mul_div(a, b, c).ok_or_else(|| {
        let (x, y, z) = (display(a), display(b), display(c));
        if a.checked_mul(b).is_none() {
            tr!(lang, "计算 {x} × {y} 时溢出", "overflow computing {x} × {y}")
        } else if c.is_zero() {
            tr!(lang, "计算 {x} × {y} / 0 时除以零", "division by zero computing {x} × {y} / 0")
        } else {
            tr!(lang, "计算 {x} × {y} / {z} 时溢出", "overflow computing {x} × {y} / {z}")
        }
    })
}

/// [`mul_div`]'s value, or `None` where it is refused.
pub(crate) fn exact_mul_div(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    match a.checked_mul(b) {
        None => exact_divided_first(a, b, c).or_else(|| exact_divided_first(b, a, c)),
        Some(product) => product.checked_div(c),
    }
}

/// `(b / c) × a` when both steps are exact.
fn exact_divided_first(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    use crate::number::compare_products;
    use std::cmp::Ordering::Equal;
    let quotient = b.checked_div(c)?;
    let result = quotient.checked_mul(a)?;
    let exact = compare_products(quotient, c, b, Decimal::ONE) == Equal
        && compare_products(result, Decimal::ONE, quotient, a) == Equal;
    exact.then_some(result)
}

/// A share as shown: `part × 100 / whole` as a percentage (`number::human`; display only,
/// never scored); `—` where the share does not fit a decimal.
pub(crate) fn percent_shown(part: Decimal, whole: Decimal, figures: Figures) -> String {
    percent_shown_if_it_fits(part, whole, figures).unwrap_or_else(|| "—".into())
}

/// [`percent_shown`], or `None` where the share does not fit a decimal, for callers that say
/// something better than `—` then. Where `part × 100` does not fit, `part / whole` is taken
/// first, whose last digit cannot show at the places a percentage keeps.
pub(crate) fn percent_shown_if_it_fits(part: Decimal, whole: Decimal, figures: Figures) -> Option<String> {
    let share = exact_mul_div(part, Decimal::ONE_HUNDRED, whole)
        .or_else(|| part.checked_div(whole).and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED)))?;
    Some(human(share, Origin::Percent, figures))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::test_env::d;
    use super::*;

    #[test]
    fn item13_mul_div_divides_first_only_when_that_is_exact() {
        // 10¹² × 10¹⁷ does not fit; 10¹⁷ / 1.25·10¹⁷ = 0.8 exactly, × 10¹² = 8·10¹¹.
        assert_eq!(
            mul_div(d("1000000000000"), d("100000000000000000"), d("125000000000000000"), Lang::En).unwrap(),
            d("800000000000")
        );
        // Either factor may be the one divided: 10¹⁷ × 10¹² / 4·10¹².
        assert_eq!(
            mul_div(d("100000000000000000"), d("1000000000000"), d("4000000000000"), Lang::En).unwrap(),
            d("25000000000000000")
        );
        // A quotient that does not end is never rounded in: an error as before.
        assert!(mul_div(d("1000000000000"), d("100000000000000000"), d("300000000000000000"), Lang::En).is_err());
        // A result past a decimal: an error.
        assert!(
            mul_div(d("7900000000000000000000000000"), d("10"), d("0.0000000000000000000000000001"), Lang::En).is_err()
        );
    }

    #[test]
    fn issue12_rules_show_as_the_texts_reports_always_printed() {
        for (rule, shown) in [
            (Rule::Proportion, "ratio"),
            (Rule::Capped { cap: d("80.0") }, "cap 80%"),
            (Rule::ValueAtMostZero, "value ≤ 0"),
            (Rule::ZeroTolerance, "zero tolerance"),
            (Rule::Linear, "linear"),
            (Rule::Band { index: 1 }, "band 2"),
            (Rule::NoBand, "no band"),
            (Rule::Deducted { count: d("3"), per: d("0.50") }, "3 × 0.5"),
            (Rule::ItemsMet { met: 2, of: 3 }, "2/3 items"),
            (Rule::Level("良".into()), "level 良"),
            (Rule::Manual, "manual"),
            (Rule::Formula, "formula"),
            (Rule::Row(Op::AtLeast), "≥"),
            (Rule::Row(Op::AtMost), "≤"),
            (Rule::Row(Op::Equal), "="),
            (Rule::QualitativeRow("达成".into()), "定性 达成"),
        ] {
            assert_eq!(rule.to_string(), shown, "{rule:?}");
        }
    }

    #[test]
    fn issue12_method_kinds_name_the_methods_a_rubric_writes() {
        let names: Vec<&str> = MethodKind::WRITTEN.iter().map(|k| k.name()).collect();
        assert_eq!(names, Method::NAMES);
        assert!(!names.contains(&MethodKind::Row.name()), "rows are never written in a rubric");
    }
}

#[cfg(test)]
pub(crate) mod test_env {
    //! A scripted [`LeafEnv`] for the methods' unit tests.
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    pub struct Script {
        pub numbers: BTreeMap<String, Decimal>,
        pub texts: BTreeMap<String, String>,
        pub flags: BTreeMap<String, bool>,
        pub manual: Option<(Decimal, String)>,
    }

    impl LeafEnv for Script {
        fn number(&mut self, param: &Param) -> Result<Decimal, String> {
            self.numbers
                .get(param.expr.source())
                .copied()
                .ok_or_else(|| format!("no number for {}", param.expr.source()))
        }
        fn text(&mut self, param: &Param) -> Result<String, String> {
            self.texts.get(param.expr.source()).cloned().ok_or_else(|| format!("no text for {}", param.expr.source()))
        }
        fn flag(&mut self, name: &str) -> Result<bool, String> {
            self.flags.get(name).copied().ok_or_else(|| format!("no flag {name}"))
        }
        fn manual(&mut self) -> Result<(Decimal, String), String> {
            self.manual.clone().ok_or_else(|| "no manual score".to_string())
        }
        fn explain(&self) -> Option<Lang> {
            Some(Lang::Zh)
        }
        fn lang(&self) -> Lang {
            Lang::En
        }
        fn figures(&self) -> Figures {
            Figures::default()
        }
        fn written(&self, param: &Param) -> bool {
            param.expr.as_name().is_some() || is_literal(param)
        }
        fn unit(&self, _: &Param) -> Option<String> {
            None
        }
    }

    pub fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|_| panic!("bad decimal {s}"))
    }

    pub fn param(src: &str) -> Param {
        Param {
            expr: crate::expr::parse(src, Lang::En).unwrap_or_else(|e| panic!("{e}")),
            pos: crate::diag::Pos::UNKNOWN,
        }
    }
}
