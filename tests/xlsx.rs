//! Excel workbooks end to end: the fill-in template, reading filled workbooks exactly as YAML
//! is read, located errors, and the results and ranking workbooks.
//!
//! Workbooks are made at run time in a temporary folder: the template comes from
//! `selfeval init --format xlsx`, is read back with calamine, and is "filled in" by writing a
//! copy of every sheet with rust_xlsxwriter plus the values (rust_xlsxwriter cannot edit).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use assert_cmd::cargo::cargo_bin_cmd;
use calamine::{Data, Reader, Xlsx, open_workbook};
use selfeval::data::DataFile;
use selfeval::lang::Lang;
use selfeval::yaml::{Kind, Node, Source};
use std::collections::BTreeMap;
use std::path::Path;

const SEED: &str = "examples/conghua-cast-2021/data.yaml";
const MOF: &str = "examples/mof-project-2020/data.yaml";

fn selfeval() -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("selfeval");
    cmd.env_remove("NO_COLOR").env_remove("LC_ALL").env("LANG", "zh_CN.UTF-8");
    cmd
}

mod common;
use common::Dir;

/// Runs selfeval; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = selfeval().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok_stdout(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

/// Every sheet of a workbook, in order, as (name, cells by 0-based (row, col)).
type Book = Vec<(String, BTreeMap<(u32, u32), Data>)>;

fn read_book(path: &str) -> Book {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let cells = range
                .used_cells()
                .map(|(r, c, v)| {
                    let (r0, c0) = range.start().unwrap();
                    ((r0 + r as u32, c0 + c as u32), v.clone())
                })
                .collect();
            (name, cells)
        })
        .collect()
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

/// What the test types into a cell.
#[derive(Debug, Clone)]
enum Fill {
    Number(f64),
    /// A number shown with the percent format `0.0%`.
    Percent(f64),
    Text(String),
    Bool(bool),
    /// A formula whose saved result is an error value.
    Error(&'static str),
}

/// Writes a copy of `book` with `fills` on top: (sheet, row, col) → value.
fn write_book(book: &Book, fills: &BTreeMap<(String, u32, u32), Fill>, path: &str) {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let mut wb = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    let mut sheets: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    for (sheet, _, _) in fills.keys() {
        if !sheets.contains(&sheet.as_str()) {
            sheets.push(sheet);
        }
    }
    for name in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        if let Some((_, cells)) = book.iter().find(|(n, _)| n == name) {
            for (&(r, c), v) in cells {
                let c = c as u16;
                match v {
                    Data::String(s) => ws.write_string(r, c, s).map(|_| ()).unwrap(),
                    Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).unwrap(),
                    Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()).unwrap(),
                    Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()).unwrap(),
                    _ => {}
                }
            }
        }
        for ((sheet, r, c), fill) in fills {
            if sheet != name {
                continue;
            }
            let c = *c as u16;
            match fill {
                Fill::Number(f) => ws.write_number(*r, c, *f).map(|_| ()).unwrap(),
                Fill::Percent(f) => ws.write_number_with_format(*r, c, *f, &percent).map(|_| ()).unwrap(),
                Fill::Text(t) => ws.write_string(*r, c, t).map(|_| ()).unwrap(),
                Fill::Bool(b) => ws.write_boolean(*r, c, *b).map(|_| ()).unwrap(),
                Fill::Error(e) => ws.write_formula(*r, c, Formula::new("=1/0").set_result(*e)).map(|_| ()).unwrap(),
            }
        }
    }
    wb.save(path).unwrap();
}

fn yaml_data(path: &str) -> DataFile {
    let text = std::fs::read_to_string(path).unwrap();
    DataFile::load(&Source { name: path.into(), text }, Lang::En).unwrap().0
}

/// A YAML scalar as the cell a person would type: numbers as numbers, true/false as TRUE/FALSE,
/// text as text; percent texts ("96.5%") alternately as text and as percent-formatted numbers.
fn fill_of(node: &Node, percent_as_number: bool) -> Fill {
    match &node.kind {
        Kind::Number(t) => Fill::Number(t.parse().unwrap()),
        Kind::Bool(b, _) => Fill::Bool(*b),
        Kind::Str(s) if percent_as_number && s.len() > 1 && s.ends_with('%') => {
            Fill::Percent(s.trim_end_matches('%').parse::<f64>().unwrap() / 100.0)
        }
        Kind::Str(s) => Fill::Text(s.clone()),
        other => panic!("unexpected {other:?}"),
    }
}

