//! `selfeval draft`: a rubric drafted from the 评分表 a bureau already has (issue 17).
//!
//! [`table`] reads the table's cells and finds its header, [`tree`] builds the indicator tree
//! from its lines, [`phrasing`] reads each 评分标准 into a method (or leaves it `manual`),
//! [`writer`] writes the rubric's YAML with its comments, and [`summary`] says what was done.
//! The drafted text is loaded by the real rubric loader before it is returned, so a draft that
//! would not validate is an error here, never a file handed to the user.

pub mod phrasing;
mod summary;
pub(crate) mod table;
mod tree;
pub(crate) mod writer;

pub use summary::{Manual, Mismatch, Summary};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::lang::Lang;
use crate::tr;
use phrasing::{Indicator, Reading};
use rust_decimal::Decimal;
use std::collections::HashMap;
use tree::TableNode;

/// What the user chose on the command line.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub id: Option<String>,
    pub title: Option<String>,
}

/// A drafted rubric and what was done to draft it.
pub struct Draft {
    pub yaml: String,
    pub summary: Summary,
}

/// Drafts a rubric from a table file's bytes; `file` names it (and its extension says its
/// format: `.xlsx`, `.md`, otherwise CSV).
pub fn draft(file: &str, bytes: Vec<u8>, options: &Options, lang: Lang) -> Result<Draft, Diagnostics> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::error(
            file,
            Pos::new(1, 1),
            tr!(lang, "表格是空的：没有任何内容", "the table is empty"),
        )
        .into());
    }
    let sheets = table::read(file, bytes, lang)?;
    let Some((sheet, header)) = sheets.iter().find_map(|s| table::header(s).map(|h| (s, h))) else {
        return Err(table::no_header(file, &sheets, lang).into());
    };
    let tree = tree::build(file, sheet, &header, lang)?;
    if tree.sections.is_empty() {
        let pos = sheet.lines.get(header.line).map_or(Pos::UNKNOWN, |l| l.pos.clone());
        return Err(Diagnostic::error(
            file,
            pos,
            tr!(lang, "表头下面没有任何指标", "there are no indicators under the header"),
        )
        .into());
    }
    let mut readings: HashMap<String, Reading> = HashMap::new();
    read_leaves(&tree.sections, &mut readings);
    let stem = std::path::Path::new(file).file_stem().map_or("draft".into(), |s| s.to_string_lossy().into_owned());
    let id = options.id.clone().unwrap_or_else(|| id_from(&stem));
    let title = options.title.clone().unwrap_or_else(|| stem.clone());
    let summary = Summary::of(file, sheet.name.as_deref(), tree.lines_read, &tree.sections, &readings);
    let head = writer::Head {
        id: &id,
        title: &title,
        source: file,
        drafted: summary.drafted_total(),
        manual: summary.manual.len(),
        indicator_precision: precision(&tree.sections),
    };
    let yaml = writer::write(&head, &tree.sections, &|leaf| readings.get(leaf), lang);
    check_loads(file, &yaml, lang)?;
    Ok(Draft { yaml, summary })
}

fn read_leaves(nodes: &[TableNode], out: &mut HashMap<String, Reading>) {
    for n in nodes {
        if !n.children.is_empty() {
            read_leaves(&n.children, out);
            continue;
        }
        let Some(standard) = &n.standard else { continue };
        let ind = Indicator { id: &n.id, title: &n.title, points: n.points, standard };
        if let Some(r) = phrasing::read(&ind) {
            out.insert(n.id.clone(), r);
        }
    }
}

/// An id from a file name: its letters, digits, `_` and `-`, other characters as `-`.
fn id_from(stem: &str) -> String {
    let id: String = stem.chars().map(|c| if c.is_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).collect();
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() { "draft".into() } else { id }
}

/// The decimals of the finest points in the table (at least 2, the spec's default).
fn precision(nodes: &[TableNode]) -> u32 {
    nodes
        .iter()
        .map(|n| {
            let own =
                [n.points, n.printed.unwrap_or(Decimal::ZERO)].iter().map(|d| d.normalize().scale()).max().unwrap_or(0);
            own.max(precision(&n.children))
        })
        .fold(2, u32::max)
        .min(28)
}

/// The drafted text must load with the real loader: anything else is reported, never written.
fn check_loads(file: &str, yaml: &str, lang: Lang) -> Result<(), Diagnostics> {
    let source = crate::yaml::Source { name: format!("{file} (draft)"), text: yaml.to_owned() };
    match crate::rubric::load::load(&source, lang) {
        Ok(_) => Ok(()),
        Err(mut diags) => {
            diags.push(Diagnostic::error(
                file,
                Pos::UNKNOWN,
                tr!(
                    lang,
                    "起草的指标体系未通过校验（见上；--id、--title 中的字符可能不被接受）",
                    "the drafted rubric does not validate (above; --id or --title may hold characters a rubric refuses)"
                ),
            ));
            Err(diags)
        }
    }
}
