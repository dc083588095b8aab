//! A folder's 复核 as a workbook: one row per unit (its outcome, the claim that heads it, the
//! first rule behind it), then the counts on a second sheet. Numbers are number cells.

use super::style::{self, Styles};
use crate::lang::{Lang, Msg};
use crate::review::{Counts, Finding};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

fn maybe(ws: &mut Worksheet, row: u32, col: u16, d: Option<Decimal>, st: &Styles) -> Result<(), XlsxError> {
    match d {
        Some(d) => ws.write_number_with_format(row, col, style::f64_of(d), &st.number(d, false))?,
        None => ws.write_string_with_format(row, col, "—", &st.text)?,
    };
    Ok(())
}

pub(super) fn workbook(findings: &[Finding], counts: &Counts, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let l = lang;
    let st = Styles::new();
    let mut wb = style::results_workbook()?;
    // Row by row to a temporary file: a folder of a million units is not held in memory.
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(l.pick("复核", "Review"))?;
    let header = [
        l.t(Msg::Subject),
        l.t(Msg::Period),
        l.t(Msg::Declared),
        l.t(Msg::Computed),
        l.t(Msg::Difference),
        l.t(Msg::Verdict),
        l.t(Msg::Rule),
        l.pick("文件", "File"),
    ];
    style::header_texts(ws, 0, &header, &[30.0, 8.0, 10.0, 10.0, 10.0, 10.0, 50.0, 40.0], &st)?;
    for (row, f) in (1..).zip(findings) {
        ws.write_string_with_format(row, 0, &f.subject, &st.text)?;
        ws.write_string_with_format(row, 1, f.period.as_deref().unwrap_or(""), &st.text)?;
        maybe(ws, row, 2, f.declared, &st)?;
        maybe(ws, row, 3, f.computed, &st)?;
        maybe(ws, row, 4, f.difference(), &st)?;
        ws.write_string_with_format(row, 5, crate::report::review::outcome_text(f.outcome, l), &st.text)?;
        ws.write_string_with_format(row, 6, f.rule.as_deref().unwrap_or(""), &st.text)?;
        ws.write_string_with_format(row, 7, &f.file, &st.text)?;
    }
    style::print_setup(ws, 0, l)?;
    ws.set_active(true);
    let ws = wb.add_worksheet();
    ws.set_name(l.pick("汇总", "Summary"))?;
    ws.set_column_width(0, 24)?;
    for (row, (label, n)) in (0..).zip(crate::report::review::count_items(counts, l)) {
        ws.write_string_with_format(row, 0, label, &st.text)?;
        ws.write_number_with_format(row, 1, n as f64, &st.text)?;
    }
    style::print_setup(ws, 0, l)?;
    wb.save_to_buffer()
}