fn sheet<'a>(book: &'a Book, names: &[&str]) -> &'a (String, BTreeMap<(u32, u32), Data>) {
    book.iter().find(|(n, _)| names.contains(&n.as_str())).unwrap_or_else(|| panic!("no sheet {names:?}"))
}

/// The row whose column `col` says `key`.
fn row_of(cells: &BTreeMap<(u32, u32), Data>, col: u32, key: &str) -> Option<u32> {
    cells.iter().find(|((_, c), v)| *c == col && text(v) == key).map(|((r, _), _)| *r)
}

/// The template of `rubric` filled with the figures of a YAML data file: info, fields, every
/// rows sheet and the declared scores.
fn filled_from_yaml(dir: &Dir, rubric: &str, yaml: &str, lang: &str) -> (String, BTreeMap<(String, u32, u32), Fill>) {
    let form = dir.path("form.xlsx");
    ok_stdout(&["init", "-r", rubric, "--format", "xlsx", "--lang", lang, "-o", &form]);
    let book = read_book(&form);
    let data = yaml_data(yaml);
    let mut fills = BTreeMap::new();
    let (info, cells) = sheet(&book, &["信息", "Info"]);
    for (key, value) in [("subject", &data.subject), ("period", &data.period)] {
        let row = row_of(cells, 0, key).unwrap();
        fills.insert((info.clone(), row, 2), Fill::Text(value.clone().unwrap()));
    }
    for (key, _, _) in selfeval::data::REPORT_KEYS {
        if let Some(value) = data.report.get(key) {
            let row = row_of(cells, 0, &format!("report.{key}")).unwrap();
            fills.insert((info.clone(), row, 2), Fill::Text(value.to_owned()));
        }
    }
    let (fields, cells) = sheet(&book, &["字段", "Fields"]);
    let mut filled = 0;
    for ((r, c), v) in cells {
        if *c != 0 || *r == 0 {
            continue;
        }
        if let Some(node) = data.lookup(&text(v), Lang::En).unwrap() {
            fills.insert((fields.clone(), *r, 4), fill_of(node, false));
            filled += 1;
        }
    }
    assert!(filled > 0);
    for (name, cells) in &book {
        if cells.get(&(0, 0)).map(text).as_deref() != Some(if lang == "zh" { "列表" } else { "List" }) {
            continue;
        }
        let source = text(&cells[&(0, 1)]);
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
        let Kind::Seq(items) = &data.lookup(&source, Lang::En).unwrap().unwrap().kind else { panic!() };
        for (i, item) in items.iter().enumerate() {
            let Kind::Map(entries) = &item.kind else { panic!() };
            for (key, value) in entries {
                let col = header.get(key.name.as_str()).copied().unwrap_or(header["note"]);
                // Percent texts: as percent-formatted numbers in `outputs`, as text elsewhere.
                fills.insert((name.clone(), 2 + i as u32, col), fill_of(value, source == "outputs"));
            }
        }
    }
    let (entries, cells) = sheet(&book, &["其他填报", "Entries"]);
    for e in &data.declared {
        let row = row_of(cells, 1, &e.id).unwrap();
        fills.insert((entries.clone(), row, 3), Fill::Number(e.value.to_string().parse().unwrap()));
    }
    for e in &data.manual {
        let row = row_of(cells, 1, &e.id).unwrap();
        fills.insert((entries.clone(), row, 3), Fill::Number(e.value.score.to_string().parse().unwrap()));
        fills.insert((entries.clone(), row, 4), Fill::Text(e.value.reason.clone()));
    }
    // Not-applicable entries go in the first rows after the pre-filled ones.
    let free = cells.keys().map(|(r, _)| *r).max().unwrap() + 1;
    for (row, e) in (free..).zip(&data.not_applicable) {
        let kind = if lang == "zh" { "不适用" } else { "Not applicable" };
        fills.insert((entries.clone(), row, 0), Fill::Text(kind.into()));
        fills.insert((entries.clone(), row, 1), Fill::Text(e.id.clone()));
        fills.insert((entries.clone(), row, 4), Fill::Text(e.value.clone()));
    }
    (form, fills)
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok_stdout(args)).unwrap()
}

/// Every node's id and score, depth first.
fn scores(v: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(nodes: &serde_json::Value, out: &mut Vec<(String, String)>) {
        for n in nodes.as_array().into_iter().flatten() {
            out.push((n["id"].as_str().unwrap().to_owned(), n["score"].to_string()));
            walk(&n["children"], out);
        }
    }
    let mut out = Vec::new();
    walk(&v["nodes"], &mut out);
    out
}

