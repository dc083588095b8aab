//! Writes the seed workbooks of the `workbook` fuzz target (run by `fuzz/seed.sh`):
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --release --example workbook_seeds -- OUT DATA.yaml…
//! ```
//!
//! - the fill-in form of every built-in rubric, in Chinese and in English, as
//!   `selfeval init -r ID --format xlsx [--lang en] -o …` writes it (`report::template_workbook`);
//! - for every data file given, the form of its rubric (a built-in id, or a path beside the
//!   file) filled with its figures: 信息, every 字段 value, every rows sheet, and the
//!   declared, manual and not-applicable entries; filled as `tests/xlsx.rs` fills forms, by
//!   reading the form with calamine and writing a copy of every sheet plus the values with
//!   rust_xlsxwriter.
//!
//! Each workbook is written to OUT as `form-<id>-<lang>.xlsx` or `filled-<n>.xlsx` (seed.sh
//! renames them by hash). The dates in `docProps/core.xml` are set to 2000-01-01 and the parts
//! repacked with fixed times, so that the same repository gives the same bytes. A data file
//! that cannot be filled is skipped with a note on stderr.
#![allow(clippy::print_stderr)]

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use selfeval::data::DataFile;
use selfeval::lang::Lang;
use selfeval::report::workbook::template_workbook;
use selfeval::yaml::{Kind, Node, Source};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

/// A sheet: its name and its cells by 0-based (row, col).
type Sheet = (String, BTreeMap<(u32, u32), Data>);
/// Every sheet of a workbook, in order.
type Book = Vec<Sheet>;

/// What is typed into a cell.
enum Fill {
    Number(f64),
    /// A number shown with the percent format `0.0%`.
    Percent(f64),
    Text(String),
    Bool(bool),
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, data_files)) = args.split_first() else {
        eprintln!("usage: workbook_seeds OUT [DATA.yaml…]");
        std::process::exit(2);
    };
    let out = Path::new(out);
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("cannot create {}: {e}", out.display());
        std::process::exit(1);
    }
    let mut written = 0;
    let mut write = |name: &str, bytes: &[u8]| match normalised(bytes)
        .and_then(|b| std::fs::write(out.join(name), b).map_err(|e| e.to_string()))
    {
        Ok(()) => written += 1,
        Err(e) => eprintln!("cannot write {name}: {e}"),
    };
    for id in selfeval::rubric::builtin::ids() {
        let Ok(loaded) = selfeval::input::load_rubric(id, Lang::En) else {
            eprintln!("the built-in rubric {id} does not load");
            continue;
        };
        for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            match template_workbook(&loaded.rubric, id, lang) {
                Ok(bytes) => write(&format!("form-{id}-{tag}.xlsx"), &bytes),
                Err(e) => eprintln!("{id}: {e}"),
            }
        }
    }
    for (i, path) in data_files.iter().enumerate() {
        // Half of the filled forms in English, alternately.
        let lang = if i % 2 == 0 { Lang::Zh } else { Lang::En };
        match filled(path, lang) {
            Ok(bytes) => write(&format!("filled-{i}.xlsx"), &bytes),
            Err(e) => eprintln!("{path}: not filled: {e}"),
        }
    }
    eprintln!("workbook_seeds: {written} workbooks in {}", out.display());
}

/// The form of the data file's rubric, filled with its figures.
fn filled(path: &str, lang: Lang) -> Result<Vec<u8>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let data = DataFile::load(&Source { name: path.into(), text }, Lang::En).map_err(|_| "does not load".to_owned())?.0;
    let (spec, _) = data.rubric.clone().ok_or("names no rubric")?;
    let rubric_path = if selfeval::rubric::builtin::ids().any(|id| id == spec) {
        spec.clone()
    } else {
        let dir = Path::new(path).parent().unwrap_or(Path::new("."));
        dir.join(&spec).to_string_lossy().into_owned()
    };
    let loaded =
        selfeval::input::load_rubric(&rubric_path, Lang::En).map_err(|_| format!("its rubric {spec} does not load"))?;
    let form = template_workbook(&loaded.rubric, &spec, lang)?;
    let book = read_book(&form)?;
    let fills = fills(&book, &data, lang)?;
    write_book(&book, &fills)
}

