//! Results as workbooks: one evaluation (breakdown and explanation, ready to print) and a
//! batch's ranking and summary. Numbers are written as numbers with a format showing their
//! own decimals; a decimal becomes an `f64` only to be written.

use super::style::{self, Styles};
use crate::engine::Evaluation;
use crate::explain::Explanation;
use crate::lang::{Lang, Msg};
use crate::number::display;
use crate::ranking::{Group, Row, Summary, Tally};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// A decimal as a number cell showing its own decimals.
fn number(ws: &mut Worksheet, row: u32, col: u16, d: Decimal, bold: bool, st: &Styles) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, style::f64_of(d), &st.number(d, bold))?;
    Ok(())
}

/// A score that may be missing (a dropped node): a number, or `—`.
fn maybe(ws: &mut Worksheet, row: u32, col: u16, d: Option<Decimal>, bold: bool, st: &Styles) -> Result<(), XlsxError> {
    match d {
        Some(d) => number(ws, row, col, d, bold, st),
        None => {
            ws.write_string_with_format(row, col, "—", if bold { &st.bold } else { &st.text })?;
            Ok(())
        }
    }
}

fn heading(e: &Evaluation) -> String {
    let period = e.period.as_deref().map(|p| format!(" · {p}")).unwrap_or_default();
    format!("{}{period} · {} ({})", e.subject, e.rubric.title, e.rubric.id)
}

pub(super) fn results(e: &Evaluation, x: &Explanation, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = style::results_workbook()?;
    breakdown(wb.add_worksheet(), e, lang, &st)?;
    explanation(wb.add_worksheet(), e, x, lang, &st)?;
    wb.save_to_buffer()
}

fn breakdown(ws: &mut Worksheet, e: &Evaluation, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let l = lang;
    ws.set_name(l.pick("评分明细", "Breakdown"))?;
    ws.write_string_with_format(0, 0, heading(e), &st.title)?;
    let grade = e.grade.as_deref().map(|g| format!(" · {} {g}", l.t(Msg::Grade))).unwrap_or_default();
    let summary = format!(
        "{} {} / {}{grade} · {}{}{} ({})",
        l.t(Msg::Total),
        display(e.total),
        display(e.max),
        l.t(Msg::ManualShare),
        l.t(Msg::Colon),
        crate::report::share(e.unsure_share, e.rubric.figures()),
        l.t(Msg::FromManual)
    );
    ws.write_string_with_format(1, 0, summary, &st.note)?;
    let header = [
        l.t(Msg::Indicator),
        l.t(Msg::Id),
        l.t(Msg::Points),
        l.t(Msg::Score),
        l.t(Msg::Lost),
        l.t(Msg::Weight),
        l.t(Msg::Basis),
    ];
    style::header_texts(ws, 2, &header, &[44.0, 16.0, 9.0, 9.0, 9.0, 9.0, 80.0], st)?;
    let mut row = 3;
    for (depth, n) in e.walk() {
        let section = depth == 1;
        let title_format = if section {
            st.section.clone()
        } else {
            st.text.clone().set_indent(u8::try_from(depth - 1).unwrap_or(u8::MAX))
        };
        ws.write_string_with_format(row, 0, &n.title, &title_format)?;
        ws.write_string_with_format(row, 1, &n.id, &st.text)?;
        if n.bonus {
            ws.write_string_with_format(row, 2, format!("+{}", display(n.points)), &st.text)?;
        } else {
            number(ws, row, 2, n.points, section, st)?;
        }
        maybe(ws, row, 3, n.score, section, st)?;
        // A bonus node's unearned points are no loss.
        maybe(ws, row, 4, if n.bonus { None } else { n.lost() }, section, st)?;
        match n.weight {
            Some(w) => ws.write_number_with_format(row, 5, style::f64_of(w), &st.percent)?,
            None => ws.write_blank(row, 5, &st.text)?,
        };
        let basis = crate::report::basis(n, l);
        ws.write_string_with_format(row, 6, basis, &st.wrap)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, l.t(Msg::Total), &st.bold)?;
    ws.write_blank(row, 1, &st.bold)?;
    number(ws, row, 2, e.max, true, st)?;
    number(ws, row, 3, e.total, true, st)?;
    number(ws, row, 4, e.max - e.total, true, st)?;
    ws.write_blank(row, 5, &st.bold)?;
    let grade = e.grade.as_deref().map(|g| format!("{} {g}", l.t(Msg::Grade))).unwrap_or_default();
    ws.write_string_with_format(row, 6, grade, &st.bold)?;
    row += 1;
    for v in &e.vetoes {
        let cap = v.cap.map(|c| format!(", {} {}", l.t(Msg::CappedAt), display(c))).unwrap_or_default();
        let grade = v.grade.as_deref().map(|g| format!(", {} {g}", l.t(Msg::GradeSetTo))).unwrap_or_default();
        let text = format!("{} {}: {}{cap}{grade}", l.t(Msg::Veto), v.id, v.title.as_deref().unwrap_or(""));
        ws.write_string_with_format(row, 0, text, &st.note)?;
        row += 1;
    }
    for w in &e.warnings {
        ws.write_string_with_format(row, 0, format!("{}: {w}", l.pick("注意", "Warning")), &st.note)?;
        row += 1;
    }
    sign_off(ws, row + 1, e, l, st)?;
    style::print_setup(ws, 2, l)?;
    ws.set_active(true);
    Ok(())
}