fn assert_same_scores(xlsx: &str, yaml: &str, total: &str) {
    let a = json(&["score", xlsx, "--format", "json"]);
    let b = json(&["score", yaml, "--format", "json"]);
    assert_eq!(a["total"].to_string(), total);
    assert_eq!(b["total"].to_string(), total);
    assert_eq!(a["grade"], b["grade"]);
    assert_eq!(scores(&a), scores(&b));
    assert_eq!(a["nodes"], b["nodes"], "every node, inputs and details included");
    assert_eq!(a["subject"], b["subject"]);
    assert_eq!(a["period"], b["period"]);
}

#[test]
fn template_sheets_and_layout() {
    let dir = Dir::new();
    let form = dir.path("form.xlsx");
    ok_stdout(&["init", "-r", "mof-project-2020", "--format", "xlsx", "-o", &form]);
    let book = read_book(&form);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["信息", "字段", "产出指标", "效益指标", "服务对象满意度指标", "其他填报", "指标一览"]);
    let (_, info) = sheet(&book, &["信息"]);
    assert_eq!(text(&info[&(3, 0)]), "rubric");
    assert_eq!(text(&info[&(3, 2)]), "mof-project-2020");
    let (_, fields) = sheet(&book, &["字段"]);
    let header: Vec<String> = (0..7).map(|c| text(&fields[&(0, c)])).collect();
    assert_eq!(header, ["字段名", "名称", "单位", "类型", "值", "可选值及说明", "所属指标"]);
    let (_, rows) = sheet(&book, &["产出指标"]);
    assert_eq!(text(&rows[&(0, 0)]), "列表");
    assert_eq!(text(&rows[&(0, 1)]), "outputs");
    let header: Vec<String> = (0..8).map(|c| text(&rows[&(1, c)])).collect();
    assert_eq!(header, ["指标名称", "单位", "指标性质", "年度指标值", "全年完成值", "分值", "实际值取自", "偏差原因"]);

    ok_stdout(&["init", "-r", "cast-dept-2021", "--format", "xlsx", "--lang", "en", "-o", &form]);
    let book = read_book(&form);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Info", "Fields", "Entries", "Indicators"]);
    let (_, fields) = sheet(&book, &["Fields"]);
    assert_eq!(text(&fields[&(0, 4)]), "Value");
    // A field with a default has it pre-filled.
    let row = row_of(fields, 0, "members.groups");
    assert!(row.is_some());
}

#[test]
fn template_has_drop_downs_frozen_header_and_cjk_font() {
    let dir = Dir::new();
    let form = dir.path("form.xlsx");
    ok_stdout(&["init", "-r", "mof-project-2020", "--format", "xlsx", "-o", &form]);
    // The font, through calamine's styles.
    let mut wb: Xlsx<_> = open_workbook(&form).unwrap();
    let styles = wb.worksheet_style("字段").unwrap();
    let font = styles.get((0, 0)).and_then(|s| s.font.as_ref()).and_then(|f| f.name.clone());
    assert_eq!(font.as_deref(), Some("等线"));
    // Panes and drop-downs are not exposed by calamine: read the sheets' XML with `unzip`.
    let part = |name: &str| {
        let out = std::process::Command::new("unzip").args(["-p", &form, name]).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (Some(fields), Some(outputs)) = (part("xl/worksheets/sheet2.xml"), part("xl/worksheets/sheet3.xml")) else {
        eprintln!("`unzip` is not available: frozen panes and drop-downs not checked");
        return;
    };
    assert!(fields.contains(r#"<pane ySplit="1""#), "frozen header row");
    assert!(outputs.contains(r#"<pane ySplit="2""#), "list name and header rows frozen");
    assert!(outputs.contains("&gt;=,&lt;=,=,定性"), "operator drop-down");
    let cast = dir.path("cast.xlsx");
    ok_stdout(&["init", "-r", "cast-dept-2021", "--format", "xlsx", "-o", &cast]);
    let out = std::process::Command::new("unzip").args(["-p", &cast, "xl/worksheets/sheet2.xml"]).output().unwrap();
    let fields = String::from_utf8_lossy(&out.stdout);
    assert!(fields.contains("明确,较明确,基本明确,不明确"), "level drop-down");
    assert!(fields.contains("是,否"), "bool drop-down");
}

#[test]
fn round_trip_cast_dept_scores_as_the_yaml() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "zh");
    let book = read_book(&form);
    let filled = dir.path("form-filled.xlsx");
    write_book(&book, &fills, &filled);
    assert_same_scores(&filled, SEED, "92.7");
    // The declared scores were filled in too: `check` agrees.
    ok_stdout(&["check", &filled]);
}

/// The 信息 sheet's `report.*` rows are the data file's `report:` block.
#[test]
fn round_trip_report_block() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "zh");
    let filled = dir.path("filled.xlsx");
    write_book(&read_book(&form), &fills, &filled);
    let bytes = std::fs::read(&filled).unwrap();
    let (from_book, _) = selfeval::input::workbook::load(&filled, bytes, Lang::En).unwrap();
    let from_yaml = yaml_data(SEED);
    assert!(from_yaml.report.get("overview").is_some());
    assert_eq!(from_book.report, from_yaml.report);
}

#[test]
fn round_trip_english_template() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "en");
    let book = read_book(&form);
    let filled = dir.path("form-filled.xlsx");
    write_book(&book, &fills, &filled);
    assert_same_scores(&filled, SEED, "92.7");
}

