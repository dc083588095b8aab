//! Files that say one thing and are read as another (issue 11, items 7–10): YAML tags and
//! duplicate merge keys, several documents in one file, text in other encodings, files that are
//! not what their name says, and workbook cells whose value is not what the cell claims. Each
//! is refused with its place (`file:line:col`, or `sheet!cell` in a workbook) and what it is.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use selfeval::lang::Lang;
use selfeval::yaml::Source;
use std::path::Path;

mod common;
use common::{Dir, refused, run};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed's data file, which scores with `rubric: cast-dept-2021`.
fn seed_data() -> String {
    std::fs::read_to_string(root().join("examples/conghua-cast-2021/data.yaml")).unwrap()
}

fn source(text: &str) -> Source {
    Source { name: "t.yaml".into(), text: text.into() }
}

// ---------------------------------------------------------------------------------------------
// Item 7: tags and duplicate merge keys.

/// Every explicit tag — core-schema tags that change a value's type, `!!binary`, local and
/// non-specific tags, on scalars, lists and maps — is refused at the tag, by both YAML paths,
/// in data files and in rubrics.
#[test]
fn item7_yaml_tags_are_refused_at_their_place() {
    let cases = [
        ("a: !!int 5\n", "!!int", (1, 4)),
        ("a: !!str 5\n", "!!str", (1, 4)),
        ("a: !!float 1\n", "!!float", (1, 4)),
        ("a: !!binary aGVsbG8=\n", "!!binary", (1, 4)),
        ("a:\n  - x\n  - !foo bar\n", "!foo", (3, 5)),
        ("a: ! 5\n", "!", (1, 4)),
        ("a: !!map\n  b: 1\n", "!!map", (1, 4)),
        ("a: !!seq [1]\n", "!!seq", (1, 4)),
        ("a: &x !!int 5\nb: *x\n", "!!int", (1, 7)),
        ("!!str k: v\n", "!!str", (1, 1)),
        ("a: !<tag:yaml.org,2002:int> 5\n", "!<tag:yaml.org,2002:int>", (1, 4)),
        ("预算: !!int 5\n", "!!int", (1, 5)),
    ];
    for (text, tag, (line, col)) in cases {
        let source = source(text);
        assert!(source.parse_fast().is_none(), "the fast path took {text:?}");
        let e = source.parse(Lang::En).unwrap_err();
        assert!(e.message.contains(&format!("tag `{tag}`")), "{text:?}: {}", e.message);
        assert_eq!((e.pos.line(), e.pos.col()), (Some(line), Some(col)), "{text:?}: {}", e.message);
        assert_eq!(source.parse_full(Lang::En).unwrap_err(), e, "{text:?}");
    }

    // A data file: `subject: !!str 2021` would read the same, `tweets: !!float 95` would not.
    let dir = Dir::new();
    let data = seed_data().replacen("subject:", "subject: !!str", 1);
    assert!(data.contains("subject: !!str"));
    let line = data.lines().position(|l| l.starts_with("subject:")).unwrap() + 1;
    let file = dir.write("data.yaml", &data);
    let stderr = refused("en", &["score", &file]);
    assert!(stderr.contains(&format!("data.yaml:{line}:10: error: YAML tag `!!str` is not accepted")), "{stderr}");
    let stderr = refused("zh", &["score", &file]);
    assert!(stderr.contains(&format!("data.yaml:{line}:10: error: 不接受 YAML 标签 `!!str`")), "{stderr}");

    // A rubric, through `-r` and through validate.
    let rubric = std::fs::read_to_string(root().join("rubrics/cast-dept-2021.yaml")).unwrap();
    let tagged = rubric.replacen("title:", "title: !custom", 1);
    let line = tagged.lines().position(|l| l.contains("title: !custom")).unwrap() + 1;
    let col = tagged.lines().nth(line - 1).unwrap().find('!').unwrap() + 1;
    let rubric_file = dir.write("rubric.yaml", &tagged);
    let plain = dir.write("plain.yaml", seed_data().replace("rubric: cast-dept-2021", ""));
    for args in [vec!["validate", rubric_file.as_str()], vec!["score", "-r", rubric_file.as_str(), plain.as_str()]] {
        let stderr = refused("en", &args);
        assert!(stderr.contains(&format!("rubric.yaml:{line}:{col}: error: YAML tag `!custom`")), "{stderr}");
    }
}

