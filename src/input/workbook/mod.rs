//! Reading a fill-in workbook (`.xlsx`) into a data file, located at its cells.
//!
//! The fill-in workbook (`selfeval init -r R --format xlsx -o form.xlsx`) has these sheets,
//! named in Chinese or English (the reader accepts both, see [`layout`]):
//!
//! | sheet | holds | becomes |
//! |---|---|---|
//! | 信息 / Info | rows `subject`, `period`, `rubric`, `report.*` (key in A, value in C) | the top-level keys and the `report:` block |
//! | 字段 / Fields | one row per field: name, label, unit, type, **value** (E), notes, indicator | `values.<name>` as a flat dotted key |
//! | one per `rows:` branch | A1 `列表`/`List`, B1 the list's name; row 2 the 绩效目标表 header; one indicator per row | `values.<list>`: a list of maps |
//! | 其他填报 / Entries | kind (不适用 / 人工评分 / 申报得分), indicator id, title, score, reason | `not_applicable`, `manual`, `declared` |
//! | 指标一览 / Indicators | the rubric's indicators, for reference (ignored when read) | — |
//!
//! Reading builds the same located tree a YAML file gives ([`crate::yaml::Node`]), each node at
//! its cell ([`crate::diag::Pos::Book`]): a number cell becomes `Kind::Number` with the shortest
//! decimal text of its value, a text cell `Kind::Str`, a TRUE/FALSE cell `Kind::Bool`, an empty
//! cell is an omitted value; so every data-file check, [`crate::rubric::Field::read`] and the
//! scorer apply unchanged and report at `sheet!cell`. The reader knows no rubric.
//!
//! [`book`] opens the workbook and reads its sheets through calamine, [`cells`] says what a
//! cell holds (numbers, percent formats), [`scan`] finds the cells calamine misreads, [`tree`]
//! builds the located tree and the data file. The writer of the form (`report::workbook`)
//! follows [`layout`].

mod book;
mod cells;
pub mod layout;
mod scan;
mod tree;

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;

/// Reads a fill-in workbook's bytes into a data file named `file`, as [`DataFile::load`] reads YAML.
pub fn load(file: &str, bytes: Vec<u8>, lang: Lang) -> Result<(DataFile, Diagnostics), Diagnostics> {
    let grids =
        book::read_sheets(bytes, lang).map_err(|u| Diagnostics::from(Diagnostic::error(file, u.pos, u.message)))?;
    tree::from_grids(file, &grids, lang)
}

/// A sheet's name and its text cells by 0-based (row, column).
pub(crate) type TextSheet = (std::sync::Arc<str>, std::collections::BTreeMap<(u32, u32), String>);

/// Every sheet of a workbook as text cells by 0-based (row, column), in the workbook's order:
/// what `draft` reads a published 评分表 from. A number is its shortest decimal text, a
/// percent-formatted one its percent text (`10%`); cells whose value the file does not give truly
/// are left out.
pub(crate) fn sheets_as_text(bytes: Vec<u8>, lang: Lang) -> Result<Vec<TextSheet>, (crate::diag::Pos, String)> {
    let grids = book::read_sheets(bytes, lang).map_err(|u| (u.pos, u.message))?;
    Ok(grids
        .into_iter()
        .map(|g| {
            let cells = g
                .cells
                .iter()
                .filter(|(_, c)| !matches!(c, cells::Cell::Bad(_)))
                .map(|(&at, c)| (at, cells::cell_text(c)))
                .collect();
            (g.name, cells)
        })
        .collect())
}
