//! Reading a fill-in workbook into a [`DataFile`], through the same located tree YAML gives.
//!
//! **Cells.** A number cell's value (an `f64` in the file) becomes the shortest decimal text that
//! reads back as the same `f64` (Rust's `Display`), so 282.41 is `282.41` and 95.0 is `95`;
//! a value with more than Excel's 15 significant digits (only formulas produce them, e.g.
//! 0.30000000000000004) is rounded to 15, which is what Excel shows. The cell's display format
//! and rounding are ignored. A percent-formatted number (number format with a `%` outside quotes,
//! e.g. `0.0%`; found through calamine's per-cell style, `Style::number_format`) is the percent
//! text of its value × 100, computed on the decimal text with `rust_decimal`: 0.965 shown as
//! 96.5 % reads as the text `96.5%`, exactly what YAML's `"96.5%"` is, so it feeds a percent
//! field or a row's target/actual as 96.5 and is refused in a number field (SPEC §5.2). Text
//! cells are text (trimmed; empty text is an empty cell), TRUE/FALSE cells booleans, empty cells
//! omitted values. Error cells (`#DIV/0!`) and date cells are located errors.
//!
//! **Cells calamine misreads.** calamine reads a text cell whose index into the shared strings
//! is not a whole number (`-1`, `abc`) as shared string 0, a formula saved without its result as
//! an empty cell, and a number written with a character reference (`9&#53;`) as its first digits;
//! an index past the table fails with no cell named. The XML of every sheet that is read (not
//! the reference sheet, not sheets the form ignores) is scanned once more, as calamine reads it
//! (`SheetParts`), and such cells become errors at their cell; when calamine fails, the scan
//! finds the cell it failed at.
//!
//! **Positions.** Every node is at its cell (`Pos::Cell`, or `Pos::Sheet` for what belongs to a
//! whole sheet), so a problem found now or later is reported as `form.xlsx:字段!E12: error: …`.

use super::layout::{self, Column};
use crate::data::DataFile;
use crate::diag::{Diagnostics, Pos, with_suggestion};
use crate::tr;
use crate::yaml::{Key, Kind, Node};
use calamine::{DataRef, Reader as _, Xlsx};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::str::FromStr;
use std::sync::Arc;

/// Most non-empty cells read from one workbook: a form has a few hundred.
const MAX_CELLS: usize = 200_000;
/// Excel's precision: it shows and stores typed numbers to 15 significant digits.
const EXCEL_DIGITS: u32 = 15;

/// One cell's content as the reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// The shortest decimal text of a number.
    Number(String),
    /// A percent-formatted number, × 100, as decimal text (`0.965` → `96.5`).
    Percent(String),
    /// Non-empty text, trimmed.
    Text(String),
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A date or time, with what the file holds.
    Date(String),
    /// A cell whose value the file does not give truly (a formula without its saved value, a
    /// damaged text index), with why; reported at the cell in every sheet that is read, and
    /// otherwise taken as empty.
    Bad(String),
}

/// One sheet's non-empty cells by 0-based (row, column).
#[derive(Debug)]
pub(super) struct Grid {
    /// Shared by the positions of its cells.
    pub name: Arc<str>,
    pub cells: BTreeMap<(u32, u32), Cell>,
}

impl Grid {
    fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col)).filter(|c| !matches!(c, Cell::Bad(_)))
    }

    fn text(&self, row: u32, col: u32) -> Option<String> {
        self.get(row, col).map(cell_text)
    }

    fn last_row(&self) -> u32 {
        self.cells.keys().map(|(r, _)| *r).max().unwrap_or(0)
    }
}

/// A cell's content as text, for keys, headers and messages.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(t) | Cell::Text(t) | Cell::Error(t) | Cell::Date(t) => t.clone(),
        Cell::Percent(t) => format!("{t}%"),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Cell::Bad(_) => String::new(),
    }
}

/// Why a workbook cannot be read at all, at the cell to blame when one is.
pub(super) struct Unreadable {
    pub pos: Pos,
    pub message: String,
}

impl From<String> for Unreadable {
    fn from(message: String) -> Self {
        Unreadable { pos: Pos::UNKNOWN, message }
    }
}

pub(super) fn read_bytes(bytes: Vec<u8>) -> Result<Vec<Grid>, Unreadable> {
    if bytes.len() > crate::yaml::MAX_FILE_BYTES {
        let mib = crate::yaml::MAX_FILE_BYTES / 1024 / 1024;
        return Err(tr!("工作簿超过 {mib} MiB 的上限", "the workbook is larger than the limit of {mib} MiB").into());
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(what_ole2_is(&bytes).into());
    }
    if !bytes.starts_with(b"PK") {
        return Err(tr!(
            "不是 Excel 工作簿（.xlsx）：文件不是 zip 压缩包，可能是其他格式的文件改了扩展名",
            "not an Excel workbook (.xlsx): the file is not a zip archive; is it another format renamed to .xlsx?"
        )
        .into());
    }
    // A small zip can unpack to gigabytes (a zip bomb), and calamine unpacks shared strings in
    // full: refuse a workbook whose parts declare more than the limit. The zip reader stops at a
    // part's declared size, so a part cannot grow beyond what it declares.
    check_unpacked_size(&bytes, MAX_UNPACKED_BYTES)?;
    // calamine reports malformed parts as errors; a panic inside it on some unforeseen input
    // must still not take the program down (SPEC §6: nothing panics).
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_grids(&bytes))) {
        Ok(result) => result,
        Err(_) => Err(tr!("无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged").into()),
    }
}

/// Why a file in an OLE2 (Compound File) container is not read. Excel keeps two kinds of file
/// in one: an encrypted (password-protected) workbook, whose `.xlsx` is sealed inside as an
/// `EncryptedPackage` stream, and an Excel 97–2003 `.xls`. calamine tells the first (its
/// `Password` error) and reads the second; anything else is named as both could be.
fn what_ole2_is(bytes: &[u8]) -> String {
    #[derive(Clone, Copy)]
    enum Ole2 {
        Encrypted,
        Xls,
        EncryptedXls,
        Unknown,
    }
    let probe = || {
        if let Err(calamine::XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
            return Ole2::Encrypted;
        }
        match calamine::Xls::new(Cursor::new(bytes)) {
            Ok(_) => Ole2::Xls,
            Err(calamine::XlsError::Password) => Ole2::EncryptedXls,
            Err(_) => Ole2::Unknown,
        }
    };
    match std::panic::catch_unwind(probe).unwrap_or(Ole2::Unknown) {
        Ole2::Encrypted => tr!(
            "不是 xlsx 工作簿：这是加密（设置了打开密码）的工作簿；请在 Excel 中取消密码（文件 › 信息 › 保护工作簿 › 用密码进行加密），再另存为 .xlsx",
            "not an xlsx workbook: it is an encrypted (password-protected) workbook; open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password) and save it as .xlsx"
        ),
        Ole2::Xls => tr!(
            "不是 xlsx 工作簿：这是 Excel 97–2003 工作簿（.xls）；请另存为 .xlsx（Excel 工作簿）",
            "not an xlsx workbook: it is an Excel 97–2003 workbook (.xls); save it as .xlsx (Excel Workbook)"
        ),
        Ole2::EncryptedXls => tr!(
            "不是 xlsx 工作簿：这是加密的 Excel 97–2003 工作簿（.xls）；请在 Excel 中取消密码，再另存为 .xlsx",
            "not an xlsx workbook: it is an encrypted Excel 97–2003 workbook (.xls); open it in Excel, remove the password and save it as .xlsx"
        ),
        Ole2::Unknown => tr!(
            "不是 xlsx 工作簿：这是 OLE2 复合文档（加密的工作簿或 Excel 97–2003 的 .xls 文件）；请在 Excel 中打开，不设密码另存为 .xlsx",
            "not an xlsx workbook: it is an OLE2 container (an encrypted workbook or an Excel 97–2003 .xls file); open it in Excel and save it as .xlsx without a password"
        ),
    }
}