#[test]
fn round_trip_rows_rubric_scores_as_the_yaml() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "mof-project-2020", MOF, "zh");
    // Both spellings of a percent occur: "100%" as a percent-formatted 1.0, "96.5%" as text.
    assert!(fills.values().any(|f| matches!(f, Fill::Percent(p) if *p == 1.0)), "{fills:?}");
    assert!(fills.values().any(|f| matches!(f, Fill::Text(t) if t == "96.5%")), "{fills:?}");
    let book = read_book(&form);
    let filled = dir.path("form-filled.xlsx");
    write_book(&book, &fills, &filled);
    assert_same_scores(&filled, MOF, "95.1");
    ok_stdout(&["check", &filled]);
}

#[test]
fn round_trip_manual_and_not_applicable_entries() {
    // Every method, a manual score, two not-applicable leaves (reweight and full), a bonus.
    let dir = Dir::new();
    // Beside the form, so that its info sheet may name it (issue 11 item 5: a workbook names
    // only a rubric in its own folder).
    let rubric = dir.path("rubric.yaml");
    std::fs::copy("examples/all-methods/rubric.yaml", &rubric).unwrap();
    let yaml = "examples/all-methods/data.yaml";
    let (form, fills) = filled_from_yaml(&dir, &rubric, yaml, "zh");
    let filled = dir.path("form-filled.xlsx");
    write_book(&read_book(&form), &fills, &filled);
    assert_same_scores(&filled, yaml, "76.5");
    ok_stdout(&["check", &filled]);
}

const EXACT_RUBRIC: &str = r#"
id: xlsx-exact
title: 精度测试
fields:
  a: { type: number }
  b: { type: number }
  p: { type: percent }
  q: { type: percent }
  n: { type: integer }
sections:
  - id: exact
    title: 精确
    points: 10
    method: formula
    expr: "if(a + b == 282.51 and p == 96.5 and q == 96.5 and n == 95, points, 0)"
"#;

/// A minimal workbook of our own: an info sheet naming a rubric file and a fields sheet with
/// only the two columns the reader needs.
fn minimal(dir: &Dir, values: &[(&str, Fill)]) -> String {
    std::fs::write(dir.path("rubric.yaml"), EXACT_RUBRIC).unwrap();
    let mut fills = BTreeMap::new();
    let info = "信息".to_owned();
    fills.insert((info.clone(), 0, 0), Fill::Text("项目".into()));
    fills.insert((info.clone(), 0, 2), Fill::Text("值".into()));
    fills.insert((info.clone(), 1, 0), Fill::Text("rubric".into()));
    fills.insert((info, 1, 2), Fill::Text("rubric.yaml".into()));
    let fields = "Fields".to_owned();
    fills.insert((fields.clone(), 0, 0), Fill::Text("Field".into()));
    fills.insert((fields.clone(), 0, 1), Fill::Text("Value".into()));
    for (i, (name, fill)) in values.iter().enumerate() {
        fills.insert((fields.clone(), 1 + i as u32, 0), Fill::Text((*name).into()));
        fills.insert((fields.clone(), 1 + i as u32, 1), fill.clone());
    }
    let path = dir.path("exact.xlsx");
    write_book(&Vec::new(), &fills, &path);
    path
}

