//! The events of a simple block document, read line by line without the parser: block maps
//! and lists of one-line values (plain, quoted without escapes, flow maps and lists), blank
//! lines and comments — what a department's data file is made of. It gives exactly the events
//! granit-parser gives for such a text, positions included (tests/yaml_paths.rs compares the
//! two on every YAML file in the repository and on random texts; the `yaml_lines` fuzz target
//! does the same), and it gives up (`None`) at the first thing outside that subset, however
//! ordinary — a tab, a carriage return, an empty value, a multi-line scalar, an anchor, a
//! colon inside a plain scalar — so that the parser reads those texts instead. Reading a data
//! file this way costs about a tenth of parsing it (docs/performance.md).

use super::events::{Event, Located};
use std::borrow::Cow;

/// Collections open at once beyond which the parser decides (it is below the tree's limit).
const MAX_OPEN: usize = 48;
/// Longest implicit key YAML allows is 1024 characters; longer ones are left to the parser.
const MAX_KEY_BYTES: usize = 1000;

/// The events of `text` when it is a simple block document (see the module's comment); `None`
/// otherwise. Like [`super::events::live`], without stream and document ends.
pub fn events(text: &str) -> Option<Vec<Located<'_>>> {
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut scan = Scan { text, bytes: text.as_bytes(), out: Vec::with_capacity(text.len() / 12), open: 0, end: None };
    let first = scan.content_from(0, 1)??;
    let at = scan.place(first.start + first.indent, first);
    scan.push(Event::DocumentStart, at, 0);
    let after = scan.block_node(first)?;
    // Content at a smaller indentation than the root's is an error the parser reports.
    if after.is_some() {
        return None;
    }
    Some(scan.out)
}

/// Whether every character is one the parser reads as ordinary text: no control character
/// but the line feed (tabs and carriage returns included: they have rules of their own), no
/// C1 control, byte order mark, non-character or Unicode line separator.
fn plain_characters(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | 0x20..=0x7E => {}
            0..=0x1F | 0x7F => return false,
            // U+0080..U+009F.
            0xC2 if bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)) => return false,
            // U+2028, U+2029.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) => return false,
            // U+FEFF, U+FFFE, U+FFFF.
            0xEF if bytes.get(i + 1) == Some(&0xBB) && bytes.get(i + 2) == Some(&0xBF) => return false,
            0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// A line with content: where it starts, its number (1-based) and how many spaces open it.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    number: u32,
    indent: usize,
}

/// A place in the text: line, column (1-based, in characters) and byte offset.
#[derive(Clone, Copy)]
struct Place {
    line: u32,
    col: u32,
    offset: usize,
}

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    out: Vec<Located<'a>>,
    /// Collections open now.
    open: usize,
    /// Where the text ends (worked out once).
    end: Option<Place>,
}

/// What a block leaves behind: the next content line (at a smaller indentation than the
/// block's), or `None` at the end of the text.
type After = Option<Line>;

impl<'a> Scan<'a> {
    fn push(&mut self, event: Event<'a>, at: Place, len: usize) {
        self.out.push(Located { event, line: at.line, col: at.col, start: at.offset, end: at.offset + len });
    }

    fn scalar(&mut self, value: &'a str, plain: bool, at: Place, len: usize) {
        self.push(Event::Scalar { value: Cow::Borrowed(value), plain }, at, len);
    }

    fn opened(&mut self) -> Option<()> {
        self.open += 1;
        (self.open <= MAX_OPEN).then_some(())
    }

    /// The place of byte `offset` on `line`.
    fn place(&self, offset: usize, line: Line) -> Place {
        let before = &self.bytes[line.start..offset];
        let chars = before.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        Place { line: line.number, col: u32::try_from(chars + 1).unwrap_or(u32::MAX), offset }
    }

    /// Where the text ends, as the parser places the ends of the blocks open there.
    fn end_place(&mut self) -> Place {
        if let Some(end) = self.end {
            return end;
        }
        let last_break = self.bytes.iter().rposition(|&b| b == b'\n');
        let lines = self.bytes.iter().filter(|&&b| b == b'\n').count();
        let line_start = last_break.map_or(0, |i| i + 1);
        let line = Line { start: line_start, number: u32::try_from(lines + 1).unwrap_or(u32::MAX), indent: 0 };
        let end = self.place(self.bytes.len(), line);
        self.end = Some(end);
        end
    }