fn explanation(ws: &mut Worksheet, e: &Evaluation, x: &Explanation, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    let l = lang;
    ws.set_name(l.pick("扣分分析", "Explanation"))?;
    ws.write_string_with_format(0, 0, heading(e), &st.title)?;
    let header = [
        "#",
        l.t(Msg::Indicator),
        l.t(Msg::Points),
        l.t(Msg::Score),
        l.t(Msg::Lost),
        l.t(Msg::Rule),
        l.t(Msg::ToEarnMore),
    ];
    style::header_texts(ws, 1, &header, &[5.0, 44.0, 9.0, 9.0, 9.0, 60.0, 44.0], st)?;
    let mut row = 2;
    // The vetoes first: they decide more than any loss.
    for v in &x.vetoes {
        ws.write_string_with_format(row, 1, crate::report::analysis::veto_effect(v, e, l), &st.bold)?;
        row += 1;
    }
    if x.losses.is_empty() {
        ws.write_string_with_format(row, 1, l.t(Msg::NothingLost), &st.text)?;
        row += 1;
    }
    for (i, loss) in x.losses.iter().enumerate() {
        ws.write_number_with_format(row, 0, (i + 1) as f64, &st.text)?;
        ws.write_string_with_format(row, 1, loss.path.join(" › "), &st.wrap)?;
        number(ws, row, 2, loss.points, false, st)?;
        number(ws, row, 3, loss.score, false, st)?;
        number(ws, row, 4, loss.lost, true, st)?;
        let rule = crate::report::detail_with_inputs(&loss.detail, &loss.shown);
        ws.write_string_with_format(row, 5, rule, &st.wrap)?;
        ws.write_string_with_format(row, 6, loss.advice.as_deref().unwrap_or(""), &st.wrap)?;
        row += 1;
    }
    for missed in &x.bonus_missed {
        ws.write_string_with_format(row, 1, crate::report::analysis::bonus_missed(missed, l), &st.wrap)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 1, l.t(Msg::LostBySection), &st.header)?;
    ws.write_string_with_format(row, 2, l.t(Msg::Lost), &st.header)?;
    ws.write_string_with_format(row, 3, l.t(Msg::OfLost), &st.header)?;
    row += 1;
    for ((title, lost), share) in x.by_section.iter().zip(x.section_shares()) {
        ws.write_string_with_format(row, 1, title, &st.text)?;
        number(ws, row, 2, *lost, false, st)?;
        match share {
            Some(share) => ws.write_number_with_format(row, 3, style::f64_of(share), &st.percent)?,
            None => ws.write_blank(row, 3, &st.text)?,
        };
        row += 1;
    }
    ws.write_string_with_format(row, 1, l.t(Msg::InAll), &st.bold)?;
    number(ws, row, 2, x.total_lost, true, st)?;
    sign_off(ws, row + 2, e, l, st)?;
    style::print_setup(ws, 1, l)?;
    Ok(())
}

