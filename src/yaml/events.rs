//! The parser's events, reduced to what a plain document is built from — read live from a
//! text, or replayed from a recording of them.
//!
//! build.rs records the events of every built-in rubric, so that the binary need not parse
//! their 22 KB of YAML at every start; a replay gives exactly the events a live parse gives,
//! and the tree is then built by the same code either way (`Source::build`).
//!
//! build.rs compiles this file too (`#[path]`), so it uses nothing else of the crate.

use granit_parser::{Event as Parsed, Parser, ScalarStyle};
use std::borrow::Cow;

/// One event a plain document is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    DocumentStart,
    Scalar {
        value: Cow<'a, str>,
        plain: bool,
    },
    SequenceStart,
    MappingStart,
    SequenceEnd,
    MappingEnd,
    /// Whatever a plain document does not have — an anchor, alias or tag, a syntax error, a
    /// position beyond u32 — after which the plain path gives up and the full parse decides.
    Other,
}

/// An event with where it is written: 1-based line and column of its start, and the byte
/// range of its written text in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<'a> {
    pub event: Event<'a>,
    pub line: u32,
    pub col: u32,
    pub start: usize,
    pub end: usize,
}

impl Located<'_> {
    const OTHER: Located<'static> = Located { event: Event::Other, line: 0, col: 0, start: 0, end: 0 };
}

/// The events of `text` as the parser gives them. Stream starts and ends and document ends
/// are left out; the first `Other` ends the stream.
pub fn live(text: &str) -> impl Iterator<Item = Located<'_>> {
    let mut parser = Parser::new_from_str(text);
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let Some(item) = parser.next() else {
                done = true;
                break;
            };
            let located = match item {
                Ok((event, span)) => {
                    let event = match event {
                        Parsed::StreamStart | Parsed::StreamEnd | Parsed::DocumentEnd => continue,
                        Parsed::DocumentStart(..) => Event::DocumentStart,
                        Parsed::Scalar(value, style, 0, None) => {
                            Event::Scalar { value, plain: style == ScalarStyle::Plain }
                        }
                        Parsed::SequenceStart(_, 0, None) => Event::SequenceStart,
                        Parsed::MappingStart(_, 0, None) => Event::MappingStart,
                        Parsed::SequenceEnd => Event::SequenceEnd,
                        Parsed::MappingEnd => Event::MappingEnd,
                        _ => Event::Other,
                    };
                    let place = (
                        u32::try_from(span.start.line()),
                        span.start.col().checked_add(1).map(u32::try_from),
                        span.start.byte_offset(),
                        span.end.byte_offset(),
                    );
                    match place {
                        (Ok(line), Some(Ok(col)), Some(start), Some(end)) => Located { event, line, col, start, end },
                        _ => Located::OTHER,
                    }
                }
                Err(_) => Located::OTHER,
            };
            done = located.event == Event::Other;
            return Some(located);
        }
        None
    })
}

/// Marks a recording and its format; a recording without it is not replayed.
const MAGIC: &[u8] = b"selfeval-events-2\n";

/// How a recorded scalar's value is stored: most values are their written text, or it without
/// its quotes, so only where it lies is kept.
const VALUE_INLINE: u8 = 0;
const VALUE_WRITTEN: u8 = 1;
const VALUE_INSIDE_QUOTES: u8 = 2;

/// The events of `text` in a compact form for [`replay`]: after [`MAGIC`] and the text's
/// length and [`fingerprint`], each event is a tag byte, then line, column, start and end; a
/// scalar then has a VALUE_* byte, and for VALUE_INLINE its value's length and bytes. Every
/// number is an unsigned LEB128.
#[doc(hidden)]
pub fn record(text: &str) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    put(&mut out, text.len());
    out.extend_from_slice(&fingerprint(text).to_le_bytes());
    for located in live(text) {
        let tag = match &located.event {
            Event::DocumentStart => 0,
            Event::Scalar { plain: true, .. } => 1,
            Event::Scalar { plain: false, .. } => 2,
            Event::SequenceStart => 3,
            Event::MappingStart => 4,
            Event::SequenceEnd => 5,
            Event::MappingEnd => 6,
            Event::Other => 7,
        };
        out.push(tag);
        for n in [located.line as usize, located.col as usize, located.start, located.end] {
            put(&mut out, n);
        }
        if let Event::Scalar { value, .. } = &located.event {
            let inside = located.start.checked_add(1).zip(located.end.checked_sub(1));
            if text.get(located.start..located.end) == Some(value) {
                out.push(VALUE_WRITTEN);
            } else if inside.and_then(|(a, b)| text.get(a..b)) == Some(value) {
                out.push(VALUE_INSIDE_QUOTES);
            } else {
                out.push(VALUE_INLINE);
                put(&mut out, value.len());
                out.extend_from_slice(value.as_bytes());
            }
        }
    }
    out
}

/// The events that a [`record`]ing of `text` holds. A recording of another text, or a
/// damaged one, replays as `Other`, so that the text is parsed instead.
pub fn replay<'a>(recording: &'a [u8], text: &'a str) -> impl Iterator<Item = Located<'a>> {
    let mut rest = recording.strip_prefix(MAGIC);
    let of_text = rest.as_mut().and_then(take) == Some(text.len())
        && rest.as_mut().and_then(|body| body.split_off(..8)) == Some(&fingerprint(text).to_le_bytes()[..]);
    if !of_text {
        rest = None;
    }
    let mut first = true;
    std::iter::from_fn(move || {
        let located = match rest.as_mut() {
            Some([]) => return None,
            Some(body) => next_recorded(body, text).unwrap_or(Located::OTHER),
            None if first => Located::OTHER,
            None => return None,
        };
        first = false;
        if located.event == Event::Other {
            rest = None;
        }
        Some(located)
    })
}

fn next_recorded<'a>(body: &mut &'a [u8], text: &'a str) -> Option<Located<'a>> {
    let (&tag, tail) = body.split_first()?;
    *body = tail;
    let line = u32::try_from(take(body)?).ok()?;
    let col = u32::try_from(take(body)?).ok()?;
    let start = take(body)?;
    let end = take(body)?;
    let event = match tag {
        0 => Event::DocumentStart,
        1 | 2 => {
            let (&how, tail) = body.split_first()?;
            *body = tail;
            let value = match how {
                VALUE_WRITTEN => text.get(start..end)?,
                VALUE_INSIDE_QUOTES => text.get(start.checked_add(1)?..end.checked_sub(1)?)?,
                VALUE_INLINE => {
                    let len = take(body)?;
                    let (bytes, tail) = (body.get(..len)?, body.get(len..)?);
                    *body = tail;
                    std::str::from_utf8(bytes).ok()?
                }
                _ => return None,
            };
            Event::Scalar { value: Cow::Borrowed(value), plain: tag == 1 }
        }
        3 => Event::SequenceStart,
        4 => Event::MappingStart,
        5 => Event::SequenceEnd,
        6 => Event::MappingEnd,
        _ => Event::Other,
    };
    Some(Located { event, line, col, start, end })
}

/// FNV-1a of the text: a recording is replayed only for the text it was made from.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

fn put(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n & 0x7F) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take(body: &mut &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for shift in (0..usize::BITS).step_by(7) {
        let (&byte, tail) = body.split_first()?;
        *body = tail;
        let part = usize::from(byte & 0x7F);
        let shifted = part.checked_shl(shift)?;
        if shifted >> shift != part {
            return None;
        }
        n |= shifted;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}
