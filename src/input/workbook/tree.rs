//! The sheets → a located tree → a [`DataFile`]: the info, fields, rows and entries sheets
//! become the keys a YAML data file has.
//!
//! **Positions.** Every node is at its cell (`Pos::cell`, or `Pos::sheet` for what belongs to a
//! whole sheet), so a problem found now or later is reported as `form.xlsx:字段!E12: error: …`.

use super::cells::{Cell, Grid, Role, cell_text, role};
use super::layout::{self, Column};
use crate::data::DataFile;
use crate::diag::{Diagnostics, Pos, with_suggestion};
use crate::lang::Lang;
use crate::tr;
use crate::yaml::{Key, Kind, Node};

/// Builds the tree from the sheets and reads it as a data file. Every node carries its cell, so
/// whatever checks the data file later (the scorer included) points at cells by itself.
pub(super) fn from_grids(file: &str, grids: &[Grid], lang: Lang) -> Result<(DataFile, Diagnostics), Diagnostics> {
    let mut b = Builder { file, lang, diags: Diagnostics::default() };
    let root = b.root(grids);
    let data = root.and_then(|root| DataFile::from_tree(file, root, &mut b.diags, lang));
    let diags = b.diags;
    match data {
        Some(data) if !diags.has_errors() => Ok((data, diags)),
        _ => Err(diags),
    }
}

