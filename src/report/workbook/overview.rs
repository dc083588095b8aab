//! What the batch workbook (`score DIR --format xlsx`) adds to the ranking and summary sheets
//! for a bureau: the grade distribution of each rubric group as a native chart, the indicators
//! that lose most points per unit, and the over-claims — each a plain table with the rubric's
//! id and fingerprint in its first columns, ready for Excel's filters.

use super::style::{self, Styles};
use crate::lang::Lang;
use crate::overview;
use crate::ranking::{Tally, summarize};
use crate::report::batch::average_shown;
use crate::report::overview::label;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

fn num(ws: &mut Worksheet, row: u32, col: u16, d: Decimal, st: &Styles) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, style::f64_of(d), &st.number(d, false))?;
    Ok(())
}

fn count(ws: &mut Worksheet, row: u32, col: u16, n: usize, st: &Styles) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, n as f64, &st.text)?;
    Ok(())
}

/// Adds the overview's sheets to `wb`.
pub(super) fn append(wb: &mut Workbook, tally: &Tally, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    grades(wb, tally, lang, st)?;
    losses(wb.add_worksheet(), tally, lang, st)?;
    // Over-claims may be as many as the units: written row by row, in constant memory.
    over_claims(wb.add_worksheet_with_constant_memory()?, tally, lang, st)
}

fn grades(wb: &mut Workbook, tally: &Tally, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let name = label(lang, "grades");
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 10)?;
    let mut row = 0u32;
    let mut charts = Vec::new();
    for (at, g) in tally.groups.iter().enumerate() {
        let rows = tally.rows_of(at);
        let Some(summary) = summarize(g, &rows, tally.failed) else { continue };
        let title = format!("{} ({} · {})", g.rubric.title, g.rubric.id, g.rubric.fingerprint);
        ws.write_string_with_format(row, 0, &title, &st.title)?;
        row += 1;
        for (col, text) in [label(lang, "grade"), label(lang, "units"), lang.pick("占比", "Share")].iter().enumerate()
        {
            ws.write_string_with_format(row, u16::try_from(col).unwrap_or(0), *text, &st.header)?;
        }
        row += 1;
        let first = row;
        for (grade, n) in &summary.grades {
            let grade = if grade.is_empty() { label(lang, "no_grade").to_owned() } else { grade.clone() };
            ws.write_string_with_format(row, 0, grade, &st.text)?;
            count(ws, row, 1, *n, st)?;
            let share = Decimal::from(*n).checked_div(Decimal::from(summary.count)).unwrap_or_default();
            ws.write_number_with_format(row, 2, style::f64_of(share), &st.percent)?;
            row += 1;
        }
        charts.push((first, row - 1, title));
        // Room for the chart beside the table.
        row = row.max(first + 14) + 2;
    }
    for (first, last, title) in charts {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&title);
        chart.add_series().set_categories((name, first, 0, last, 0)).set_values((name, first, 1, last, 1));
        chart.legend().set_hidden();
        // Bars top to bottom in the grade table's order.
        chart.y_axis().set_reverse();
        ws.insert_chart(first.saturating_sub(2), 4, &chart)?;
    }
    style::print_setup(ws, 0, lang)?;
    ws.set_portrait();
    Ok(())
}

fn headers(ws: &mut Worksheet, lang: Lang, keys: &[(&str, f64)], st: &Styles) -> Result<(), XlsxError> {
    let mut texts = vec![lang.pick("评分办法", "Rubric"), lang.pick("指纹", "Fingerprint")];
    texts.extend(keys.iter().map(|(k, _)| label(lang, k)));
    let mut widths = vec![18.0, 14.0];
    widths.extend(keys.iter().map(|(_, w)| *w));
    style::header_texts(ws, 0, &texts, &widths, st)?;
    style::print_setup(ws, 0, lang)
}

fn group_cells(ws: &mut Worksheet, row: u32, g: &crate::ranking::Group, st: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, &g.rubric.id, &st.text)?;
    ws.write_string_with_format(row, 1, &g.rubric.fingerprint, &st.text)?;
    Ok(())
}

fn losses(ws: &mut Worksheet, tally: &Tally, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(lang.pick("扣分指标", "Losses"))?;
    headers(
        ws,
        lang,
        &[("indicator", 40.0), ("points", 9.0), ("avg_lost", 11.0), ("units_losing", 11.0), ("share_losing", 11.0)],
        st,
    )?;
    let mut row = 1;
    for g in &tally.groups {
        for loss in overview::losses(g) {
            group_cells(ws, row, g, st)?;
            ws.write_string_with_format(row, 2, &loss.node.title, &st.text)?;
            match loss.points {
                Some(p) => num(ws, row, 3, p, st)?,
                None => {
                    ws.write_string_with_format(row, 3, "—", &st.text)?;
                }
            }
            num(ws, row, 4, average_shown(loss.per_unit), st)?;
            count(ws, row, 5, loss.node.units, st)?;
            ws.write_number_with_format(row, 6, style::f64_of(loss.share), &st.percent)?;
            row += 1;
        }
    }
    Ok(())
}

fn over_claims(ws: &mut Worksheet, tally: &Tally, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(lang.pick("多报", "Over-claims"))?;
    headers(
        ws,
        lang,
        &[("subject", 30.0), ("file", 36.0), ("declared", 10.0), ("computed", 10.0), ("difference", 10.0)],
        st,
    )?;
    let mut row = 1;
    for (at, g) in tally.groups.iter().enumerate() {
        for r in overview::over_claims(tally, at, overview::TOLERANCE) {
            group_cells(ws, row, g, st)?;
            ws.write_string_with_format(row, 2, &r.subject, &st.text)?;
            ws.write_string_with_format(row, 3, &r.file, &st.text)?;
            if let (Some(declared), Some(excess)) = (r.declared_total, overview::excess(r)) {
                num(ws, row, 4, declared, st)?;
                num(ws, row, 5, r.total, st)?;
                num(ws, row, 6, excess, st)?;
            }
            row += 1;
        }
    }
    if row == 1 {
        ws.write_string_with_format(1, 0, label(lang, "no_over_claims"), &st.note)?;
    }
    Ok(())
}
