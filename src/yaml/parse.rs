//! Text → tree: the fast path over the parser's events for plain documents, the serde-saphyr
//! path for everything else (and every error), the parser's limits, and the refusal of what
//! serde-saphyr accepts although it changes what is read (tags, a second merge key, a second
//! document).

use super::events::{self, Event, Located};
use super::source::{Source, line_col_of};
use super::stack::{on_big_stack, on_parse_stack};
use super::tree::{Key, Kind, Node};
use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// Deepest nesting of maps and lists accepted.
pub const MAX_DEPTH: usize = 64;
/// Most nodes one file may expand to, aliases included.
pub const MAX_NODES: usize = 250_000;

impl Source {
    /// Parses the text into a located tree. YAML syntax errors and breached limits
    /// (aliases, depth, node count) come back as one located error.
    pub fn parse(&self, lang: Lang) -> Result<Node, Diagnostic> {
        if let Some(node) = self.parse_fast() {
            return Ok(node);
        }
        self.parse_full(lang)
    }

    /// The full serde-saphyr parse alone (what [`Self::parse`] falls back to); public so that
    /// tests can compare it with the fast path.
    #[doc(hidden)]
    pub fn parse_full(&self, lang: Lang) -> Result<Node, Diagnostic> {
        self.refuse_what_serde_accepts(lang)?;
        if on_big_stack() {
            return self.parse_here(lang);
        }
        // serde's recursion costs a lot of stack per nesting level in debug builds, so the
        // parse runs on a stack that holds MAX_DEPTH levels whatever the caller's.
        on_parse_stack(0, || self.parse_here(lang))
    }

    fn parse_here(&self, lang: Lang) -> Result<Node, Diagnostic> {
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
            let line = |back: usize| {
                let n = usize::try_from(pos.line()?).ok()?.checked_sub(1 + back)?;
                self.text.lines().nth(n)
            };
            Diagnostic::error(&self.name, pos.clone(), parser_message(&e.to_string(), (line(0), line(1)), lang))
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
    fn refuse_what_serde_accepts(&self, lang: Lang) -> Result<(), Diagnostic> {
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
                                lang,
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
                        lang,
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
                    tr!(lang, "第 {line} 行的 ---", "--- at line {line}")
                } else {
                    tr!(lang, "第二个从第 {line} 行开始", "the second starts at line {line}")
                };
                Err(Diagnostic::error(
                    &self.name,
                    pos,
                    tr!(
                        lang,
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
        // The line scanner's events are the parser's wherever it gives any: a tree it cannot
        // build (a duplicate key, a doubtful scalar), the parser's events would not build either.
        match super::lines::events(&self.text) {
            Some(events) => self.build(events.into_iter()),
            None => self.build(events::live(&self.text)),
        }
    }

    /// [`Self::parse`] for a text whose events were recorded beforehand with
    /// [`events::record`] (the built-in rubrics, recorded by build.rs): the same tree, without
    /// the parser's work. A recording of another text is not used: the text is parsed.
    pub fn parse_recorded(&self, recording: &[u8], lang: Lang) -> Result<Node, Diagnostic> {
        match self.build(events::replay(recording, &self.text)) {
            Some(node) => Ok(node),
            None => self.parse(lang),
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
                        if has_duplicate_key(&entries) {
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
}

/// Whether two entries of a map have the same key. A data file's maps are small: comparing
/// every pair costs less than sorting their names.
fn has_duplicate_key(entries: &[(Key, Node)]) -> bool {
    if entries.len() <= 16 {
        return entries.iter().enumerate().any(|(i, (a, _))| entries[..i].iter().any(|(b, _)| a.name == b.name));
    }
    let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

/// Where a text's content starts, when the text is exactly what is written (no escapes,
/// folding or quotes inside), so that character n of the text is column start + n − 1.
fn content_col(written: &str, text: &str, pos: Pos) -> Option<u32> {
    let t = written.trim_end();
    let quoted = t.len() >= 2 && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''));
    let inner = if quoted { &t[1..t.len() - 1] } else { t };
    (inner == text && !t.as_bytes().contains(&b'\n')).then_some(pos.col()? + u32::from(quoted))
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
fn parser_message(raw: &str, (line, before): (Option<&str>, Option<&str>), lang: Lang) -> String {
    let message = strip_location_suffix(strip_location_prefix(raw));
    // Raw's visitor has no language at hand: its own refusal is translated here.
    let message = &message.replace(BINARY_REFUSED, lang.pick("不支持二进制值", BINARY_REFUSED));
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set DuplicateKeyPolicy").next().unwrap_or(rest);
        return tr!(
            lang,
            "键 `{key}` 重复：同一个映射里每个键只能出现一次",
            "duplicate key `{key}`: a key may appear only once in a map"
        );
    }
    let too_deep =
        || tr!(lang, "嵌套超过了 {MAX_DEPTH} 层的上限", "nesting is deeper than the limit of {MAX_DEPTH} levels");
    if message.contains("budget breached") {
        if message.contains("Depth") {
            return too_deep();
        }
        if message.contains("Nodes") || message.contains("Alias") || message.contains("Events") {
            return tr!(
                lang,
                "文档超过了 {MAX_NODES} 个节点的上限（别名每使用一次都计入）",
                "the document has more than the limit of {MAX_NODES} nodes (an alias counts each time it is used)"
            );
        }
        return tr!(lang, "文档超出了解析器的规模上限", "the document exceeds the parser's size limits");
    }
    if message.contains("recursion limit exceeded") {
        return too_deep();
    }
    // The parser's own wording is English only, and names its state rather than the slip.
    super::slips::syntax(message, line, before, lang)
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

/// The visitor's refusal of binary values, put into the user's language by [`parser_message`].
const BINARY_REFUSED: &str = "binary values are not supported";

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
        Err(E::custom(BINARY_REFUSED))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, Diagnostic> {
        Source { name: "t.yaml".into(), text: text.into() }.parse(Lang::En)
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
}
