//! Typed reading of a tree's nodes, each failure a located diagnostic: maps key by key with
//! unknown keys reported ([`MapReader`]), scalars and lists ([`Reader`]).

use super::tree::{Key, Kind, Node};
use crate::diag::{Diagnostics, Pos, with_suggestion};
use crate::lang::Lang;
use crate::number::{LiteralError, parse_literal};
use crate::tr;
use rust_decimal::Decimal;

/// Reads a map's keys one by one and reports the keys nobody asked for.
pub struct MapReader<'a> {
    file: &'a str,
    lang: Lang,
    pos: Pos,
    entries: &'a [(Key, Node)],
    taken: Vec<bool>,
    allowed: Vec<&'static str>,
}

impl<'a> MapReader<'a> {
    /// `None` (with an error pushed) when `node` is not a map. `what` names the map in messages.
    pub fn new(file: &'a str, lang: Lang, node: &'a Node, what: &str, diags: &mut Diagnostics) -> Option<Self> {
        match &node.kind {
            Kind::Map(entries) => Some(MapReader {
                file,
                lang,
                pos: node.pos.clone(),
                entries,
                taken: vec![false; entries.len()],
                allowed: Vec::new(),
            }),
            _ => {
                let found = node.kind_name(lang);
                diags.error(
                    file,
                    node.pos.clone(),
                    tr!(
                        lang,
                        "{what}：应为映射，实际为{found}{}",
                        "{what} must be a map, found {found}{}",
                        node.map_slip(lang)
                    ),
                );
                None
            }
        }
    }

    pub fn pos(&self) -> Pos {
        self.pos.clone()
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The language of its messages.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A [`Reader`] of the same file, in the same language.
    pub fn reader(&self) -> Reader<'a> {
        Reader { file: self.file, lang: self.lang }
    }

    /// The value under `key`, if present and not null.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.entry(key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// The key and value under `key`, null values included.
    pub fn entry(&mut self, key: &'static str) -> Option<(&'a Key, &'a Node)> {
        if !self.allowed.contains(&key) {
            self.allowed.push(key);
        }
        let idx = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.taken[idx] = true;
        let (k, v) = &self.entries[idx];
        Some((k, v))
    }

    /// Like [`get`](Self::get) but reports a missing key.
    pub fn require(&mut self, key: &'static str, what: &str, diags: &mut Diagnostics) -> Option<&'a Node> {
        let v = self.get(key);
        if v.is_none() {
            diags.error(
                self.file,
                self.pos.clone(),
                tr!(self.lang, "{what}：缺少必填的键 `{key}`", "{what}: missing required key `{key}`"),
            );
        }
        v
    }

    /// Declares keys that are accepted but not read.
    pub fn allow(&mut self, keys: &[&'static str]) {
        for key in keys {
            let _ = self.entry(key);
        }
    }

    /// Entries not taken so far.
    pub fn rest(&self) -> impl Iterator<Item = &'a (Key, Node)> + '_ {
        self.entries.iter().zip(&self.taken).filter(|(_, t)| !**t).map(|(e, _)| e)
    }

    /// Reports every key that was not asked for, with "did you mean".
    pub fn finish(self, what: &str, diags: &mut Diagnostics) {
        for ((key, _), taken) in self.entries.iter().zip(&self.taken) {
            if !taken {
                diags.error(
                    self.file,
                    key.pos.clone(),
                    with_suggestion(
                        tr!(self.lang, "{what}：未知的键 `{}`", "unknown key `{}` in {what}", key.name),
                        &key.name,
                        self.allowed.iter().copied(),
                        self.lang,
                    ),
                );
            }
        }
    }
}

/// Typed reads of scalar nodes, each reporting a located error on failure.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub file: &'a str,
    /// The language of its messages.
    pub lang: Lang,
}

impl Reader<'_> {
    /// Text; a plain number or bool is taken as its text (SPEC §5).
    pub fn text(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<String> {
        match &node.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Number(raw) | Kind::Bool(_, raw) => Some(raw.clone()),
            _ => {
                let found = node.kind_name(self.lang);
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(self.lang, "{what}：应为文本，实际为{found}", "{what} must be text, found {found}"),
                );
                None
            }
        }
    }

    /// A decimal literal (SPEC §1); text is refused.
    pub fn decimal(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Decimal> {
        match &node.kind {
            Kind::Number(raw) => match parse_literal(raw) {
                Ok(d) => Some(d),
                Err(e) => {
                    diags.error(
                        self.file,
                        node.pos.clone(),
                        tr!(self.lang, "{what}：`{raw}` {}", "{what}: `{raw}` {}", e.describe(self.lang)),
                    );
                    None
                }
            },
            Kind::Str(s) => {
                let hint = match parse_literal(s) {
                    Ok(_) => tr!(self.lang, "；请去掉引号", "; remove the quotes"),
                    Err(LiteralError::Separator) => {
                        tr!(self.lang, "；请去掉分隔符，直接写数字", "; write the digits without separators")
                    }
                    Err(_) => String::new(),
                };
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(
                        self.lang,
                        "{what}：应为数字，实际为文本 \"{s}\"{hint}",
                        "{what} must be a number, found text \"{s}\"{hint}"
                    ),
                );
                None
            }
            _ => {
                let found = node.kind_name(self.lang);
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(self.lang, "{what}：应为数字，实际为{found}", "{what} must be a number, found {found}"),
                );
                None
            }
        }
    }

    /// A decimal that is ≥ 0.
    pub fn non_negative(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Decimal> {
        let d = self.decimal(node, what, diags)?;
        if d.is_sign_negative() && !d.is_zero() {
            let found = crate::number::display(d);
            diags.error(
                self.file,
                node.pos.clone(),
                tr!(self.lang, "{what}：应 ≥ 0，实际为 `{found}`", "{what} must be ≥ 0, found `{found}`"),
            );
            return None;
        }
        Some(d)
    }

    /// A whole number in `lo..=hi`.
    pub fn integer(&self, node: &Node, what: &str, lo: u32, hi: u32, diags: &mut Diagnostics) -> Option<u32> {
        let d = self.decimal(node, what, diags)?;
        match u32::try_from(d.normalize().mantissa()) {
            Ok(n) if d.normalize().scale() == 0 && (lo..=hi).contains(&n) => Some(n),
            _ => {
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(
                        self.lang,
                        "{what}：应为 {lo} 到 {hi} 之间的整数，实际为 {}",
                        "{what} must be a whole number from {lo} to {hi}, found {}",
                        node.quoted(self.lang)
                    ),
                );
                None
            }
        }
    }

    /// A YAML boolean (`true`/`false` in any of the SPEC's spellings).
    pub fn bool(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<bool> {
        match &node.kind {
            Kind::Bool(b, _) => Some(*b),
            _ => {
                let found = node.quoted(self.lang);
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(
                        self.lang,
                        "{what}：应为 true 或 false，实际为 {found}",
                        "{what} must be true or false, found {found}"
                    ),
                );
                None
            }
        }
    }

    /// A list's items.
    pub fn seq<'n>(&self, node: &'n Node, what: &str, diags: &mut Diagnostics) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ => {
                let found = node.kind_name(self.lang);
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(self.lang, "{what}：应为列表，实际为{found}", "{what} must be a list, found {found}"),
                );
                None
            }
        }
    }
}