    /// Where the block that `after` follows ends: at `after`'s first character, or at the end.
    fn end_of_block(&mut self, after: After) -> Place {
        match after {
            Some(line) => self.place(line.start + line.indent, line),
            None => self.end_place(),
        }
    }

    /// Closes the block that `after` follows, where the parser places its end.
    fn close_block(&mut self, end: Event<'a>, after: After) -> After {
        let at = self.end_of_block(after);
        self.push(end, at, 0);
        self.open -= 1;
        after
    }

    /// The end of the line that starts at `start`: the offset of its line feed, or of the end.
    fn line_end(&self, start: usize) -> usize {
        self.bytes[start..].iter().position(|&b| b == b'\n').map_or(self.bytes.len(), |i| start + i)
    }

    /// The first line with content after the line that ends at `line_end` (line `number`).
    fn content_after(&self, line_end: usize, number: u32) -> Option<After> {
        if line_end >= self.bytes.len() {
            return Some(None);
        }
        self.content_from(line_end + 1, number.checked_add(1)?)
    }

    /// The first line with content from the line that starts at `start` (line `number`) on:
    /// blank lines and comment lines are skipped. `Some(None)` at the end of the text; `None`
    /// (give up) at a document marker.
    fn content_from(&self, mut start: usize, mut number: u32) -> Option<After> {
        loop {
            let rest = &self.bytes[start..];
            let indent = rest.iter().take_while(|&&b| b == b' ').count();
            match rest.get(indent) {
                None => return Some(None),
                Some(b'\n') | Some(b'#') => {
                    let end = self.line_end(start + indent);
                    if end == self.bytes.len() {
                        return Some(None);
                    }
                    start = end + 1;
                    number = number.checked_add(1)?;
                }
                Some(_) => {
                    if indent == 0 && (rest.starts_with(b"---") || rest.starts_with(b"...")) {
                        return None;
                    }
                    return Some(Some(Line { start, number, indent }));
                }
            }
        }
    }

    /// A block map or list starting at the first character of `line`.
    fn block_node(&mut self, line: Line) -> Option<After> {
        let at = line.start + line.indent;
        if self.is_entry(at) { self.block_sequence(line) } else { self.block_mapping(line, at) }
    }

    /// Whether a list entry's `-` is at `at`.
    fn is_entry(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-') && matches!(self.bytes.get(at + 1), None | Some(b' ' | b'\n'))
    }

    /// A block map whose first key is at `key` on `line`; its other keys are at the column of
    /// that one, on lines of their own.
    fn block_mapping(&mut self, mut line: Line, key: usize) -> Option<After> {
        self.opened()?;
        let indent = key - line.start;
        let at = self.place(key, line);
        self.push(Event::MappingStart, at, 0);
        let mut key = key;
        loop {
            let (value, line_end) = self.block_key(key, line)?;
            let after = if value == line_end {
                // The value is the block on the next lines, further in.
                let next = self.content_after(line_end, line.number)?;
                match next {
                    Some(next) if next.indent > indent => self.block_node(next)?,
                    _ => return None,
                }
            } else {
                self.inline_value(value, line, line_end)?;
                self.content_after(line_end, line.number)?
            };
            match after {
                Some(next) if next.indent == indent && !self.is_entry(next.start + next.indent) => {
                    line = next;
                    key = next.start + next.indent;
                }
                _ if after.is_none_or(|next| next.indent < indent) => {
                    return Some(self.close_block(Event::MappingEnd, after));
                }
                Some(_) => return None,
                None => return Some(self.close_block(Event::MappingEnd, None)),
            }
        }
    }

