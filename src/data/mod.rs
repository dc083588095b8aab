//! Data files: a department's figures for one period (SPEC §5).

mod report;

pub use report::{REPORT_KEYS, ReportInfo};

use crate::diag::{Diagnostics, Pos};
use crate::lang::Lang;
use crate::tr;
use crate::yaml::{Key, Kind, MapReader, Node, Reader, Source};
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct DataFile {
    /// The file as the user named it.
    pub file: String,
    pub subject: Option<String>,
    pub period: Option<String>,
    /// The rubric the file names: a built-in id or a path relative to the file.
    pub rubric: Option<(String, Pos)>,
    /// The `values` map.
    pub values: Node,
    /// Where the `values` key is written, for problems that concern the whole map.
    pub values_pos: Pos,
    pub not_applicable: Vec<Entry<String>>,
    pub manual: Vec<Entry<ManualScore>>,
    pub declared: Vec<Entry<Decimal>>,
    /// The optional `report:` block: sign-off and prose (SPEC §5.5); all `None` without one.
    pub report: ReportInfo,
}

/// A keyed entry of `not_applicable`, `manual` or `declared`.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub id: String,
    pub pos: Pos,
    pub value: T,
}

#[derive(Debug, Clone)]
pub struct ManualScore {
    pub score: Decimal,
    /// Where the score is written.
    pub score_pos: Pos,
    pub reason: String,
}

impl DataFile {
    pub fn load(source: &Source, lang: Lang) -> Result<(DataFile, Diagnostics), Diagnostics> {
        let root = source.parse(lang)?;
        let mut diags = Diagnostics::default();
        let data = read(&source.name, root, &mut diags, lang);
        match data {
            Some(d) if !diags.has_errors() => Ok((d, diags)),
            _ => Err(diags),
        }
    }

    /// The value written for a dotted field name, nested (`budget: {initial: 1}`) or flat
    /// (`budget.initial: 1`). `Err` with the second spelling's position when it is written
    /// both ways (SPEC §5.1).
    pub fn lookup(&self, name: &str, lang: Lang) -> Result<Option<&Node>, (String, Pos, Pos)> {
        let mut found = Vec::new();
        find(&self.values, name, &mut found);
        resolve(name, &found, lang)
    }

    /// Walks `values` once. Each dotted path is classified by `kind`: a value is handed to
    /// `found`, an unknown key to `unknown`, and a map on the way to values is entered.
    pub fn scan<'a>(
        &'a self,
        kind: &dyn Fn(&str) -> Known,
        found: &mut dyn FnMut(&str, &'a Key, &'a Node),
        unknown: &mut dyn FnMut(&str, &'a Key),
    ) {
        let mut path = String::new();
        scan_into(&self.values, &mut path, kind, found, unknown);
    }
}

/// How a dotted path under `values` relates to the rubric's names.
pub enum Known {
    Field,
    Prefix,
    Unknown,
}

fn scan_into<'a>(
    node: &'a Node,
    path: &mut String,
    kind: &dyn Fn(&str) -> Known,
    found: &mut dyn FnMut(&str, &'a Key, &'a Node),
    unknown: &mut dyn FnMut(&str, &'a Key),
) {
    let Kind::Map(entries) = &node.kind else { return };
    let base = path.len();
    for (key, value) in entries {
        if base > 0 {
            path.push('.');
        }
        path.push_str(&key.name);
        match kind(path) {
            Known::Field => found(path, key, value),
            Known::Prefix => scan_into(value, path, kind, found, unknown),
            Known::Unknown => unknown(path, key),
        }
        path.truncate(base);
    }
}

/// A value written once, or the error of one written both nested and flat (SPEC §5.1).
pub fn resolve<'a>(
    name: &str,
    found: &[(&'a Key, &'a Node)],
    lang: Lang,
) -> Result<Option<&'a Node>, (String, Pos, Pos)> {
    match found {
        [] => Ok(None),
        [(_, one)] => Ok(Some(*one).filter(|n| !n.is_null())),
        [(first, _), (second, _), ..] => Err((
            tr!(
                lang,
                "`{name}` 写了两次：一次是嵌套的键，一次是带点的键（第一次在{}）",
                "`{name}` is written twice, as nested keys and as a dotted key (first at {})",
                first.pos.phrase(lang)
            ),
            second.pos.clone(),
            first.pos.clone(),
        )),
    }
}

fn find<'a>(node: &'a Node, name: &str, out: &mut Vec<(&'a Key, &'a Node)>) {
    let Kind::Map(entries) = &node.kind else { return };
    for (key, value) in entries {
        if key.name == name {
            out.push((key, value));
        } else if let Some(rest) = name.strip_prefix(key.name.as_str()).and_then(|r| r.strip_prefix('.')) {
            find(value, rest, out);
        }
    }
}

impl DataFile {
    /// Reads a data file from its document tree, whatever it was read from (YAML, or a
    /// workbook turned into the same tree by `crate::input::workbook`). Problems go to `diags`.
    pub fn from_tree(file: &str, root: Node, diags: &mut Diagnostics, lang: Lang) -> Option<DataFile> {
        read(file, root, diags, lang)
    }
}

