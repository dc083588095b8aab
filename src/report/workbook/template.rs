//! `init --format xlsx`: the fill-in workbook of a rubric. It mirrors the YAML template
//! (`crate::template`): every field once, grouped by the indicator that first reads it, with its
//! label, unit, type, allowed values and default; one sheet per indicator table.

use super::layout;
use super::style::{self, Styles};
use crate::expr::Value;
use crate::lang::Lang;
use crate::method::Method;
use crate::number::display;
use crate::rubric::{Field, FieldType, Node, NodeKind, RowsSpec, Rubric};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Formula, Workbook, Worksheet, XlsxError};

pub(super) fn workbook(rubric: &Rubric, rubric_ref: &str, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = style::workbook()?;
    info_sheet(&mut wb, rubric, rubric_ref, lang, &st)?;
    fields_sheet(&mut wb, rubric, lang, &st)?;
    let mut taken: Vec<String> = Vec::new();
    for node in rubric.nodes() {
        if let NodeKind::Rows(spec) = &node.kind {
            let name = sheet_name(&node.title, &taken);
            taken.push(name.clone());
            rows_sheet(&mut wb, &name, rubric, node, spec, lang, &st)?;
        }
    }
    let ids = indicator_count(rubric);
    entries_sheet(&mut wb, rubric, ids, lang, &st)?;
    indicators_sheet(&mut wb, rubric, lang, &st)?;
    wb.save_to_buffer()
}

/// A sheet name for a rows branch: Excel's rules (≤ 31 characters, none of `[]:*?/\`, unique
/// ignoring case), never one the reader takes for another sheet.
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let reserved = [layout::INFO, layout::FIELDS, layout::ENTRIES, layout::INDICATORS];
    let base: String = if clean.is_empty() {
        layout::LIST_MARK.zh.to_owned()
    } else if reserved.iter().any(|n| n.matches(clean)) {
        format!("{} {clean}", layout::LIST_MARK.zh)
    } else {
        clean.to_owned()
    };
    let fits = |s: &str, room: usize| s.chars().take(room).collect::<String>();
    let used = |s: &str| taken.iter().any(|t| t.to_lowercase() == s.to_lowercase());
    let mut name = fits(&base, 31);
    let mut n = 2;
    while used(&name) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", fits(&base, 31 - suffix.chars().count()));
        n += 1;
    }
    name
}

fn info_sheet(wb: &mut Workbook, rubric: &Rubric, rubric_ref: &str, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::INFO.text(lang))?;
    style::header(ws, 0, &layout::INFO_COLUMNS, lang, st)?;
    for (i, (key, name)) in layout::INFO_KEYS.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, *key, &st.text)?;
        ws.write_string_with_format(row, 1, name.text(lang), &st.text)?;
        match *key {
            "rubric" => ws.write_string_with_format(row, 2, rubric_ref, &st.input_text)?,
            _ => ws.write_blank(row, 2, &st.input_text)?,
        };
    }
    let version = rubric.version.as_deref().map(|v| format!(", {v}")).unwrap_or_default();
    let lines = [
        format!(
            "{}{}（{}{version}）· {} {}",
            lang.pick("指标体系：", "Rubric: "),
            rubric.title,
            rubric.id,
            lang.pick("满分", "full marks"),
            display(rubric.max)
        ),
        lang.pick("填写：在「字段」表的「值」列（黄色单元格）逐项填写；每个绩效目标表一张表，每行一个指标；不适用、人工评分和申报得分填在「其他填报」表。",
            "Fill in the yellow Value cells of the Fields sheet; each indicator table has its own sheet, one indicator per row; not-applicable indicators, manual scores and declared scores go in the Entries sheet.",
        )
        .to_owned(),
        lang.pick("是否题填「是」或「否」；百分比填 96.5（表示 96.5%），或设置为百分比格式的 96.5%；空白单元格表示未填写。",
            "Yes/no values are 是 (yes) or 否 (no); a percentage is 96.5 (meaning 96.5 %) or 96.5% in a percent-formatted cell; an empty cell is an omitted value.",
        )
        .to_owned(),
        lang.pick("评分：selfeval score 本文件.xlsx（或 breakdown、explain）", "Score it: selfeval score THIS-FILE.xlsx (or breakdown, explain)")
            .to_owned(),
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format((layout::INFO_KEYS.len() + 2 + i) as u32, 1, line, &st.note)?;
    }
    ws.set_active(true);
    Ok(())
}

