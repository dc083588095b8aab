//! Cell formats and page setup shared by every workbook selfeval writes.

use super::layout::{Column, FONT};
use crate::lang::Lang;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Most decimals a number format shows (scores have a few; shares may have 28).
const MAX_SHOWN_DECIMALS: u32 = 10;

pub(super) struct Styles {
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub bold: Format,
    pub input: Format,
    pub input_text: Format,
    pub title: Format,
    pub note: Format,
    pub section: Format,
    pub percent: Format,
    /// A sign-off cell: a line to write or sign on.
    pub signed: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11).set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    pub fn new() -> Styles {
        let cell = base().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
        Styles {
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            bold: cell.clone().set_bold(),
            input: cell.clone().set_background_color(Color::RGB(0xFFF2CC)).set_unlocked(),
            input_text: cell.clone().set_background_color(Color::RGB(0xFFF2CC)).set_unlocked().set_num_format("@"),
            title: base().set_bold().set_font_size(14),
            note: base().set_font_color(Color::RGB(0x595959)),
            section: cell.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2)),
            signed: base().set_border_bottom(FormatBorder::Thin),
            percent: cell.set_num_format("0.0%"),
        }
    }

    /// A number format that shows `value`'s own decimals: 92.7 → `0.0`, 4.375 → `0.000`.
    pub fn number(&self, value: Decimal, bold: bool) -> Format {
        let scale = value.normalize().scale().min(MAX_SHOWN_DECIMALS);
        let code = if scale == 0 { "0".to_owned() } else { format!("0.{}", "0".repeat(scale as usize)) };
        let base = if bold { &self.bold } else { &self.text };
        base.clone().set_num_format(code)
    }

    /// A fixed number of decimals (averages).
    pub fn fixed(&self, decimals: usize) -> Format {
        let code = if decimals == 0 { "0".to_owned() } else { format!("0.{}", "0".repeat(decimals)) };
        self.text.clone().set_num_format(code)
    }
}

/// A workbook whose default font is the CJK-friendly one, so empty cells match written ones.
pub(super) fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_default_format(&base(), 20, 64)?;
    Ok(wb)
}

/// A workbook of results (not a form): marked so that a folder walk skips it with a note
/// (`input::workbook::RESULTS_MARKER`) instead of reading it as a unit's data.
pub(crate) fn results_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = workbook()?;
    let kind = env!("CARGO_PKG_NAME");
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new().set_custom_property(crate::input::workbook::RESULTS_MARKER, kind),
    );
    Ok(wb)
}

/// A decimal as the `f64` a cell holds: only for writing, never for computing. The nearest
/// `f64` to the exact digits (a correctly rounded parse of the decimal text).
pub(super) fn f64_of(d: Decimal) -> f64 {
    d.normalize().to_string().parse().unwrap_or(0.0)
}

/// Column widths and header texts in `lang`, written in `row`, with frozen rows above and
/// including it.
pub(super) fn header(
    ws: &mut Worksheet,
    row: u32,
    columns: &[Column],
    lang: Lang,
    st: &Styles,
) -> Result<(), XlsxError> {
    let texts: Vec<&str> = columns.iter().map(|c| c.name.text(lang)).collect();
    let widths: Vec<f64> = columns.iter().map(|c| c.width).collect();
    header_texts(ws, row, &texts, &widths, st)
}

pub(super) fn header_texts(
    ws: &mut Worksheet,
    row: u32,
    texts: &[&str],
    widths: &[f64],
    st: &Styles,
) -> Result<(), XlsxError> {
    for (i, (text, width)) in texts.iter().zip(widths).enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_string_with_format(row, col, *text, &st.header)?;
        ws.set_column_width(col, *width)?;
    }
    ws.set_row_height(row, 22)?;
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

/// Landscape A4, one page wide, the header row repeated on every page, page numbers.
pub(super) fn print_setup(ws: &mut Worksheet, header_row: u32, lang: Lang) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer(lang.pick("&C第 &P 页，共 &N 页", "&CPage &P of &N"));
    Ok(())
}