fn read(file: &str, root: Node, diags: &mut Diagnostics, lang: Lang) -> Option<DataFile> {
    let reader = Reader { file, lang };
    let what = tr!(lang, "数据文件", "the data file");
    let mut top = MapReader::new(file, lang, &root, &what, diags)?;
    let subject = top.get("subject").and_then(|n| reader.text(n, "`subject`", diags));
    let period = top.get("period").and_then(|n| reader.text(n, "`period`", diags));
    let rubric = top.get("rubric").and_then(|n| reader.text(n, "`rubric`", diags).map(|t| (t, n.pos.clone())));
    let values_entry = top.entry("values");
    let values_pos = values_entry.map_or_else(|| root.pos.clone(), |(k, _)| k.pos.clone());
    let has_values = values_entry.is_some_and(|(_, v)| !v.is_null());
    if !has_values {
        diags.error(
            file,
            values_pos.clone(),
            tr!(lang, "数据文件：缺少必填的键 `values`", "the data file: missing required key `values`"),
        );
    }
    if let Some((_, v)) = values_entry
        && !v.is_null()
        && !matches!(v.kind, Kind::Map(_))
    {
        let found = v.kind_name(lang);
        diags.error(
            file,
            v.pos.clone(),
            tr!(
                lang,
                "`values`：应为映射，实际为{found}{}",
                "`values` must be a map, found {found}{}",
                v.map_slip(lang)
            ),
        );
    }
    let not_applicable = top.get("not_applicable").map(|n| read_reasons(file, n, diags, lang)).unwrap_or_default();
    let manual = top.get("manual").map(|n| read_manual(file, n, diags, lang)).unwrap_or_default();
    let declared = top.get("declared").map(|n| read_declared(file, n, diags, lang)).unwrap_or_default();
    let report = top.get("report").map(|n| report::read_report(file, n, diags, lang)).unwrap_or_default();
    top.finish(&what, diags);
    // The values are moved out of the document rather than copied: they can be large.
    let values = match root.kind {
        Kind::Map(entries) => entries.into_iter().find(|(k, _)| k.name == "values").map(|(_, v)| v),
        _ => None,
    }
    .filter(|_| has_values);
    Some(DataFile {
        file: file.to_owned(),
        subject,
        period,
        rubric,
        values: values?,
        values_pos,
        not_applicable,
        manual,
        declared,
        report,
    })
}

fn entries<'a>(file: &str, node: &'a Node, what: &str, diags: &mut Diagnostics, lang: Lang) -> &'a [(Key, Node)] {
    match &node.kind {
        Kind::Map(entries) => entries,
        _ => {
            let found = node.kind_name(lang);
            diags.error(
                file,
                node.pos.clone(),
                tr!(
                    lang,
                    "`{what}`：应为“指标 id → …”的映射，实际为{found}",
                    "`{what}` must be a map of node id → …, found {found}"
                ),
            );
            &[]
        }
    }
}

fn read_reasons(file: &str, node: &Node, diags: &mut Diagnostics, lang: Lang) -> Vec<Entry<String>> {
    let reader = Reader { file, lang };
    entries(file, node, "not_applicable", diags, lang)
        .iter()
        .filter_map(|(key, value)| {
            let id = &key.name;
            let reason = reader.text(
                value,
                &tr!(lang, "not_applicable `{id}`：原因", "not_applicable `{id}`: reason"),
                diags,
            )?;
            if reason.trim().is_empty() {
                diags.error(
                    file,
                    value.pos.clone(),
                    tr!(lang, "not_applicable `{id}`：原因是空的", "not_applicable `{id}`: the reason is empty"),
                );
            }
            Some(Entry { id: key.name.clone(), pos: key.pos.clone(), value: reason })
        })
        .collect()
}

fn read_manual(file: &str, node: &Node, diags: &mut Diagnostics, lang: Lang) -> Vec<Entry<ManualScore>> {
    let reader = Reader { file, lang };
    let mut out = Vec::new();
    for (key, value) in entries(file, node, "manual", diags, lang) {
        let what = format!("manual `{}`", key.name);
        let Some(mut m) = MapReader::new(file, lang, value, &what, diags) else { continue };
        let score_node = m.require("score", &what, diags);
        let score_pos = score_node.map_or(value.pos.clone(), |n| n.pos.clone());
        let score =
            score_node.and_then(|n| reader.decimal(n, &crate::tr!(lang, "{what}：`score`", "{what}: `score`"), diags));
        let reason = m
            .require("reason", &what, diags)
            .and_then(|n| reader.text(n, &crate::tr!(lang, "{what}：`reason`", "{what}: `reason`"), diags));
        m.finish(&what, diags);
        if let Some(r) = &reason
            && r.trim().is_empty()
        {
            diags.error(
                file,
                value.pos.clone(),
                tr!(
                    lang,
                    "{what}：原因是空的；人工评分必须写明原因",
                    "{what}: the reason is empty; a manual score needs one"
                ),
            );
        }
        if let (Some(score), Some(reason)) = (score, reason) {
            out.push(Entry {
                id: key.name.clone(),
                pos: key.pos.clone(),
                value: ManualScore { score, score_pos, reason },
            });
        }
    }
    out
}

fn read_declared(file: &str, node: &Node, diags: &mut Diagnostics, lang: Lang) -> Vec<Entry<Decimal>> {
    let reader = Reader { file, lang };
    entries(file, node, "declared", diags, lang)
        .iter()
        .filter_map(|(key, value)| {
            let v = reader.decimal(value, &format!("declared `{}`", key.name), diags)?;
            Some(Entry { id: key.name.clone(), pos: key.pos.clone(), value: v })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lookup_nested_flat_and_both() {
        let src = Source {
            name: "d".into(),
            text: "values:\n  budget: {initial: 1}\n  budget.executed: 2\n  a: {b: 1}\n  a.b: 2\n".into(),
        };
        let (data, _) = DataFile::load(&src, Lang::En).unwrap();
        assert_eq!(data.lookup("budget.initial", Lang::En).unwrap().unwrap().kind, Kind::Number("1".into()));
        assert_eq!(data.lookup("budget.executed", Lang::En).unwrap().unwrap().kind, Kind::Number("2".into()));
        assert!(data.lookup("nope", Lang::En).unwrap().is_none());
        assert!(data.lookup("a.b", Lang::En).is_err());
    }
}
