//! Reading one 评分标准 sentence into a scoring method (issue 17, item 2).
//!
//! A standard is read only when the whole of it is understood: the text is normalised
//! ([`text::normalize`]: full-width forms, dashes, Chinese numerals before a counter), split
//! into sentences, and the sentences that only define a rate, set the year's target or say
//! when the indicator is not applicable are set aside ([`text::prepare`]). What remains must
//! match one phrasing of [`rules`] (one-sentence rules: ratio, linear, deductions, yes/no) or
//! [`clauses`] (lists of clauses: bands, levels, checklists) from its first character to its
//! last. Anything else — a second rule, an exception, a clause no phrasing knows — leaves the
//! row `manual`: a wrong method is worse than a manual one.
//!
//! All numbers are read from their digits into `Decimal` (`number::parse_literal`); nothing
//! passes through `f64`.

mod clauses;
mod rules;
mod text;

#[cfg(test)]
mod tests;

use rust_decimal::Decimal;

/// How a drafted method was read: the phrasing named in the rubric's comment and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phrasing {
    /// 执行率×分值 / 得分=完成率×分值，满分为止
    RateTimesPoints,
    /// 得分=完成数÷目标数×分值 / 按完成值÷指标值×分值计分
    QuotientTimesPoints,
    /// 得分=指标值÷实际值×分值 (lower is better)
    ReverseQuotient,
    /// 按完成比例计分
    Proportion,
    /// ≥X 得满分，≤Y 不得分，其间按线性比例计分
    Linear,
    /// ≥X 得满分，每低 1 个百分点扣 N 分
    DeductBelow,
    /// ≤X 得满分，每超过 1 个百分点扣 N 分
    DeductAbove,
    /// 每发现一处／一次／一项扣 N 分
    DeductPerItem,
    /// 年度目标不少于 T；每少 1 个扣 N 分
    DeductShortfall,
    /// 按时完成得满分，每延期一个月扣 N 分
    DeductLate,
    /// X%（含）以上得 A 分，Y%（含）～X% 得 B 分，Y% 以下不得分
    Bands,
    /// 好／较好／一般／差；完全达到／基本达到／部分达到／未达到
    Levels,
    /// A 得 1 分；B 得 1 分；C 得 1 分 / A、B、C，每项 1 分
    Checklist,
    /// 是…得满分，否则不得分
    YesNo,
}

impl Phrasing {
    /// The phrasing as the drafted rubric's comment names it.
    pub fn describe(self) -> &'static str {
        match self {
            Phrasing::RateTimesPoints => "比率×分值（满分为止）",
            Phrasing::QuotientTimesPoints => "完成值÷目标值×分值（满分为止）",
            Phrasing::ReverseQuotient => "反向：目标值÷实际值×分值（越低越好）",
            Phrasing::Proportion => "按完成比例计分",
            Phrasing::Linear => "达到X得满分、Y及以下不得分、其间按线性比例",
            Phrasing::DeductBelow => "达到X得满分、每低一档扣分",
            Phrasing::DeductAbove => "不超过X得满分、每超一档扣分（越低越好）",
            Phrasing::DeductPerItem => "每发现一处／一次／一项扣分",
            Phrasing::DeductShortfall => "年度目标不少于T、每少一个扣分",
            Phrasing::DeductLate => "按时完成得满分、每延期一期扣分",
            Phrasing::Bands => "区间分档（含／不含决定边界）",
            Phrasing::Levels => "定性分档",
            Phrasing::Checklist => "逐项得分（各项相加）",
            Phrasing::YesNo => "是／否（是得满分，否则不得分）",
        }
    }
}

/// A field the drafted method reads, named `<leaf id>.<role>`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
    pub label: String,
    pub unit: Option<String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Percent,
    Number,
    Integer,
    Bool,
    Level(Vec<String>),
}

// A band and what a band or level earns are the engine's own types (`method::bands`).
pub use crate::method::{Award, Band, Bound};

/// A method with its parameters; expressions name the fields in [`Reading::fields`].
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    Ratio { value: String, target: String, lower: bool },
    Linear { value: String, full: Decimal, zero: Decimal },
    Bands { value: String, bands: Vec<Band> },
    Deduct { count: String, per: Decimal, max: Option<Decimal> },
    Checklist { items: Vec<(String, Decimal)> },
    Levels { value: String, levels: Vec<(String, Decimal)> },
    Formula { expr: String },
}

impl Method {
    /// The `method:` name.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Ratio { .. } => "ratio",
            Method::Linear { .. } => "linear",
            Method::Bands { .. } => "bands",
            Method::Deduct { .. } => "deduct",
            Method::Checklist { .. } => "checklist",
            Method::Levels { .. } => "levels",
            Method::Formula { .. } => "formula",
        }
    }
}

/// A standard read into a method.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub phrasing: Phrasing,
    pub method: Method,
    pub fields: Vec<FieldSpec>,
    /// Sentences set aside that the user should know of (when the indicator is not applicable).
    pub notes: Vec<String>,
}

/// The row an indicator's standard belongs to.
pub struct Indicator<'a> {
    /// The leaf's id: fields are named `<id>.<role>`.
    pub id: &'a str,
    pub title: &'a str,
    pub points: Decimal,
    pub standard: &'a str,
}

/// Reads a standard into a method, or `None` when it cannot be read with certainty.
pub fn read(ind: &Indicator) -> Option<Reading> {
    if ind.points <= Decimal::ZERO {
        return None;
    }
    let prepared = text::prepare(ind.standard)?;
    let cx = Cx { id: ind.id, title: ind.title, points: ind.points, prepared: &prepared };
    let (phrasing, method, fields) = rules::read(&cx).or_else(|| clauses::read(&cx))?;
    Some(Reading { phrasing, method, fields, notes: prepared.notes.clone() })
}

/// What the readers of a phrasing need.
pub(crate) struct Cx<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub points: Decimal,
    pub prepared: &'a text::Prepared,
}

impl Cx<'_> {
    /// The rule text left once definitions, targets and notes are set aside.
    fn rule(&self) -> &str {
        &self.prepared.rule
    }

    fn field(&self, role: &str) -> String {
        format!("{}.{role}", self.id)
    }

    /// A label: the quantity as the standard names it, else the indicator's title.
    fn label(&self, quantity: &str) -> String {
        let q = quantity.trim_matches(|c: char| c == '的' || c == ',' || c == ':');
        if q.is_empty() { self.title.to_owned() } else { q.to_owned() }
    }

    /// Whether "得 N 分" is this indicator's full points.
    fn is_full(&self, points: Option<&str>) -> bool {
        match points {
            None => true,
            Some(p) => num(p) == Some(self.points),
        }
    }
}

/// A decimal read from its digits (never through `f64`).
pub(crate) fn num(text: &str) -> Option<Decimal> {
    crate::number::parse_literal(text).ok()
}

/// `part × 100 ÷ whole` when it is exact (a level worth 2 of 3 points is not a finite percent).
pub(crate) fn exact_percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole <= Decimal::ZERO {
        return None;
    }
    let hundred = part.checked_mul(Decimal::ONE_HUNDRED)?;
    let q = hundred.checked_div(whole)?;
    (q.checked_mul(whole)? == hundred).then_some(q.normalize())
}