    /// A block key at `at` and its `:`; gives where its value starts (past the spaces) and
    /// where the line ends, the two being equal when nothing but a comment follows the `:`.
    fn block_key(&mut self, at: usize, line: Line) -> Option<(usize, usize)> {
        let line_end = self.line_end(at);
        let place = self.place(at, line);
        let colon = match self.bytes[at] {
            b'"' | b'\'' => {
                let close = self.quoted(at, line_end, place)?;
                (self.bytes.get(close) == Some(&b':')).then_some(close)?
            }
            _ => {
                let colon = self.bytes[at..line_end].iter().position(|&b| b == b':')? + at;
                let key = self.text.get(at..colon)?;
                let trimmed = key.trim_end_matches(' ');
                if trimmed.len() != key.len() || !plain_start(self.bytes, at) || key.contains('#') {
                    return None;
                }
                if trimmed.len() > MAX_KEY_BYTES {
                    return None;
                }
                self.scalar(trimmed, true, place, trimmed.len());
                colon
            }
        };
        if colon - at > MAX_KEY_BYTES {
            return None;
        }
        match self.bytes.get(colon + 1) {
            None | Some(b'\n') => Some((line_end, line_end)),
            Some(b' ') => {
                let value = self.skip_spaces(colon + 1, line_end);
                Some((if self.bytes.get(value) == Some(&b'#') { line_end } else { value }, line_end))
            }
            _ => None,
        }
    }

    fn skip_spaces(&self, mut at: usize, end: usize) -> usize {
        while at < end && self.bytes[at] == b' ' {
            at += 1;
        }
        at
    }

    /// A block list whose first `-` starts `line`.
    fn block_sequence(&mut self, mut line: Line) -> Option<After> {
        self.opened()?;
        let indent = line.indent;
        let at = self.place(line.start + indent, line);
        self.push(Event::SequenceStart, at, 0);
        loop {
            let dash = line.start + indent;
            let line_end = self.line_end(dash);
            let content = self.skip_spaces(dash + 1, line_end);
            if content == line_end || self.bytes[content] == b'#' || self.is_entry(content) {
                // An empty entry, a block under the `-`, or a list in a list.
                return None;
            }
            let after = if self.is_compact_key(content, line_end) {
                match self.block_mapping(line, content)? {
                    Some(next) if next.indent > indent => return None,
                    after => after,
                }
            } else {
                self.inline_value(content, line, line_end)?;
                self.content_after(line_end, line.number)?
            };
            match after {
                Some(next) if next.indent == indent && self.is_entry(next.start + next.indent) => line = next,
                _ if after.is_none_or(|next| next.indent < indent) => {
                    return Some(self.close_block(Event::SequenceEnd, after));
                }
                Some(_) => return None,
                None => return Some(self.close_block(Event::SequenceEnd, None)),
            }
        }
    }

    /// Whether the entry's content at `at` is a map's first key (`- name: x`).
    fn is_compact_key(&self, at: usize, line_end: usize) -> bool {
        let rest = &self.bytes[at..line_end];
        match rest.first() {
            Some(b'"' | b'\'') => {
                let quote = rest[0];
                rest[1..].iter().position(|&b| b == quote).is_some_and(|i| rest.get(i + 2) == Some(&b':'))
            }
            Some(b'{' | b'[') => false,
            _ => rest.iter().position(|&b| b == b':').is_some_and(|i| matches!(rest.get(i + 1), None | Some(b' '))),
        }
    }

    /// A one-line value at `at`, followed by nothing but spaces and a comment.
    fn inline_value(&mut self, at: usize, line: Line, line_end: usize) -> Option<()> {
        let end = self.flow_or_scalar(at, line, line_end, false)?;
        let rest = self.skip_spaces(end, line_end);
        match self.bytes.get(rest) {
            _ if rest == line_end => Some(()),
            Some(b'#') if rest > end => Some(()),
            _ => None,
        }
    }

    /// A value at `at` in block (`flow` false) or flow context: a quoted or plain scalar, a
    /// flow map or list. Gives the offset just past it.
    fn flow_or_scalar(&mut self, at: usize, line: Line, line_end: usize, flow: bool) -> Option<usize> {
        let place = self.place(at, line);
        match self.bytes.get(at)? {
            b'"' | b'\'' => self.quoted(at, line_end, place),
            b'{' => self.flow_mapping(at, line, line_end),
            b'[' => self.flow_sequence(at, line, line_end),
            _ => {
                let end = self.plain_end(at, line_end, flow)?;
                let value = self.text.get(at..end)?;
                self.scalar(value, true, place, end - at);
                Some(end)
            }
        }
    }

    /// A quoted scalar without escapes or line breaks at `at`: its event; gives the offset
    /// past its closing quote.
    fn quoted(&mut self, at: usize, line_end: usize, place: Place) -> Option<usize> {
        let quote = self.bytes[at];
        let inside = at + 1;
        let close = self.bytes[inside..line_end].iter().position(|&b| b == quote || b == b'\\')? + inside;
        if self.bytes[close] != quote || self.bytes.get(close + 1) == Some(&quote) {
            return None;
        }
        let value = self.text.get(inside..close)?;
        self.scalar(value, false, place, close + 1 - at);
        Some(close + 1)
    }