/// The most a workbook may unpack to.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(tr!("无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"));
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            return Err(tr!("无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"));
        };
        total = total.saturating_add(entry.size());
    }
    if total > limit {
        let mib = limit / 1024 / 1024;
        return Err(tr!(
            "工作簿解压后超过 {mib} MiB 的上限",
            "the workbook unpacks to more than the limit of {mib} MiB"
        ));
    }
    Ok(())
}

fn read_grids(bytes: &[u8]) -> Result<Vec<Grid>, Unreadable> {
    let broken = |e: calamine::XlsxError| Unreadable::from(tr!("无法读取工作簿：{e}", "cannot read the workbook: {e}"));
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
    let names = book.sheet_names();
    let mut parts = SheetParts::new(bytes, &names)
        .ok_or_else(|| tr!("无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"))?;
    let mut grids = Vec::new();
    let mut total = 0usize;
    for name in names {
        parts.check_references(&name)?;
        let mut reader = book.worksheet_cells_reader(&name).map_err(broken)?;
        // Style ids index the workbook's cell formats; a percent format multiplies by 100.
        let percent: Vec<bool> = reader
            .styles()
            .iter()
            .map(|s| s.number_format.as_ref().is_some_and(|f| is_percent_format(&f.format_code)))
            .collect();
        let mut cells = BTreeMap::new();
        // The place of the cell being read among the sheet's `<c>` elements, so that a failure
        // can be found in the sheet's XML.
        let mut place = 0usize;
        loop {
            let (cell, style) = match reader.next_cell_with_style_id() {
                Ok(Some(read)) => read,
                Ok(None) => break,
                Err(e) => return Err(parts.failure(&name, place, &e)),
            };
            place += 1;
            let Some(value) = convert(cell.get_value(), percent.get(style).copied().unwrap_or(false)) else {
                continue;
            };
            one_more_cell(&mut total)?;
            cells.insert(cell.get_position(), value);
        }
        let mut grid = Grid { name: Arc::from(name), cells };
        // The sheets that are read are checked for cells calamine reads as what they are not;
        // the others are ignored whole, so their XML is not read twice.
        if !matches!(role(&grid), Role::Other | Role::Reference) {
            for (at, suspect) in parts.suspects(&grid.name) {
                if grid.cells.insert(at, Cell::Bad(suspect.message())).is_none() {
                    one_more_cell(&mut total)?;
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// Counts a filled cell against [`MAX_CELLS`].
fn one_more_cell(total: &mut usize) -> Result<(), String> {
    *total += 1;
    if *total > MAX_CELLS {
        return Err(tr!(
            "工作簿的非空单元格超过 {MAX_CELLS} 个；selfeval 填报表只有几百个",
            "the workbook has more than {MAX_CELLS} filled cells; a selfeval form has a few hundred"
        ));
    }
    Ok(())
}

/// A cell of a sheet's XML that calamine reads as something it is not.
#[derive(Debug, Clone, PartialEq)]
enum Suspect {
    /// A formula (its text, shortened) without the value it last computed: the file was written
    /// by a program that does not calculate, and calamine reads an empty cell.
    NoSavedValue(String),
    /// A text cell (`t="s"`) whose index into the shared strings is not a whole number as
    /// written (`-1`, `abc`, ` 3`): calamine reads shared string 0.
    BadStringIndex(String),
    /// A value of a type calamine reads from the `<v>`'s first text alone, written with more
    /// than that (`<v>1&#50;</v>` is 12, read as 1; a CDATA section is read as nothing).
    Unfollowed(String),
    /// A cell written so that its type cannot be told (a repeated or unreadable attribute).
    Malformed,
}

impl Suspect {
    fn message(&self) -> String {
        match self {
            Suspect::NoSavedValue(formula) if formula.is_empty() => tr!(
                "单元格的公式没有保存计算结果（文件由不计算公式的程序写出）；请在 Excel 或 WPS 中打开并保存，或直接填写数值",
                "the cell holds a formula without a saved result (the file was written by a program that does not calculate); open and save it in Excel or WPS, or type the value"
            ),
            Suspect::NoSavedValue(formula) => tr!(
                "单元格的公式 `={formula}` 没有保存计算结果（文件由不计算公式的程序写出）；请在 Excel 或 WPS 中打开并保存，或直接填写数值",
                "the cell's formula `={formula}` has no saved result (the file was written by a program that does not calculate); open and save it in Excel or WPS, or type the value"
            ),
            Suspect::BadStringIndex(written) => tr!(
                "单元格的文本已损坏：它在共享字符串表中的编号 `{written}` 不是整数；请在 Excel 中重新填写此单元格",
                "the cell's text is damaged: its index `{written}` into the shared strings is not a whole number; type the cell again in Excel"
            ),
            Suspect::Unfollowed(written) => tr!(
                "单元格的值 `{written}…` 含有字符引用或 CDATA 等 Excel 不会写出的内容，无法可靠读取；请在 Excel 中重新填写此单元格",
                "the cell's value `{written}…` holds character references, CDATA or other content Excel does not write, and cannot be read reliably; type the cell again in Excel"
            ),
            Suspect::Malformed => tr!(
                "单元格的写法无法识别（属性重复或无法读取）；请在 Excel 中重新填写此单元格",
                "the cell is written in a way that cannot be read (a repeated or unreadable attribute); type the cell again in Excel"
            ),
        }
    }
}

/// The sheets' parts in the zip, found as calamine finds them (its `read_package_relationships`,
/// `read_relationships` and `read_workbook`: the package's officeDocument, its relationships, its
/// `<sheet>` elements in order), so that a sheet's XML can be scanned for [`Suspect`]s.
struct SheetParts<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Each sheet's name and part, in the workbook's order (calamine's `sheet_names`).
    sheets: Vec<(String, String)>,
}

type XmlReader<'z, 'b> = quick_xml::Reader<std::io::BufReader<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

impl<'a> SheetParts<'a> {
    /// None when the sheets are not those calamine, which has just read the workbook, found.
    fn new(bytes: &'a [u8], names: &[String]) -> Option<Self> {
        let mut parts = SheetParts { archive: zip::ZipArchive::new(Cursor::new(bytes)).ok()?, sheets: Vec::new() };
        let mut document = None;
        parts.each_start("_rels/.rels", Some("Relationships"), "Relationships", |element, e| {
            if element == "Relationship"
                && attribute(e, "Type").is_some_and(|t| t.ends_with("/relationships/officeDocument"))
                && let Some(target) = attribute(e, "Target")
            {
                document = quick_xml::escape::unescape(&target).ok().map(|t| t.into_owned());
            }
        })?;
        let document = document?;
        let (dir, name) = match document.rfind('/') {
            Some(i) => document.split_at(i + 1),
            None => ("", document.as_str()),
        };
        let dir = dir.strip_prefix('/').unwrap_or(dir).to_owned();
        let name = if name.is_empty() { "workbook.xml" } else { name };
        let mut targets: Vec<(String, String)> = Vec::new();
        parts.each_start(&format!("{dir}_rels/{name}.rels"), None, "Relationships", |element, e| {
            if element == "Relationship"
                && let Some(id) = attribute(e, "Id")
            {
                targets.push((id, attribute(e, "Target").unwrap_or_default()));
            }
        })?;
        let mut sheets = Vec::new();
        parts.each_start(&format!("{dir}{name}"), None, "workbook", |element, e| {
            if element == "sheet" {
                // The last of each attribute, as calamine reads them one by one.
                let last = |wanted: &dyn Fn(&quick_xml::events::attributes::Attribute) -> bool| {
                    e.attributes()
                        .with_checks(false)
                        .flatten()
                        .filter(|a| wanted(a))
                        .last()
                        .map(|a| a.value.into_owned())
                };
                let name = last(&|a| a.key.as_ref() == "name")
                    .and_then(|n| quick_xml::escape::unescape(&n).ok().map(|n| n.into_owned()))
                    .unwrap_or_default();
                let id = last(&|a| a.key.local_name().as_ref() == "id").unwrap_or_default();
                // The last relationship of an id, as the map calamine builds of them keeps.
                let target = targets.iter().rev().find(|(i, _)| *i == id).map(|(_, t)| t.as_str());
                sheets.push(target.map(|t| {
                    let path = match t.strip_prefix('/') {
                        Some(absolute) => absolute.to_owned(),
                        None => format!("{dir}{t}"),
                    };
                    (name, path)
                }));
            }
        })?;
        parts.sheets = sheets.into_iter().collect::<Option<Vec<_>>>()?;
        let same = parts.sheets.len() == names.len() && parts.sheets.iter().zip(names).all(|((a, _), b)| a == b);
        same.then_some(parts)
    }

    /// The part `path` as calamine opens it: its name looked up regardless of case and of `\`.
    fn open(&mut self, path: &str) -> Option<XmlReader<'_, 'a>> {
        let wanted = path.to_ascii_lowercase();
        let stored = self
            .archive
            .file_names()
            .flatten()
            .filter(|n| n.replace('\\', "/").to_ascii_lowercase() == wanted)
            .last()
            .map(|n| n.into_owned())
            .unwrap_or_else(|| path.to_owned());
        let file = self.archive.by_name(&stored).ok()?;
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        Some(xml)
    }

    /// Calls `f` with the local name of every element that starts in the part after the start
    /// of `begin` (when given) and before the end of `stop`, as calamine reads the part; None
    /// when the part is missing or not XML.
    fn each_start(
        &mut self,
        path: &str,
        begin: Option<&str>,
        stop: &str,
        mut f: impl FnMut(&str, &quick_xml::events::BytesStart),
    ) -> Option<()> {
        use quick_xml::events::Event;
        let mut xml = self.open(path)?;
        let mut buf = Vec::new();
        let mut started = begin.is_none();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) if !started => started = Some(e.local_name().as_ref()) == begin,
                Event::Start(e) => f(e.local_name().as_ref(), &e),
                Event::End(e) if started && e.local_name().as_ref() == stop => return Some(()),
                Event::Eof => return None,
                _ => {}
            }
        }
    }

    /// The suspects of `sheet`, by the 0-based (row, column) calamine gives their cells.
    fn suspects(&mut self, sheet: &str) -> Vec<((u32, u32), Suspect)> {
        let mut found = Vec::new();
        self.scan(sheet, |_, at, _, suspect| {
            if let (Some(at), Some(suspect)) = (at, suspect) {
                found.push((at, suspect));
            }
            // Past the limit of filled cells the reading refuses the workbook: each suspect is
            // a filled cell, and at most one per cell calamine filled is not a new one.
            found.len() <= MAX_CELLS
        });
        found
    }

    /// Why calamine could not read `sheet` at the cell in place `place`, told at that
    /// cell when it can be found.
    fn failure(&mut self, sheet: &str, place: usize, e: &calamine::XlsxError) -> Unreadable {
        // Where the cell is, and a text cell's index into the shared strings as written.
        let mut found: (Option<(u32, u32)>, Option<String>) = (None, None);
        self.scan(sheet, |p, at, cell, _| {
            if p == place {
                found = (at, if cell.t() == Some("s") { cell.first_text.clone() } else { None });
            }
            p < place
        });
        let (at, string_index) = found;
        let message = match (string_index.as_deref(), e) {
            (Some(i), calamine::XlsxError::Unexpected(_)) if i.bytes().all(|b| b.is_ascii_digit()) => tr!(
                "单元格的文本已损坏：它指向第 {i} 号共享字符串，而工作簿没有这一项；请在 Excel 中重新填写此单元格",
                "the cell's text is damaged: it refers to shared string {i}, which the workbook does not have; type the cell again in Excel"
            ),
            _ => tr!("无法读取此单元格：{e}", "cannot read the cell: {e}"),
        };
        let sheet: Arc<str> = Arc::from(sheet);
        match at {
            Some((row, col)) => Unreadable { pos: Pos::cell(&sheet, row, col), message },
            None => {
                let n = place + 1;
                let message = tr!("第 {n} 个单元格：{message}", "its cell number {n}: {message}");
                Unreadable { pos: Pos::Sheet { sheet }, message }
            }
        }
    }

    /// Refuses `sheet` when a reference calamine's cell reader reads (the `<dimension>`, a
    /// `<row r>`, a `<c r>`) lies past Excel's last cell XFD1048576, or the dimension ends
    /// before it starts. calamine counts them in 32 bits: past the limit its count overflows,
    /// a panic with overflow checks and, without, a wrap that reads `MWLQKXA2` as E2, a cell
    /// no spreadsheet shows. Checked before calamine reads the sheet.
    fn check_references(&mut self, sheet: &str) -> Result<(), Unreadable> {
        use quick_xml::events::Event;
        let Some((_, path)) = self.sheets.iter().find(|(name, _)| name == sheet).cloned() else { return Ok(()) };
        let Some(mut xml) = self.open(&path) else { return Ok(()) };
        let at_sheet = |message: String| Unreadable { pos: Pos::Sheet { sheet: Arc::from(sheet) }, message };
        let quoted = |text: &str| crate::diag::printable(&crate::diag::excerpt(text, 0, 40).0).into_owned();
        let mut buf = Vec::new();
        let mut cells = 0usize;
        loop {
            buf.clear();
            let e = match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => e,
                Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => return Ok(()),
                Ok(Event::Eof) | Err(_) => return Ok(()),
                _ => continue,
            };
            let local = e.local_name();
            let key = match local.as_ref() {
                "dimension" => "ref",
                "row" => "r",
                "c" => {
                    cells += 1;
                    "r"
                }
                _ => continue,
            };
            for a in e.attributes().with_checks(false).flatten().filter(|a| a.key.as_ref() == key) {
                let value: &str = &a.value;
                if key == "ref" {
                    let ends: Vec<_> = value.split(':').map(excel_reference).collect();
                    let reversed = matches!(ends.as_slice(), [Some(Some((r0, c0))), Some(Some((r1, c1)))]
                        if r1 < r0 || c1 < c0);
                    if reversed || ends.contains(&None) {
                        let dimension = quoted(value);
                        return Err(at_sheet(tr!(
                            "工作表的范围（dimension）`{dimension}` 不是有效的单元格区域（超出最后一个单元格 XFD1048576，或终点在起点之前）：文件已损坏；请在 Excel 中打开并另存",
                            "the sheet's dimension `{dimension}` is not a range of cells (it lies beyond the last cell XFD1048576, or ends before it starts): the file is damaged; open and save it in Excel"
                        )));
                    }
                } else if excel_reference(value).is_none() {
                    let reference = quoted(value);
                    let message = tr!(
                        "单元格地址 `{reference}` 超出了工作表的最后一个单元格（XFD1048576）：文件已损坏；请在 Excel 中打开并另存",
                        "the cell reference `{reference}` lies beyond the last cell of a worksheet (XFD1048576): the file is damaged; open and save it in Excel"
                    );
                    return Err(at_sheet(if local.as_ref() == "c" {
                        tr!("第 {cells} 个单元格：{message}", "its cell number {cells}: {message}")
                    } else {
                        message
                    }));
                }
            }
        }
    }

    /// Reads the `<c>` elements of `sheet` as calamine's cell reader does (after
    /// `<sheetData>`, each `<c>` in stream order, its children `v`, `f` and `is`; rows and
    /// columns counted as it counts them), calling `each` with the cell's place among them,
    /// its (row, column) when calamine can tell it, what was read and the suspect, while
    /// `each` returns true.
    fn scan(
        &mut self,
        sheet: &str,
        mut each: impl FnMut(usize, Option<(u32, u32)>, &ScannedCell, Option<Suspect>) -> bool,
    ) {
        use quick_xml::events::Event;
        // The first sheet of that name, as calamine opens it.
        let Some((_, path)) = self.sheets.iter().find(|(name, _)| name == sheet).cloned() else { return };
        let Some(mut xml) = self.open(&path) else { return };
        let mut buf = Vec::new();
        let mut inner = Vec::new();
        // Up to `<sheetData>`.
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "sheetData" => break,
                Ok(Event::Eof) | Err(_) => return,
                _ => {}
            }
        }
        // calamine's `row_index` and `col_index`.
        let (mut row, mut col) = (0u32, 0u32);
        let mut place = 0usize;
        loop {
            buf.clear();
            let cell = match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "row" => {
                    if let Some(r) = attribute(&e, "r") {
                        let Some((r, _)) = calamine_reference(&r) else { return };
                        row = r;
                    }
                    continue;
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "row" => {
                    row = row.wrapping_add(1);
                    col = 0;
                    continue;
                }
                Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => ScannedCell::start(&e),
                Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => return,
                Ok(Event::Eof) | Err(_) => return,
                _ => continue,
            };
            let at = match cell.as_ref().map(|c| c.r.as_deref()) {
                Some(Some(r)) => match calamine_reference(r) {
                    Some((r, Some(c))) => {
                        col = c;
                        Some((r, c))
                    }
                    _ => None,
                },
                _ => Some((row, col)),
            };
            let Some(cell) = cell.and_then(|cell| cell.children(&mut xml, &mut inner)) else {
                // What the scan cannot follow, calamine cannot either: it fails here.
                each(place, at, &ScannedCell::default(), Some(Suspect::Malformed));
                return;
            };
            col = col.wrapping_add(1);
            let suspect = cell.suspect();
            if !each(place, at, &cell, suspect) {
                return;
            }
            place += 1;
        }
    }
}