/// The fields in the YAML template's order: by the indicator that first reads them, then the
/// vetoes' fields, then the rest. Each with the titles of its indicator's path.
fn field_groups<'r>(rubric: &'r Rubric, lang: Lang) -> Vec<(String, &'r Field)> {
    let mut placed: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut place = |fields: Vec<&str>, group: String, out: &mut Vec<(String, &'r Field)>| {
        for name in fields {
            if let Some(f) = rubric.field(name)
                && !placed.contains(&f.name.as_str())
            {
                placed.push(f.name.as_str());
                out.push((group.clone(), f));
            }
        }
    };
    for node in rubric.nodes() {
        let NodeKind::Leaf(method) = &node.kind else { continue };
        let mut names: Vec<String> = Vec::new();
        for n in method.names() {
            for f in rubric.fields_read_by(n) {
                if !names.contains(&f) {
                    names.push(f);
                }
            }
        }
        let path: Vec<&str> = rubric.path(&node.id).iter().map(|n| n.title.as_str()).collect();
        place(names.iter().map(String::as_str).collect(), path.join(" › "), &mut out);
    }
    let vetoed: Vec<String> =
        rubric.vetoes.iter().flat_map(|v| v.when.expr.names()).flat_map(|n| rubric.fields_read_by(n)).collect();
    place(vetoed.iter().map(String::as_str).collect(), lang.pick("一票否决", "vetoes").to_owned(), &mut out);
    let rest: Vec<&str> = rubric.fields.iter().map(|f| f.name.as_str()).collect();
    place(rest, lang.pick("其他（不参与评分）", "other (not used in scoring)").to_owned(), &mut out);
    out
}

fn type_name(ty: &FieldType, lang: Lang) -> &'static str {
    match (ty, lang) {
        (FieldType::Number, Lang::Zh) => "数值",
        (FieldType::Integer, Lang::Zh) => "整数",
        (FieldType::Percent, Lang::Zh) => "百分比",
        (FieldType::Bool, Lang::Zh) => "是否",
        (FieldType::Level(_), Lang::Zh) => "等级",
        (FieldType::Text, Lang::Zh) => "文本",
        (ty, Lang::En) => ty.name(),
    }
}

fn notes(f: &Field, lang: Lang) -> String {
    let mut notes: Vec<String> = Vec::new();
    match &f.ty {
        FieldType::Level(levels) => notes.push(levels.join(" / ")),
        FieldType::Bool => notes.push(lang.pick("是 / 否", "是 (yes) / 否 (no)").to_owned()),
        FieldType::Percent => notes.push(lang.pick("96.5 表示 96.5%", "96.5 means 96.5 %").to_owned()),
        _ => {}
    }
    match (f.min, f.max) {
        (Some(lo), Some(hi)) => notes.push(format!("{}–{}", display(lo), display(hi))),
        (Some(lo), None) => notes.push(format!("≥ {}", display(lo))),
        (None, Some(hi)) => notes.push(format!("≤ {}", display(hi))),
        (None, None) => {}
    }
    if let Some(d) = &f.default {
        notes.push(format!("{} {}", lang.pick("默认", "default"), default_text(d)));
    }
    notes.join(lang.pick("；", "; "))
}

fn default_text(v: &Value) -> String {
    match v {
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        other => other.to_string(),
    }
}

/// A drop-down of `items` on a range; `None` when Excel cannot hold the list (over 255
/// characters, or an item with a comma).
fn list(items: &[&str], lang: Lang) -> Option<DataValidation> {
    if items.iter().any(|i| i.contains(',')) {
        return None;
    }
    let dv = DataValidation::new().allow_list_strings(items).ok()?;
    let message = lang.pick("请从下拉列表中选择", "Choose from the drop-down list");
    dv.set_error_style(DataValidationErrorStyle::Warning).set_error_message(message).ok()
}

fn fields_sheet(wb: &mut Workbook, rubric: &Rubric, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::FIELDS.text(lang))?;
    style::header(ws, 0, &layout::FIELD_COLUMNS, lang, st)?;
    for (i, (group, f)) in field_groups(rubric, lang).into_iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, &f.name, &st.text)?;
        ws.write_string_with_format(row, 1, f.display_name(), &st.wrap)?;
        ws.write_string_with_format(row, 2, f.unit.as_deref().unwrap_or(""), &st.text)?;
        ws.write_string_with_format(row, 3, type_name(&f.ty, lang), &st.text)?;
        write_default(ws, row, 4, f, st)?;
        ws.write_string_with_format(row, 5, notes(f, lang), &st.wrap)?;
        ws.write_string_with_format(row, 6, group, &st.wrap)?;
        let choices: Option<Vec<&str>> = match &f.ty {
            FieldType::Bool => Some(vec!["是", "否"]),
            FieldType::Level(levels) => Some(levels.iter().map(String::as_str).collect()),
            _ => None,
        };
        if let Some(dv) = choices.and_then(|c| list(&c, lang)) {
            ws.add_data_validation(row, 4, row, 4, &dv)?;
        }
    }
    style::print_setup(ws, 0, lang)?;
    Ok(())
}

