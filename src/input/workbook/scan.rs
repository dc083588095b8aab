//! The cells calamine misreads, found in the sheets' XML.
//!
//! calamine reads a text cell whose index into the shared strings is not a whole number (`-1`,
//! `abc`) as shared string 0, a formula saved without its result as an empty cell, and a number
//! written with a character reference (`9&#53;`) as its first digits; an index past the table
//! fails with no cell named. The XML of every sheet that is read (not the reference sheet, not
//! sheets the form ignores) is scanned once more, as calamine reads it ([`SheetParts`]), and
//! such cells become errors at their cell; when calamine fails, the scan finds the cell it
//! failed at.

use super::cells::{MAX_CELLS, Unreadable};
use crate::diag::Pos;
use crate::lang::Lang;
use crate::tr;
use std::io::Cursor;
use std::sync::Arc;

/// A cell of a sheet's XML that calamine reads as something it is not.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Suspect {
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
    pub(super) fn message(&self, lang: Lang) -> String {
        match self {
            Suspect::NoSavedValue(formula) if formula.is_empty() => tr!(
                lang,
                "单元格的公式没有保存计算结果（文件由不计算公式的程序写出）；请在 Excel 或 WPS 中打开并保存，或直接填写数值",
                "the cell holds a formula without a saved result (the file was written by a program that does not calculate); open and save it in Excel or WPS, or type the value"
            ),
            Suspect::NoSavedValue(formula) => tr!(
                lang,
                "单元格的公式 `={formula}` 没有保存计算结果（文件由不计算公式的程序写出）；请在 Excel 或 WPS 中打开并保存，或直接填写数值",
                "the cell's formula `={formula}` has no saved result (the file was written by a program that does not calculate); open and save it in Excel or WPS, or type the value"
            ),
            Suspect::BadStringIndex(written) => tr!(
                lang,
                "单元格的文本已损坏：它在共享字符串表中的编号 `{written}` 不是整数；请在 Excel 中重新填写此单元格",
                "the cell's text is damaged: its index `{written}` into the shared strings is not a whole number; type the cell again in Excel"
            ),
            Suspect::Unfollowed(written) => tr!(
                lang,
                "单元格的值 `{written}…` 含有字符引用或 CDATA 等 Excel 不会写出的内容，无法可靠读取；请在 Excel 中重新填写此单元格",
                "the cell's value `{written}…` holds character references, CDATA or other content Excel does not write, and cannot be read reliably; type the cell again in Excel"
            ),
            Suspect::Malformed => tr!(
                lang,
                "单元格的写法无法识别（属性重复或无法读取）；请在 Excel 中重新填写此单元格",
                "the cell is written in a way that cannot be read (a repeated or unreadable attribute); type the cell again in Excel"
            ),
        }
    }
}

/// The sheets' parts in the zip, found as calamine finds them (its `read_package_relationships`,
/// `read_relationships` and `read_workbook`: the package's officeDocument, its relationships, its
/// `<sheet>` elements in order), so that a sheet's XML can be scanned for [`Suspect`]s.
pub(super) struct SheetParts<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Each sheet's name and part, in the workbook's order (calamine's `sheet_names`).
    sheets: Vec<(String, String)>,
}

type XmlReader<'z, 'b> = quick_xml::Reader<std::io::BufReader<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

impl<'a> SheetParts<'a> {
    /// None when the sheets are not those calamine, which has just read the workbook, found.
    pub(super) fn new(bytes: &'a [u8], names: &[String]) -> Option<Self> {
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
    pub(super) fn suspects(&mut self, sheet: &str) -> Vec<((u32, u32), Suspect)> {
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
    pub(super) fn failure(&mut self, sheet: &str, place: usize, e: &calamine::XlsxError, lang: Lang) -> Unreadable {
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
                lang,
                "单元格的文本已损坏：它指向第 {i} 号共享字符串，而工作簿没有这一项；请在 Excel 中重新填写此单元格",
                "the cell's text is damaged: it refers to shared string {i}, which the workbook does not have; type the cell again in Excel"
            ),
            _ => tr!(lang, "无法读取此单元格：{e}", "cannot read the cell: {e}"),
        };
        let sheet: Arc<str> = Arc::from(sheet);
        match at {
            Some((row, col)) => Unreadable { pos: Pos::cell(&sheet, row, col), message },
            None => {
                let n = place + 1;
                let message = tr!(lang, "第 {n} 个单元格：{message}", "its cell number {n}: {message}");
                Unreadable { pos: Pos::sheet(&sheet), message }
            }
        }
    }

    /// Refuses `sheet` when a reference calamine's cell reader reads (the `<dimension>`, a
    /// `<row r>`, a `<c r>`) lies past Excel's last cell XFD1048576, or the dimension ends
    /// before it starts. calamine counts them in 32 bits: past the limit its count overflows,
    /// a panic with overflow checks and, without, a wrap that reads `MWLQKXA2` as E2, a cell
    /// no spreadsheet shows. Checked before calamine reads the sheet.
    pub(super) fn check_references(&mut self, sheet: &str, lang: Lang) -> Result<(), Unreadable> {
        use quick_xml::events::Event;
        let Some((_, path)) = self.sheets.iter().find(|(name, _)| name == sheet).cloned() else { return Ok(()) };
        let Some(mut xml) = self.open(&path) else { return Ok(()) };
        let at_sheet = |message: String| Unreadable { pos: Pos::sheet(&Arc::from(sheet)), message };
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
                            lang,
                            "工作表的范围（dimension）`{dimension}` 不是有效的单元格区域（超出最后一个单元格 XFD1048576，或终点在起点之前）：文件已损坏；请在 Excel 中打开并另存",
                            "the sheet's dimension `{dimension}` is not a range of cells (it lies beyond the last cell XFD1048576, or ends before it starts): the file is damaged; open and save it in Excel"
                        )));
                    }
                } else if excel_reference(value).is_none() {
                    let reference = quoted(value);
                    let message = tr!(
                        lang,
                        "单元格地址 `{reference}` 超出了工作表的最后一个单元格（XFD1048576）：文件已损坏；请在 Excel 中打开并另存",
                        "the cell reference `{reference}` lies beyond the last cell of a worksheet (XFD1048576): the file is damaged; open and save it in Excel"
                    );
                    return Err(at_sheet(if local.as_ref() == "c" {
                        tr!(lang, "第 {cells} 个单元格：{message}", "its cell number {cells}: {message}")
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