/// What the scan reads of one `<c>` element.
#[derive(Debug, Default)]
struct ScannedCell {
    r: Option<String>,
    /// The `t` attribute; `None` inside when it is written more than once.
    t: Option<Option<String>>,
    formula: Option<String>,
    /// Whether the cell has a `<v>`, and one that gives a value as calamine reads it.
    has_v: bool,
    valued: bool,
    /// An inline string (`<is>`).
    inline: bool,
    /// For a type calamine reads from the `<v>`'s first text alone (number, shared string,
    /// boolean, error): that text, and whether the `<v>` holds anything else (a character
    /// reference such as `&#50;`, a CDATA section, a comment) that calamine would drop.
    first_text: Option<String>,
    beyond_first_text: bool,
}

impl ScannedCell {
    fn start(e: &quick_xml::events::BytesStart) -> Option<ScannedCell> {
        let mut cell = ScannedCell::default();
        for a in e.attributes().with_checks(false) {
            let a = a.ok()?;
            match a.key.as_ref() {
                "r" => cell.r = Some(a.value.into_owned()),
                "t" if cell.t.is_some() => cell.t = Some(None),
                "t" => cell.t = Some(Some(a.value.into_owned())),
                _ => {}
            }
        }
        Some(cell)
    }

    fn t(&self) -> Option<&str> {
        self.t.as_ref().and_then(|t| t.as_deref())
    }

