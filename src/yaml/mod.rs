//! The one place that touches the YAML crates: bytes → a located document tree.
//!
//! Every scalar keeps its source text, so numbers are read from their digits and never
//! through `f64` (SPEC §1), and every node keeps its position for diagnostics.
//!
//! Two paths lead to the same tree. Plain documents — every data file and most rubrics in this repository — are
//! built straight from the events of granit-parser (`parse_fast`), which costs half of going
//! through serde; serde-saphyr (`parse_here`) takes everything else and gives every error.
//! Before it, what serde-saphyr would accept although it changes what is read — explicit tags,
//! a second `<<` in one map, a second document — is refused at its place
//! (`refuse_what_serde_accepts`); the fast path never accepts any of them.
//! The built-in rubrics' events are recorded at build time and replayed (`parse_recorded`,
//! [`events`]), so that their tree is built without parsing.

use crate::diag::{Diagnostic, Diagnostics, Pos, pick, with_suggestion};
use crate::number::{LiteralError, parse_literal};
use crate::tr;
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

pub mod events;
use events::{Event, Located};

/// Files larger than this are refused before parsing (SPEC §5.3).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Deepest nesting of maps and lists accepted.
pub const MAX_DEPTH: usize = 64;
/// The largest points value (points, full marks, caps, deductions) accepted. Far above any
/// real rubric, and small enough that no sum of points in a tree of MAX_NODES can overflow a
/// decimal.
pub const MAX_POINTS: u64 = 1_000_000_000_000;
/// Most nodes one file may expand to, aliases included.
pub const MAX_NODES: usize = 250_000;
/// The stack a parse of MAX_DEPTH levels needs, with room to spare (serde's recursion costs
/// about 35 KiB a level in debug builds).
pub const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

thread_local! {
    /// Set on threads made with at least PARSE_STACK_BYTES of stack, which parse in place.
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declares that the calling thread was made with at least [`PARSE_STACK_BYTES`] of stack,
/// so parses on it need no stack of their own.
pub fn mark_big_stack() {
    BIG_STACK.with(|b| b.set(true));
}

/// Runs `work` on a fresh stack of PARSE_STACK_BYTES and `room` more, on the calling thread
/// (no thread is started: that cost a third of a one-file run), with parses in it done in place.
pub fn on_parse_stack<R>(room: usize, work: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            BIG_STACK.with(|b| b.set(self.0));
        }
    }
    stacker::grow(PARSE_STACK_BYTES.saturating_add(room), || {
        let _restore = Restore(BIG_STACK.with(|b| b.replace(true)));
        work()
    })
}

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
    /// What the node is, for messages ("found a list"), in the diagnostics language.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => pick("空值", "null"),
            Kind::Bool(..) => pick("布尔值", "a boolean"),
            Kind::Number(_) => pick("数字", "a number"),
            Kind::Str(_) => pick("文本", "text"),
            Kind::Seq(_) => pick("列表", "a list"),
            Kind::Map(_) => pick("映射", "a map"),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// The value as written, for quoting in messages.
    pub fn quoted(&self) -> String {
        match &self.kind {
            Kind::Null => "null".into(),
            Kind::Bool(_, raw) | Kind::Number(raw) => format!("`{raw}`"),
            Kind::Str(s) => format!("\"{s}\""),
            Kind::Seq(_) | Kind::Map(_) => self.kind_name().into(),
        }
    }
}

