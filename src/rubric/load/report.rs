//! A rubric's `report:` part (SPEC §2.4): the kind of 自评报告, an own template, and the
//! fields that play the budget roles of its 收支情况 sentences.

use super::names::read_name;
use crate::diag::Diagnostics;
use crate::lang::Lang;
use crate::rubric::{BUDGET_ROLES, Field, FieldType, ReportKind, ReportSpec};
use crate::tr;
use crate::yaml::{MapReader, Node as YNode, Reader};

pub(super) fn read_report(
    file: &str,
    node: &YNode,
    fields: &[Field],
    diags: &mut Diagnostics,
    lang: Lang,
) -> ReportSpec {
    let mut spec = ReportSpec::default();
    let reader = Reader { file, lang };
    let Some(mut m) = MapReader::new(file, lang, node, "`report`", diags) else { return spec };
    if let Some(n) = m.get("kind") {
        let kind = read_name(file, n, "`report.kind`", &ReportKind::NAMES, diags, lang);
        spec.kind = kind.and_then(ReportKind::from_name).unwrap_or_default();
    }
    spec.template =
        m.get("template").and_then(|n| reader.text(n, "`report.template`", diags).map(|t| (t, n.pos.clone())));
    if let Some(n) = m.get("budget")
        && let Some(mut roles) = MapReader::new(file, lang, n, "`report.budget`", diags)
    {
        for role in BUDGET_ROLES {
            let Some(v) = roles.get(role) else { continue };
            let what = format!("`report.budget.{role}`");
            let Some(name) = reader.text(v, &what, diags) else { continue };
            match fields.iter().find(|f| f.name == name) {
                Some(f) if matches!(f.ty, FieldType::Number | FieldType::Integer) => {
                    spec.budget.push((role.to_owned(), name));
                }
                Some(f) => {
                    let ty = f.ty.name();
                    diags.error(
                        file,
                        v.pos.clone(),
                        tr!(
                            lang,
                            "{what}：字段 `{name}` 的类型是 {ty}，金额应为 number",
                            "{what}: field `{name}` is of type {ty}; an amount must be a number"
                        ),
                    );
                }
                None => diags.error(
                    file,
                    v.pos.clone(),
                    crate::diag::with_suggestion(
                        tr!(lang, "{what}：没有字段 `{name}`", "{what}: no field `{name}`"),
                        &name,
                        fields.iter().map(|f| f.name.as_str()),
                        lang,
                    ),
                ),
            }
        }
        roles.finish("`report.budget`", diags);
    }
    m.finish("`report`", diags);
    spec
}
