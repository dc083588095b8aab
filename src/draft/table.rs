//! Reading a published 评分表 (issue 17, item 1): its cells from an `.xlsx` workbook, a CSV file
//! or a markdown table, each at its place (`sheet!cell`, `line:column`), and its header row found
//! by the names of its columns.

use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;
use crate::yaml::Source;
use std::sync::Arc;

/// One cell's text (trimmed, never empty) and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: String,
    pub pos: Pos,
}

/// One line of the table: its cells by column (0-based), and where it starts.
#[derive(Debug)]
pub(crate) struct Line {
    pub pos: Pos,
    pub cells: Vec<Option<Cell>>,
}

impl Line {
    pub(crate) fn get(&self, col: usize) -> Option<&Cell> {
        self.cells.get(col).and_then(Option::as_ref)
    }
}

/// One sheet (or the whole of a CSV or markdown file).
pub(crate) struct Sheet {
    /// The sheet's name in a workbook.
    pub name: Option<Arc<str>>,
    pub lines: Vec<Line>,
}

/// What a column of the header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// 一级／二级／三级／四级指标 (1–4) and 指标／指标名称 (the level below them).
    Level(u8),
    Points,
    Explanation,
    Standard,
}

/// A header found: the line it is on and each role's column.
pub(crate) struct Header {
    pub line: usize,
    /// Level columns from the top level down.
    pub levels: Vec<usize>,
    pub points: usize,
    pub explanation: Option<usize>,
    pub standard: Option<usize>,
    /// The points column is headed 权重 (`10%` there is 10 points).
    pub weight: bool,
}

/// Reads a table file's sheets. `.xlsx`/`.xlsm` are workbooks, `.md`/`.markdown` markdown
/// tables, anything else CSV (UTF-8, with or without a byte-order mark).
pub(crate) fn read(file: &str, bytes: Vec<u8>, lang: Lang) -> Result<Vec<Sheet>, Diagnostic> {
    let lower = file.to_ascii_lowercase();
    if crate::input::is_workbook(file) {
        let sheets = crate::input::workbook::sheets_as_text(bytes, lang)
            .map_err(|(pos, message)| Diagnostic::error(file, pos, message))?;
        return Ok(sheets.into_iter().map(|(name, cells)| workbook_sheet(name, cells)).collect());
    }
    let source = Source::decode(file, bytes, lang)?;
    let lines =
        if lower.ends_with(".md") || lower.ends_with(".markdown") { markdown(&source.text) } else { csv(&source.text) };
    let lines = lines.map_err(|(pos, limit)| {
        let message = match limit {
            Limit::Cells => tr!(
                lang,
                "表格的非空单元格超过 {MAX_CELLS} 个；评分表只有几百个",
                "the table has more than {MAX_CELLS} filled cells; a 评分表 has a few hundred"
            ),
            Limit::Columns => tr!(
                lang,
                "这一行超过 {MAX_COLUMNS} 列；评分表只有十几列",
                "this line has more than {MAX_COLUMNS} columns; a 评分表 has a dozen or so"
            ),
        };
        Diagnostic::error(file, pos, message)
    })?;
    Ok(vec![Sheet { name: None, lines }])
}

/// Most filled cells read from a CSV or markdown table (as from a workbook), and most columns
/// of one line: a text file of commas must not become gigabytes of cells.
const MAX_CELLS: usize = 200_000;
const MAX_COLUMNS: usize = 1_000;

enum Limit {
    Cells,
    Columns,
}

/// Counts a line's cells against the limits.
fn within_limits(cells: &[Option<Cell>], filled: &mut usize, pos: &Pos) -> Result<(), (Pos, Limit)> {
    if cells.len() > MAX_COLUMNS {
        return Err((pos.clone(), Limit::Columns));
    }
    *filled += cells.iter().filter(|c| c.is_some()).count();
    if *filled > MAX_CELLS {
        return Err((pos.clone(), Limit::Cells));
    }
    Ok(())
}

fn workbook_sheet(name: Arc<str>, cells: std::collections::BTreeMap<(u32, u32), String>) -> Sheet {
    let mut lines: Vec<Line> = Vec::new();
    for ((row, col), text) in cells {
        let text = cell_text(&text);
        if text.is_empty() {
            continue;
        }
        if lines.last().is_none_or(|l| l.pos != Pos::cell(&name, row, 0)) {
            lines.push(Line { pos: Pos::cell(&name, row, 0), cells: Vec::new() });
        }
        let Some(line) = lines.last_mut() else { continue };
        let col = col as usize;
        if line.cells.len() <= col {
            line.cells.resize(col + 1, None);
        }
        line.cells[col] = Some(Cell { text, pos: Pos::cell(&name, row, col as u32) });
    }
    Sheet { name: Some(name), lines }
}