/// A source file's name (as the user gave it) and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    /// Checks size and encoding and strips a UTF-8 byte-order mark (SPEC §5.3).
    pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        let err = |m: String| Diagnostic::error(name, Pos::UNKNOWN, m);
        if bytes.len() > MAX_FILE_BYTES {
            let mib = MAX_FILE_BYTES / 1024 / 1024;
            return Err(err(tr!("文件超过了 {mib} MiB 的大小上限", "file is larger than the limit of {mib} MiB")));
        }
        // UTF-32's marks begin like UTF-16's (FF FE 00 00), so they are told first.
        if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
            return Err(err(tr!(
                "文件是 UTF-32 编码；请另存为 UTF-8（例如 `iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8`）",
                "file is UTF-32 encoded; save it as UTF-8 (e.g. `iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8`)"
            )));
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(err(tr!(
                "文件是 UTF-16 编码；请另存为 UTF-8（例如 `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`）",
                "file is UTF-16 encoded; save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`)"
            )));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(err(tr!("文件是空的", "file is empty")));
        }
        if body.contains(&0) {
            return Err(err(what_binary_is(body)));
        }
        match std::str::from_utf8(body) {
            Ok(text) => Ok(Source { name: name.to_owned(), text: text.to_owned() }),
            Err(e) => {
                let (line, col) = line_col_of(body, e.valid_up_to());
                let pos = Pos::new(line, col);
                if looks_like_gbk(body) {
                    Err(Diagnostic::error(
                        name,
                        pos,
                        tr!(
                            "文件不是 UTF-8 编码，看起来是 GBK/GB18030（中文 Windows 常用的编码）。请用 `iconv -f GBK -t UTF-8 FILE > FILE.utf8` 转换，或另存为 UTF-8",
                            "file is not UTF-8; it looks like GBK/GB18030 (common on Chinese Windows). Convert it with `iconv -f GBK -t UTF-8 FILE > FILE.utf8` or save it as UTF-8"
                        ),
                    ))
                } else {
                    Err(Diagnostic::error(
                        name,
                        pos,
                        tr!("文件不是有效的 UTF-8 编码；请另存为 UTF-8", "file is not valid UTF-8; save it as UTF-8"),
                    ))
                }
            }
        }
    }

    /// Parses the text into a located tree. YAML syntax errors and breached limits
    /// (aliases, depth, node count) come back as one located error.
    pub fn parse(&self) -> Result<Node, Diagnostic> {
        if let Some(node) = self.parse_fast() {
            return Ok(node);
        }
        self.parse_full()
    }

    /// The full serde-saphyr parse alone (what [`Self::parse`] falls back to); public so that
    /// tests can compare it with the fast path.
    #[doc(hidden)]
    pub fn parse_full(&self) -> Result<Node, Diagnostic> {
        self.refuse_what_serde_accepts()?;
        if BIG_STACK.with(std::cell::Cell::get) {
            return self.parse_here();
        }
        // serde's recursion costs a lot of stack per nesting level in debug builds, so the
        // parse runs on a stack that holds MAX_DEPTH levels whatever the caller's.
        on_parse_stack(0, || self.parse_here())
    }

    fn parse_here(&self) -> Result<Node, Diagnostic> {
        let options = serde_saphyr::options! {
            strict_booleans: true,
            leading_zero_numbers_as_strings: true,
            underscored_numbers_as_strings: true,
            non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
            with_snippet: false,
            budget: serde_saphyr::budget! { max_depth: MAX_DEPTH, max_nodes: MAX_NODES },
        };
        let raw: Spanned<Raw> = serde_saphyr::from_str_with_options(&self.text, options).map_err(|e| {
            let pos = e.location().map(|l| to_pos(&l)).unwrap_or_default();
            Diagnostic::error(&self.name, pos, parser_message(&e.to_string()))
        })?;
        Ok(self.lower(raw))
    }

    /// Refuses, at its place, what serde-saphyr accepts although it changes what is read: an
    /// explicit tag (`!!int 5`, `!!binary …`, `!foo`, `!`), a second merge key `<<` in one map
    /// (one of the merged maps would silently win), and a second document. Found in the
    /// parser's events before serde reads the text; a syntax error or a nesting past
    /// MAX_DEPTH ends the search, and the full parse reports it. The fast path never accepts
    /// any of these (a tag is `Other` to it, a plain `<<` key and a second document make it
    /// give up), so both paths refuse them.
    fn refuse_what_serde_accepts(&self) -> Result<(), Diagnostic> {
        use granit_parser::{Event as Parsed, Parser, ScalarStyle};
        struct Open {
            map: bool,
            children: usize,
            merged: bool,
        }
        let mut open: Vec<Open> = Vec::new();
        let mut documents = 0usize;
        // The second document's start, and whether it is written `---`.
        let mut second: Option<(Pos, bool)> = None;
        for item in Parser::new_from_str(&self.text) {
            let Ok((event, span)) = item else { break };
            let pos = Pos::new(
                u32::try_from(span.start.line()).unwrap_or(u32::MAX),
                u32::try_from(span.start.col().saturating_add(1)).unwrap_or(u32::MAX),
            );
            if let Parsed::DocumentStart(explicit, _) = event {
                documents += 1;
                if documents == 2 {
                    second = Some((pos, explicit));
                }
                continue;
            }
            if second.is_some() {
                // Only documents are counted past the first.
                continue;
            }
            let (tag, starts) = match &event {
                Parsed::Scalar(value, style, _, tag) => {
                    let at_key = open.last().is_some_and(|o| o.map && o.children.is_multiple_of(2));
                    if at_key
                        && *style == ScalarStyle::Plain
                        && value == "<<"
                        && tag.is_none()
                        && let Some(map) = open.last_mut()
                        && std::mem::replace(&mut map.merged, true)
                    {
                        return Err(Diagnostic::error(
                            &self.name,
                            pos,
                            tr!(
                                "合并键 `<<` 重复：一个映射只能合并一次（要合并几个映射，请写成一个 `<<: [*a, *b]`）",
                                "duplicate merge key `<<`: a map may merge only once (to merge several maps, write one `<<: [*a, *b]`)"
                            ),
                        ));
                    }
                    (tag, None)
                }
                Parsed::SequenceStart(_, _, tag) => (tag, Some(false)),
                Parsed::MappingStart(_, _, tag) => (tag, Some(true)),
                Parsed::Alias(_) => (&None, None),
                Parsed::SequenceEnd | Parsed::MappingEnd => {
                    open.pop();
                    (&None, None)
                }
                _ => continue,
            };
            if let Some(tag) = tag {
                let spelling = tag.original();
                // The event is placed at the node's content; the tag is written before it
                // (with perhaps an anchor, a line break or a comment between).
                let content = span.start.byte_offset().unwrap_or(0).min(self.text.len());
                let mut near = content.saturating_sub(spelling.len() + 256);
                while !self.text.is_char_boundary(near) {
                    near -= 1;
                }
                let tag_at =
                    self.text.get(near..content).and_then(|before| before.rfind(&spelling)).map(|at| near + at);
                let pos = match tag_at {
                    Some(at) => {
                        let (line, col) = line_col_of(self.text.as_bytes(), at);
                        Pos::new(line, col)
                    }
                    None => pos,
                };
                let written: String = spelling.chars().take(40).collect();
                return Err(Diagnostic::error(
                    &self.name,
                    pos,
                    tr!(
                        "不接受 YAML 标签 `{written}`：标签会改变值的读法；请去掉它，直接写值",
                        "YAML tag `{written}` is not accepted: a tag changes how a value is read; write the value without it"
                    ),
                ));
            }
            match starts {
                Some(_) if open.len() >= MAX_DEPTH => break,
                Some(map) => open.push(Open { map, children: 0, merged: false }),
                None => {
                    if let Some(parent) = open.last_mut() {
                        parent.children += 1;
                    }
                }
            }
        }
        match second {
            Some((pos, explicit)) => {
                let line = pos.line().unwrap_or(0);
                let place = if explicit {
                    tr!("第 {line} 行的 ---", "--- at line {line}")
                } else {
                    tr!("第二个从第 {line} 行开始", "the second starts at line {line}")
                };
                Err(Diagnostic::error(
                    &self.name,
                    pos,
                    tr!(
                        "文件包含 {documents} 个 YAML 文档（{place}）；一个文件只能有一个文档",
                        "the file holds {documents} YAML documents ({place}); one file holds one document"
                    ),
                ))
            }
            None => Ok(()),
        }
    }

    /// The fast path for plain documents (in this repository: every data file, most rubrics): the tree built straight
    /// from the parser's events, without serde; public so that tests can call it alone. It gives up (None) on anything it does not
    /// handle exactly as [`Self::parse_here`] does — syntax errors, anchors and aliases, tags,
    /// merge keys, duplicate keys, non-text keys, several documents, breached limits, and plain
    /// scalars whose type is not obvious (`1e3`, `0x1F`, `010`, `True`, `.inf`) — and the full
    /// parse then decides, with its located errors. tests/yaml_paths.rs checks that both paths
    /// give the same tree for every YAML file in the repository.
    #[doc(hidden)]
    pub fn parse_fast(&self) -> Option<Node> {
        self.build(events::live(&self.text))
    }

    /// [`Self::parse`] for a text whose events were recorded beforehand with
    /// [`events::record`] (the built-in rubrics, recorded by build.rs): the same tree, without
    /// the parser's work. A recording of another text is not used: the text is parsed.
    pub fn parse_recorded(&self, recording: &[u8]) -> Result<Node, Diagnostic> {
        match self.build(events::replay(recording, &self.text)) {
            Some(node) => Ok(node),
            None => self.parse(),
        }
    }

    /// A plain document's tree from its events (see [`Self::parse_fast`]).
    fn build<'e>(&self, events: impl Iterator<Item = Located<'e>>) -> Option<Node> {
        enum Open {
            Seq(Pos, Vec<Node>),
            Map(Pos, Vec<(Key, Node)>, Option<Key>),
        }
        let collection = |kind| Node { pos: Pos::UNKNOWN, kind, content_col: None, quoted: false };
        let mut open: Vec<Open> = Vec::new();
        let mut root = None;
        let mut documents = 0;
        let mut nodes = 0usize;
        for Located { event, line, col, start, end } in events {
            let pos = Pos::new(line, col);
            let node = match event {
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return None;
                    }
                    continue;
                }
                Event::Scalar { value, plain } => {
                    let written = self.text.get(start..end)?;
                    let kind = if plain { plain_kind(&value)? } else { Kind::Str(value.into_owned()) };
                    let content_col = match &kind {
                        Kind::Str(text) => content_col(written, text, pos.clone()),
                        _ => None,
                    };
                    let quoted = matches!(kind, Kind::Str(_)) && written.starts_with(['"', '\'', '|', '>']);
                    Node { pos, kind, content_col, quoted }
                }
                Event::SequenceStart | Event::MappingStart if open.len() >= MAX_DEPTH => return None,
                Event::SequenceStart => {
                    open.push(Open::Seq(pos, Vec::new()));
                    continue;
                }
                Event::MappingStart => {
                    open.push(Open::Map(pos, Vec::new(), None));
                    continue;
                }
                Event::SequenceEnd => match open.pop()? {
                    Open::Seq(pos, items) => Node { pos, ..collection(Kind::Seq(items)) },
                    Open::Map(..) => return None,
                },
                Event::MappingEnd => match open.pop()? {
                    Open::Map(pos, entries, None) => {
                        let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
                        names.sort_unstable();
                        if names.windows(2).any(|w| w[0] == w[1]) {
                            return None;
                        }
                        Node { pos, ..collection(Kind::Map(entries)) }
                    }
                    Open::Map(..) | Open::Seq(..) => return None,
                },
                Event::Other => return None,
            };
            nodes += 1;
            if nodes > MAX_NODES {
                return None;
            }
            match open.last_mut() {
                None if root.is_none() => root = Some(node),
                None => return None,
                Some(Open::Seq(_, items)) => items.push(node),
                Some(Open::Map(_, entries, pending)) => match pending.take() {
                    Some(key) => entries.push((key, node)),
                    None => match node.kind {
                        Kind::Str(name) if node.quoted || name != "<<" => *pending = Some(Key { name, pos: node.pos }),
                        _ => return None,
                    },
                },
            }
        }
        if open.is_empty() { root } else { None }
    }

    fn lower(&self, raw: Spanned<Raw>) -> Node {
        let pos = to_pos(&raw.referenced);
        let content_col = match &raw.value {
            Raw::Str(s) => self.span_text(&raw.defined).and_then(|t| content_col(t, s, pos.clone())),
            _ => None,
        };
        // A block scalar's span starts at its content, so only an empty one counts as quoted.
        let quoted = matches!(raw.value, Raw::Str(_))
            && self.span_text(&raw.defined).is_some_and(|t| t.starts_with(['"', '\'', '|', '>']));
        let kind = match raw.value {
            Raw::Null => Kind::Null,
            Raw::Bool(b) => {
                Kind::Bool(b, self.span_text(&raw.defined).unwrap_or(if b { "true" } else { "false" }).to_owned())
            }
            Raw::Number => Kind::Number(self.span_text(&raw.defined).unwrap_or("?").trim().to_owned()),
            Raw::Str(s) => Kind::Str(s),
            Raw::Seq(items) => Kind::Seq(items.into_iter().map(|i| self.lower(i)).collect()),
            Raw::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (Key { name: k.value, pos: to_pos(&k.referenced) }, self.lower(v)))
                    .collect(),
            ),
        };
        Node { pos, kind, content_col, quoted }
    }

    fn span_text(&self, loc: &serde_saphyr::Location) -> Option<&str> {
        let span = loc.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        self.text.get(start..start.checked_add(len)?)
    }

    /// The text of line `line` (1-based), for snippets.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.text.lines().nth((line as usize).checked_sub(1)?)
    }
}