struct Builder<'a> {
    file: &'a str,
    /// The language of its messages.
    lang: Lang,
    diags: Diagnostics,
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
        let lang = self.lang;
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
                lang,
                "不是 selfeval 填报工作簿：没有工作表 {want}（现有工作表：{found}）；可用 `selfeval init -r 指标体系 --format xlsx -o 文件.xlsx` 生成",
                "not a selfeval fill-in workbook: it has no sheet {want} (its sheets: {found}); make one with `selfeval init -r RUBRIC --format xlsx -o FILE.xlsx`"
            );
            self.error_at(Pos::UNKNOWN, message);
            return None;
        };
        for (list, name) in [(&fields, layout::FIELDS), (&info, layout::INFO), (&entries, layout::ENTRIES)] {
            if let [first, second, ..] = list.as_slice() {
                let pos = Pos::sheet(&second.name);
                let (both, first) = (name.both(), &first.name);
                self.error_at(
                    pos,
                    tr!(
                        lang,
                        "第二个 {both} 工作表（第一个是 `{first}`）；只保留一个",
                        "a second {both} sheet (the first is `{first}`); keep one"
                    ),
                );
            }
        }
        for (grid, role) in grids.iter().zip(&roles) {
            if matches!(role, Role::Other) && !grid.cells.is_empty() {
                let pos = Pos::sheet(&grid.name);
                let mark = layout::LIST_MARK.zh;
                self.warning_at(
                    pos,
                    tr!(
                        lang,
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
        let values_pos = Pos::sheet(&fields_sheet.name);
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
        let lang = self.lang;
        for (i, (key, _)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.name == key.name) {
                let at = first.pos.phrase(lang);
                let name = &key.name;
                let message = tr!(
                    lang,
                    "{what}：`{name}` 写了两次（第一次在 {at}）；只保留一个",
                    "{what}: `{name}` is written twice (first at {at}); keep one"
                );
                self.diags.push(
                    crate::diag::Diagnostic::error(self.file, key.pos.clone(), message).also_at(first.pos.clone()),
                );
            }
        }
    }

    /// The node of a cell, or `None` (with an error for error and date cells) when it holds
    /// no value.
    fn value(&mut self, grid: &Grid, row: u32, col: u32) -> Option<Node> {
        let lang = self.lang;
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
                        lang,
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
                        lang,
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
        let lang = self.lang;
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
        self.error_at(pos, tr!(lang, "找不到标明这些列的表头行：{names}", "no header row naming the columns {names}"));
        None
    }

    fn info(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let lang = self.lang;
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
                            lang,
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
                    with_suggestion(
                        tr!(lang, "未知的项目 `{key_text}`", "unknown key `{key_text}`"),
                        &key_text,
                        known,
                        lang,
                    ),
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
        // `report.unit` and the like become the `report:` map a YAML file would have.
        let (report, mut out): (Vec<_>, Vec<_>) = out.into_iter().partition(|(k, _)| k.name.starts_with("report."));
        if let Some((first, _)) = report.first() {
            let pos = first.pos.clone();
            let entries = report
                .into_iter()
                .map(|(k, v)| (Key { name: k.name.trim_start_matches("report.").to_owned(), pos: k.pos }, v))
                .collect();
            out.push((Key { name: "report".into(), pos: pos.clone() }, node(pos, Kind::Map(entries))));
        }
        out
    }

    /// `values` from the fields sheet: one flat dotted key per filled row.
    fn fields(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let lang = self.lang;
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
                    self.error_at(pos, tr!(lang, "有值但这一行没有字段名", "a value without a field name in its row"));
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
        let lang = self.lang;
        let source_pos = Pos::cell(&grid.name, 0, 1);
        let Some(source) = grid.text(0, 1) else {
            self.error_at(
                source_pos,
                tr!(
                    lang,
                    "请在此填写列表名（指标体系中 `rows:` 的名称，例如 `outputs`）",
                    "name the list of indicators here (the rubric's `rows:` name, e.g. `outputs`)"
                ),
            );
            return None;
        };
        let (header, cols) = self.header(grid, 1, &layout::ROW_COLUMNS, &layout::ROW_REQUIRED)?;
        let mut items = Vec::new();
        for row in header + 1..=grid.last_row() {
            let mut entries: Vec<(Key, Node)> = Vec::new();
            for (key, c) in &cols {
                let Some(value) = self.value(grid, row, *c) else { continue };
                // 实际值取自: `actual: { field: … }` (SPEC §2.3).
                let Some((_, figure)) = layout::FIELD_FIGURES.iter().find(|(k, _)| k == key) else {
                    entries.push((Key { name: (*key).to_owned(), pos: value.pos.clone() }, value));
                    continue;
                };
                let pos = value.pos.clone();
                let field = (Key { name: "field".into(), pos: pos.clone() }, value);
                entries.push((Key { name: (*figure).to_owned(), pos: pos.clone() }, node(pos, Kind::Map(vec![field]))));
            }
            // A value and a field for one figure: reported as a key written twice.
            for (_, figure) in layout::FIELD_FIGURES {
                let written: Vec<&Key> = entries.iter().map(|(k, _)| k).filter(|k| k.name == figure).collect();
                if let [first, second, ..] = written.as_slice() {
                    let (at, pos) = (first.pos.phrase(lang), second.pos.clone());
                    self.error_at(
                        pos,
                        tr!(
                            lang,
                            "`{figure}` 既填了值又填了取自的字段（另一处在 {at}）；只保留一个",
                            "`{figure}` is given both as a value and as a field (the other at {at}); keep one"
                        ),
                    );
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
        let list_pos = Pos::sheet(&grid.name);
        Some((Key { name: source, pos: source_pos }, node(list_pos, Kind::Seq(items))))
    }

    /// `not_applicable`, `manual` and `declared` from the entries sheet.
    fn entries(&mut self, grid: &Grid) -> Vec<(Key, Node)> {
        let lang = self.lang;
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
                    self.error_at(pos, tr!(lang, "类别是空的；请选择 {kinds}", "the kind is empty; choose {kinds}"));
                }
                continue;
            };
            let kind_pos = Pos::cell(&grid.name, row, kind_col);
            let Some((key, _)) = layout::KINDS.iter().find(|(_, n)| n.matches(&kind)) else {
                let kinds: Vec<String> = layout::KINDS.iter().map(|(_, n)| n.both()).collect();
                let kinds = kinds.join(", ");
                self.error_at(
                    kind_pos,
                    tr!(
                        lang,
                        "未知的类别 \"{kind}\"；可选：{kinds}",
                        "unknown kind \"{kind}\"; expected one of {kinds}"
                    ),
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
                self.error_at(id_pos, tr!(lang, "指标编号是空的", "the indicator id is empty"));
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
                                lang,
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
            let pos = Pos::sheet(&grid.name);
            out.push((Key { name: key.into(), pos: pos.clone() }, node(pos, Kind::Map(list))));
        }
        out
    }
}

fn node(pos: Pos, kind: Kind) -> Node {
    Node { pos, kind, content_col: None, quoted: false }
}
