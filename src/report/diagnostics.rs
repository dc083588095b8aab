//! Diagnostics as compilers print them: `file:line:col: error: message`, then the source line
//! with the offending token underlined (annotate-snippets, the renderer rustc and cargo use).

use crate::diag::Diagnostic;
use crate::yaml::Source;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Renders diagnostics in order; `source_of` supplies the text of a named file, when known.
pub fn render<'a>(diags: &[Diagnostic], source_of: &dyn Fn(&str) -> Option<&'a Source>) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
        if let (Some(number), Some(col)) = (d.pos.line(), d.pos.col())
            && let Some(line) = source_of(&d.file).and_then(|s| s.line(number))
        {
            out.push_str(&snippet(line.trim_end_matches('\r'), number, col, d.is_error()));
            out.push('\n');
        }
    }
    out
}

fn snippet(line: &str, number: u32, col: u32, error: bool) -> String {
    let start = line.char_indices().nth(col.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i);
    let end = start + token_len(&line[start..]);
    let level = if error { Level::ERROR } else { Level::WARNING };
    let group = Group::with_level(level).element(
        Snippet::source(line).line_start(number as usize).annotation(AnnotationKind::Primary.span(start..end)),
    );
    Renderer::plain().render(&[group])
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
        let text = render(&[d], &|_| Some(&src));
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