fn read_book(bytes: &[u8]) -> Result<Book, String> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| e.to_string())?;
    let mut book = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range.used_cells().map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v.clone())).collect();
        book.push((name, cells));
    }
    Ok(book)
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

/// A YAML scalar as the cell a person would type: numbers as numbers, true/false as TRUE/FALSE,
/// text as text, and (in a rows sheet) a percent text as a percent-formatted number.
fn fill_of(node: &Node, percent_as_number: bool) -> Result<Fill, String> {
    Ok(match &node.kind {
        Kind::Number(t) => Fill::Number(t.parse().map_err(|_| format!("number {t}"))?),
        Kind::Bool(b, _) => Fill::Bool(*b),
        Kind::Str(s) if percent_as_number && s.len() > 1 && s.ends_with('%') => {
            match s.trim_end_matches('%').parse::<f64>() {
                Ok(p) => Fill::Percent(p / 100.0),
                Err(_) => Fill::Text(s.clone()),
            }
        }
        Kind::Str(s) => Fill::Text(s.clone()),
        other => return Err(format!("a value that is not a scalar: {other:?}")),
    })
}

fn sheet<'a>(book: &'a Book, names: &[&str]) -> Result<&'a Sheet, String> {
    book.iter().find(|(n, _)| names.contains(&n.as_str())).ok_or_else(|| format!("no sheet {names:?}"))
}

/// The row whose column `col` says `key`.
fn row_of(cells: &BTreeMap<(u32, u32), Data>, col: u32, key: &str) -> Option<u32> {
    cells.iter().find(|((_, c), v)| *c == col && text(v) == key).map(|((r, _), _)| *r)
}

/// (sheet, row, col) → what to type.
fn fills(book: &Book, data: &DataFile, lang: Lang) -> Result<BTreeMap<(String, u32, u32), Fill>, String> {
    let zh = matches!(lang, Lang::Zh);
    let mut fills = BTreeMap::new();
    let (info, cells) = sheet(book, &["信息", "Info"])?;
    for (key, value) in [("subject", &data.subject), ("period", &data.period)] {
        if let (Some(row), Some(value)) = (row_of(cells, 0, key), value) {
            fills.insert((info.clone(), row, 2), Fill::Text(value.clone()));
        }
    }
    let (fields, cells) = sheet(book, &["字段", "Fields"])?;
    for ((r, c), v) in cells {
        if *c != 0 || *r == 0 {
            continue;
        }
        if let Ok(Some(node)) = data.lookup(&text(v), Lang::En)
            && !matches!(node.kind, Kind::Seq(_) | Kind::Map(_) | Kind::Null)
        {
            fills.insert((fields.clone(), *r, 4), fill_of(node, false)?);
        }
    }
    for (name, cells) in book {
        if cells.get(&(0, 0)).map(text).as_deref() != Some(if zh { "列表" } else { "List" }) {
            continue;
        }
        let Some(source) = cells.get(&(0, 1)).map(text) else { continue };
        let header: BTreeMap<String, u32> = cells
            .iter()
            .filter(|((r, _), _)| *r == 1)
            .map(|((_, c), v)| {
                let key = match text(v).as_str() {
                    "指标名称" | "Name" => "name",
                    "单位" | "Unit" => "unit",
                    "指标性质" | "Operator" => "op",
                    "年度指标值" | "Target" => "target",
                    "全年完成值" | "Actual" => "actual",
                    "分值" | "Points" => "points",
                    _ => "note",
                };
                (key.to_owned(), *c)
            })
            .collect();
        let Ok(Some(Node { kind: Kind::Seq(items), .. })) = data.lookup(&source, Lang::En) else { continue };
        for (i, item) in items.iter().enumerate() {
            let Kind::Map(entries) = &item.kind else { continue };
            for (key, value) in entries {
                let Some(col) = header.get(key.name.as_str()).or_else(|| header.get("note")).copied() else {
                    continue;
                };
                // Percent texts as percent-formatted numbers in every other list.
                fills.insert((name.clone(), 2 + i as u32, col), fill_of(value, i % 2 == 0)?);
            }
        }
    }
    let (entries, cells) = sheet(book, &["其他填报", "Entries"])?;
    for e in &data.declared {
        if let Some(row) = row_of(cells, 1, &e.id) {
            fills.insert((entries.clone(), row, 3), Fill::Number(e.value.to_string().parse().unwrap_or(0.0)));
        }
    }
    for e in &data.manual {
        if let Some(row) = row_of(cells, 1, &e.id) {
            fills.insert((entries.clone(), row, 3), Fill::Number(e.value.score.to_string().parse().unwrap_or(0.0)));
            fills.insert((entries.clone(), row, 4), Fill::Text(e.value.reason.clone()));
        }
    }
    // Not-applicable entries go in the first rows after the pre-filled ones.
    let free = cells.keys().map(|(r, _)| *r).max().unwrap_or(0) + 1;
    for (row, e) in (free..).zip(&data.not_applicable) {
        let kind = if zh { "不适用" } else { "Not applicable" };
        fills.insert((entries.clone(), row, 0), Fill::Text(kind.into()));
        fills.insert((entries.clone(), row, 1), Fill::Text(e.id.clone()));
        fills.insert((entries.clone(), row, 4), Fill::Text(e.value.clone()));
    }
    Ok(fills)
}

