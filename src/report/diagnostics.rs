//! Diagnostics as compilers print them: `file:line:col: error: message`, then the source line
//! with the offending token underlined (annotate-snippets, the renderer rustc and cargo use).
//!
//! The cost is linear in the diagnostics and the sources' size, whatever a file holds: each
//! source's line starts are found once, a snippet shows at most [`SNIPPET_CHARS`] characters of
//! its line, and past [`SHOWN_PER_KIND`] problems of one kind in one file the rest are listed
//! on one bounded line (`validate --format json` and a result's JSON `warnings` keep them all).

use crate::diag::{Diagnostic, Severity, code_point, excerpt, is_deceptive, printable};
use crate::lang::Lang;
use crate::tr;
use crate::yaml::Source;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::HashMap;

/// Problems of one kind in one file shown in full; the rest are summed up on one line.
pub const SHOWN_PER_KIND: usize = 100;
/// Names listed on that line.
const NAMED_IN_SUMMARY: usize = 20;
/// Characters of one name on that line.
const NAME_CHARS: usize = 40;
/// Characters of a source line shown under a diagnostic.
pub const SNIPPET_CHARS: usize = 120;

/// Renders diagnostics in order; `source_of` supplies the text of a named file, when known.
pub fn render<'a>(diags: &[Diagnostic], source_of: &dyn Fn(&str) -> Option<&'a Source>, lang: Lang) -> String {
    let mut out = String::new();
    let mut lines: HashMap<&str, Option<Lines<'a>>> = HashMap::new();
    // Per kind: how many were seen, and its place in `overflows` once past its quota.
    let mut kinds: HashMap<(&str, Severity, String), (usize, Option<usize>)> = HashMap::new();
    let mut overflows: Vec<Overflow> = Vec::new();
    for d in diags {
        let kind = kind_of(&d.message);
        let (seen, overflow) = kinds.entry((d.file.as_str(), d.severity, kind.clone())).or_insert((0, None));
        *seen += 1;
        if *seen > SHOWN_PER_KIND {
            let i = *overflow.get_or_insert_with(|| {
                overflows.push(Overflow {
                    file: d.file.clone(),
                    severity: d.severity,
                    kind,
                    count: 0,
                    names: Vec::new(),
                });
                overflows.len() - 1
            });
            if let Some(o) = overflows.get_mut(i) {
                o.add(d);
            }
            continue;
        }
        out.push_str(&printable(&d.to_string()));
        out.push('\n');
        let (Some(number), Some(col)) = (d.pos.line(), d.pos.col()) else { continue };
        let index = lines.entry(d.file.as_str()).or_insert_with(|| source_of(&d.file).map(|s| Lines::new(&s.text)));
        if let Some(line) = index.as_ref().and_then(|l| l.line(number)) {
            out.push_str(&snippet(line.trim_end_matches('\r'), number, col, d.is_error()));
            out.push('\n');
        }
    }
    for o in &overflows {
        out.push_str(&o.line(lang));
        out.push('\n');
    }
    out
}

/// What makes two messages "of one kind": the message with every quoted part (between
/// backticks) left out, so `unknown key `a`` and `unknown key `b`` are one kind.
fn kind_of(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        kind.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        let inside = i % 2 == 0;
        // An unclosed quote keeps its text: it is not a quoted part.
        if inside && i + 1 < rest.len() {
            kind.push_str("`…`");
        } else if inside {
            kind.push('`');
            kind.push_str(part);
        } else {
            kind.push_str(part);
        }
    }
    kind
}

/// The first quoted part of a message: the name a problem concerns.
fn name_of(message: &str) -> Option<&str> {
    let mut parts = message.split('`');
    parts.next()?;
    let name = parts.next()?;
    parts.next().map(|_| name)
}

/// Problems of one kind past [`SHOWN_PER_KIND`].
struct Overflow {
    file: String,
    severity: Severity,
    kind: String,
    count: usize,
    /// The first [`NAMED_IN_SUMMARY`], by name, or by line:col when the message quotes none.
    names: Vec<String>,
}

impl Overflow {
    fn add(&mut self, d: &Diagnostic) {
        self.count += 1;
        if self.names.len() < NAMED_IN_SUMMARY {
            let name = match name_of(&d.message) {
                Some(name) => excerpt(name, 0, NAME_CHARS).0,
                None if d.pos.is_known() => d.pos.to_string(),
                None => String::new(),
            };
            self.names.push(name);
        }
    }