    /// Whether calamine reads the value from the `<v>`'s first text alone.
    fn first_text_only(&self) -> bool {
        matches!(self.t, None | Some(Some(_))) && matches!(self.t(), None | Some("n" | "s" | "b" | "e"))
    }

    /// Reads the children up to `</c>` as calamine's `read_value` does, element by element and
    /// with its way of finding each one's end; None where calamine fails (an unexpected
    /// element, the end of the file).
    fn children(mut self, xml: &mut XmlReader<'_, '_>, buf: &mut Vec<u8>) -> Option<ScannedCell> {
        use quick_xml::events::Event;
        // Skips to the end of `end`: the first end of that name (`nested: false`) or the one
        // that closes it, counting the starts of that name (quick-xml's `read_to_end`). Calls
        // `each` with every event skipped.
        fn skip(
            xml: &mut XmlReader<'_, '_>,
            buf: &mut Vec<u8>,
            end: quick_xml::name::QName,
            nested: bool,
            mut each: impl FnMut(&Event),
        ) -> Option<()> {
            let mut depth = 0usize;
            loop {
                buf.clear();
                let event = xml.read_event_into(buf).ok()?;
                match &event {
                    Event::End(e) if e.name() == end && depth == 0 => return Some(()),
                    Event::End(e) if e.name() == end => depth -= 1,
                    Event::Start(e) if nested && e.name() == end => depth += 1,
                    Event::Eof => return None,
                    _ => {}
                }
                each(&event);
            }
        }
        loop {
            buf.clear();
            let child = match xml.read_event_into(buf).ok()? {
                Event::Start(e) => e.into_owned(),
                Event::End(e) if e.local_name().as_ref() == "c" => return Some(self),
                Event::Eof => return None,
                _ => continue,
            };
            let end = child.name();
            match child.local_name().as_ref() {
                // calamine skips an inline string's `<v>`.
                "v" if matches!(self.t(), Some("inlineStr" | "is")) => skip(xml, buf, end, true, |_| {})?,
                "v" => {
                    self.has_v = true;
                    let first_text_only = self.first_text_only();
                    buf.clear();
                    match xml.read_event_into(buf).ok()? {
                        Event::End(e) if e.name() == end => continue,
                        Event::Eof => return None,
                        Event::Text(t) => {
                            self.valued |= !t.as_ref().is_empty();
                            self.first_text = Some(t.as_ref().to_owned());
                        }
                        // calamine reads no value from it; a text type reads on.
                        _ => {
                            self.valued |= !first_text_only;
                            self.beyond_first_text = true;
                        }
                    }
                    // After the first content, calamine skips to the `<v>`'s end (for a text
                    // type, collecting texts up to the first end of that name).
                    let mut more = false;
                    skip(xml, buf, end, first_text_only, |_| more = true)?;
                    self.beyond_first_text |= more;
                }
                "f" => {
                    let mut formula = String::new();
                    skip(xml, buf, end, true, |event| {
                        if let Event::Text(t) = event
                            && formula.len() < 240
                        {
                            formula.push_str(t.as_ref());
                        }
                    })?;
                    self.formula = Some(formula.chars().take(60).collect());
                }
                "is" => {
                    self.inline = true;
                    skip(xml, buf, end, false, |_| {})?;
                }
                _ => return None,
            }
        }
    }