#[test]
fn numbers_are_read_exactly() {
    let dir = Dir::new();
    let path = minimal(
        &dir,
        &[
            ("a", Fill::Number(282.41)),
            ("b", Fill::Number(0.1)),
            ("p", Fill::Percent(0.965)),
            ("q", Fill::Number(96.5)),
            ("n", Fill::Number(95.0)),
        ],
    );
    let (data, warnings) = selfeval::input::load_data(&path, None, Lang::En).result.unwrap();
    assert!(warnings.0.is_empty(), "{warnings:?}");
    let kind = |name: &str| data.lookup(name, Lang::En).unwrap().unwrap().kind.clone();
    assert_eq!(kind("a"), Kind::Number("282.41".into()));
    assert_eq!(kind("b"), Kind::Number("0.1".into()));
    assert_eq!(kind("p"), Kind::Str("96.5%".into()), "a percent cell is its percent text");
    assert_eq!(kind("n"), Kind::Number("95".into()));
    // Through the rubric's fields, as the scorer reads them.
    let rubric = selfeval::input::load_rubric(&dir.path("rubric.yaml"), Lang::En).map_err(|(d, _)| d).unwrap().rubric;
    let read = |name: &str| {
        rubric.field(name).unwrap().read(data.lookup(name, Lang::En).unwrap().unwrap(), Lang::En).unwrap().to_string()
    };
    assert_eq!(read("p"), "96.5");
    assert_eq!(read("n"), "95");
    // And end to end: the formula earns its points only when every value is exact.
    let out = json(&["score", &path, "--format", "json"]);
    assert_eq!(out["total"].to_string(), "10");
    assert_eq!(out["rubric"]["id"], "xlsx-exact");
}

#[test]
fn a_percent_cell_in_a_number_field_is_refused() {
    let dir = Dir::new();
    let path = minimal(
        &dir,
        &[
            ("a", Fill::Percent(0.5)),
            ("b", Fill::Number(0.1)),
            ("p", Fill::Number(96.5)),
            ("q", Fill::Number(96.5)),
            ("n", Fill::Number(95.5)),
        ],
    );
    let (code, stdout, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("Fields!B2: error: value `a`"), "{stderr}");
    assert!(stderr.contains("\"50%\" is a percent text"), "{stderr}");
    assert!(stderr.contains("Fields!B6: error: value `n`"), "{stderr}");
    assert!(stderr.contains("`95.5` is not a whole number"), "{stderr}");
}

/// The seed form, filled, with some cells changed.
fn seed_form_with(dir: &Dir, change: &[(&str, u32, Fill)]) -> String {
    let (form, mut fills) = filled_from_yaml(dir, "cast-dept-2021", SEED, "zh");
    let book = read_book(&form);
    let (_, cells) = sheet(&book, &["字段"]);
    for (name, col, fill) in change {
        let row = row_of(cells, 0, name).unwrap();
        fills.insert(("字段".into(), row, *col), fill.clone());
    }
    let filled = dir.path("form-filled.xlsx");
    write_book(&book, &fills, &filled);
    filled
}

