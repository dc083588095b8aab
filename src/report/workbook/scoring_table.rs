//! `show --format xlsx`: the rubric as a 评分表 workbook (see `report::scoring_table`), its
//! points as numbers, every text as text (never a formula).

use super::style::{self, Styles};
use crate::lang::Lang;
use crate::report::scoring_table::lines;
use crate::rubric::Rubric;
use rust_xlsxwriter::XlsxError;

pub(super) fn workbook(r: &Rubric, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = style::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name(lang.pick("评分表", "Scoring table"))?;
    ws.write_string_with_format(0, 0, format!("{}（{}）", r.title, r.id), &st.title)?;
    let (header, lines) = lines(r);
    let depth = header.len() - 2;
    let texts: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut widths = vec![18.0; depth];
    widths.extend([8.0, 80.0]);
    style::header_texts(ws, 1, &texts, &widths, &st)?;
    for (i, l) in lines.iter().enumerate() {
        let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
        for (col, title) in l.path.iter().enumerate() {
            ws.write_string_with_format(row, u16::try_from(col).unwrap_or(u16::MAX), *title, &st.wrap)?;
        }
        let points_col = u16::try_from(depth).unwrap_or(u16::MAX);
        ws.write_number_with_format(row, points_col, style::f64_of(l.points), &st.number(l.points, false))?;
        ws.write_string_with_format(row, points_col + 1, l.standard, &st.wrap)?;
    }
    wb.save_to_buffer()
}
