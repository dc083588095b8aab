//! Diagnostics as compilers print them: `file:line:col: error: message`, the source line
//! and a caret under the column.

use crate::diag::Diagnostic;
use crate::yaml::Source;

/// Renders diagnostics in order; `source_of` supplies the text of a named file, when known.
pub fn render<'a>(diags: &[Diagnostic], source_of: &dyn Fn(&str) -> Option<&'a Source>) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
        if d.pos.is_known()
            && let Some(line) = source_of(&d.file).and_then(|s| s.line(d.pos.line))
        {
            let number = d.pos.line.to_string();
            let pad = " ".repeat(number.len());
            let line = line.trim_end_matches('\r');
            // The caret sits under the column, counting wide (CJK) characters as two cells.
            let before: String = line.chars().take(d.pos.col.saturating_sub(1) as usize).collect();
            let width: usize = before.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum();
            out.push_str(&format!(" {number} | {line}\n {pad} | {}^\n", " ".repeat(width)));
        }
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn caret_under_column_with_cjk() {
        let src = Source { name: "a.yaml".into(), text: "x: 1\n标题: 5x\n".into() };
        let d = Diagnostic::error("a.yaml", Pos::new(2, 5), "bad");
        let text = render(&[d], &|_| Some(&src));
        assert_eq!(text, "a.yaml:2:5: error: bad\n 2 | 标题: 5x\n   |       ^\n");
    }
}
