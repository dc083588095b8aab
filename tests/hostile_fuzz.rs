//! What the fuzzers found (issue 11, "the bureau's desk"; docs/fuzzing.md): each input that
//! crashed a fuzz target, as a regression test through the command line.
//!
//! - `workbook`: a cell reference past Excel's last cell (`<c r="nxmlformats.org/…">`, found by
//!   the fuzzer; `MWLQKXA2`, whose column counted in 32 bits wraps round to column E). calamine
//!   counts references in a `u32`: with overflow checks (debug builds, the fuzzer) it panicked
//!   — the reader caught the panic, but printed it and called the file damaged — and in a
//!   release build the count wrapped, so that `MWLQKXA2` was read, silently, as E2: a value no
//!   spreadsheet shows (Excel repairs the file and drops the cell). The same for a `<row r>`, and
//!   for a `<dimension>` whose end precedes its start (a subtraction that overflows).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Dir, refused, run};

const SMALL_RUBRIC: &str = "id: hostile-fuzz
title: 工作簿单元格
precision: { indicator: 2, total: 2 }
fields:
  amount: { type: number, label: 金额 }
  grade: { type: level, levels: [优, 良, 中, 差], label: 等级 }
sections:
  - id: all
    title: 全部
    points: 100
    children:
      - { id: a, title: 金额, points: 50, method: linear, value: amount, full: 100, zero: 0 }
      - { id: g, title: 等级, points: 50, method: levels, value: grade, levels: { 优: 100, 良: 80, 中: 60, 差: 0 } }
";

/// A filled form for SMALL_RUBRIC (beside it): 字段 holds `amount` = 95 in E2 and `grade` = 良
/// in E3. Scores 47.5 + 40 = 87.5.
fn small_workbook(dir: &Dir) -> String {
    use rust_xlsxwriter::Workbook;
    std::fs::write(dir.path("rubric.yaml"), SMALL_RUBRIC).unwrap();
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("信息").unwrap();
    info.write_string(0, 0, "key").unwrap();
    info.write_string(0, 2, "value").unwrap();
    info.write_string(1, 0, "rubric").unwrap();
    info.write_string(1, 2, "rubric.yaml").unwrap();
    let fields = wb.add_worksheet();
    fields.set_name("字段").unwrap();
    fields.write_string(0, 0, "name").unwrap();
    fields.write_string(0, 4, "value").unwrap();
    fields.write_string(1, 0, "amount").unwrap();
    fields.write_number(1, 4, 95.0).unwrap();
    fields.write_string(2, 0, "grade").unwrap();
    fields.write_string(2, 4, "良").unwrap();
    let path = dir.path("form.xlsx");
    wb.save(&path).unwrap();
    path
}

const FIELDS_PART: &str = "xl/worksheets/sheet2.xml";

/// A copy of the workbook at `path`, as `out`, with `edit` applied to the XML of its 字段 sheet.
fn rewrite_fields(path: &str, out: &str, edit: impl Fn(&str) -> String) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == FIELDS_PART {
            let text = String::from_utf8(bytes).unwrap();
            let new = edit(&text);
            assert_ne!(new, text, "the edit changed nothing");
            bytes = new.into_bytes();
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

/// A cell reference past Excel's last column (XFD) is refused at its sheet, before it can be
/// read anywhere: the fuzzer's `<c r="nxmlformats.org/…">` (a panic, caught, in a debug build),
/// and `MWLQKXA2`, which a release build read as E2 (its column, 5 + 2³², counted in 32 bits).
#[test]
fn workbook_cell_reference_past_the_last_column_is_refused() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let (code, stdout, stderr) = run("en", &["score", &form]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("87.5"), "{stdout}");

    let bad = dir.path("reference.xlsx");
    for reference in ["MWLQKXA2", "nxmlformats.org/package/2006/relationships", "XFE2", "AAAA2"] {
        rewrite_fields(&form, &bad, |xml| xml.replace(r#"<c r="E2">"#, &format!(r#"<c r="{reference}">"#)));
        let stderr = refused("en", &["score", &bad]);
        assert!(
            stderr.contains("reference.xlsx:字段: error: its cell number 4: the cell reference `")
                && stderr.contains("` lies beyond the last cell of a worksheet (XFD1048576)"),
            "{reference}: {stderr}"
        );
        assert!(!stderr.contains("87.5"), "{reference}: {stderr}");
    }
    // A long reference is quoted in part.
    let long = format!("{}2", "A".repeat(10_000));
    rewrite_fields(&form, &bad, |xml| xml.replace(r#"<c r="E2">"#, &format!(r#"<c r="{long}">"#)));
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("lies beyond the last cell") && stderr.len() < 1_000, "{stderr}");
    // In Chinese.
    rewrite_fields(&form, &bad, |xml| xml.replace(r#"<c r="E2">"#, r#"<c r="MWLQKXA2">"#));
    let stderr = refused("zh", &["score", &bad]);
    assert!(
        stderr.contains("字段: error: 第 4 个单元格：单元格地址 `MWLQKXA2` 超出了工作表的最后一个单元格（XFD1048576）"),
        "{stderr}"
    );
}

/// A row past Excel's last row (1 048 576), in a `<row r>` or a `<c r>`, is refused too: its
/// number overflowed calamine's 32-bit count.
#[test]
fn workbook_row_past_the_last_row_is_refused() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let bad = dir.path("row.xlsx");
    for (from, to) in [
        (r#"<c r="E2">"#, r#"<c r="E99999999999">"#),
        (r#"<c r="E2">"#, r#"<c r="E1048577">"#),
        (r#"<row r="2""#, r#"<row r="99999999999""#),
    ] {
        rewrite_fields(&form, &bad, |xml| xml.replacen(from, to, 1));
        let stderr = refused("en", &["score", &bad]);
        assert!(
            stderr.contains("row.xlsx:字段: error:") && stderr.contains("lies beyond the last cell of a worksheet"),
            "{to}: {stderr}"
        );
    }
    // The last cell itself is a cell: a note there is outside the form, and the form still reads.
    rewrite_fields(&form, &bad, |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#,
        )
    });
    let (code, stdout, stderr) = run("en", &["score", &bad]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("87.5"), "{stdout}");
}

/// A sheet's `<dimension>` whose end precedes its start was a subtraction that overflows in
/// calamine (a panic, caught, in a debug build); one past the last cell, a count that wraps.
#[test]
fn workbook_reversed_or_oversized_dimension_is_refused() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let bad = dir.path("dimension.xlsx");
    for dimension in ["E3:A1", "A3:E1", "A1:MWLQKXA3"] {
        rewrite_fields(&form, &bad, |xml| {
            let start = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
            let end = start + xml[start..].find('"').unwrap();
            format!("{}{dimension}{}", &xml[..start], &xml[end..])
        });
        let stderr = refused("en", &["score", &bad]);
        assert!(stderr.contains("dimension.xlsx:字段: error: the sheet's dimension `"), "{dimension}: {stderr}");
    }
    // The largest dimension there is reads.
    rewrite_fields(&form, &bad, |xml| {
        let start = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
        let end = start + xml[start..].find('"').unwrap();
        format!("{}A1:XFD1048576{}", &xml[..start], &xml[end..])
    });
    let (code, stdout, stderr) = run("en", &["score", &bad]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("87.5"), "{stdout}");
}