    /// Where a plain scalar starting at `at` ends (trailing spaces left out): at the end of
    /// the line, before a comment, or in flow context before `,`, `]`, `}` or a key's `:`.
    /// `None` for what the subset leaves to the parser: a doubtful first character, a colon
    /// or a `#` inside, a flow indicator inside a flow.
    fn plain_end(&self, at: usize, line_end: usize, flow: bool) -> Option<usize> {
        if !plain_start(self.bytes, at) {
            return None;
        }
        let mut end = at;
        let mut i = at;
        while i < line_end {
            match self.bytes[i] {
                b' ' => {
                    if self.bytes.get(i + 1) == Some(&b'#') {
                        break;
                    }
                }
                b':' if flow && matches!(self.bytes.get(i + 1), Some(b' ')) => break,
                b':' | b'#' => return None,
                b',' | b']' | b'}' if flow => break,
                b'[' | b'{' if flow => return None,
                _ => end = i + 1,
            }
            i += 1;
        }
        // A multi-byte character's last byte ends it.
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        (end > at).then_some(end)
    }

    /// `{ key: value, … }` on one line at `at`; gives the offset past its `}`.
    fn flow_mapping(&mut self, at: usize, line: Line, line_end: usize) -> Option<usize> {
        self.flow(at, line, line_end, (Event::MappingStart, Event::MappingEnd, b'}'), |scan, i| {
            let key_end = match scan.bytes.get(i)? {
                b'{' | b'[' => return None,
                _ => scan.flow_or_scalar(i, line, line_end, true)?,
            };
            if scan.bytes.get(key_end) != Some(&b':') || scan.bytes.get(key_end + 1) != Some(&b' ') {
                return None;
            }
            let value = scan.skip_spaces(key_end + 1, line_end);
            if matches!(scan.bytes.get(value), None | Some(b',' | b'}' | b'#' | b'\n')) {
                return None;
            }
            scan.flow_or_scalar(value, line, line_end, true)
        })
    }

    /// `[ value, … ]` on one line at `at`; gives the offset past its `]`.
    fn flow_sequence(&mut self, at: usize, line: Line, line_end: usize) -> Option<usize> {
        self.flow(at, line, line_end, (Event::SequenceStart, Event::SequenceEnd, b']'), |scan, i| {
            scan.flow_or_scalar(i, line, line_end, true)
        })
    }

    /// A flow collection opening at `at` and closing with `close` on the same line, its items
    /// (a map's entries, a list's values) read by `item`, which gives the offset past each;
    /// gives the offset past the closing bracket. No empty item, no trailing comma.
    fn flow(
        &mut self,
        at: usize,
        line: Line,
        line_end: usize,
        (start, end, close): (Event<'a>, Event<'a>, u8),
        mut item: impl FnMut(&mut Self, usize) -> Option<usize>,
    ) -> Option<usize> {
        self.opened()?;
        let open = self.place(at, line);
        self.push(start, open, 1);
        let mut i = self.skip_spaces(at + 1, line_end);
        if self.bytes.get(i) != Some(&close) {
            loop {
                let item_end = item(self, i)?;
                i = self.skip_spaces(item_end, line_end);
                match self.bytes.get(i) {
                    Some(b',') => {
                        i = self.skip_spaces(i + 1, line_end);
                        if matches!(self.bytes.get(i), None | Some(b',' | b'\n')) || self.bytes.get(i) == Some(&close) {
                            return None;
                        }
                    }
                    Some(&b) if b == close => break,
                    _ => return None,
                }
            }
        }
        let closed = self.place(i, line);
        self.push(end, closed, 1);
        self.open -= 1;
        Some(i + 1)
    }
}

/// Whether a plain scalar may start at `at`: not at an indicator (`-` only before a digit, as
/// in `-0.5`), not at a space.
fn plain_start(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None | Some(b' ' | b'\n') => false,
        Some(b'-') => bytes.get(at + 1).is_some_and(u8::is_ascii_digit),
        Some(b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>') => false,
        Some(b'\'' | b'"' | b'%' | b'@' | b'`') => false,
        Some(_) => true,
    }
}
