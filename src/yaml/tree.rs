//! The document tree every reader works on: nodes that keep their source text and position.

use crate::diag::Pos;
use crate::lang::Lang;

/// A YAML document node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
    /// For text written on one line: the column where its content starts (after an opening
    /// quote), so positions inside it (an expression's error column) can be located.
    pub content_col: Option<u32>,
    /// Text written in quotes (`"010"` is text; a plain `010` is a malformed number).
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    /// A plain `true`/`false` with its spelling.
    Bool(bool, String),
    /// A plain scalar the YAML schema resolves to a number, as written (`282.40`, `1e3`, `0x1F`).
    Number(String),
    /// Text: quoted scalars and plain scalars that are not null, bool or number.
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// What the node is, for messages ("found a list"), in the given language.
    pub fn kind_name(&self, lang: Lang) -> &'static str {
        match self.kind {
            Kind::Null => lang.pick("空值", "null"),
            Kind::Bool(..) => lang.pick("布尔值", "a boolean"),
            Kind::Number(_) => lang.pick("数字", "a number"),
            Kind::Str(_) => lang.pick("文本", "text"),
            Kind::Seq(_) => lang.pick("列表", "a list"),
            Kind::Map(_) => lang.pick("映射", "a map"),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// The value as written, for quoting in messages.
    pub fn quoted(&self, lang: Lang) -> String {
        match &self.kind {
            Kind::Null => "null".into(),
            Kind::Bool(_, raw) | Kind::Number(raw) => format!("`{raw}`"),
            Kind::Str(s) => format!("\"{s}\""),
            Kind::Seq(_) | Kind::Map(_) => self.kind_name(lang).into(),
        }
    }
}
