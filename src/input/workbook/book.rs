//! Opening a workbook: its size (packed and unpacked) checked, OLE2 files (encrypted workbooks,
//! `.xls`) named, and every sheet read through calamine into a [`Grid`], its suspect cells
//! found by [`SheetParts`].

use super::cells::{Cell, Grid, MAX_CELLS, Role, Unreadable, convert, is_percent_format, role};
use super::scan::SheetParts;
use crate::lang::Lang;
use crate::tr;
use calamine::{Reader as _, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;

/// A workbook's bytes → its sheets, in the workbook's order.
pub(super) fn read_sheets(bytes: Vec<u8>, lang: Lang) -> Result<Vec<Grid>, Unreadable> {
    if bytes.len() > crate::yaml::MAX_FILE_BYTES {
        let mib = crate::yaml::MAX_FILE_BYTES / 1024 / 1024;
        return Err(
            tr!(lang, "工作簿超过 {mib} MiB 的上限", "the workbook is larger than the limit of {mib} MiB").into()
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(what_ole2_is(&bytes, lang).into());
    }
    if !bytes.starts_with(b"PK") {
        return Err(tr!(
            lang,
            "不是 Excel 工作簿（.xlsx）：文件不是 zip 压缩包，可能是其他格式的文件改了扩展名",
            "not an Excel workbook (.xlsx): the file is not a zip archive; is it another format renamed to .xlsx?"
        )
        .into());
    }
    // A small zip can unpack to gigabytes (a zip bomb), and calamine unpacks shared strings in
    // full: refuse a workbook whose parts declare more than the limit. The zip reader stops at a
    // part's declared size, so a part cannot grow beyond what it declares.
    check_unpacked_size(&bytes, MAX_UNPACKED_BYTES, lang)?;
    // calamine reports malformed parts as errors; a panic inside it on some unforeseen input
    // must still not take the program down (SPEC §6: nothing panics).
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_grids(&bytes, lang))) {
        Ok(result) => result,
        Err(_) => Err(tr!(lang, "无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged").into()),
    }
}

/// Why a file in an OLE2 (Compound File) container is not read. Excel keeps two kinds of file
/// in one: an encrypted (password-protected) workbook, whose `.xlsx` is sealed inside as an
/// `EncryptedPackage` stream, and an Excel 97–2003 `.xls`. calamine tells the first (its
/// `Password` error) and reads the second; anything else is named as both could be.
fn what_ole2_is(bytes: &[u8], lang: Lang) -> String {
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
            lang,
            "不是 xlsx 工作簿：这是加密（设置了打开密码）的工作簿；请在 Excel 中取消密码（文件 › 信息 › 保护工作簿 › 用密码进行加密），再另存为 .xlsx",
            "not an xlsx workbook: it is an encrypted (password-protected) workbook; open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password) and save it as .xlsx"
        ),
        Ole2::Xls => tr!(
            lang,
            "不是 xlsx 工作簿：这是 Excel 97–2003 工作簿（.xls）；请另存为 .xlsx（Excel 工作簿）",
            "not an xlsx workbook: it is an Excel 97–2003 workbook (.xls); save it as .xlsx (Excel Workbook)"
        ),
        Ole2::EncryptedXls => tr!(
            lang,
            "不是 xlsx 工作簿：这是加密的 Excel 97–2003 工作簿（.xls）；请在 Excel 中取消密码，再另存为 .xlsx",
            "not an xlsx workbook: it is an encrypted Excel 97–2003 workbook (.xls); open it in Excel, remove the password and save it as .xlsx"
        ),
        Ole2::Unknown => tr!(
            lang,
            "不是 xlsx 工作簿：这是 OLE2 复合文档（加密的工作簿或 Excel 97–2003 的 .xls 文件）；请在 Excel 中打开，不设密码另存为 .xlsx",
            "not an xlsx workbook: it is an OLE2 container (an encrypted workbook or an Excel 97–2003 .xls file); open it in Excel and save it as .xlsx without a password"
        ),
    }
}

/// The most a workbook may unpack to.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

fn check_unpacked_size(bytes: &[u8], limit: u64, lang: Lang) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(tr!(lang, "无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"));
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            return Err(tr!(lang, "无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"));
        };
        total = total.saturating_add(entry.size());
    }
    if total > limit {
        let mib = limit / 1024 / 1024;
        return Err(tr!(
            lang,
            "工作簿解压后超过 {mib} MiB 的上限",
            "the workbook unpacks to more than the limit of {mib} MiB"
        ));
    }
    Ok(())
}

fn read_grids(bytes: &[u8], lang: Lang) -> Result<Vec<Grid>, Unreadable> {
    let broken =
        |e: calamine::XlsxError| Unreadable::from(tr!(lang, "无法读取工作簿：{e}", "cannot read the workbook: {e}"));
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
    let names = book.sheet_names();
    let mut parts = SheetParts::new(bytes, &names)
        .ok_or_else(|| tr!(lang, "无法读取工作簿：文件已损坏", "cannot read the workbook: it is damaged"))?;
    let mut grids = Vec::new();
    let mut total = 0usize;
    for name in names {
        parts.check_references(&name, lang)?;
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
                Err(e) => return Err(parts.failure(&name, place, &e, lang)),
            };
            place += 1;
            let Some(value) = convert(cell.get_value(), percent.get(style).copied().unwrap_or(false), lang) else {
                continue;
            };
            one_more_cell(&mut total, lang)?;
            cells.insert(cell.get_position(), value);
        }
        let mut grid = Grid { name: Arc::from(name), cells };
        // The sheets that are read are checked for cells calamine reads as what they are not;
        // the others are ignored whole, so their XML is not read twice.
        if !matches!(role(&grid), Role::Other | Role::Reference) {
            for (at, suspect) in parts.suspects(&grid.name) {
                if grid.cells.insert(at, Cell::Bad(suspect.message(lang))).is_none() {
                    one_more_cell(&mut total, lang)?;
                }
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// Counts a filled cell against [`MAX_CELLS`].
fn one_more_cell(total: &mut usize, lang: Lang) -> Result<(), String> {
    *total += 1;
    if *total > MAX_CELLS {
        return Err(tr!(
            lang,
            "工作簿的非空单元格超过 {MAX_CELLS} 个；selfeval 填报表只有几百个",
            "the workbook has more than {MAX_CELLS} filled cells; a selfeval form has a few hundred"
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
        assert!(check_unpacked_size(&bytes, 1024 * 1024, Lang::En).unwrap_err().contains("MiB"));
        assert!(check_unpacked_size(&bytes, MAX_UNPACKED_BYTES, Lang::En).is_ok());
        assert!(check_unpacked_size(b"PK not a zip", MAX_UNPACKED_BYTES, Lang::En).is_err());
    }

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(read_sheets(b"hello".to_vec(), Lang::En).err().unwrap().message.contains("not an Excel workbook"));
        assert!(
            read_sheets(b"PK\x03\x04garbage".to_vec(), Lang::En)
                .err()
                .unwrap()
                .message
                .contains("cannot read the workbook")
        );
        assert!(read_sheets(vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0], Lang::En).err().unwrap().message.contains(".xls"));
    }
}