/// The sign-off rows that end a sheet to print: each label, then what the data file's `report:`
/// gives or a blank underlined cell to sign by hand.
fn sign_off(ws: &mut Worksheet, first: u32, e: &Evaluation, lang: Lang, st: &Styles) -> Result<(), XlsxError> {
    for (i, (label, value)) in crate::report::sign_off(&e.report, lang).into_iter().enumerate() {
        let row = first + u32::try_from(i).unwrap_or(0);
        ws.write_string_with_format(row, 0, format!("{label}{}", lang.t(Msg::Colon)), &st.bold)?;
        match value {
            Some(text) => ws.write_string_with_format(row, 1, text, &st.signed)?,
            None => ws.write_blank(row, 1, &st.signed)?,
        };
    }
    Ok(())
}

pub(super) fn ranking(tally: &Tally, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = style::results_workbook()?;
    // One ranking and one summary sheet per rubric group; the second group's are `排名 2`, ….
    for (at, group) in tally.groups.iter().enumerate() {
        let rows = tally.rows_of(at);
        let suffix = if at == 0 { String::new() } else { format!(" {}", at + 1) };
        // Row by row to a temporary file: a ranking of a million files is not held in memory.
        ranking_sheet(wb.add_worksheet_with_constant_memory()?, group, &rows, &suffix, at == 0, lang, &st)?;
        let summary = crate::ranking::summarize(group, &rows, tally.failed);
        summary_sheet(wb.add_worksheet(), summary.as_ref(), &suffix, lang, &st)?;
    }
    if tally.groups.is_empty() {
        summary_sheet(wb.add_worksheet(), None, "", lang, &st)?;
    }
    super::overview::append(&mut wb, tally, lang, &st)?;
    wb.save_to_buffer()
}

#[allow(clippy::too_many_arguments)]
fn ranking_sheet(
    ws: &mut Worksheet,
    group: &Group,
    rows: &[&Row],
    suffix: &str,
    active: bool,
    lang: Lang,
    st: &Styles,
) -> Result<(), XlsxError> {
    let l = lang;
    ws.set_name(format!("{}{suffix}", l.pick("排名", "Ranking")))?;
    let header = crate::report::batch::ranking_header(group, l);
    let mut widths = vec![7.0, 36.0, 8.0, 9.0, 7.0];
    widths.extend(header.iter().skip(5).map(|_| 12.0));
    // The file column, last.
    if let Some(last) = widths.last_mut() {
        *last = 40.0;
    }
    style::header_texts(ws, 0, &header, &widths, st)?;
    for (row, (rank, s)) in (1..).zip(crate::report::batch::ranked(rows)) {
        ws.write_number_with_format(row, 0, rank as f64, &st.text)?;
        ws.write_string_with_format(row, 1, &s.subject, &st.text)?;
        ws.write_string_with_format(row, 2, s.period.as_deref().unwrap_or(""), &st.text)?;
        number(ws, row, 3, s.total, true, st)?;
        ws.write_string_with_format(row, 4, s.grade.as_deref().unwrap_or(""), &st.text)?;
        let mut col: u16 = 5;
        for score in &s.sections {
            maybe(ws, row, col, *score, false, st)?;
            col += 1;
        }
        ws.write_string_with_format(row, col, &s.file, &st.text)?;
    }
    ws.set_freeze_panes(1, 2)?;
    style::print_setup(ws, 0, l)?;
    if active {
        ws.set_active(true);
    }
    Ok(())
}

