//! `report --format docx`: the report as a Word file in the style of 党政机关公文 (GB/T 9704):
//! A4 with its margins, the title in 方正小标宋简体 二号, 一级 headings in 黑体, 二级 in 楷体_GB2312,
//! the body in 仿宋_GB2312 三号 at a fixed 28.95 pt line, page numbers "— 1 —" in the footer, and
//! the 附表 (自评表) in a landscape section of its own as a real table whose 一级/二级 cells are
//! merged as on the official forms. The fonts are named, so Word and WPS use them where installed;
//! elsewhere (LibreOffice on Linux) the CJK fallback (Noto) stands in. Placeholders are
//! highlighted so that nobody hands one in.

use super::text::Block;
use super::{Appendix, Narrative};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, PageOrientationType, PageSize,
    Paragraph, Run, RunFonts, Section, SpecialIndentType, Table, TableCell, TableRow, VAlignType, VMergeType,
    WidthType,
};

/// Twips per millimetre is 56.7; GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm,
/// right 26 mm, on A4 (210 × 297 mm). The 附表's landscape pages turn them with the paper.
const A4: (u32, u32) = (11906, 16838);
const MARGIN: (i32, i32, i32, i32) = (2098, 1984, 1587, 1474);
const LANDSCAPE_MARGIN: (i32, i32, i32, i32) = (1587, 1474, 2098, 1984);
/// The 附表's text width: landscape A4 less its side margins.
const TABLE_WIDTH: usize = 16838 - 2098 - 1984;
/// 三号 (16 pt), 二号 (22 pt), 小四 (12 pt), 五号 (10.5 pt) in half-points.
const SIZE_BODY: usize = 32;
const SIZE_TITLE: usize = 44;
const SIZE_TABLE: usize = 21;
const SIZE_PAGE_NUMBER: usize = 28;
/// 28.95 pt: 22 lines of 三号 on a page, in twentieths of a point.
const LINE: i32 = 579;

const TITLE_FONT: &str = "方正小标宋简体";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体_GB2312";
const BODY_FONT: &str = "仿宋_GB2312";
const NUMBER_FONT: &str = "宋体";
const LATIN_FONT: &str = "Times New Roman";

/// The 附表's columns, in twips: 一级, 二级, 三级, 分值, 评分标准, 得分, 扣分原因.
const COLUMNS: [usize; 7] = [1200, 1500, 2100, 700, 4356, 700, 2200];
/// A first-line indent of two characters of the body (三号, 16 pt), in twips.
const INDENT: i32 = 640;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(LATIN_FONT).hi_ansi(LATIN_FONT)
}

/// XML 1.0 has no place for most control characters: a file holding one does not open.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\t').collect()
}

/// A run of `text` in `font` and `size`; 【待填写：…】 placeholders in it are highlighted.
fn runs(mut p: Paragraph, text: &str, font: &str, size: usize, bold: bool) -> Paragraph {
    let text = clean(text);
    let mut rest = text.as_str();
    let run = |t: &str| {
        let r = Run::new().add_text(t).fonts(fonts(font)).size(size);
        if bold { r.bold() } else { r }
    };
    let marks = [("【待填写：", "】"), ("[to be written: ", "]")];
    while !rest.is_empty() {
        let found = marks.iter().filter_map(|(open, close)| {
            let start = rest.find(open)?;
            let end = rest[start..].find(close)? + start + close.len();
            Some((start, end))
        });
        match found.min() {
            Some((start, end)) => {
                if start > 0 {
                    p = p.add_run(run(&rest[..start]));
                }
                p = p.add_run(run(&rest[start..end]).highlight("yellow"));
                rest = &rest[end..];
            }
            None => {
                p = p.add_run(run(rest));
                rest = "";
            }
        }
    }
    p
}

fn indented(p: Paragraph) -> Paragraph {
    p.indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
}

fn line_spacing() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(LINE)
}

fn block(b: &Block) -> Paragraph {
    let p = Paragraph::new().line_spacing(line_spacing());
    match b {
        Block::Title(t) => runs(p.align(AlignmentType::Center), t, TITLE_FONT, SIZE_TITLE, false)
            .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(700)),
        Block::Heading(1, t) => runs(indented(p).keep_next(true).outline_lvl(0), t, HEADING_FONT, SIZE_BODY, false),
        Block::Heading(2, t) => runs(indented(p).keep_next(true).outline_lvl(1), t, SUBHEADING_FONT, SIZE_BODY, false),
        Block::Heading(_, t) => runs(indented(p).keep_next(true).outline_lvl(2), t, BODY_FONT, SIZE_BODY, true),
        Block::Paragraph(t) => runs(indented(p).align(AlignmentType::Both), t, BODY_FONT, SIZE_BODY, false),
    }
}

fn footer() -> Footer {
    let dash = |t: &str| Run::new().add_text(t).fonts(fonts(NUMBER_FONT)).size(SIZE_PAGE_NUMBER);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(dash("— "))
            .add_page_num(PageNum::new())
            .add_run(dash(" —")),
    )
}

fn margin((top, bottom, left, right): (i32, i32, i32, i32)) -> PageMargin {
    PageMargin::new().top(top).bottom(bottom).left(left).right(right).header(851).footer(992)
}