/// `<<` twice in one map: one merged map would silently win. Refused at the second `<<`, in
/// data files and rubrics; one `<<` with a list, quoted `"<<"` keys and `<<` in different maps
/// stay accepted.
#[test]
fn item7_duplicate_merge_keys_are_refused() {
    let twice = "a: &a {x: 1}\nb: &b {x: 2}\nc:\n  <<: *a\n  y: 3\n  <<: *b\n";
    let e = source(twice).parse(Lang::En).unwrap_err();
    assert!(e.message.contains("duplicate merge key `<<`"), "{}", e.message);
    assert_eq!((e.pos.line(), e.pos.col()), (Some(6), Some(3)));
    let flow = "a: &a {x: 1}\nc: {<<: *a, <<: *a}\n";
    let e = source(flow).parse(Lang::En).unwrap_err();
    assert_eq!((e.pos.line(), e.pos.col()), (Some(2), Some(13)), "{}", e.message);

    for fine in [
        "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n",
        "a: &a {x: 1}\nc:\n  <<: *a\nd:\n  <<: *a\n",
        "a: &a {x: 1}\nc:\n  <<: *a\n  z:\n    <<: *a\n",
        "a: &a {x: 1}\nc:\n  <<: *a\n  \"<<\": 1\n",
    ] {
        assert!(source(fine).parse(Lang::En).is_ok(), "{fine:?}: {:?}", source(fine).parse(Lang::En));
    }

    // In a data file and in a rubric, through the command line.
    let dir = Dir::new();
    let data = seed_data().replacen("values:\n", "base: &base {}\nvalues:\n  <<: *base\n  <<: *base\n", 1);
    let line = data.lines().position(|l| l == "  <<: *base").unwrap() + 2;
    let file = dir.write("data.yaml", &data);
    let stderr = refused("en", &["score", &file]);
    assert!(stderr.contains(&format!("data.yaml:{line}:3: error: duplicate merge key")), "{stderr}");
    let stderr = refused("zh", &["score", &file]);
    assert!(stderr.contains(&format!("data.yaml:{line}:3: error: 合并键 `<<` 重复")), "{stderr}");

    let rubric = std::fs::read_to_string(root().join("rubrics/cast-dept-2021.yaml")).unwrap();
    let merged = format!("_shared: &shared {{}}\n{}", rubric.replacen("title:", "<<: *shared\n<<: *shared\ntitle:", 1));
    let line = merged.lines().position(|l| l == "<<: *shared").unwrap() + 2;
    let rubric_file = dir.write("rubric.yaml", &merged);
    let stderr = refused("en", &["validate", &rubric_file]);
    assert!(stderr.contains(&format!("rubric.yaml:{line}:1: error: duplicate merge key")), "{stderr}");
}