    fn suspect(&self) -> Option<Suspect> {
        if matches!(self.t, Some(None)) {
            return Some(Suspect::Malformed);
        }
        let written = || self.first_text.as_deref().unwrap_or_default().chars().take(20).collect::<String>();
        if self.first_text_only() && self.beyond_first_text {
            return Some(Suspect::Unfollowed(written()));
        }
        if self.t() == Some("s")
            && let Some(index) = &self.first_text
            && !(index.bytes().all(|b| b.is_ascii_digit()) && index.parse::<usize>().is_ok())
        {
            return Some(Suspect::BadStringIndex(written()));
        }
        // A formula's text result may be empty; anything else without a value has none saved.
        let text_result = matches!(self.t(), Some("str" | "d")) && self.has_v;
        match &self.formula {
            Some(f) if !self.inline && !self.valued && !text_result => Some(Suspect::NoSavedValue(f.clone())),
            _ => None,
        }
    }
}

/// Whether calamine can count the reference `reference` without overflow: None when its
/// leading letters name a column past XFD or the digits after them a row past 1 048 576 (what
/// follows them, calamine refuses without counting); else the 0-based (row, column) when the
/// reference is a whole cell reference (`E12`), as `Some(None)` when it is not.
fn excel_reference(reference: &str) -> Option<Option<(u32, u32)>> {
    let bytes = reference.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = bytes[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
    if letters > 3 || digits > 7 {
        return None;
    }
    let col = bytes[..letters].iter().fold(0u32, |c, b| c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row = bytes[letters..letters + digits].iter().fold(0u32, |r, b| r * 10 + u32::from(b - b'0'));
    if col > 16_384 || row > 1_048_576 {
        return None;
    }
    let whole = letters > 0 && row > 0 && letters + digits == bytes.len();
    Some(whole.then(|| (row - 1, col - 1)))
}

/// A cell reference (`E12`) read as calamine reads it: 0-based row and column (none without
/// letters); None where calamine fails. Its sums wrap, as calamine's do in a release build.
fn calamine_reference(reference: &str) -> Option<(u32, Option<u32>)> {
    let mut bytes = reference.bytes().peekable();
    let mut col = 0u32;
    while let Some(b) = bytes.next_if(|b| b.is_ascii_alphabetic()) {
        col = col.wrapping_mul(26).wrapping_add(u32::from(b.to_ascii_uppercase() - b'A') + 1);
    }
    let mut row = 0u32;
    let mut digits = 0;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        row = row.wrapping_mul(10).wrapping_add(u32::from(b - b'0'));
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)))
}

/// An attribute's raw value by its full name.
fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

fn convert(value: &DataRef, percent: bool) -> Option<Cell> {
    let number = |text: String| {
        if !percent {
            return Cell::Number(text);
        }
        match times_100(&text) {
            Some(t) => Cell::Percent(t),
            None => Cell::Error(tr!(
                "{text}（百分比过大或过小，无法精确读取）",
                "{text} (a percentage too large or too small to read exactly)"
            )),
        }
    };
    let text = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| Cell::Text(t.to_owned()))
    };
    match value {
        DataRef::Empty => None,
        DataRef::Int(i) => Some(number(i.to_string())),
        DataRef::Float(f) => Some(match number_text(*f) {
            Some(t) => number(t),
            None => Cell::Error(f.to_string()),
        }),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::Error(e) => Some(Cell::Error(e.to_string())),
        DataRef::DateTime(d) => Some(Cell::Date(format!("serial {}", d.as_f64()))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(Cell::Date(s.clone())),
    }
}

/// The decimal text of a cell's number: the shortest text that reads back as the same `f64`,
/// rounded to Excel's 15 significant digits when longer (binary noise of a formula result).
pub(super) fn number_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some("0".into());
    }
    let shortest = f.to_string();
    let digits: String = shortest.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant as u32 <= EXCEL_DIGITS {
        return Some(shortest);
    }
    let rounded = Decimal::from_str(&shortest)
        .ok()
        .and_then(|d| d.round_sf_with_strategy(EXCEL_DIGITS, RoundingStrategy::MidpointAwayFromZero));
    Some(rounded.map_or(shortest, |d| d.normalize().to_string()))
}