/// The Word file's bytes. docx-rs numbers paragraphs from a counter of the thread that makes
/// them; a fresh thread per document makes a file the same whether it is the first or the
/// hundredth of a run (`--out-dir`).
pub fn render(n: &Narrative, blocks: &[Block]) -> Result<Vec<u8>, String> {
    std::thread::scope(|scope| scope.spawn(|| build(n, blocks)).join())
        .unwrap_or_else(|_| Err("the Word writer stopped".to_owned()))
}

fn build(n: &Narrative, blocks: &[Block]) -> Result<Vec<u8>, String> {
    // The narrative: a portrait section; the document's own (last) section is the 附表's.
    let mut body = Section::new()
        .page_size(PageSize::new().size(A4.0, A4.1).orient(PageOrientationType::Portrait))
        .page_margin(margin(MARGIN))
        .footer(footer());
    for (i, b) in blocks.iter().enumerate() {
        body = body.add_paragraph(block(b));
        // One empty line between the title and the text (GB/T 9704 7.3.3).
        if matches!(b, Block::Title(_)) && !matches!(blocks.get(i + 1), Some(Block::Title(_))) {
            body = body.add_paragraph(Paragraph::new().line_spacing(line_spacing()));
        }
    }
    let doc = Docx::new()
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_BODY)
        .add_section(body)
        .page_size(A4.1, A4.0)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(margin(LANDSCAPE_MARGIN))
        .footer(footer());
    let doc = appendix(doc, &n.appendix, n);
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| e.to_string())?;
    deflated(bytes.into_inner()).map_err(|e| e.to_string())
}

/// The package with its parts deflated: docx-rs stores them as they are, which makes the
/// seed's report five times the size Word would save it at. Dated 1980-01-01, as docx-rs
/// dates them, so that a report never depends on when it was made.
fn deflated(stored: Vec<u8>) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let name = part.name()?.into_owned();
        if part.is_dir() {
            out.add_directory(name, options)?;
        } else {
            out.start_file(name, options)?;
            std::io::copy(&mut part, &mut out)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

fn cell(text: &str, width: usize, center: bool) -> TableCell {
    let p = Paragraph::new().line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240));
    let p = if center { p.align(AlignmentType::Center) } else { p };
    TableCell::new()
        .add_paragraph(runs(p, text, BODY_FONT, SIZE_TABLE, false))
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn header_cell(text: &str, width: usize) -> TableCell {
    let p = Paragraph::new().align(AlignmentType::Center);
    TableCell::new()
        .add_paragraph(runs(p, text, HEADING_FONT, SIZE_TABLE, false))
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

fn appendix(doc: Docx, a: &Appendix, n: &Narrative) -> Docx {
    let title = runs(
        Paragraph::new().align(AlignmentType::Center).line_spacing(line_spacing()),
        &a.title,
        HEADING_FONT,
        SIZE_BODY,
        false,
    );
    let mut rows = vec![TableRow::new(a.columns.iter().zip(COLUMNS).map(|(c, w)| header_cell(c, w)).collect())];
    for (i, r) in a.rows.iter().enumerate() {
        // A merged cell: the first of a run restarts the merge, the others continue it.
        let merged = |key: fn(&super::AppendixRow) -> &str, text: &str, width: usize| {
            let starts = i == 0 || key(&a.rows[i - 1]) != key(r);
            let c = cell(if starts { text } else { "" }, width, false);
            c.vertical_merge(if starts { VMergeType::Restart } else { VMergeType::Continue })
        };
        rows.push(TableRow::new(vec![
            merged(|r| &r.first.0, &r.first.1, COLUMNS[0]),
            merged(|r| &r.second.0, &r.second.1, COLUMNS[1]),
            cell(&r.third, COLUMNS[2], false),
            cell(&r.points, COLUMNS[3], true),
            cell(&r.standard, COLUMNS[4], false),
            cell(&r.score, COLUMNS[5], true),
            cell(&r.reason, COLUMNS[6], false),
        ]));
    }
    let grade = a.grade.as_deref().map(|g| format!("{}{g}", n.lang.pick("等级：", "grade: "))).unwrap_or_default();
    rows.push(TableRow::new(vec![
        header_cell(n.lang.pick("合计", "Total"), COLUMNS[0] + COLUMNS[1] + COLUMNS[2]).grid_span(3),
        cell(&a.total.0, COLUMNS[3], true),
        cell("", COLUMNS[4], false),
        cell(&a.total.1, COLUMNS[5], true),
        cell(&grade, COLUMNS[6], false),
    ]));
    let table = Table::new(rows).set_grid(COLUMNS.to_vec()).width(TABLE_WIDTH, WidthType::Dxa);
    let sign: Vec<String> = n.sign_off.iter().map(|(k, v)| format!("{k}{}{v}", n.lang.pick("：", ": "))).collect();
    let sign = runs(
        Paragraph::new().line_spacing(line_spacing()),
        &sign.join(n.lang.pick("　　", "    ")),
        BODY_FONT,
        24,
        false,
    );
    doc.add_paragraph(title).add_table(table).add_paragraph(sign)
}