/// The value cell: the field's default when it has one, else empty; text-formatted for text
/// and level fields so that Excel keeps what is typed as text.
fn write_default(ws: &mut Worksheet, row: u32, col: u16, f: &Field, st: &Styles) -> Result<(), XlsxError> {
    let textual = matches!(f.ty, FieldType::Text | FieldType::Level(_));
    let format = if textual { &st.input_text } else { &st.input };
    match &f.default {
        Some(Value::Number(d)) => ws.write_number_with_format(row, col, style::f64_of(*d), format)?,
        Some(v @ Value::Bool(_)) => ws.write_string_with_format(row, col, default_text(v), format)?,
        Some(Value::Text(t)) => ws.write_string_with_format(row, col, t, format)?,
        None => ws.write_blank(row, col, format)?,
    };
    Ok(())
}

fn rows_sheet(
    wb: &mut Workbook,
    name: &str,
    rubric: &Rubric,
    node: &Node,
    spec: &RowsSpec,
    lang: Lang,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, layout::LIST_MARK.text(lang), &st.bold)?;
    ws.write_string_with_format(0, 1, &spec.source, &st.bold)?;
    let path: Vec<&str> = rubric.path(&node.id).iter().map(|n| n.title.as_str()).collect();
    let mut about = format!(
        "{} · {} {} · {}",
        path.join(" › "),
        display(node.points),
        lang.pick("分", "points"),
        match spec.row_points {
            crate::rubric::RowPoints::Written => lang.pick(
                "绩效目标表，每行一个指标；各行分值之和等于上述分值；完成值取自字段时在“实际值取自”填字段名",
                "one indicator per row; the rows' points add up to the branch's; name a field under “Actual from field” to take the actual from it"
            ),
            crate::rubric::RowPoints::Equal => lang.pick(
                "绩效目标表，每行一个指标；分值由各行平均分配；完成值取自字段时在“实际值取自”填字段名",
                "one indicator per row; the points are shared equally among the rows; name a field under “Actual from field” to take the actual from it"
            ),
        }
    );
    if let Some(q) = &spec.qualitative {
        let levels: Vec<&str> = q.iter().map(|(l, _)| l.as_str()).collect();
        about.push_str(lang.pick("；定性指标的完成值填：", "; a 定性 row's actual is one of: "));
        about.push_str(&levels.join(" / "));
    }
    ws.write_string_with_format(0, 2, about, &st.note)?;
    let columns = layout::row_columns(spec.row_points == crate::rubric::RowPoints::Equal);
    style::header(ws, 1, &columns, lang, st)?;
    let last = 1 + layout::INPUT_ROWS;
    for row in 2..=last {
        for (col, column) in columns.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(0);
            let text = matches!(column.key, "name" | "note" | "actual_field");
            ws.write_blank(row, col, if text { &st.input_text } else { &st.input })?;
        }
    }
    let mut ops: Vec<&str> = layout::OPERATORS.to_vec();
    if spec.qualitative.is_some() {
        ops.push(layout::QUALITATIVE);
    }
    if let Some(dv) = list(&ops, lang) {
        ws.add_data_validation(2, 2, last, 2, &dv)?;
    }
    style::print_setup(ws, 1, lang)?;
    Ok(())
}

/// Every indicator listed in the reference sheet, `total` included.
fn indicator_count(rubric: &Rubric) -> u32 {
    u32::try_from(rubric.nodes().len() + 1).unwrap_or(u32::MAX)
}