/// The built-in rubrics (two use anchors) still load: none has a tag or a second `<<`.
#[test]
fn item7_built_in_rubrics_still_load() {
    for builtin in selfeval::rubric::builtin::BUILTIN {
        let source = Source { name: builtin.id.into(), text: builtin.text.into() };
        assert!(source.parse_full(Lang::En).is_ok(), "{}", builtin.id);
        assert!(selfeval::input::load_rubric(builtin.id, Lang::En).is_ok(), "{}", builtin.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Item 8: several documents.

/// Several YAML documents in one file are named as such, at the second document, instead of
/// the YAML library's advice to call another function.
#[test]
fn item8_several_documents_are_named_at_the_second() {
    let e = source("a: 1\n---\nb: 2\n---\nc: 3\n").parse(Lang::En).unwrap_err();
    assert_eq!((e.pos.line(), e.pos.col()), (Some(2), Some(1)));
    assert!(
        e.message.contains("the file holds 3 YAML documents (--- at line 2); one file holds one document"),
        "{}",
        e.message
    );
    let e = source("--- 1\n--- 2\n").parse(Lang::En).unwrap_err();
    assert!(e.message.contains("2 YAML documents (--- at line 2)"), "{}", e.message);
    // A bare second document after the end marker `...`.
    let e = source("a: 1\n...\nb: 2\n").parse(Lang::En).unwrap_err();
    assert_eq!(e.pos.line(), Some(3));
    assert!(e.message.contains("2 YAML documents (the second starts at line 3)"), "{}", e.message);
    // One document, with or without its markers, is one.
    for one in ["---\na: 1\n", "a: 1\n...\n", "---\na: 1\n...\n", "%YAML 1.2\n---\na: 1\n"] {
        assert!(source(one).parse(Lang::En).is_ok(), "{one:?}");
    }

    let dir = Dir::new();
    let data = seed_data();
    let lines = data.lines().count();
    let file = dir.write("data.yaml", format!("{data}---\n{data}"));
    let at = lines + 1;
    let stderr = refused("en", &["score", &file]);
    assert!(
        stderr.contains(&format!("data.yaml:{at}:1: error: the file holds 2 YAML documents (--- at line {at})")),
        "{stderr}"
    );
    assert!(!stderr.contains("from_str_multiple"), "{stderr}");
    let stderr = refused("zh", &["score", &file]);
    assert!(
        stderr.contains(&format!("data.yaml:{at}:1: error: 文件包含 2 个 YAML 文档（第 {at} 行的 ---）")),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Item 9: encodings and containers named for what they are.

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
}

fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
    text.chars()
        .flat_map(|c| if big_endian { u32::from(c).to_be_bytes() } else { u32::from(c).to_le_bytes() })
        .collect()
}

fn decode_error(bytes: Vec<u8>) -> String {
    Source::decode("f.yaml", bytes, Lang::En).unwrap_err().message
}

/// UTF-32 (its byte-order marks begin like UTF-16's) is named UTF-32; UTF-16 and UTF-32
/// without a byte-order mark are named with their byte order instead of "binary"; each with
/// the iconv command that converts it. Binary content is still binary.
#[test]
fn item9_wide_encodings_are_named() {
    let text = seed_data();
    for (bom, big_endian) in [([0xFF, 0xFE, 0, 0], false), ([0, 0, 0xFE, 0xFF], true)] {
        let mut bytes = bom.to_vec();
        bytes.extend(utf32(&text, big_endian));
        let m = decode_error(bytes);
        assert!(m.contains("UTF-32 encoded") && m.contains("iconv -f UTF-32 -t UTF-8") && !m.contains("UTF-16"), "{m}");
    }
    // With a BOM, UTF-16 keeps its message.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16(&text, false));
    assert!(decode_error(bytes).contains("file is UTF-16 encoded"));

    let chinese = "预算执行率说明: 这是一段很长的中文说明文字，几乎没有 ASCII 字符，只有冒号和换行\n";
    let short = "a: 1\n";
    for sample in [text.as_str(), chinese, short] {
        for (bytes, name) in [
            (utf16(sample, false), "UTF-16LE"),
            (utf16(sample, true), "UTF-16BE"),
            (utf32(sample, false), "UTF-32LE"),
            (utf32(sample, true), "UTF-32BE"),
        ] {
            let m = decode_error(bytes);
            assert!(
                m.contains(&format!("file is {name} encoded, without a byte-order mark"))
                    && m.contains(&format!("iconv -f {name} -t UTF-8 FILE > FILE.utf8")),
                "{name} of {sample:?}: {m}"
            );
        }
    }

    // Binary content, including text-like binary, is binary.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    for bytes in [png, (0..=255u8).cycle().take(2560).collect(), b"\x01\0\x02\0".to_vec(), b"a\0b".to_vec()] {
        assert_eq!(decode_error(bytes), "file is binary, not a YAML text file");
    }
    // A workbook under a YAML name is named.
    assert!(decode_error(b"PK\x03\x04\x14\0\0\0".to_vec()).contains("zip archive (an .xlsx workbook?)"));
    assert!(decode_error(cfb(&["Workbook"])).contains("OLE2 container"));

    // Through the command line, in both languages.
    let dir = Dir::new();
    let file = dir.write("data.yaml", utf16(&text, false));
    let stderr = refused("en", &["score", &file]);
    assert!(stderr.contains("data.yaml: error: file is UTF-16LE encoded, without a byte-order mark"), "{stderr}");
    let stderr = refused("zh", &["score", &file]);
    assert!(
        stderr.contains("没有字节顺序标记（BOM）的 UTF-16LE 编码") && stderr.contains("iconv -f UTF-16LE"),
        "{stderr}"
    );
}

/// A minimal Compound File (OLE2) holding empty streams of the given names: a 512-byte header,
/// one FAT sector and one directory sector — what calamine reads to tell an encrypted workbook
/// (a stream `EncryptedPackage`).
fn cfb(streams: &[&str]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    const NONE: u32 = 0xFFFF_FFFF;
    assert!(streams.len() <= 3);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put16 = |at: usize, v: u16, h: &mut Vec<u8>| h[at..at + 2].copy_from_slice(&v.to_le_bytes());
    put16(24, 0x003E, &mut header);
    put16(26, 3, &mut header);
    put16(28, 0xFFFE, &mut header);
    put16(30, 9, &mut header);
    put16(32, 6, &mut header);
    let put32 = |at: usize, v: u32, h: &mut Vec<u8>| h[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put32(44, 1, &mut header); // FAT sectors
    put32(48, 1, &mut header); // first directory sector
    put32(56, 4096, &mut header); // mini stream cutoff
    put32(60, END, &mut header); // no mini FAT
    put32(68, END, &mut header); // no DIFAT sectors
    put32(76, 0, &mut header); // the FAT is sector 0
    for i in 1..109 {
        put32(76 + 4 * i, FREE, &mut header);
    }
    let mut fat = vec![0xFFu8; 512];
    fat[..4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes()); // the FAT's own sector
    fat[4..8].copy_from_slice(&END.to_le_bytes()); // the directory: one sector
    let mut dir = vec![0u8; 512];
    let entry = |name: &str, kind: u8, child: u32, right: u32, out: &mut [u8]| {
        let name: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        out[..name.len()].copy_from_slice(&name);
        out[64..66].copy_from_slice(&(name.len() as u16).to_le_bytes());
        out[66] = kind;
        out[67] = 1; // black
        out[68..72].copy_from_slice(&NONE.to_le_bytes());
        out[72..76].copy_from_slice(&right.to_le_bytes());
        out[76..80].copy_from_slice(&child.to_le_bytes());
        out[116..120].copy_from_slice(&END.to_le_bytes());
    };
    entry("Root Entry", 5, if streams.is_empty() { NONE } else { 1 }, NONE, &mut dir[..128]);
    for (i, name) in streams.iter().enumerate() {
        let right = if i + 1 < streams.len() { i as u32 + 2 } else { NONE };
        entry(name, 2, NONE, right, &mut dir[128 * (i + 1)..128 * (i + 2)]);
    }
    [header, fat, dir].concat()
}

/// A file named `.xlsx` that is an OLE2 container is named for what it is: an encrypted
/// workbook when it holds an `EncryptedPackage`, else either kind it could be — never simply
/// "an Excel 97–2003 file".
#[test]
fn item9_encrypted_workbooks_are_named() {
    let dir = Dir::new();
    let encrypted = dir.write("sealed.xlsx", cfb(&["EncryptionInfo", "EncryptedPackage"]));
    let stderr = refused("en", &["score", "-r", "cast-dept-2021", &encrypted]);
    assert!(
        stderr.contains("sealed.xlsx: error: not an xlsx workbook: it is an encrypted (password-protected) workbook"),
        "{stderr}"
    );
    assert!(!stderr.contains("97–2003"), "{stderr}");
    let stderr = refused("zh", &["score", "-r", "cast-dept-2021", &encrypted]);
    assert!(stderr.contains("不是 xlsx 工作簿：这是加密（设置了打开密码）的工作簿"), "{stderr}");

    // A Compound File with a `Workbook` stream is what calamine reads as an .xls.
    let xls = dir.write("old.xlsx", cfb(&["Workbook"]));
    let stderr = refused("en", &["score", "-r", "cast-dept-2021", &xls]);
    assert!(stderr.contains("not an xlsx workbook: it is an Excel 97–2003 workbook (.xls)"), "{stderr}");

    let other = dir.write("other.xlsx", cfb(&["WordDocument"]));
    let stderr = refused("en", &["score", "-r", "cast-dept-2021", &other]);
    assert!(
        stderr.contains(
            "not an xlsx workbook: it is an OLE2 container (an encrypted workbook or an Excel 97–2003 .xls file)"
        ),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Item 10: workbook cells whose value is not what the cell claims.

const SMALL_RUBRIC: &str = "id: hostile-cells
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

/// A filled form for SMALL_RUBRIC: 信息 names the rubric (its first cell, a title above the
/// header, is the text `优`, so shared string 0 is a valid level), 字段 holds `amount` = 95 in
/// E2 and `grade` = 良 in E3. Scores 47.5 + 40 = 87.5.
fn small_workbook(dir: &Dir) -> String {
    use rust_xlsxwriter::Workbook;
    dir.write("rubric.yaml", SMALL_RUBRIC);
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("信息").unwrap();
    info.write_string(0, 0, "优").unwrap();
    info.write_string(1, 0, "key").unwrap();
    info.write_string(1, 2, "value").unwrap();
    info.write_string(2, 0, "rubric").unwrap();
    info.write_string(2, 2, "rubric.yaml").unwrap();
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

/// A copy of the workbook at `path` with `edit` applied to the XML of its part `part`.
fn rewrite_part(path: &str, part: &str, out: &str, edit: impl Fn(&str) -> String) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut edited = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == part {
            let text = String::from_utf8(bytes).unwrap();
            let new = edit(&text);
            assert_ne!(new, text, "the edit of {part} changed nothing");
            bytes = new.into_bytes();
            edited = true;
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    assert!(edited, "no part {part}");
}

/// The XML of the cell `reference` in `sheet_xml`, replaced by `cell`.
fn replace_cell(sheet_xml: &str, reference: &str, cell: &str) -> String {
    let start = sheet_xml.find(&format!("<c r=\"{reference}\"")).unwrap();
    let rest = &sheet_xml[start..];
    let end = rest.find("</c>").unwrap() + 4;
    assert!(!rest[..end].contains("/>"), "{reference} is not written as <c …>…</c>");
    format!("{}{cell}{}", &sheet_xml[..start], &rest[end..])
}

const FIELDS_PART: &str = "xl/worksheets/sheet2.xml";

/// A formula cell without its saved result (a workbook written by a program that does not
/// calculate) is an error at its cell, not a value missing somewhere.
#[test]
fn item10_formula_without_saved_value_is_an_error_at_its_cell() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let (code, stdout, stderr) = run("en", &["score", &form]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("87.5"), "{stdout}");

    let bad = dir.path("formula.xlsx");
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", r#"<c r="E2"><f>SUM(G1:G9)</f></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(
        stderr.contains("formula.xlsx:字段!E2: error: the cell's formula `=SUM(G1:G9)` has no saved result"),
        "{stderr}"
    );
    assert!(!stderr.contains("missing"), "{stderr}");
    let stderr = refused("zh", &["score", &bad]);
    assert!(stderr.contains("字段!E2: error: 单元格的公式 `=SUM(G1:G9)` 没有保存计算结果"), "{stderr}");

    // With an empty saved value, and as a shared formula's derived cell (no text of its own).
    for cell in [r#"<c r="E2"><f>1+1</f><v></v></c>"#, r#"<c r="E2"><f t="shared" si="0"/></c>"#] {
        rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", cell));
        let stderr = refused("en", &["score", &bad]);
        assert!(stderr.contains("字段!E2: error: the cell") && stderr.contains("saved result"), "{cell}: {stderr}");
    }
    // A formula whose saved result is the empty text is an empty cell, as Excel shows it.
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", r#"<c r="E2" t="str"><f>""</f><v></v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(!stderr.contains("saved result") && stderr.contains("amount"), "{stderr}");
    // A formula with its saved result reads as that result.
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", r#"<c r="E2"><f>90+5</f><v>95</v></c>"#));
    let (code, stdout, stderr) = run("en", &["score", &bad]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("87.5"), "{stdout}");
}

/// A text cell's index into the shared strings that is not a whole number (`-1`, `abc`) was
/// read as shared string 0 — here `优`, a valid level, so the total changed with exit 0. Now it
/// is an error at the cell; so is an index past the table, which had no cell.
#[test]
fn item10_damaged_shared_string_indexes_are_errors_at_their_cells() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let bad = dir.path("strings.xlsx");
    for index in ["-1", "abc", " 1", "1&#50;", "<![CDATA[3]]>"] {
        rewrite_part(&form, FIELDS_PART, &bad, |xml| {
            replace_cell(xml, "E3", &format!(r#"<c r="E3" t="s"><v>{index}</v></c>"#))
        });
        let (code, stdout, stderr) = run("en", &["score", &bad]);
        assert_eq!(code, 1, "{index}: {stdout}{stderr}");
        assert!(stderr.contains("strings.xlsx:字段!E3: error: the cell's"), "{index}: {stderr}");
    }
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E3", r#"<c r="E3" t="s"><v>-1</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(
        stderr.contains(
            "字段!E3: error: the cell's text is damaged: its index `-1` into the shared strings is not a whole number"
        ),
        "{stderr}"
    );
    let stderr = refused("zh", &["score", &bad]);
    assert!(stderr.contains("字段!E3: error: 单元格的文本已损坏"), "{stderr}");

    // Past the end of the table.
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E3", r#"<c r="E3" t="s"><v>999</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(
        stderr.contains("strings.xlsx:字段!E3: error: the cell's text is damaged: it refers to shared string 999, which the workbook does not have"),
        "{stderr}"
    );
    // A number written with a character reference (`1&#50;` is 12) was read as 1.
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", r#"<c r="E2"><v>9&#53;</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("字段!E2: error: the cell's value `9…` holds character references"), "{stderr}");
}

/// A cell calamine cannot read at all is named at its cell (it was named nowhere).
#[test]
fn item10_unreadable_cells_are_named_at_their_cells() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let bad = dir.path("number.xlsx");
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E2", r#"<c r="E2" t="n"><v>abc</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("number.xlsx:字段!E2: error: cannot read the cell:"), "{stderr}");
    // Cells written without their reference are placed as calamine places them: after the
    // cell before them in their row.
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E3", r#"<c t="s"><v>-1</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("字段!B3: error: the cell's text is damaged"), "{stderr}");
    rewrite_part(&form, FIELDS_PART, &bad, |xml| replace_cell(xml, "E3", r#"<c t="s"><v>999</v></c>"#));
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("字段!B3: error: the cell's text is damaged: it refers to shared string 999"), "{stderr}");
}

/// A sheet that is not part of the form is ignored whole, its damaged cells too.
#[test]
fn item10_sheets_that_are_not_read_are_not_checked() {
    use rust_xlsxwriter::{Formula, Workbook};
    let dir = Dir::new();
    small_workbook(&dir);
    // The same form with a third sheet of notes holding a formula.
    let mut wb = Workbook::new();
    for (name, cells) in [
        ("信息", vec![(0, 0, "优"), (1, 0, "key"), (1, 2, "value"), (2, 0, "rubric"), (2, 2, "rubric.yaml")]),
        ("字段", vec![(0, 0, "name"), (0, 4, "value"), (1, 0, "amount"), (2, 0, "grade"), (2, 4, "良")]),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, c, t) in cells {
            ws.write_string(r, c, t).unwrap();
        }
        if name == "字段" {
            ws.write_number(1, 4, 95.0).unwrap();
        }
    }
    let notes = wb.add_worksheet();
    notes.set_name("备注").unwrap();
    notes.write_formula(0, 0, Formula::new("=1+1")).unwrap();
    notes.write_string(0, 1, "说明").unwrap();
    let with_notes = dir.path("notes.xlsx");
    wb.save(&with_notes).unwrap();
    let bad = dir.path("notes-bad.xlsx");
    rewrite_part(&with_notes, "xl/worksheets/sheet3.xml", &bad, |xml| {
        replace_cell(xml, "A1", r#"<c r="A1"><f>1+1</f></c>"#)
    });
    let (code, stdout, stderr) = run("en", &["score", &bad]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("87.5") && stderr.contains("备注: warning: this sheet is not part of the form"),
        "{stdout}{stderr}"
    );
}

/// Every damaged cell of the sheets that are read is reported at once, each at its cell.
#[test]
fn item10_every_damaged_cell_is_reported() {
    let dir = Dir::new();
    let form = small_workbook(&dir);
    let bad = dir.path("both.xlsx");
    rewrite_part(&form, FIELDS_PART, &bad, |xml| {
        let xml = replace_cell(xml, "E2", r#"<c r="E2"><f>A1</f></c>"#);
        replace_cell(&xml, "E3", r#"<c r="E3" t="s"><v>x</v></c>"#)
    });
    let stderr = refused("en", &["score", &bad]);
    assert!(stderr.contains("字段!E2: error: the cell's formula `=A1`"), "{stderr}");
    assert!(stderr.contains("字段!E3: error: the cell's text is damaged"), "{stderr}");
}

/// Issue 12: a second place a diagnostic speaks of is a place, not only words in its message:
/// `validate --format json` gives it as `also`, told like the first (here a duplicate id, first
/// written three lines above).
#[test]
fn issue12_a_second_place_is_structured() {
    let out = assert_cmd::cargo::cargo_bin_cmd!("selfeval")
        .args(["validate", "tests/corpus/11-node-id-duplicate/rubric.yaml", "--format", "json", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains("duplicate id"))
        .unwrap_or_else(|| panic!("no duplicate-id diagnostic: {json}"));
    let (line, first) = (d["line"].as_u64().unwrap(), d["also"]["line"].as_u64().unwrap());
    assert!(first < line, "{d}");
    assert_eq!(d["also"]["file"], d["file"]);
    assert!(d["message"].as_str().unwrap().contains(&format!("first used at line {first}")), "{d}");
}