    /// `file: warning: … 119900 more of this kind (values: `…` is not a field …): k1, k2, …`
    fn line(&self, lang: Lang) -> String {
        let mut names = self.names.join(&crate::diag::list_separator(lang));
        if self.count > self.names.len() {
            names.push_str(&crate::diag::list_separator(lang));
            names.push('…');
        }
        // A list of left-out names reads as one: `…`, `…`, `…` → `…`.
        let mut kind = self.kind.clone();
        for separator in [", ", "、"] {
            let pair = format!("`…`{separator}`…`");
            while kind.contains(&pair) {
                kind = kind.replace(&pair, "`…`");
            }
        }
        let (kind, _) = excerpt(&kind, 0, SNIPPET_CHARS);
        let count = self.count;
        let message =
            tr!(lang, "… 另有 {count} 条同类问题（{kind}）：{names}", "… {count} more of this kind ({kind}): {names}");
        let summary = Diagnostic {
            severity: self.severity,
            file: self.file.clone(),
            pos: Default::default(),
            message,
            also: None,
        };
        printable(&summary.to_string()).into_owned()
    }
}

/// A text's lines, found once: `line(n)` is what `text.lines().nth(n - 1)` gives, without
/// scanning the text again for every diagnostic.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = Vec::new();
        if !text.is_empty() {
            starts.push(0);
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1).filter(|&s| s < text.len()));
        }
        Lines { text, starts }
    }

    /// Line `n` (1-based) without its line break.
    fn line(&self, n: u32) -> Option<&'a str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(self.text.len(), |next| next - 1);
        let line = self.text.get(start..end)?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

fn snippet(line: &str, number: u32, col: u32, error: bool) -> String {
    // A long line (a whole flow map, a formula of thousands of characters) is shown as a
    // window around the column, so each snippet costs the same whatever the line holds.
    let col = col.saturating_sub(1) as usize;
    let (shown, at) = excerpt(line, col, SNIPPET_CHARS);
    let (shown, at) = visible(&shown, at);
    let line = shown.as_str();
    let start = line.char_indices().nth(at).map_or(line.len(), |(i, _)| i);
    let end = start + token_len(&line[start..]);
    let level = if error { Level::ERROR } else { Level::WARNING };
    let group = Group::with_level(level).element(
        Snippet::source(line).line_start(number as usize).annotation(AnnotationKind::Primary.span(start..end)),
    );
    Renderer::plain().render(&[group])
}

/// `line` with each [`is_deceptive`] character but the tab (which the renderer expands) shown
/// as `<U+XXXX>`, and where character `at` is then: a bidirectional control in a source line
/// must not reorder the snippet that reports it.
fn visible(line: &str, at: usize) -> (String, usize) {
    let mut out = String::with_capacity(line.len());
    let mut moved = at;
    for (i, c) in line.chars().enumerate() {
        if is_deceptive(c) && c != '\t' {
            let shown = format!("<{}>", code_point(c));
            if i < at {
                moved += shown.chars().count() - 1;
            }
            out.push_str(&shown);
        } else {
            out.push(c);
        }
    }
    (out, moved)
}

/// The length in bytes of the YAML token at the start of `rest`: a quoted scalar, a key, or a
/// plain scalar up to a comment, a flow delimiter or the end of the line.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, q @ ('"' | '\''))) => chars.find(|(_, c)| *c == q).map_or(rest.len(), |(i, c)| i + c.len_utf8()),
        Some((_, c)) if "[{-".contains(c) => c.len_utf8(),
        Some(_) => {
            let end = rest
                .char_indices()
                .find(|&(i, c)| {
                    matches!(c, ',' | ']' | '}')
                        || (c == '#' && i > 0)
                        || (c == ':' && rest[i + 1..].starts_with([' ', '\t']))
                        || (c == ':' && i + 1 == rest.len())
                })
                .map_or(rest.len(), |(i, _)| i);
            rest[..end].trim_end().len().max(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn underlines_the_value_with_cjk() {
        let src = Source { name: "a.yaml".into(), text: "x: 1\n标题: 5x  # note\n".into() };
        let d = Diagnostic::error("a.yaml", Pos::new(2, 5), "bad");
        let text = render(&[d], &|_| Some(&src), Lang::En);
        assert_eq!(text, "a.yaml:2:5: error: bad\n  |\n2 | 标题: 5x  # note\n  |       ^^\n");
    }

    #[test]
    fn token_lengths() {
        assert_eq!(token_len("\"95篇\" # c"), "\"95篇\"".len());
        assert_eq!(token_len("wieght: 3"), "wieght".len());
        assert_eq!(token_len("yes   # c"), 3);
        assert_eq!(token_len("{a: 1}"), 1);
        assert_eq!(token_len("1.5, 2]"), 3);
        assert_eq!(token_len(""), 0);
    }
}