/// `0.965` → `96.5`, exactly, on the decimal text.
pub(super) fn times_100(text: &str) -> Option<String> {
    let d = Decimal::from_str(text).ok()?;
    Some(d.checked_mul(Decimal::ONE_HUNDRED)?.normalize().to_string())
}

/// Whether an Excel number format shows its value as a percentage: a `%` in the format for
/// positive numbers that is not quoted (`"%"`), escaped (`\%`) or inside brackets.
pub(super) fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// Builds the tree from the sheets and reads it as a data file. Every node carries its cell, so
/// whatever checks the data file later (the scorer included) points at cells by itself.
pub(super) fn from_grids(file: &str, grids: &[Grid]) -> Result<(DataFile, Diagnostics), Diagnostics> {
    let mut b = Builder { file, diags: Diagnostics::default() };
    let root = b.root(grids);
    let data = root.and_then(|root| DataFile::from_tree(file, root, &mut b.diags));
    let diags = b.diags;
    match data {
        Some(data) if !diags.has_errors() => Ok((data, diags)),
        _ => Err(diags),
    }
}

struct Builder<'a> {
    file: &'a str,
    diags: Diagnostics,
}

/// What a sheet is, by its name (or, for a rows sheet, its A1).
enum Role {
    Info,
    Fields,
    Entries,
    Reference,
    Rows,
    Other,
}

fn role(grid: &Grid) -> Role {
    let name: &str = &grid.name;
    if layout::INFO.matches(name) {
        Role::Info
    } else if layout::FIELDS.matches(name) {
        Role::Fields
    } else if layout::ENTRIES.matches(name) {
        Role::Entries
    } else if layout::INDICATORS.matches(name) {
        Role::Reference
    } else if grid.text(0, 0).is_some_and(|t| layout::LIST_MARK.matches(&t)) {
        Role::Rows
    } else {
        Role::Other
    }
}