/// A cell's text as the table means it: trimmed, and without the `'` that selfeval's own CSV
/// writer puts before a text that Excel would run as a formula (`'=…`, `'+…`, `'-…`, `'@…`).
pub(crate) fn cell_text(raw: &str) -> String {
    let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => t.to_owned(),
    }
}

/// CSV as RFC 4180 writes it (`,` between fields, `"` around a field with `,`, `"` or a line
/// break, `""` for a quote inside), each field at the line and column where it starts. Read
/// here rather than by a CSV crate because every cell must carry its own place for errors.
fn csv(text: &str) -> Result<Vec<Line>, (Pos, Limit)> {
    let mut lines = Vec::new();
    let mut filled = 0usize;
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    let mut record: Vec<Option<Cell>> = Vec::new();
    let mut record_pos = Pos::new(line, 1);
    let mut field = String::new();
    let mut field_pos = Pos::new(line, col);
    let mut quoted = false;
    let mut at_start = true;
    let push_field = |record: &mut Vec<Option<Cell>>, field: &mut String, pos: &Pos| {
        let text = cell_text(field);
        record.push((!text.is_empty()).then(|| Cell { text, pos: pos.clone() }));
        field.clear();
    };
    while let Some(c) = chars.next() {
        let here = (line, col);
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    col += 1;
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                push_field(&mut record, &mut field, &field_pos);
                if record.len() > MAX_COLUMNS {
                    return Err((record_pos, Limit::Columns));
                }
                field_pos = Pos::new(line, col);
                at_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                push_field(&mut record, &mut field, &field_pos);
                within_limits(&record, &mut filled, &record_pos)?;
                if record.iter().any(Option::is_some) {
                    lines.push(Line { pos: record_pos.clone(), cells: std::mem::take(&mut record) });
                }
                record.clear();
                if c == '\r' {
                    line += 1;
                    col = 1;
                }
                record_pos = Pos::new(line, 1);
                field_pos = Pos::new(line, col);
                at_start = true;
            }
            _ => {
                if at_start {
                    field_pos = Pos::new(here.0, here.1);
                }
                at_start = false;
                field.push(c);
            }
        }
    }
    if !field.is_empty() || !record.is_empty() {
        push_field(&mut record, &mut field, &field_pos);
        within_limits(&record, &mut filled, &record_pos)?;
        lines.push(Line { pos: record_pos, cells: record });
    }
    lines.retain(|l| l.cells.iter().any(Option::is_some));
    Ok(lines)
}

