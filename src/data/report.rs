//! The data file's optional `report:` block (SPEC §5.5): the sign-off of a score report and
//! the prose of the 自评报告 that only the department can write. Every key is text; none is
//! required, and a missing one is left to the report to show as a placeholder.

use crate::diag::Diagnostics;
use crate::lang::Lang;
use crate::tr;
use crate::yaml::{MapReader, Node};

/// What the department writes about itself, for the reports built from its score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportInfo {
    /// 填报单位.
    pub unit: Option<String>,
    /// 填报人.
    pub preparer: Option<String>,
    /// 审核人.
    pub reviewer: Option<String>,
    /// 日期, as written.
    pub date: Option<String>,
    /// 部门概况 / 项目概况.
    pub overview: Option<String>,
    /// 年度总体工作和重点工作任务.
    pub key_work: Option<String>,
    /// 部门整体绩效管理情况.
    pub management: Option<String>,
    /// 绩效目标 (of a project).
    pub goals: Option<String>,
    /// 存在问题: written problems, shown before the lost points.
    pub problems: Option<String>,
    /// 下一步措施 / 改进措施: written measures, shown before those drafted from lost points.
    pub improvements: Option<String>,
}

/// The keys of `report:` in the order of the SPEC, with the Chinese label of each.
pub const REPORT_KEYS: [(&str, &str, &str); 10] = [
    ("unit", "填报单位", "Reporting unit"),
    ("preparer", "填报人", "Prepared by"),
    ("reviewer", "审核人", "Reviewed by"),
    ("date", "日期", "Date"),
    ("overview", "部门（项目）概况", "Overview"),
    ("key_work", "年度总体工作和重点工作任务", "Year's work and key tasks"),
    ("management", "绩效管理情况", "Performance management"),
    ("goals", "绩效目标", "Performance goals"),
    ("problems", "存在问题", "Problems"),
    ("improvements", "下一步措施", "Next steps"),
];

impl ReportInfo {
    /// The text under `key` (one of [`REPORT_KEYS`]), if written and not blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        let value = match key {
            "unit" => &self.unit,
            "preparer" => &self.preparer,
            "reviewer" => &self.reviewer,
            "date" => &self.date,
            "overview" => &self.overview,
            "key_work" => &self.key_work,
            "management" => &self.management,
            "goals" => &self.goals,
            "problems" => &self.problems,
            "improvements" => &self.improvements,
            _ => &None,
        };
        value.as_deref().filter(|t| !t.trim().is_empty())
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "unit" => &mut self.unit,
            "preparer" => &mut self.preparer,
            "reviewer" => &mut self.reviewer,
            "date" => &mut self.date,
            "overview" => &mut self.overview,
            "key_work" => &mut self.key_work,
            "management" => &mut self.management,
            "goals" => &mut self.goals,
            "problems" => &mut self.problems,
            "improvements" => &mut self.improvements,
            _ => return None,
        })
    }
}

/// Reads `report:`; unknown keys and values that are not text are located errors.
pub(super) fn read_report(file: &str, node: &Node, diags: &mut Diagnostics, lang: Lang) -> ReportInfo {
    let mut info = ReportInfo::default();
    let Some(mut map) = MapReader::new(file, lang, node, "`report`", diags) else { return info };
    let reader = map.reader();
    for (key, _, _) in REPORT_KEYS {
        let Some(value) = map.get(key) else { continue };
        let what = tr!(lang, "`report.{key}`", "`report.{key}`");
        if let Some(slot) = info.slot(key) {
            *slot = reader.text(value, &what, diags);
        }
    }
    map.finish("`report`", diags);
    info
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::DataFile;
    use crate::lang::Lang;
    use crate::yaml::Source;

    fn load(text: &str) -> Result<DataFile, String> {
        let src = Source { name: "d.yaml".into(), text: text.into() };
        DataFile::load(&src, Lang::En).map(|(d, _)| d).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn all_keys_are_read_as_text() {
        let d = load(
            "values: {a: 1}\nreport:\n  unit: 区科协\n  preparer: 张三\n  reviewer: 李四\n  date: 2022-03-15\n  overview: 概况\n  key_work: 重点\n  management: 管理\n  goals: 目标\n  problems: 问题\n  improvements: 措施\n",
        )
        .unwrap();
        let r = &d.report;
        assert_eq!(r.get("unit"), Some("区科协"));
        assert_eq!(r.get("date"), Some("2022-03-15"));
        assert_eq!(r.get("improvements"), Some("措施"));
        assert_eq!(r.get("goals"), Some("目标"));
    }

    #[test]
    fn absent_block_and_blank_values_are_none() {
        let d = load("values: {a: 1}\n").unwrap();
        assert_eq!(d.report, super::ReportInfo::default());
        let d = load("values: {a: 1}\nreport: {unit: '  ', date: 2022}\n").unwrap();
        assert_eq!(d.report.get("unit"), None);
        assert_eq!(d.report.get("date"), Some("2022"));
    }

    #[test]
    fn unknown_keys_and_non_text_are_located_errors() {
        let e = load("values: {a: 1}\nreport:\n  unt: x\n  overview: [a, b]\n").unwrap_err();
        assert!(e.contains("unknown key `unt` in `report`"), "{e}");
        assert!(e.contains("did you mean `unit`"), "{e}");
        assert!(e.contains("`report.overview` must be text, found a list"), "{e}");
        let e = load("values: {a: 1}\nreport: text\n").unwrap_err();
        assert!(e.contains("`report` must be a map"), "{e}");
    }
}
