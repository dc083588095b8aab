//! JSON Schemas (draft-07) of the two file formats, so that editors using the YAML language
//! server complete and check rubric and data files (`selfeval schema rubric|data`).
//!
//! The loader reads files through its own located tree (src/yaml/), not through serde; the
//! types here exist only to describe the formats to schemars, field by field as SPEC §2 and §5
//! define them. A test keeps the committed schemas/ in step with them.

#![allow(dead_code)]

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A decimal literal, read exactly (SPEC §1).
struct Number;

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "description": "A decimal number, read exactly from its digits." })
    }
}

/// An expression (SPEC §2.2), or a plain number or name.
struct Expression;

impl JsonSchema for Expression {
    fn schema_name() -> Cow<'static, str> {
        "Expression".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number", "boolean"],
            "description": "An expression over fields and derived names: + - * / ( ), comparisons, and/or/not, min max abs round floor ceil clamp if."
        })
    }
}

/// Text; a plain number written there is taken as its text (SPEC §5).
struct Text;

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number"] })
    }
}

/// Any value under `values` (numbers, texts such as \"96.5%\", booleans, 是/否, nested maps, row lists).
struct AnyValue;

impl JsonSchema for AnyValue {
    fn schema_name() -> Cow<'static, str> {
        "AnyValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({})
    }
}

/// A keyword's schema, made from the list the loader itself accepts, so the two cannot drift.
macro_rules! keywords {
    ($name:ident, $names:expr, $description:literal) => {
        struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "description": $description, "type": "string", "enum": $names })
            }
        }
    };
}

keywords!(
    Rounding,
    crate::number::RoundingMode::NAMES,
    "half_up = 四舍五入; half_even = to the even neighbour; down = toward zero."
);
keywords!(ReportKindName, crate::rubric::ReportKind::NAMES, "The kind of 自评报告.");
keywords!(NaPolicy, crate::rubric::NaPolicy::NAMES, "What happens to an indicator listed as not applicable.");
keywords!(FieldType, crate::rubric::FieldType::NAMES, "How a written value is read.");
keywords!(MethodName, crate::method::Method::NAMES, "The scoring method (SPEC §3).");
keywords!(Direction, crate::method::Direction::NAMES, "Whether a higher or a lower value is better.");
keywords!(ReverseRule, crate::method::Reverse::NAMES, "How a missed `<=` row is scored.");
keywords!(
    RowPointsRule,
    crate::rubric::RowPoints::NAMES,
    "written: each row gives its `points`; equal: the branch's points shared equally (a form without a 分值 column)."
);

/// A percent: a number, or a text such as \"10%\".
struct Percent;

impl JsonSchema for Percent {
    fn schema_name() -> Cow<'static, str> {
        "Percent".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["number", "string"], "description": "A percent 0–100: a number, or a text such as \"10%\"." })
    }
}

/// A rubric (绩效评价指标体系).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "selfeval rubric")]
struct Rubric {
    /// The rubric's id, e.g. `cast-dept-2021`.
    id: String,
    /// Its title, e.g. 部门整体支出绩效自评.
    title: String,
    version: Option<Text>,
    description: Option<String>,
    /// If given, must equal the sum of the sections' points.
    full_marks: Option<Number>,
    /// Decimals of indicator scores and of the total (0–28; default 2 and 2).
    precision: Option<Precision>,
    rounding: Option<Rounding>,
    /// The rubric's not-applicable policy (default reweight).
    not_applicable: Option<NaPolicy>,
    /// Grade table, strictly decreasing `min` (default 优 90 / 良 80 / 中 60 / 差 0 when the maximum is 100).
    grades: Option<Vec<Grade>>,
    /// Every input the rubric reads from a data file, by (dotted) name.
    fields: Option<BTreeMap<String, FieldDef>>,
    /// Named expressions over fields and other derived names.
    derived: Option<BTreeMap<String, DerivedDef>>,
    /// The indicator tree: 一级 → 二级 → 三级 ….
    sections: Vec<Node>,
    /// 一票否决 rules.
    vetoes: Option<Vec<Veto>>,
    /// The 自评报告 this rubric asks for (`selfeval report`).
    report: Option<ReportPart>,
}

/// A rubric's `report:` part (SPEC §2.4).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ReportPart {
    /// 部门整体 (default) or 项目支出.
    kind: Option<ReportKindName>,
    /// A minijinja template of the report's text, a file in the rubric's own folder.
    template: Option<String>,
    /// Which number field plays each budget role of the 收支情况 sentences.
    budget: Option<BudgetRoles>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct BudgetRoles {
    /// 年初预算数.
    initial: Option<String>,
    /// 全年预算数 (after adjustments).
    adjusted: Option<String>,
    /// 执行数.
    executed: Option<String>,
    /// 基本支出.
    basic: Option<String>,
    /// 项目支出.
    project: Option<String>,
}