fn summary_sheet(
    ws: &mut Worksheet,
    summary: Option<&Summary>,
    suffix: &str,
    lang: Lang,
    st: &Styles,
) -> Result<(), XlsxError> {
    let l = lang;
    ws.set_name(format!("{}{suffix}", l.pick("汇总", "Summary")))?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 12)?;
    let Some(s) = summary else {
        ws.write_string_with_format(0, 0, l.pick("没有评分成功的文件", "No file was scored"), &st.text)?;
        return Ok(());
    };
    let two = st.fixed(2);
    let mut row = 0;
    let mut pair = |ws: &mut Worksheet, label: &str, value: f64, format: &rust_xlsxwriter::Format| {
        let r = row;
        row += 1;
        ws.write_string_with_format(r, 0, label, &st.text)?;
        ws.write_number_with_format(r, 1, value, format).map(|_| ())
    };
    pair(ws, l.t(Msg::Files), (s.count + s.failed) as f64, &st.text)?;
    pair(ws, l.t(Msg::FailedFiles), s.failed as f64, &st.text)?;
    let shown = |d: Decimal| style::f64_of(crate::report::batch::average_shown(d));
    pair(ws, first_upper(l.t(Msg::Mean)).as_str(), shown(s.mean), &two)?;
    pair(ws, first_upper(l.t(Msg::Median)).as_str(), shown(s.median), &two)?;
    pair(ws, first_upper(l.t(Msg::Min)).as_str(), style::f64_of(s.min), &st.number(s.min, false))?;
    pair(ws, first_upper(l.t(Msg::Max)).as_str(), style::f64_of(s.max), &st.number(s.max, false))?;
    row += 1;
    style_row(ws, row, &[l.t(Msg::Grade), l.pick("文件数", "Files"), l.pick("占比", "Share")], st)?;
    row += 1;
    for (grade, n) in &s.grades {
        let label = if grade.is_empty() { l.t(Msg::NoGrade).to_owned() } else { grade.clone() };
        ws.write_string_with_format(row, 0, label, &st.text)?;
        ws.write_number_with_format(row, 1, *n as f64, &st.text)?;
        let share = Decimal::from(*n).checked_div(Decimal::from(s.count.max(1))).unwrap_or_default();
        ws.write_number_with_format(row, 2, style::f64_of(share), &st.percent)?;
        row += 1;
    }
    row += 1;
    style_row(ws, row, &[l.t(Msg::SectionAverages), l.t(Msg::Score)], st)?;
    row += 1;
    for (title, avg) in &s.sections {
        ws.write_string_with_format(row, 0, title, &st.text)?;
        match avg {
            Some(avg) => ws.write_number_with_format(row, 1, shown(*avg), &two)?,
            None => ws.write_string_with_format(row, 1, "—", &st.text)?,
        };
        row += 1;
    }
    if !s.top_losses.is_empty() {
        row += 1;
        let header = [l.t(Msg::MostLost), l.pick("平均扣分", "Average lost"), l.pick("扣分单位数", "Units losing")];
        style_row(ws, row, &header, st)?;
        row += 1;
        for (title, lost, losing) in &s.top_losses {
            ws.write_string_with_format(row, 0, title, &st.text)?;
            // Per unit of the group, as the text summary says it.
            let per_unit =
                crate::report::batch::average_shown(lost.checked_div(Decimal::from(s.count)).unwrap_or_default());
            number(ws, row, 1, per_unit, false, st)?;
            ws.write_number_with_format(row, 2, *losing as f64, &st.text)?;
            row += 1;
        }
    }
    style::print_setup(ws, 0, l)?;
    ws.set_portrait();
    Ok(())
}

fn style_row(ws: &mut Worksheet, row: u32, texts: &[&str], st: &Styles) -> Result<(), XlsxError> {
    for (i, t) in texts.iter().enumerate() {
        ws.write_string_with_format(row, u16::try_from(i).unwrap_or(0), *t, &st.header)?;
    }
    Ok(())
}

/// `mean` → `Mean` (the catalogue's English words are lower case for running text).
fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