/// A markdown table: the lines that start with `|`, cells split at `|` not escaped as `\|`; the
/// `|---|:--:|` line under the header is left out.
fn markdown(text: &str) -> Result<Vec<Line>, (Pos, Limit)> {
    let mut lines = Vec::new();
    let mut filled = 0usize;
    for (n, raw) in text.lines().enumerate() {
        let number = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        let body = raw.trim();
        if !body.starts_with('|') {
            continue;
        }
        let separator = body.chars().all(|c| "|-: \t".contains(c));
        if separator {
            continue;
        }
        let mut cells = Vec::new();
        let mut field = String::new();
        let mut start = 0usize;
        let mut escaped = false;
        // Columns counted in characters from the line's start: the cell's first character.
        for (i, c) in body.chars().enumerate().skip(1) {
            if escaped {
                field.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '|' {
                let lead = field.chars().take_while(|c| c.is_whitespace()).count();
                let col = u32::try_from(indent + start + 2 + lead).unwrap_or(u32::MAX);
                let text = cell_text(&field.replace("<br>", "\n").replace("<br/>", "\n"));
                cells.push((!text.is_empty()).then(|| Cell { text, pos: Pos::new(number, col) }));
                if cells.len() > MAX_COLUMNS {
                    return Err((Pos::new(number, 1), Limit::Columns));
                }
                field.clear();
                start = i;
            } else {
                field.push(c);
            }
        }
        let pos = Pos::new(number, u32::try_from(indent + 1).unwrap_or(1));
        within_limits(&cells, &mut filled, &pos)?;
        lines.push(Line { pos, cells });
    }
    lines.retain(|l| l.cells.iter().any(Option::is_some));
    Ok(lines)
}

/// A header cell's text as compared: without white space, full-width forms or a bracketed
/// unit (`分值（分）`, `权重(%)`).
fn header_key(text: &str) -> String {
    let mut key: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    if let Some(open) = key.find('(')
        && key.ends_with(')')
    {
        key.truncate(open);
    }
    key
}

/// The role of a header cell, if it has one.
pub(crate) fn role(text: &str) -> Option<Role> {
    let key = header_key(text);
    let k = key.as_str();
    let level = |prefix: &str| k == prefix || k == format!("{prefix}指标") || k == format!("{prefix}指标名称");
    if level("一级") {
        return Some(Role::Level(1));
    }
    if level("二级") {
        return Some(Role::Level(2));
    }
    if level("三级") {
        return Some(Role::Level(3));
    }
    if level("四级") {
        return Some(Role::Level(4));
    }
    if matches!(k, "指标" | "指标名称" | "评价指标" | "绩效指标" | "考核指标" | "考评指标" | "评价内容" | "考核内容")
    {
        return Some(Role::Level(5));
    }
    if matches!(
        k,
        "分值"
            | "权重"
            | "指标分值"
            | "指标权重"
            | "标准分"
            | "标准分值"
            | "分数"
            | "满分"
            | "权重分"
            | "权重分值"
            | "分值权重"
    ) {
        return Some(Role::Points);
    }
    if matches!(k, "指标解释" | "指标说明" | "指标内涵" | "指标释义" | "指标定义" | "指标解释说明")
    {
        return Some(Role::Explanation);
    }
    let standards = [
        "评分标准",
        "评分规则",
        "评分方法",
        "计分方法",
        "评分办法",
        "评分细则",
        "扣分标准",
        "评价标准",
        "评分依据",
        "计分标准",
    ];
    if standards.iter().any(|s| k.starts_with(s)) {
        return Some(Role::Standard);
    }
    None
}

/// How far down a sheet the header is looked for (titles and notes come first).
const HEADER_SEARCH_LINES: usize = 30;

/// The first line, among a sheet's first ones, that names at least one indicator level and the
/// points column.
pub(crate) fn header(sheet: &Sheet) -> Option<Header> {
    for (i, line) in sheet.lines.iter().enumerate().take(HEADER_SEARCH_LINES) {
        let mut levels: Vec<(u8, usize)> = Vec::new();
        let (mut points, mut explanation, mut standard, mut weight) = (None, None, None, false);
        for (col, cell) in line.cells.iter().enumerate() {
            let Some(cell) = cell else { continue };
            match role(&cell.text) {
                Some(Role::Level(l)) if !levels.iter().any(|(x, _)| *x == l) => levels.push((l, col)),
                Some(Role::Points) if points.is_none() => {
                    points = Some(col);
                    weight = header_key(&cell.text).contains("权重");
                }
                Some(Role::Explanation) if explanation.is_none() => explanation = Some(col),
                Some(Role::Standard) if standard.is_none() => standard = Some(col),
                _ => {}
            }
        }
        if let (false, Some(points)) = (levels.is_empty(), points) {
            levels.sort_unstable();
            return Some(Header {
                line: i,
                levels: levels.into_iter().map(|(_, c)| c).collect(),
                points,
                explanation,
                standard,
                weight,
            });
        }
    }
    None
}

/// The error for a table in which no sheet has a header.
pub(crate) fn no_header(file: &str, sheets: &[Sheet], lang: Lang) -> Diagnostic {
    let pos = match sheets.first() {
        Some(Sheet { name: Some(name), .. }) => Pos::sheet(name),
        Some(Sheet { lines, .. }) => lines.first().map_or(Pos::UNKNOWN, |l| l.pos.clone()),
        None => Pos::UNKNOWN,
    };
    let message = if sheets.iter().all(|s| s.lines.is_empty()) {
        tr!(lang, "表格是空的：没有任何内容", "the table is empty")
    } else {
        tr!(
            lang,
            "找不到表头：前 {HEADER_SEARCH_LINES} 行中没有一行同时含有指标列（一级指标、二级指标、三级指标、指标名称…）和分值列（分值、权重…）",
            "no recognisable header: none of the first {HEADER_SEARCH_LINES} lines names an indicator column (一级指标, 二级指标, 三级指标, 指标名称 …) and a points column (分值, 权重 …)"
        )
    };
    Diagnostic::error(file, pos, message)
}