impl Builder<'_> {
    fn error_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.error(self.file, pos, message);
    }

    fn warning_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.warning(self.file, pos, message);
    }

    /// The whole document: `subject`, `period`, `rubric`, `values`, `not_applicable`,
    /// `manual`, `declared`, as a YAML data file would have them.
    fn root(&mut self, grids: &[Grid]) -> Option<Node> {
        let roles: Vec<Role> = grids.iter().map(role).collect();
        let find = |want: fn(&Role) -> bool| -> Vec<&Grid> {
            grids.iter().zip(&roles).filter(|(_, r)| want(r)).map(|(g, _)| g).collect()
        };
        let fields = find(|r| matches!(r, Role::Fields));
        let info = find(|r| matches!(r, Role::Info));
        let entries = find(|r| matches!(r, Role::Entries));
        let Some(fields_sheet) = fields.first() else {
            let names: Vec<String> = grids.iter().map(|g| format!("`{}`", g.name)).collect();
            let want = layout::FIELDS.both();
            let found = names.join(", ");
            let message = tr!(
                "不是 selfeval 填报工作簿：没有工作表 {want}（现有工作表：{found}）；可用 `selfeval init -r 指标体系 --format xlsx -o 文件.xlsx` 生成",
                "not a selfeval fill-in workbook: it has no sheet {want} (its sheets: {found}); make one with `selfeval init -r RUBRIC --format xlsx -o FILE.xlsx`"
            );
            self.error_at(Pos::UNKNOWN, message);
            return None;
        };
        for (list, name) in [(&fields, layout::FIELDS), (&info, layout::INFO), (&entries, layout::ENTRIES)] {
            if let [first, second, ..] = list.as_slice() {
                let pos = Pos::Sheet { sheet: Arc::clone(&second.name) };
                let (both, first) = (name.both(), &first.name);
                self.error_at(
                    pos,
                    tr!(
                        "第二个 {both} 工作表（第一个是 `{first}`）；只保留一个",
                        "a second {both} sheet (the first is `{first}`); keep one"
                    ),
                );
            }
        }
        for (grid, role) in grids.iter().zip(&roles) {
            if matches!(role, Role::Other) && !grid.cells.is_empty() {
                let pos = Pos::Sheet { sheet: Arc::clone(&grid.name) };
                let mark = layout::LIST_MARK.zh;
                self.warning_at(
                    pos,
                    tr!(
                        "此工作表不属于填报表，已忽略（绩效目标表需在 A1 写 `{mark}`、B1 写列表名）",
                        "this sheet is not part of the form and is ignored (a list of indicators needs `{mark}` in A1 and the list's name in B1)"
                    ),
                );
            }
        }
        // A cell whose value the file does not give truly is an error wherever a sheet that is
        // read holds it (and is read as empty, so that it adds no other error).
        for (grid, role) in grids.iter().zip(&roles) {
            if matches!(role, Role::Other | Role::Reference) {
                continue;
            }
            for (&(row, col), cell) in &grid.cells {
                if let Cell::Bad(message) = cell {
                    self.error_at(Pos::cell(&grid.name, row, col), message.clone());
                }
            }
        }
        let mut top: Vec<(Key, Node)> = Vec::new();
        if let Some(info) = info.first() {
            top.extend(self.info(info));
        }
        let values_pos = Pos::Sheet { sheet: Arc::clone(&fields_sheet.name) };
        let mut values = self.fields(fields_sheet);
        for (grid, role) in grids.iter().zip(&roles) {
            if matches!(role, Role::Rows)
                && let Some(entry) = self.rows(grid)
            {
                values.push(entry);
            }
        }
        self.no_duplicates(&values, "values");
        top.push((Key { name: "values".into(), pos: values_pos.clone() }, node(values_pos.clone(), Kind::Map(values))));
        if let Some(entries) = entries.first() {
            top.extend(self.entries(entries));
        }
        Some(node(values_pos, Kind::Map(top)))
    }

    /// Reports keys written twice in one map (YAML's duplicate keys).
    fn no_duplicates(&mut self, entries: &[(Key, Node)], what: &str) {
        for (i, (key, _)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.name == key.name) {
                let at = first.pos.phrase();
                let name = &key.name;
                self.error_at(
                    key.pos.clone(),
                    tr!(
                        "{what}：`{name}` 写了两次（第一次在 {at}）；只保留一个",
                        "{what}: `{name}` is written twice (first at {at}); keep one"
                    ),
                );
            }
        }
    }

    /// The node of a cell, or `None` (with an error for error and date cells) when it holds
    /// no value.
    fn value(&mut self, grid: &Grid, row: u32, col: u32) -> Option<Node> {
        let cell = grid.get(row, col)?;
        let pos = Pos::cell(&grid.name, row, col);
        let (kind, quoted) = match cell {
            Cell::Number(t) => (Kind::Number(t.clone()), false),
            Cell::Percent(t) => (Kind::Str(format!("{t}%")), false),
            Cell::Text(t) => (Kind::Str(t.clone()), true),
            Cell::Bool(b) => (Kind::Bool(*b, if *b { "TRUE" } else { "FALSE" }.into()), false),
            Cell::Error(e) => {
                self.error_at(
                    pos,
                    tr!(
                        "单元格是错误值 {e}；请修正公式或直接填写数值",
                        "the cell holds the error value {e}; correct its formula or type the value"
                    ),
                );
                return None;
            }
            // Reported with every bad cell of the sheet (`root`); `Grid::get` never gives one.
            Cell::Bad(_) => return None,
            Cell::Date(d) => {
                self.error_at(
                    pos,
                    tr!(
                        "单元格是日期或时间（{d}）；请把单元格格式设为数值或文本",
                        "the cell holds a date or time ({d}); format it as a number or as text (Format Cells)"
                    ),
                );
                return None;
            }
        };
        Some(Node { pos, kind, content_col: None, quoted })
    }

    /// Finds the header row among the first rows: the first one that names every `required`
    /// column. The header's row and the column of each key found.
    fn header(
        &mut self,
        grid: &Grid,
        from: u32,
        columns: &[Column],
        required: &[&str],
    ) -> Option<(u32, Vec<(&'static str, u32)>)> {
        for row in from..from + 10 {
            let mut found: Vec<(&'static str, u32)> = Vec::new();
            for ((r, c), cell) in grid.cells.range((row, 0)..=(row, u32::MAX)) {
                debug_assert_eq!(*r, row);
                let text = cell_text(cell);
                if let Some(column) = columns.iter().find(|k| k.name.matches(&text))
                    && !found.iter().any(|(k, _)| *k == column.key)
                {
                    found.push((column.key, *c));
                }
            }
            if required.iter().all(|k| found.iter().any(|(f, _)| f == k)) {
                return Some((row, found));
            }
        }
        let names: Vec<String> = columns
            .iter()
            .filter(|c| required.contains(&c.key))
            .map(|c| format!("{} ({})", c.name.zh, c.name.en))
            .collect();
        let pos = Pos::cell(&grid.name, from, 0);
        let names = names.join(", ");
        self.error_at(pos, tr!("找不到标明这些列的表头行：{names}", "no header row naming the columns {names}"));
        None
    }

    fn info(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let Some((header, cols)) = self.header(grid, 0, &layout::INFO_COLUMNS, &["key", "value"]) else {
            return Vec::new();
        };
        let col = |key: &str| cols.iter().find(|(k, _)| *k == key).map(|(_, c)| *c).unwrap_or(0);
        let (key_col, value_col) = (col("key"), col("value"));
        let mut out: Vec<(Key, Node)> = Vec::new();
        for row in header + 1..=grid.last_row() {
            let key_text = grid.text(row, key_col);
            let Some(key_text) = key_text else {
                if grid.get(row, value_col).is_some() {
                    let pos = Pos::cell(&grid.name, row, value_col);
                    self.error_at(
                        pos,
                        tr!(
                            "有值但 A 列没有项目名（subject、period 或 rubric）",
                            "a value without a key in column A (subject, period or rubric)"
                        ),
                    );
                }
                continue;
            };
            let key_pos = Pos::cell(&grid.name, row, key_col);
            let Some((name, _)) = layout::INFO_KEYS.iter().find(|(_, n)| n.matches(&key_text)) else {
                let known = layout::INFO_KEYS.iter().map(|(k, _)| *k);
                self.error_at(
                    key_pos,
                    with_suggestion(tr!("未知的项目 `{key_text}`", "unknown key `{key_text}`"), &key_text, known),
                );
                continue;
            };
            let key = Key { name: (*name).to_owned(), pos: key_pos.clone() };
            if let Some(value) = self.value(grid, row, value_col) {
                out.push((key, value));
            } else if out.iter().all(|(k, _)| k.name != *name) {
                // Written with no value: omitted, but kept for the duplicate check below.
                out.push((key, node(key_pos, Kind::Null)));
            }
        }
        self.no_duplicates(&out, &grid.name);
        out.retain(|(_, v)| !v.is_null());
        out
    }

    /// `values` from the fields sheet: one flat dotted key per filled row.
    fn fields(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let Some((header, cols)) = self.header(grid, 0, &layout::FIELD_COLUMNS, &["name", "value"]) else {
            return Vec::new();
        };
        let col = |key: &str| cols.iter().find(|(k, _)| *k == key).map(|(_, c)| *c).unwrap_or(0);
        let (name_col, value_col) = (col("name"), col("value"));
        let mut out = Vec::new();
        for row in header + 1..=grid.last_row() {
            let name = grid.text(row, name_col);
            let Some(name) = name else {
                if grid.get(row, value_col).is_some() {
                    let pos = Pos::cell(&grid.name, row, value_col);
                    self.error_at(pos, tr!("有值但这一行没有字段名", "a value without a field name in its row"));
                }
                continue;
            };
            let key = Key { name, pos: Pos::cell(&grid.name, row, name_col) };
            if let Some(value) = self.value(grid, row, value_col) {
                out.push((key, value));
            }
        }
        out
    }

    /// A rows sheet: `values.<B1>` as a list of maps, one per filled row.
    fn rows(&mut self, grid: &Grid) -> Option<(Key, Node)> {
        let source_pos = Pos::cell(&grid.name, 0, 1);
        let Some(source) = grid.text(0, 1) else {
            self.error_at(
                source_pos,
                tr!(
                    "请在此填写列表名（指标体系中 `rows:` 的名称，例如 `outputs`）",
                    "name the list of indicators here (the rubric's `rows:` name, e.g. `outputs`)"
                ),
            );
            return None;
        };
        let (header, cols) = self.header(grid, 1, &layout::ROW_COLUMNS, &layout::ROW_REQUIRED)?;
        let mut items = Vec::new();
        for row in header + 1..=grid.last_row() {
            let mut entries = Vec::new();
            for (key, c) in &cols {
                if let Some(value) = self.value(grid, row, *c) {
                    entries.push((Key { name: (*key).to_owned(), pos: value.pos.clone() }, value));
                }
            }
            let filled = cols.iter().any(|(_, c)| grid.get(row, *c).is_some());
            if filled {
                let name_col = cols.iter().find(|(k, _)| *k == "name").map_or(0, |(_, c)| *c);
                let pos = Pos::cell(&grid.name, row, name_col);
                items.push(node(pos, Kind::Map(entries)));
            }
        }
        // An empty table is an empty list: the scorer asks for rows, or for the branch under
        // `not_applicable` (and reads no rows of a branch listed there).
        let list_pos = Pos::Sheet { sheet: Arc::clone(&grid.name) };
        Some((Key { name: source, pos: source_pos }, node(list_pos, Kind::Seq(items))))
    }

    /// `not_applicable`, `manual` and `declared` from the entries sheet.
    fn entries(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let Some((header, cols)) = self.header(grid, 0, &layout::ENTRY_COLUMNS, &["kind", "id", "score", "reason"])
        else {
            return Vec::new();
        };
        let col = |key: &str| cols.iter().find(|(k, _)| *k == key).map(|(_, c)| *c).unwrap_or(0);
        let (kind_col, id_col, score_col, reason_col) = (col("kind"), col("id"), col("score"), col("reason"));
        let mut maps: Vec<(&'static str, Vec<(Key, Node)>)> =
            layout::KINDS.iter().map(|(k, _)| (*k, Vec::new())).collect();
        for row in header + 1..=grid.last_row() {
            let kind = grid.text(row, kind_col);
            let id = grid.text(row, id_col);
            let has_score = grid.get(row, score_col).is_some();
            let has_reason = grid.get(row, reason_col).is_some();
            let Some(kind) = kind else {
                if id.is_some() || has_score || has_reason {
                    let pos = Pos::cell(&grid.name, row, kind_col);
                    let kinds: Vec<&str> = layout::KINDS.iter().map(|(_, n)| n.zh).collect();
                    let kinds = kinds.join(" / ");
                    self.error_at(pos, tr!("类别是空的；请选择 {kinds}", "the kind is empty; choose {kinds}"));
                }
                continue;
            };
            let kind_pos = Pos::cell(&grid.name, row, kind_col);
            let Some((key, _)) = layout::KINDS.iter().find(|(_, n)| n.matches(&kind)) else {
                let kinds: Vec<String> = layout::KINDS.iter().map(|(_, n)| n.both()).collect();
                let kinds = kinds.join(", ");
                self.error_at(
                    kind_pos,
                    tr!("未知的类别 \"{kind}\"；可选：{kinds}", "unknown kind \"{kind}\"; expected one of {kinds}"),
                );
                continue;
            };
            // A template row (kind and indicator written in advance) left blank says nothing.
            let blank = match *key {
                "not_applicable" => id.is_none() && !has_reason && !has_score,
                "manual" => !has_score && !has_reason,
                _ => !has_score,
            };
            if blank {
                continue;
            }
            let id_pos = Pos::cell(&grid.name, row, id_col);
            let Some(id) = id else {
                self.error_at(id_pos, tr!("指标编号是空的", "the indicator id is empty"));
                continue;
            };
            let key_node = Key { name: id, pos: id_pos.clone() };
            let value = match *key {
                "not_applicable" => {
                    if has_score {
                        let pos = Pos::cell(&grid.name, row, score_col);
                        self.warning_at(
                            pos,
                            tr!(
                                "不适用指标的得分会被忽略",
                                "a score for an indicator that is not applicable is ignored"
                            ),
                        );
                    }
                    let pos = Pos::cell(&grid.name, row, reason_col);
                    self.value(grid, row, reason_col).unwrap_or_else(|| node(pos, Kind::Str(String::new())))
                }
                "manual" => {
                    let mut m = Vec::new();
                    for (k, c) in [("score", score_col), ("reason", reason_col)] {
                        if let Some(v) = self.value(grid, row, c) {
                            m.push((Key { name: k.into(), pos: v.pos.clone() }, v));
                        }
                    }
                    node(id_pos, Kind::Map(m))
                }
                _ => match self.value(grid, row, score_col) {
                    Some(v) => v,
                    None => continue,
                },
            };
            if let Some((_, list)) = maps.iter_mut().find(|(k, _)| k == key) {
                list.push((key_node, value));
            }
        }
        let mut out = Vec::new();
        for (key, list) in maps {
            if list.is_empty() {
                continue;
            }
            let what = layout::KINDS.iter().find(|(k, _)| *k == key).map_or(key, |(_, n)| n.zh);
            self.no_duplicates(&list, what);
            let pos = Pos::Sheet { sheet: Arc::clone(&grid.name) };
            out.push((Key { name: key.into(), pos: pos.clone() }, node(pos, Kind::Map(list))));
        }
        out
    }
}

fn node(pos: Pos, kind: Kind) -> Node {
    Node { pos, kind, content_col: None, quoted: false }
}

// ---------------------------------------------------------------------------------------------
// The data file from the tree: the same reading `DataFile::load` does after parsing YAML
// (`data::read`, which is private to `data.rs`), with the same public readers and messages.

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {

    #[test]
    fn unpacked_size_is_checked_before_reading() {
        use std::io::Write;
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/sharedStrings.xml", options).unwrap();
            zip.write_all(&vec![b'a'; 4 * 1024 * 1024]).unwrap();
            zip.finish().unwrap();
        }
        let bytes = buffer.into_inner();
        assert!(bytes.len() < 64 * 1024, "a small file");
        // 4 MiB unpacked: over a 1 MiB limit, under the real one.
        assert!(check_unpacked_size(&bytes, 1024 * 1024).unwrap_err().contains("MiB"));
        assert!(check_unpacked_size(&bytes, MAX_UNPACKED_BYTES).is_ok());
        assert!(check_unpacked_size(b"PK not a zip", MAX_UNPACKED_BYTES).is_err());
    }
    use super::*;

    #[test]
    fn numbers_read_as_their_shortest_text() {
        assert_eq!(number_text(282.41).unwrap(), "282.41");
        assert_eq!(number_text(0.1).unwrap(), "0.1");
        assert_eq!(number_text(95.0).unwrap(), "95");
        assert_eq!(number_text(-0.0).unwrap(), "0");
        assert_eq!(number_text(1e21).unwrap(), "1000000000000000000000");
        assert_eq!(number_text(0.1 + 0.2).unwrap(), "0.3");
        assert_eq!(number_text(138.6 / 150.0 * 100.0).unwrap(), "92.4");
        assert_eq!(number_text(123_456_789.012_345_6).unwrap(), "123456789.012346");
        assert!(number_text(f64::NAN).is_none());
    }

    #[test]
    fn percents_multiply_on_the_decimal_text() {
        assert_eq!(times_100("0.965").unwrap(), "96.5");
        assert_eq!(times_100("1").unwrap(), "100");
        assert_eq!(times_100("0.0001").unwrap(), "0.01");
        assert_eq!(times_100("0.07").unwrap(), "7");
    }

    #[test]
    fn percent_formats() {
        for yes in ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.0 %", "[Blue]0%"] {
            assert!(is_percent_format(yes), "{yes}");
        }
        for no in ["General", "0.00", "0.00\"%\"", "0\\%", "@", "0;-0%", "[$%-409]0", "yyyy-mm-dd"] {
            assert!(!is_percent_format(no), "{no}");
        }
    }

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(read_bytes(b"hello".to_vec()).err().unwrap().message.contains("not an Excel workbook"));
        assert!(read_bytes(b"PK\x03\x04garbage".to_vec()).err().unwrap().message.contains("cannot read the workbook"));
        assert!(read_bytes(vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0]).err().unwrap().message.contains(".xls"));
    }
}