/// Where a text's content starts, when the text is exactly what is written (no escapes,
/// folding or quotes inside), so that character n of the text is column start + n − 1.
fn content_col(written: &str, text: &str, pos: Pos) -> Option<u32> {
    let t = written.trim_end();
    let quoted = t.len() >= 2 && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''));
    let inner = if quoted { &t[1..t.len() - 1] } else { t };
    (inner == text && !t.contains('\n')).then_some(pos.col()? + u32::from(quoted))
}

/// A plain scalar's type, when it is beyond doubt; None for every spelling whose reading
/// belongs to the full parse (the YAML 1.2 core schema with the options of `parse_here`).
fn plain_kind(text: &str) -> Option<Kind> {
    match text {
        "" | "~" | "null" => return Some(Kind::Null),
        "true" | "false" => return Some(Kind::Bool(text == "true", text.to_owned())),
        _ => {}
    }
    if ["null", "true", "false"].iter().any(|w| text.eq_ignore_ascii_case(w)) {
        return None;
    }
    // No number is spelt with a `%` or a character beyond ASCII (`95%`, `2020年`).
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
        || text.contains(|c: char| c == '%' || !c.is_ascii())
    {
        return Some(Kind::Str(text.to_owned()));
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?, short enough to be an ordinary number.
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let plain_number =
        text.len() <= 18 && digits(whole) && digits(fraction) && (whole == "0" || !whole.starts_with('0'));
    plain_number.then(|| Kind::Number(text.to_owned()))
}

fn to_pos(loc: &serde_saphyr::Location) -> Pos {
    Pos::new(u32::try_from(loc.line()).unwrap_or(u32::MAX), u32::try_from(loc.column()).unwrap_or(u32::MAX))
}

/// The parser's message in the user's terms: no Rust option names, no repeated position, and
/// the limits of SPEC §5.3 named as such.
fn parser_message(raw: &str) -> String {
    let message = strip_location_suffix(strip_location_prefix(raw));
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set DuplicateKeyPolicy").next().unwrap_or(rest);
        return tr!(
            "键 `{key}` 重复：同一个映射里每个键只能出现一次",
            "duplicate key `{key}`: a key may appear only once in a map"
        );
    }
    let too_deep = || tr!("嵌套超过了 {MAX_DEPTH} 层的上限", "nesting is deeper than the limit of {MAX_DEPTH} levels");
    if message.contains("budget breached") {
        if message.contains("Depth") {
            return too_deep();
        }
        if message.contains("Nodes") || message.contains("Alias") || message.contains("Events") {
            return tr!(
                "文档超过了 {MAX_NODES} 个节点的上限（别名每使用一次都计入）",
                "the document has more than the limit of {MAX_NODES} nodes (an alias counts each time it is used)"
            );
        }
        return tr!("文档超出了解析器的规模上限", "the document exceeds the parser's size limits");
    }
    if message.contains("recursion limit exceeded") {
        return too_deep();
    }
    // The parser's own wording is English only.
    tr!("YAML 格式错误：{message}", "invalid YAML: {message}")
}

fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains("column") => &message[..i],
        _ => message,
    }
}

fn strip_location_prefix(message: &str) -> &str {
    // serde-saphyr prefixes "line N column M: "; we print the position ourselves.
    if let Some(rest) = message.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
        && rest[..idx].contains("column")
    {
        return &rest[idx + 2..];
    }
    message
}

fn line_col_of(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
}

/// Why a file holding NUL bytes is not read: text in a wide encoding without its byte-order
/// mark (named, with the `iconv` command that converts it), a workbook under a YAML name, or
/// other binary content.
fn what_binary_is(bytes: &[u8]) -> String {
    if bytes.starts_with(b"PK\x03\x04") {
        return tr!(
            "文件是 zip 压缩包（可能是 .xlsx 工作簿），不是 YAML 文本文件；工作簿的文件名须以 .xlsx 结尾",
            "file is a zip archive (an .xlsx workbook?), not a YAML text file; a workbook's name must end in .xlsx"
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return tr!(
            "文件是 OLE2 复合文档（Excel 97–2003 工作簿或加密的工作簿），不是 YAML 文本文件",
            "file is an OLE2 container (an Excel 97–2003 or encrypted workbook), not a YAML text file"
        );
    }
    match unmarked_wide_encoding(bytes) {
        Some(encoding) => tr!(
            "文件是没有字节顺序标记（BOM）的 {encoding} 编码；请另存为 UTF-8（例如 `iconv -f {encoding} -t UTF-8 FILE > FILE.utf8`）",
            "file is {encoding} encoded, without a byte-order mark; save it as UTF-8 (e.g. `iconv -f {encoding} -t UTF-8 FILE > FILE.utf8`)"
        ),
        None => tr!("文件是二进制文件，不是 YAML 文本文件", "file is binary, not a YAML text file"),
    }
}

/// The encoding of text written in UTF-32 or UTF-16 without a byte-order mark, told from its
/// first 4 KiB read in each width and byte order: the reading that gives only characters, no
/// control character but tab and line ends (a UTF-16 surrogate cut by the end of the sample
/// excepted) and some ASCII, as YAML's punctuation and line ends are (read in another width or
/// byte order, ASCII characters are not ASCII, or not characters). Binary content gives NULs,
/// control characters or invalid units.
fn unmarked_wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096)];
    let cut = sample.len() < bytes.len();
    let text = |chars: &mut dyn Iterator<Item = Option<char>>| {
        let mut ascii = false;
        let mut chars = chars.peekable();
        while let Some(c) = chars.next() {
            match c {
                Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => return false,
                Some(c) => ascii |= c.is_ascii(),
                // Half of a pair, where the sample ends inside it.
                None if cut && chars.peek().is_none() => {}
                None => return false,
            }
        }
        ascii
    };
    // A whole file is whole units; a sample of 4 KiB is too.
    let utf32 = |decode: fn([u8; 4]) -> u32| {
        sample.len().is_multiple_of(4)
            && text(&mut sample.chunks_exact(4).map(|c| char::from_u32(decode([c[0], c[1], c[2], c[3]]))))
    };
    let utf16 = |decode: fn([u8; 2]) -> u16| {
        if !sample.len().is_multiple_of(2) {
            return false;
        }
        let units = sample.chunks_exact(2).map(|c| decode([c[0], c[1]]));
        text(&mut char::decode_utf16(units).map(Result::ok))
    };
    if utf32(u32::from_le_bytes) {
        Some("UTF-32LE")
    } else if utf32(u32::from_be_bytes) {
        Some("UTF-32BE")
    } else if utf16(u16::from_le_bytes) {
        Some("UTF-16LE")
    } else if utf16(u16::from_be_bytes) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// True when the non-ASCII bytes form valid GBK/GB18030 double-byte pairs throughout.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else { return false };
        if !(0x81..=0xFE).contains(&b) || !(0x40..=0xFE).contains(&t) || t == 0x7F {
            return false;
        }
        pairs += 1;
        i += 2;
    }
    pairs > 0
}