/// A derived name: its expression, or the expression with what people call it.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum DerivedDef {
    Expression(Expression),
    Labelled(LabelledDerived),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct LabelledDerived {
    expr: Expression,
    /// Shown instead of the name in explanations, e.g. 预算执行率.
    label: Option<Text>,
    unit: Option<Text>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Precision {
    indicator: Option<u8>,
    total: Option<u8>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Grade {
    min: Number,
    label: String,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct FieldDef {
    #[schemars(rename = "type")]
    kind: FieldType,
    unit: Option<Text>,
    label: Option<Text>,
    /// Inclusive bounds checked on input.
    min: Option<Number>,
    max: Option<Number>,
    /// Used when the data file omits the value.
    default: Option<AnyValue>,
    /// The labels of a `level` field.
    levels: Option<Vec<Text>>,
}

/// An indicator: a branch (`children`), an indicator table (`rows`) or a leaf (`method`).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Node {
    /// Unique, no dots.
    id: String,
    title: String,
    /// The maximum (分值); required on leaves and rows branches.
    points: Option<Number>,
    /// Children's points are relative weights.
    scale: Option<bool>,
    /// 加分项: counts in no maximum.
    bonus: Option<bool>,
    not_applicable: Option<NaPolicy>,
    /// The 评分标准 text.
    standard: Option<String>,
    /// What to improve when points are lost here (the 自评报告's 下一步措施).
    improve: Option<String>,
    children: Option<Vec<Node>>,
    /// The list under `values` whose rows are this branch's leaves.
    rows: Option<String>,
    /// How a missed `<=` row is scored.
    reverse: Option<ReverseRule>,
    /// Level → percent for 定性 rows whose actual is not simply their target's text.
    qualitative: Option<BTreeMap<String, Number>>,
    /// Where the rows' points come from: `written` (default) or `equal`.
    row_points: Option<RowPointsRule>,
    /// A deadline row that is late: the percent of its points lost per month begun late.
    late: Option<Late>,
    method: Option<MethodName>,
    /// ratio, linear, bands, levels: the input.
    value: Option<Expression>,
    /// ratio: the target.
    target: Option<Expression>,
    /// ratio: higher (default) or lower is better.
    direction: Option<Direction>,
    /// ratio: at most this percent of the points.
    cap: Option<Number>,
    /// linear: the value that earns full marks.
    full: Option<Number>,
    /// linear: the value that earns 0.
    zero: Option<Number>,
    /// bands: tried in order; the first that holds gives its percent or score.
    bands: Option<Vec<Band>>,
    /// deduct: occurrences.
    count: Option<Expression>,
    /// deduct: points per occurrence.
    per: Option<Number>,
    /// deduct: the most deducted (default the points).
    max: Option<Number>,
    /// deduct: what `count` counts, e.g. 个百分点 (default the counted field's unit, else 次).
    unit: Option<Text>,
    /// checklist: conditions and their points.
    items: Option<Vec<Item>>,
    /// levels: label → percent.
    levels: Option<BTreeMap<String, Number>>,
    /// formula: the score (may use `points`).
    expr: Option<Expression>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Late {
    /// e.g. 10 or \"10%\": 10 % of the row's points per month begun late, down to 0.
    per_month: Percent,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Band {
    gte: Option<Number>,
    gt: Option<Number>,
    lte: Option<Number>,
    lt: Option<Number>,
    percent: Option<Number>,
    score: Option<Number>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Item {
    /// A bool field or derived name.
    field: String,
    points: Number,
    title: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Veto {
    id: String,
    title: Option<String>,
    /// A boolean expression.
    when: Expression,
    grade: Option<String>,
    cap: Option<Number>,
}

/// A data file: one unit's figures for one period.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "selfeval data file")]
struct DataFile {
    /// The unit (defaults to the file's name).
    subject: Option<Text>,
    period: Option<Text>,
    /// A built-in rubric id, or a .yaml/.yml file in this file's own folder, by a path relative to it.
    rubric: Option<String>,
    /// The figures, as nested maps or dotted keys.
    values: BTreeMap<String, AnyValue>,
    /// Indicator or row id → reason.
    not_applicable: Option<BTreeMap<String, String>>,
    /// Manual leaf id → score and reason.
    manual: Option<BTreeMap<String, Manual>>,
    /// The unit's own scores, for `selfeval check`: `total` or an indicator id → score.
    declared: Option<BTreeMap<String, Number>>,
    /// Sign-off and prose for the reports (`selfeval report`): all text, all optional.
    report: Option<ReportBlock>,
}

/// The data file's `report:` block (SPEC §5.5).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ReportBlock {
    /// 填报单位.
    unit: Option<Text>,
    /// 填报人.
    preparer: Option<Text>,
    /// 审核人.
    reviewer: Option<Text>,
    /// 日期.
    date: Option<Text>,
    /// 部门概况 / 项目概况.
    overview: Option<Text>,
    /// 年度总体工作和重点工作任务.
    key_work: Option<Text>,
    /// 部门整体绩效管理情况.
    management: Option<Text>,
    /// 绩效目标 (a project's).
    goals: Option<Text>,
    /// 存在问题, shown before the indicators that lost points.
    problems: Option<Text>,
    /// 下一步措施 / 改进措施, shown before those drafted from the rubric's `improve:` texts.
    improvements: Option<Text>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Manual {
    score: Number,
    reason: String,
}

/// Which file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rubric,
    Data,
}

/// The draft-07 JSON Schema of a file format, pretty-printed.
pub fn schema(kind: Kind) -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = match kind {
        Kind::Rubric => generator.into_root_schema_for::<Rubric>(),
        Kind::Data => generator.into_root_schema_for::<DataFile>(),
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
