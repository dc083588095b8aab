//! The bureau's overview of a batch as a workbook (`score DIR --format xlsx`): a summary sheet
//! per rubric group with the grade distribution as a native chart, then the indicators that
//! lose most points per unit, the over-claims, the ranking and the files that failed — each a
//! plain table with a rubric column, ready for Excel's filters.

use super::style::{self, Styles};
use crate::lang::Lang;
use crate::overview::Overview;
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

fn share(part: usize, whole: usize) -> f64 {
    style::f64_of(Decimal::from(part).checked_div(Decimal::from(whole)).unwrap_or_default())
}

pub(super) fn workbook(o: &Overview, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = style::workbook()?;
    summary(&mut wb, o, lang, &st)?;
    losses(wb.add_worksheet(), o, lang, &st)?;
    over_claims(wb.add_worksheet(), o, lang, &st)?;
    ranking(wb.add_worksheet(), o, lang, &st)?;
    if o.failed_count > 0 {
        failed(wb.add_worksheet(), o, lang, &st)?;
    }
    wb.save_to_buffer()
}

fn summary(wb: &mut Workbook, o: &Overview, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let l = |k| label(lang, k);
    let sheet_name = l("title");
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name)?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 14)?;
    ws.write_string_with_format(0, 0, l("title"), &st.title)?;
    let facts = format!(
        "{} {} · {} {} · {} {}",
        l("files"),
        o.scored() + o.failed_count,
        l("scored"),
        o.scored(),
        l("failed"),
        o.failed_count
    );
    ws.write_string_with_format(1, 0, facts, &st.note)?;
    let mut row = 3u32;
    let mut charts = Vec::new();
    for g in &o.groups {
        ws.write_string_with_format(row, 0, format!("{} ({} · {})", g.title, g.rubric_id, g.fingerprint), &st.section)?;
        row += 1;
        let stats = [
            (l("mean"), average_shown(g.mean())),
            (l("median"), average_shown(g.median())),
            (l("min"), g.min()),
            (l("max"), g.max_total()),
        ];
        ws.write_string_with_format(row, 0, l("units"), &st.text)?;
        count(ws, row, 1, g.units.len(), st)?;
        row += 1;
        for (name, value) in stats {
            ws.write_string_with_format(row, 0, name, &st.text)?;
            num(ws, row, 1, value, st)?;
            row += 1;
        }
        row += 1;
        for (i, text) in [l("grade"), l("units"), l("share_losing")].iter().enumerate() {
            let text = if i == 2 { lang.pick("占比", "Share") } else { text };
            ws.write_string_with_format(row, u16::try_from(i).unwrap_or(0), text, &st.header)?;
        }
        row += 1;
        let first = row;
        for (grade, n) in g.grade_counts() {
            let grade = if grade.is_empty() { l("no_grade").to_owned() } else { grade };
            ws.write_string_with_format(row, 0, grade, &st.text)?;
            count(ws, row, 1, n, st)?;
            ws.write_number_with_format(row, 2, share(n, g.units.len()), &st.percent)?;
            row += 1;
        }
        charts.push((first, row - 1, g.title.clone()));
        row += 16;
    }
    for (first, last, title) in charts {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&format!("{} · {}", l("grades"), title));
        chart.add_series().set_categories((sheet_name, first, 0, last, 0)).set_values((sheet_name, first, 1, last, 1));
        chart.legend().set_hidden();
        // Bars top to bottom in the grade table's order.
        chart.y_axis().set_reverse();
        ws.insert_chart(first, 4, &chart)?;
    }
    style::print_setup(ws, 0, lang)?;
    ws.set_portrait();
    ws.set_active(true);
    Ok(())
}

fn group_cells(ws: &mut Worksheet, row: u32, g: &crate::overview::Group, st: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, &g.rubric_id, &st.text)?;
    ws.write_string_with_format(row, 1, &g.fingerprint, &st.text)?;
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

fn losses(ws: &mut Worksheet, o: &Overview, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(lang.pick("扣分指标", "Losses"))?;
    headers(
        ws,
        lang,
        &[("indicator", 40.0), ("points", 9.0), ("avg_lost", 11.0), ("units_losing", 11.0), ("share_losing", 11.0)],
        st,
    )?;
    let mut row = 1;
    for g in &o.groups {
        for loss in g.losses() {
            group_cells(ws, row, g, st)?;
            ws.write_string_with_format(row, 2, &loss.title, &st.text)?;
            num(ws, row, 3, loss.points, st)?;
            num(ws, row, 4, average_shown(g.per_unit(loss.lost)), st)?;
            count(ws, row, 5, loss.units, st)?;
            ws.write_number_with_format(row, 6, share(loss.units, g.units.len()), &st.percent)?;
            row += 1;
        }
    }
    Ok(())
}

fn over_claims(ws: &mut Worksheet, o: &Overview, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(lang.pick("多报", "Over-claims"))?;
    headers(
        ws,
        lang,
        &[("subject", 30.0), ("file", 36.0), ("declared", 10.0), ("computed", 10.0), ("difference", 10.0)],
        st,
    )?;
    let mut row = 1;
    for g in &o.groups {
        for u in g.over_claims(o.tolerance) {
            group_cells(ws, row, g, st)?;
            ws.write_string_with_format(row, 2, &u.subject, &st.text)?;
            ws.write_string_with_format(row, 3, &u.file, &st.text)?;
            if let (Some(declared), Some(excess)) = (u.declared, u.claimed_excess()) {
                num(ws, row, 4, declared, st)?;
                num(ws, row, 5, u.total, st)?;
                num(ws, row, 6, excess, st)?;
            }
            row += 1;
        }
    }
    Ok(())
}

fn ranking(ws: &mut Worksheet, o: &Overview, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(label(lang, "ranking"))?;
    headers(
        ws,
        lang,
        &[
            ("rank", 6.0),
            ("subject", 30.0),
            ("file", 36.0),
            ("period", 10.0),
            ("total", 9.0),
            ("grade", 8.0),
            ("declared", 10.0),
        ],
        st,
    )?;
    let mut row = 1;
    for g in &o.groups {
        for (rank, u) in g.ranking() {
            group_cells(ws, row, g, st)?;
            count(ws, row, 2, rank, st)?;
            ws.write_string_with_format(row, 3, &u.subject, &st.text)?;
            ws.write_string_with_format(row, 4, &u.file, &st.text)?;
            ws.write_string_with_format(row, 5, u.period.as_deref().unwrap_or(""), &st.text)?;
            num(ws, row, 6, u.total, st)?;
            ws.write_string_with_format(row, 7, u.grade.as_deref().unwrap_or(""), &st.text)?;
            if let Some(d) = u.declared {
                num(ws, row, 8, d, st)?;
            }
            row += 1;
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    Ok(())
}

fn failed(ws: &mut Worksheet, o: &Overview, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(label(lang, "failed_files"))?;
    style::header_texts(ws, 0, &[label(lang, "file"), label(lang, "error")], &[40.0, 90.0], st)?;
    let mut row = 1;
    for (file, error) in &o.failed {
        ws.write_string_with_format(row, 0, file, &st.text)?;
        ws.write_string_with_format(row, 1, error, &st.text)?;
        row += 1;
    }
    let more = o.failed_count.saturating_sub(o.failed.len());
    if more > 0 {
        let text = crate::tr!(lang, "另有 {more} 个文件未列出", "and {more} more files not listed");
        ws.write_string_with_format(row, 0, text, &st.note)?;
    }
    style::print_setup(ws, 0, lang)
}