/// What serde-saphyr hands over; lowered into [`Node`] with source texts.
enum Raw {
    Null,
    Bool(bool),
    Number,
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    // Numbers are re-read from their source text; the parsed value is dropped.
    fn visit_i64<E>(self, _: i64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = access.next_key::<Spanned<String>>()? {
            let value = access.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Raw, E> {
        Err(E::custom(tr!("不支持二进制值", "binary values are not supported")))
    }
}

/// Reads a map's keys one by one and reports the keys nobody asked for.
pub struct MapReader<'a> {
    file: &'a str,
    pos: Pos,
    entries: &'a [(Key, Node)],
    taken: Vec<bool>,
    allowed: Vec<&'static str>,
}

impl<'a> MapReader<'a> {
    /// `None` (with an error pushed) when `node` is not a map. `what` names the map in messages.
    pub fn new(file: &'a str, node: &'a Node, what: &str, diags: &mut Diagnostics) -> Option<Self> {
        match &node.kind {
            Kind::Map(entries) => Some(MapReader {
                file,
                pos: node.pos.clone(),
                entries,
                taken: vec![false; entries.len()],
                allowed: Vec::new(),
            }),
            _ => {
                let found = node.kind_name();
                diags.error(
                    file,
                    node.pos.clone(),
                    tr!("{what}：应为映射，实际为{found}", "{what} must be a map, found {found}"),
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
                tr!("{what}：缺少必填的键 `{key}`", "{what}: missing required key `{key}`"),
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
                        tr!("{what}：未知的键 `{}`", "unknown key `{}` in {what}", key.name),
                        &key.name,
                        self.allowed.iter().copied(),
                    ),
                );
            }
        }
    }
}

