//! The fill-in workbook's layout, shared by the template writer and the reader: sheet names,
//! column headers and the words the reader accepts, in Chinese and English.

use crate::lang::Lang;

/// A name the template writes in one language and the reader accepts in either.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name {
    pub zh: &'static str,
    pub en: &'static str,
    /// Further spellings the reader accepts (machine keys, common synonyms).
    pub also: &'static [&'static str],
}

impl Name {
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// Whether `text` is one of this name's spellings (trimmed, case-insensitive).
    pub fn matches(&self, text: &str) -> bool {
        let t = normal(text);
        [self.zh, self.en].iter().chain(self.also).any(|n| normal(n) == t)
    }

    /// Both spellings, for messages: `字段 (Fields)`.
    pub fn both(&self) -> String {
        format!("{} ({})", self.zh, self.en)
    }
}

fn normal(text: &str) -> String {
    text.trim().to_lowercase()
}

pub(crate) const INFO: Name = Name { zh: "信息", en: "Info", also: &[] };
pub(crate) const FIELDS: Name = Name { zh: "字段", en: "Fields", also: &["values"] };
pub(crate) const ENTRIES: Name = Name { zh: "其他填报", en: "Entries", also: &[] };
pub(crate) const INDICATORS: Name = Name { zh: "指标一览", en: "Indicators", also: &[] };
/// A1 of a rows sheet; B1 names the list under `values`.
pub(crate) const LIST_MARK: Name = Name { zh: "列表", en: "List", also: &["rows"] };

/// A column: the key it feeds and its header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub key: &'static str,
    pub name: Name,
    /// Width in characters in the template.
    pub width: f64,
}

const fn col(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    also: &'static [&'static str],
    width: f64,
) -> Column {
    Column { key, name: Name { zh, en, also }, width }
}

/// 信息: key (A), label (B), value (C).
pub(crate) const INFO_COLUMNS: [Column; 3] = [
    col("key", "项目", "Key", &["key"], 12.0),
    col("label", "名称", "Label", &["label"], 24.0),
    col("value", "值", "Value", &["value", "填写值"], 48.0),
];

/// The keys of the 信息 sheet, by key or label. `report.*` rows fill the data file's `report:`
/// block (SPEC §5.5), in the order of `data::REPORT_KEYS`.
pub(crate) const INFO_KEYS: [(&str, Name); 13] = [
    ("subject", Name { zh: "被评价单位", en: "Subject", also: &["subject", "单位", "单位名称"] }),
    ("period", Name { zh: "年度", en: "Period", also: &["period", "期间"] }),
    ("rubric", Name { zh: "评价指标体系", en: "Rubric", also: &["rubric", "指标体系"] }),
    ("report.unit", Name { zh: "填报单位", en: "Reporting unit", also: &["report.unit"] }),
    ("report.preparer", Name { zh: "填报人", en: "Prepared by", also: &["report.preparer"] }),
    ("report.reviewer", Name { zh: "审核人", en: "Reviewed by", also: &["report.reviewer"] }),
    ("report.date", Name { zh: "日期", en: "Date", also: &["report.date", "填报日期"] }),
    (
        "report.overview",
        Name {
            zh: "部门（项目）概况", en: "Overview", also: &["report.overview", "部门概况", "项目概况"]
        },
    ),
    (
        "report.key_work",
        Name {
            zh: "年度总体工作和重点工作任务",
            en: "Year's work and key tasks",
            also: &["report.key_work", "重点工作"],
        },
    ),
    ("report.management", Name { zh: "绩效管理情况", en: "Performance management", also: &["report.management"] }),
    ("report.goals", Name { zh: "绩效目标", en: "Performance goals", also: &["report.goals"] }),
    ("report.problems", Name { zh: "存在问题", en: "Problems", also: &["report.problems"] }),
    ("report.improvements", Name { zh: "下一步措施", en: "Next steps", also: &["report.improvements", "改进措施"] }),
];

/// 字段: the value is in column E.
pub(crate) const FIELD_COLUMNS: [Column; 7] = [
    col("name", "字段名", "Field", &["name", "字段"], 26.0),
    col("label", "名称", "Label", &["label"], 36.0),
    col("unit", "单位", "Unit", &["unit"], 8.0),
    col("type", "类型", "Type", &["type"], 10.0),
    col("value", "值", "Value", &["value", "填写值", "填报值"], 16.0),
    col("notes", "可选值及说明", "Allowed values / notes", &["notes"], 44.0),
    col("indicator", "所属指标", "Indicator", &["indicator"], 48.0),
];