/// A copy of `book` with `fills` on top.
fn write_book(book: &Book, fills: &BTreeMap<(String, u32, u32), Fill>) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    for (name, cells) in book {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        for (&(r, c), v) in cells {
            let c = c as u16;
            match v {
                Data::String(s) => ws.write_string(r, c, s).map(|_| ()).map_err(err)?,
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).map_err(err)?,
                Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()).map_err(err)?,
                Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()).map_err(err)?,
                _ => {}
            }
        }
        for ((sheet, r, c), fill) in fills {
            if sheet != name {
                continue;
            }
            let c = *c as u16;
            match fill {
                Fill::Number(f) => ws.write_number(*r, c, *f).map(|_| ()).map_err(err)?,
                Fill::Percent(f) => ws.write_number_with_format(*r, c, *f, &percent).map(|_| ()).map_err(err)?,
                Fill::Text(t) => ws.write_string(*r, c, t).map(|_| ()).map_err(err)?,
                Fill::Bool(b) => ws.write_boolean(*r, c, *b).map(|_| ()).map_err(err)?,
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// The workbook repacked (deflated, with the zip's fixed default times) with the creation and
/// modification dates of `docProps/core.xml` set to 2000-01-01.
fn normalised(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let err = |e: zip::result::ZipError| e.to_string();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(err)?;
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(err)?;
        let name = part.name().map_err(err)?.into_owned();
        let mut content = Vec::new();
        part.read_to_end(&mut content).map_err(|e| e.to_string())?;
        if name == "docProps/core.xml" {
            let mut text = String::from_utf8(content).map_err(|e| e.to_string())?;
            for tag in ["dcterms:created", "dcterms:modified"] {
                let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
                if let Some(start) = text.find(&open)
                    && let Some(gt) = text[start..].find('>')
                    && let Some(end) = text.find(&close)
                    && start + gt < end
                {
                    text.replace_range(start + gt + 1..end, "2000-01-01T00:00:00Z");
                }
            }
            content = text.into_bytes();
        }
        writer.start_file(name.as_str(), options).map_err(err)?;
        writer.write_all(&content).map_err(|e| e.to_string())?;
    }
    writer.finish().map(Cursor::into_inner).map_err(err)
}