#[test]
fn text_in_a_number_cell_is_located() {
    let dir = Dir::new();
    let path = seed_form_with(
        &dir,
        &[("tweets.issues", 4, Fill::Text("95篇".into())), ("tweets.articles", 4, Fill::Text("455".into()))],
    );
    let book = read_book(&path);
    let (_, cells) = sheet(&book, &["字段"]);
    let row = row_of(cells, 0, "tweets.issues").unwrap() + 1;
    let (code, stdout, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(!stderr.contains("panicked"));
    let expected = format!("form-filled.xlsx:字段!E{row}: error: value `tweets.issues`");
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    assert!(stderr.contains("\"95篇\""), "{stderr}");
    let expected = format!("字段!E{}: error: value `tweets.articles`", row + 1);
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    assert!(stderr.contains("\"455\" is text"), "{stderr}");
    // In Chinese too: the reference is the same.
    let (code, _, stderr) = run(&["score", &path, "--lang", "zh"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(&format!("form-filled.xlsx:字段!E{row}: error: 值")), "{stderr}");
    assert!(stderr.contains("\"95篇\""), "{stderr}");
}

#[test]
fn error_and_level_cells_are_located() {
    let dir = Dir::new();
    let path = seed_form_with(
        &dir,
        &[("budget.initial", 4, Fill::Error("#DIV/0!")), ("kpi.clarity", 4, Fill::Text("很明确".into()))],
    );
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the cell holds the error value #DIV/0!"), "{stderr}");
    assert!(stderr.contains(":字段!E3: error: the cell holds"), "{stderr}");
    // Reading stops at the error cell; the level is checked once that is fixed.
    let path = seed_form_with(&dir, &[("kpi.clarity", 4, Fill::Text("很明确".into()))]);
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("\"很明确\" is not one of the levels 明确 / 较明确 / 基本明确 / 不明确"), "{stderr}");
}

#[test]
fn entry_errors_are_located() {
    let dir = Dir::new();
    let (form, mut fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "zh");
    let book = read_book(&form);
    let (_, cells) = sheet(&book, &["其他填报"]);
    let free = cells.keys().map(|(r, _)| *r).max().unwrap() + 1;
    let e = "其他填报".to_owned();
    let row = |fills: &mut BTreeMap<_, _>, r: u32, kind: &str, id: &str, reason: &str| {
        for (c, t) in [(0, kind), (1, id), (4, reason)] {
            if !t.is_empty() {
                fills.insert((e.clone(), r, c), Fill::Text(t.into()));
            }
        }
    };
    row(&mut fills, free, "不适用", "procuremnt", "本年度无采购");
    row(&mut fills, free + 1, "不适用", "disclosure", "");
    row(&mut fills, free + 2, "不适合", "asset", "x");
    row(&mut fills, free + 3, "", "asset", "x");
    let path = dir.path("entries.xlsx");
    write_book(&book, &fills, &path);
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    let at = |r: u32, c: &str| format!("其他填报!{c}{}: error: ", r + 1);
    assert!(
        stderr.contains(&format!("{}not_applicable `disclosure`: the reason is empty", at(free + 1, "E"))),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{}unknown kind \"不适合\"", at(free + 2, "A"))), "{stderr}");
    assert!(stderr.contains(&format!("{}the kind is empty", at(free + 3, "A"))), "{stderr}");
    // The unknown id is found by the scorer once the sheet reads cleanly; it too is located.
    let mut fills2 = fills.clone();
    fills2.retain(|(s, r, _), _| s != "其他填报" || *r < free + 1);
    write_book(&book, &fills2, &path);
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(&at(free, "B")), "{stderr}");
    assert!(stderr.contains("unknown indicator id `procuremnt`; did you mean"), "{stderr}");
}