/// A rows sheet: the columns of the 绩效目标表 (SPEC §2.3), from row 2. `实际值取自` names a
/// field or derived name whose value is the row's actual (`actual: { field: … }`); the reader
/// accepts `目标值取自` for the target too.
pub(crate) const ROW_COLUMNS: [Column; 9] = [
    col("name", "指标名称", "Name", &["name", "三级指标"], 36.0),
    col("unit", "单位", "Unit", &["unit", "计量单位", "度量单位"], 8.0),
    col("op", "指标性质", "Operator", &["op", "运算符"], 10.0),
    col("target", "年度指标值", "Target", &["target", "指标值", "目标值", "年初目标值"], 12.0),
    col("actual", "全年完成值", "Actual", &["actual", "实际完成值", "完成值", "全年实际值"], 12.0),
    col("points", "分值", "Points", &["points", "权重"], 8.0),
    col("actual_field", "实际值取自", "Actual from field", &["actual_field", "实际值字段"], 14.0),
    col("note", "偏差原因", "Reason for deviation", &["note", "偏差原因分析及改进措施"], 36.0),
    col("target_field", "目标值取自", "Target from field", &["target_field", "目标值字段"], 14.0),
];

/// The columns the template writes for a rows branch: all but `目标值取自` (rare; the reader
/// accepts it), and no 分值 where the branch shares its points equally (`row_points: equal`).
pub(crate) fn row_columns(equal_points: bool) -> Vec<Column> {
    ROW_COLUMNS.iter().filter(|c| c.key != "target_field" && !(equal_points && c.key == "points")).copied().collect()
}

/// The row keys a rows sheet must have a column for (分值 is optional: a branch with
/// `row_points: equal` needs none, and a missing one is reported per row otherwise).
pub(crate) const ROW_REQUIRED: [&str; 4] = ["name", "op", "target", "actual"];

/// The columns naming a field whose value is a figure, and the key the figure goes to.
pub(crate) const FIELD_FIGURES: [(&str, &str); 2] = [("actual_field", "actual"), ("target_field", "target")];

/// 其他填报: not-applicable, manual and declared entries, one per row.
pub(crate) const ENTRY_COLUMNS: [Column; 5] = [
    col("kind", "类别", "Kind", &["kind"], 12.0),
    col("id", "指标编号", "Indicator id", &["id", "编号"], 18.0),
    col("title", "指标名称", "Indicator", &["title"], 36.0),
    col("score", "得分", "Score", &["score", "分数"], 10.0),
    col("reason", "原因", "Reason", &["reason", "说明"], 48.0),
];

/// The kinds of entry, by the data file's key.
pub(crate) const KINDS: [(&str, Name); 3] = [
    ("not_applicable", Name { zh: "不适用", en: "Not applicable", also: &["not_applicable", "n/a", "na"] }),
    ("manual", Name { zh: "人工评分", en: "Manual score", also: &["manual"] }),
    ("declared", Name { zh: "申报得分", en: "Declared score", also: &["declared", "自评得分"] }),
];

/// 指标一览: the rubric's indicators, for reference.
pub(crate) const INDICATOR_COLUMNS: [Column; 5] = [
    col("id", "指标编号", "Indicator id", &[], 18.0),
    col("title", "指标", "Indicator", &[], 44.0),
    col("points", "分值", "Points", &[], 8.0),
    col("method", "评分方法", "Method", &[], 12.0),
    col("standard", "评分标准", "Standard", &[], 70.0),
];

/// The operators the template offers in a rows sheet's drop-down.
pub(crate) const OPERATORS: [&str; 3] = [">=", "<=", "="];
pub(crate) const QUALITATIVE: &str = "定性";

/// Rows of a rows sheet and of the entries sheet that get drop-downs and input styling.
pub(crate) const INPUT_ROWS: u32 = 200;

/// The CJK-friendly font family of every workbook (a family name only; no font file).
pub(crate) const FONT: &str = "等线";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_both_languages() {
        assert!(FIELDS.matches("字段"));
        assert!(FIELDS.matches(" fields "));
        assert!(!FIELDS.matches("信息"));
        assert!(KINDS[0].1.matches("N/A"));
    }
}