/// Typed reads of scalar nodes, each reporting a located error on failure.
pub struct Reader<'a> {
    pub file: &'a str,
}

impl Reader<'_> {
    /// Text; a plain number or bool is taken as its text (SPEC §5).
    pub fn text(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<String> {
        match &node.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Number(raw) | Kind::Bool(_, raw) => Some(raw.clone()),
            _ => {
                let found = node.kind_name();
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!("{what}：应为文本，实际为{found}", "{what} must be text, found {found}"),
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
                    diags.error(self.file, node.pos.clone(), tr!("{what}：`{raw}` {}", "{what}: `{raw}` {}", e.text()));
                    None
                }
            },
            Kind::Str(s) => {
                let hint = match parse_literal(s) {
                    Ok(_) => tr!("；请去掉引号", "; remove the quotes"),
                    Err(LiteralError::Separator) => {
                        tr!("；请去掉分隔符，直接写数字", "; write the digits without separators")
                    }
                    Err(_) => String::new(),
                };
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!(
                        "{what}：应为数字，实际为文本 \"{s}\"{hint}",
                        "{what} must be a number, found text \"{s}\"{hint}"
                    ),
                );
                None
            }
            _ => {
                let found = node.kind_name();
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!("{what}：应为数字，实际为{found}", "{what} must be a number, found {found}"),
                );
                None
            }
        }
    }

    /// A decimal that is ≥ 0.
    /// A points value (points, full marks, caps, deductions): from 0 to [`MAX_POINTS`].
    pub fn non_negative(&self, node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Decimal> {
        let d = self.decimal(node, what, diags)?;
        if d.is_sign_negative() && !d.is_zero() {
            let found = crate::number::display(d);
            diags.error(
                self.file,
                node.pos.clone(),
                tr!("{what}：应 ≥ 0，实际为 `{found}`", "{what} must be ≥ 0, found `{found}`"),
            );
            return None;
        }
        if d > Decimal::from(MAX_POINTS) {
            let found = crate::number::display(d);
            diags.error(
                self.file,
                node.pos.clone(),
                tr!(
                    "{what}：不能超过 {MAX_POINTS}，实际为 `{found}`",
                    "{what} may not exceed {MAX_POINTS}, found `{found}`"
                ),
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
                        "{what}：应为 {lo} 到 {hi} 之间的整数，实际为 {}",
                        "{what} must be a whole number from {lo} to {hi}, found {}",
                        node.quoted()
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
                let found = node.quoted();
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!("{what}：应为 true 或 false，实际为 {found}", "{what} must be true or false, found {found}"),
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
                let found = node.kind_name();
                diags.error(
                    self.file,
                    node.pos.clone(),
                    tr!("{what}：应为列表，实际为{found}", "{what} must be a list, found {found}"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, Diagnostic> {
        Source { name: "t.yaml".into(), text: text.into() }.parse()
    }

    fn map(node: &Node) -> &[(Key, Node)] {
        match &node.kind {
            Kind::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn numbers_keep_their_text() {
        let n = parse("a: 282.40\nb: 12345678901234567.891\nc: \"96.5\"\nd: 010\ne: 1e3\nf: -0.5\n").unwrap();
        let m = map(&n);
        assert_eq!(m[0].1.kind, Kind::Number("282.40".into()));
        assert_eq!(m[1].1.kind, Kind::Number("12345678901234567.891".into()));
        assert_eq!(m[2].1.kind, Kind::Str("96.5".into()));
        assert_eq!(m[3].1.kind, Kind::Str("010".into()));
        assert_eq!(m[4].1.kind, Kind::Number("1e3".into()));
        assert_eq!(m[5].1.kind, Kind::Number("-0.5".into()));
        assert_eq!(m[1].1.pos, Pos::new(2, 4));
    }

    #[test]
    fn yes_is_text_not_bool() {
        let n = parse("a: yes\nb: True\nc: \"true\"\n").unwrap();
        let m = map(&n);
        assert_eq!(m[0].1.kind, Kind::Str("yes".into()));
        assert_eq!(m[1].1.kind, Kind::Bool(true, "True".into()));
        assert_eq!(m[2].1.kind, Kind::Str("true".into()));
    }

    #[test]
    fn aliases_expand_with_text() {
        let n = parse("a: &x {v: 1.50}\nb: *x\n").unwrap();
        let m = map(&n);
        assert_eq!(map(&m[1].1)[0].1.kind, Kind::Number("1.50".into()));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert_eq!(e.pos.line(), Some(2));
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = "[".repeat(200_000);
        let e = parse(&text).unwrap_err();
        assert!(e.is_error());
        let text = "a:\n".to_owned() + &(1..200).map(|i| format!("{}b:\n", " ".repeat(i))).collect::<String>();
        assert!(parse(&text).is_err());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn encodings() {
        let bom = Source::decode("f", b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n".to_vec()).unwrap();
        assert_eq!(map(&bom.parse().unwrap()).len(), 2);
        // "预算" in GBK.
        let gbk = Source::decode("f", b"a: \xd4\xa4\xcb\xe3\n".to_vec()).unwrap_err();
        assert!(gbk.message.contains("GBK"), "{}", gbk.message);
        let utf16 = Source::decode("f", vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(utf16.message.contains("UTF-16"));
        assert!(Source::decode("f", b"  \n".to_vec()).unwrap_err().message.contains("empty"));
        assert!(Source::decode("f", b"a\0b".to_vec()).unwrap_err().message.contains("binary"));
    }
}