#[test]
fn another_rubric_given_with_r_reports_cells() {
    // The form names cast-dept-2021; scored with another rubric its values are unknown or
    // missing there. The scorer's problems then come with the cell's row and column.
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "zh");
    let filled = dir.path("form-filled.xlsx");
    write_book(&read_book(&form), &fills, &filled);
    let (code, _, stderr) = run(&["score", "-r", "dept-overall-gd", &filled, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("form-filled.xlsx:信息!C4: warning: the file names rubric `cast-dept-2021`"), "{stderr}");
    // The scorer's own findings point at cells too, although the reader knew nothing of -r.
    assert!(stderr.contains(":字段!A11: warning: values: `rules.updated` is not a field"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn row_errors_are_located_on_their_sheet() {
    let dir = Dir::new();
    let (form, mut fills) = filled_from_yaml(&dir, "mof-project-2020", MOF, "zh");
    fills.insert(("产出指标".into(), 3, 2), Fill::Text(">".into()));
    let filled = dir.path("bad-rows.xlsx");
    write_book(&read_book(&form), &fills, &filled);
    let (code, _, stderr) = run(&["score", &filled, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("产出指标!C4: error: row `output.2` (工程验收合格率): operator \">\""), "{stderr}");
}

#[test]
fn a_workbook_that_is_not_a_form() {
    let dir = Dir::new();
    let path = dir.path("other.xlsx");
    let mut fills = BTreeMap::new();
    fills.insert(("Sheet1".to_owned(), 0, 0), Fill::Text("hello".into()));
    write_book(&Vec::new(), &fills, &path);
    let (code, stdout, stderr) = run(&["score", "-r", "cast-dept-2021", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("not a selfeval fill-in workbook"), "{stderr}");
    assert!(stderr.contains("字段 (Fields)"), "{stderr}");
    assert!(stderr.contains("`Sheet1`"), "{stderr}");
}

#[test]
fn a_missing_rows_sheet_and_a_missing_header() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "mof-project-2020", MOF, "zh");
    let mut book = read_book(&form);
    book.retain(|(n, _)| n != "效益指标");
    let fills: BTreeMap<_, _> = fills.into_iter().filter(|((s, _, _), _)| s != "效益指标").collect();
    let path = dir.path("no-outcomes.xlsx");
    write_book(&book, &fills, &path);
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("missing rows of `outcome` (values.outcomes)"), "{stderr}");

    let mut book = read_book(&form);
    for (name, cells) in &mut book {
        if name == "字段" {
            cells.insert((0, 4), Data::String("数".into()));
        }
    }
    let path = dir.path("no-header.xlsx");
    write_book(&book, &BTreeMap::new(), &path);
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("字段!A1: error: no header row naming the columns 字段名 (Field), 值 (Value)"), "{stderr}");
}

#[test]
fn corrupt_files_are_errors_not_panics() {
    let dir = Dir::new();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "random.xlsx",
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect(),
            "not an Excel workbook",
        ),
        ("zip.xlsx", b"PK\x03\x04\x14\x00\x00\x00garbage that is no zip".to_vec(), "cannot read the workbook"),
        ("empty.xlsx", Vec::new(), "not an Excel workbook"),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path(name);
        std::fs::write(&path, bytes).unwrap();
        for cmd in ["score", "breakdown", "explain"] {
            let (code, stdout, stderr) = run(&[cmd, "-r", "cast-dept-2021", &path, "--lang", "en"]);
            assert_eq!(code, 1, "{name} {cmd}: {stderr}");
            assert!(stdout.is_empty());
            assert!(stderr.contains(message), "{name}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    // A real workbook cut short.
    let form = dir.path("form.xlsx");
    ok_stdout(&["init", "-r", "cast-dept-2021", "--format", "xlsx", "-o", &form]);
    let bytes = std::fs::read(&form).unwrap();
    let cut = dir.path("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, stderr) = run(&["score", &cut, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read the workbook"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn results_workbook_holds_the_scores() {
    let dir = Dir::new();
    for cmd in ["score", "breakdown", "explain"] {
        let out = dir.path(&format!("{cmd}.xlsx"));
        let stdout = ok_stdout(&[cmd, SEED, "--format", "xlsx", "-o", &out]);
        assert!(stdout.is_empty());
        let book = read_book(&out);
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["评分明细", "扣分分析"]);
        let (_, cells) = &book[0];
        assert!(cells.values().any(|v| *v == Data::Float(92.7)), "the total");
        assert!(cells.values().any(|v| *v == Data::Float(42.7)), "管理效能");
        for title in ["管理效能", "履职效能", "资金管理"] {
            assert!(cells.values().any(|v| text(v) == title), "{title}");
        }
        let (_, losses) = &book[1];
        assert!(losses.values().any(|v| text(v).contains("绩效指标明确性")));
        assert!(losses.values().any(|v| *v == Data::Float(7.3)), "points lost in all");
    }
    let out = dir.path("en.xlsx");
    ok_stdout(&["breakdown", SEED, "--format", "xlsx", "--lang", "en", "-o", &out]);
    let names: Vec<String> = read_book(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Breakdown", "Explanation"]);
}

/// Issue 14: both sheets of the result workbook end with the sign-off (填报单位、填报人、审核人、
/// 日期): what the data file's `report:` gives (the seed gives its 填报单位), an empty line to
/// sign by hand otherwise — never the run's date.
#[test]
fn results_workbook_ends_with_the_sign_off() {
    let dir = Dir::new();
    let out = dir.path("signed.xlsx");
    ok_stdout(&["explain", SEED, "--format", "xlsx", "-o", &out]);
    for (name, cells) in read_book(&out) {
        let last_rows: Vec<u32> = cells.keys().map(|(r, _)| *r).collect();
        let last = *last_rows.iter().max().unwrap();
        let at = |label: &str| cells.iter().find(|(_, v)| text(v) == label).map(|((r, c), _)| (*r, *c));
        let unit = at("填报单位：").unwrap_or_else(|| panic!("{name}: no sign-off"));
        assert_eq!(text(&cells[&(unit.0, 1)]), "广州市从化区科学技术协会", "{name}");
        for (i, label) in ["填报人：", "审核人：", "日期："].iter().enumerate() {
            let row = unit.0 + 1 + i as u32;
            assert_eq!(at(label), Some((row, 0)), "{name}: {label}");
            assert!(cells.get(&(row, 1)).is_none_or(|v| text(v).is_empty()), "{name}: {label} left to fill");
        }
        assert_eq!(last, unit.0 + 3, "{name}: the sign-off ends the sheet");
    }
}

#[test]
fn ranking_workbook_holds_ranking_and_summary() {
    let dir = Dir::new();
    let out = dir.path("ranking.xlsx");
    let over = "examples/over-claimed/data.yaml";
    let stdout = ok_stdout(&["score", "-r", "cast-dept-2021", SEED, over, "--format", "xlsx", "-o", &out]);
    assert!(stdout.is_empty());
    let book = read_book(&out);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["排名", "汇总", "等级分布", "扣分指标", "多报"]);
    let (_, ranking) = &book[0];
    assert_eq!(text(&ranking[&(0, 0)]), "名次");
    assert_eq!(ranking[&(1, 3)], Data::Float(92.7));
    assert!(ranking.values().any(|v| text(v) == "管理效能"));
    assert!(ranking.values().any(|v| text(v) == "广州市从化区科学技术协会"));
    let (_, summary) = &book[1];
    assert!(summary.values().any(|v| text(v) == "平均"));
    assert!(summary.values().any(|v| text(v) == "各部分平均分"));
}

#[test]
fn a_workbook_needs_an_output_file() {
    for args in [
        vec!["score", SEED, "--format", "xlsx"],
        vec!["breakdown", SEED, "--format", "xlsx"],
        vec!["init", "-r", "cast-dept-2021", "--format", "xlsx"],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("-o FILE.xlsx"), "{stderr}");
    }
}

#[test]
fn a_filled_form_is_scored_in_a_batch_with_yaml() {
    let dir = Dir::new();
    let (form, fills) = filled_from_yaml(&dir, "cast-dept-2021", SEED, "zh");
    let filled = dir.path("form-filled.xlsx");
    write_book(&read_book(&form), &fills, &filled);
    let out = json(&["score", &filled, SEED, "--format", "json"]);
    let totals: Vec<String> = out.as_array().unwrap().iter().map(|e| e["total"].to_string()).collect();
    assert_eq!(totals, ["92.7", "92.7"]);
    assert!(Path::new(&filled).exists());
}

/// With `-r`, a workbook is checked against that rubric, not the one its 信息 sheet names
/// (review: a value the named rubric forbids failed `score -r OTHER`, whose rubric allows it).
#[test]
fn a_workbook_scored_with_r_is_checked_against_that_rubric() {
    let dir = Dir::new();
    let path = minimal(
        &dir,
        &[
            ("a", Fill::Number(1.0)),
            ("b", Fill::Number(2.0)),
            ("p", Fill::Number(3.0)),
            ("q", Fill::Number(4.0)),
            ("n", Fill::Number(-5.0)),
        ],
    );
    // The named rubric forbids a negative n; the other allows it.
    std::fs::write(
        dir.path("rubric.yaml"),
        EXACT_RUBRIC.replace("n: { type: integer }", "n: { type: integer, min: 0 }"),
    )
    .unwrap();
    std::fs::write(dir.path("other.yaml"), EXACT_RUBRIC).unwrap();
    let (code, _, stderr) = run(&["score", &path, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Fields!B6") && stderr.contains("minimum 0"), "{stderr}");
    // Scored with the named rubric given as -r, the same cell is named.
    let named = dir.path("rubric.yaml");
    let (code, _, stderr) = run(&["score", "-r", &named, &path, "--lang", "en"]);
    assert_eq!((code, stderr.contains("Fields!B6")), (1, true), "{stderr}");
    let other = dir.path("other.yaml");
    let (code, stdout, stderr) = run(&["score", "-r", &other, &path, "--lang", "en", "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    // a + b = 3 ≠ 282.51, so the formula gives 0 of 10.
    assert!(stdout.contains("total,总分,0,10,0,10,scored"), "{stdout}");
}

/// Issue 13: a folder of forms is walked for `.xlsx` too. A filled form scores as its YAML;
/// a results workbook selfeval wrote and an Excel lock file are skipped with a note.
#[test]
fn a_folder_of_workbooks_is_walked_and_results_workbooks_are_skipped() {
    let dir = Dir::new();
    let path = seed_form_with(&dir, &[]);
    std::fs::remove_file(dir.path("form.xlsx")).unwrap();
    ok_stdout(&["score", SEED, "--format", "xlsx", "-o", &dir.path("result.xlsx")]);
    std::fs::write(dir.path("~$form-filled.xlsx"), b"lock").unwrap();
    let (code, out, err) = run(&["score", &dir.path(""), "--format", "csv", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{path},cast-dept-2021,")) && out.contains(",total,总分,0,100,92.7,"), "{out}");
    assert!(err.contains("result.xlsx is a results workbook written by selfeval"), "{err}");
    assert!(err.contains("~$form-filled.xlsx is an Excel lock file"), "{err}");
    // Named on the command line, a results workbook is an error that says what it is.
    let (code, _, err) = run(&["score", &dir.path("result.xlsx"), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("this is a results workbook written by selfeval, not a form"), "{err}");
}