fn entries_sheet(wb: &mut Workbook, rubric: &Rubric, ids: u32, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::ENTRIES.text(lang))?;
    style::header(ws, 0, &layout::ENTRY_COLUMNS, lang, st)?;
    let kind = |key: &str| layout::KINDS.iter().find(|(k, _)| *k == key).map_or("", |(_, n)| n.text(lang));
    let mut prefilled: Vec<(&str, String, String)> = Vec::new();
    for n in rubric.nodes() {
        if matches!(&n.kind, NodeKind::Leaf(m) if matches!(**m, Method::Manual)) {
            let title = format!("{}（0–{}）", n.title, display(n.points));
            prefilled.push((kind("manual"), n.id.clone(), title));
        }
    }
    prefilled.push((kind("declared"), "total".into(), lang.pick("总分", "Total").to_owned()));
    for s in &rubric.sections {
        prefilled.push((kind("declared"), s.id.clone(), s.title.clone()));
    }
    let last = layout::INPUT_ROWS;
    for row in 1..=last {
        let filled = prefilled.get(row as usize - 1);
        match filled {
            Some((k, id, title)) => {
                ws.write_string_with_format(row, 0, *k, &st.input)?;
                ws.write_string_with_format(row, 1, id, &st.input_text)?;
                ws.write_string_with_format(row, 2, title, &st.text)?;
            }
            None => {
                ws.write_blank(row, 0, &st.input)?;
                ws.write_blank(row, 1, &st.input_text)?;
                ws.write_blank(row, 2, &st.text)?;
            }
        }
        ws.write_blank(row, 3, &st.input)?;
        ws.write_blank(row, 4, &st.input_text)?;
    }
    let kinds: Vec<&str> = layout::KINDS.iter().map(|(_, n)| n.text(lang)).collect();
    if let Some(dv) = list(&kinds, lang) {
        ws.add_data_validation(1, 0, last, 0, &dv)?;
    }
    let sheet = layout::INDICATORS.text(lang).replace('\'', "''");
    let ids_dv = DataValidation::new()
        .allow_list_formula(Formula::new(format!("='{sheet}'!$A$2:$A${}", ids + 1)))
        .set_error_style(DataValidationErrorStyle::Information)
        .set_error_message(lang.pick("指标编号见「指标一览」表", "See the Indicators sheet for the ids"))?;
    ws.add_data_validation(1, 1, last, 1, &ids_dv)?;
    style::print_setup(ws, 0, lang)?;
    Ok(())
}

fn indicators_sheet(wb: &mut Workbook, rubric: &Rubric, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::INDICATORS.text(lang))?;
    style::header(ws, 0, &layout::INDICATOR_COLUMNS, lang, st)?;
    let mut row = 1;
    fn add(ws: &mut Worksheet, n: &Node, depth: u8, row: &mut u32, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
        let method = match &n.kind {
            NodeKind::Leaf(m) => m.name().to_owned(),
            NodeKind::Rows(spec) => {
                format!("rows: {}（{} {}.1, {}.2 …）", spec.source, lang.pick("行编号", "row ids"), n.id, n.id)
            }
            NodeKind::Branch(_) => String::new(),
        };
        let title_format = if depth == 0 { st.section.clone() } else { st.text.clone().set_indent(depth) };
        ws.write_string_with_format(*row, 0, &n.id, &st.text)?;
        ws.write_string_with_format(*row, 1, &n.title, &title_format)?;
        ws.write_number_with_format(*row, 2, style::f64_of(n.points), &st.number(n.points, depth == 0))?;
        ws.write_string_with_format(*row, 3, method, &st.text)?;
        ws.write_string_with_format(*row, 4, n.standard.as_deref().unwrap_or(""), &st.wrap)?;
        *row += 1;
        for c in n.children() {
            add(ws, c, depth.saturating_add(1), row, lang, st)?;
        }
        Ok(())
    }
    for s in &rubric.sections {
        add(ws, s, 0, &mut row, lang, st)?;
    }
    ws.write_string_with_format(row, 0, "total", &st.bold)?;
    ws.write_string_with_format(row, 1, lang.pick("总分", "Total"), &st.bold)?;
    ws.write_number_with_format(row, 2, style::f64_of(rubric.max), &st.number(rubric.max, true))?;
    ws.write_blank(row, 3, &st.text)?;
    ws.write_blank(row, 4, &st.text)?;
    style::print_setup(ws, 0, lang)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(sheet_name("产出指标", &[]), "产出指标");
        assert_eq!(sheet_name("a/b: [c]?", &[]), "ab c");
        assert_eq!(sheet_name("字段", &[]), "列表 字段");
        assert_eq!(sheet_name("", &[]), "列表");
        let long = "一".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec!["产出指标".to_owned()];
        assert_eq!(sheet_name("产出指标", &taken), "产出指标 (2)");
        let taken = vec![long.chars().take(31).collect::<String>()];
        let second = sheet_name(&long, &taken);
        assert!(second.ends_with(" (2)") && second.chars().count() == 31, "{second}");
    }
}
