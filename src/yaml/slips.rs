//! The common slips behind YAML errors, told in the user's language with their fix: no space
//! after `:`, a full-width `：`, tab indentation, a wrong indent, an unclosed quote or
//! bracket. The parser's own wording is English and names its state, not the slip
//! (`while parsing a block mapping, did not find expected key`); the error keeps its place.

use super::tree::{Kind, Node};
use crate::lang::Lang;
use crate::tr;

/// What went wrong at a syntax error, with its fix: from what the line itself shows (`line`,
/// the text of the line the parser stopped at), or the line before it (a `key:value` there
/// makes the parser stop at the next key), else from the parser's `message`; the parser's
/// words only where neither says more.
pub(super) fn syntax(message: &str, line: Option<&str>, before: Option<&str>, lang: Lang) -> String {
    if let Some(slip) = line.and_then(|l| line_slip(l, lang)) {
        return slip;
    }
    if let Some(fix) = before.and_then(|l| map_slip(l.trim(), lang)) {
        return tr!(lang, "YAML 格式错误：上一行 {fix}", "invalid YAML: on the line before, {fix}");
    }
    let known: &[(&str, &str, &str)] = &[
        (
            "tabs disallowed",
            "缩进里有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
            "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces",
        ),
        (
            "did not find expected '-' indicator",
            "缩进不一致：列表的每一项都以 “- ” 开头且彼此左对齐；这一行若是新的键，请让它与上一层的键对齐",
            "the indentation does not line up: every item of a list starts with `- ` at the same column; if this line is a new key, align it with the keys above the list",
        ),
        (
            "did not find expected key",
            "缩进不一致：同一层的键必须用相同数量的空格左对齐，这一行比上面的同级键多缩进或少缩进了",
            "the indentation does not line up: keys of one map start at the same column, and this line is indented more or less than the keys above it",
        ),
        (
            "mapping values are not allowed",
            "这里不能出现“键: 值”：这一行的缩进多于上一行的同级键，或者值里含有“: ”——请对齐缩进，或给含冒号的值加引号",
            "a `key: value` is not allowed here: this line is indented more than the key before it, or a value contains `: ` — line the keys up, or put the value in quotes",
        ),
        (
            "could not find expected ':'",
            "缺少冒号：键和值之间要写英文冒号加一个空格，如 `goals.set: true`",
            "a `:` is missing: write the key, a colon and a space before the value, as in `goals.set: true`",
        ),
        (
            "unclosed quote",
            "引号没有闭合：请在值的末尾补上配对的引号（\" 或 '）",
            "an unclosed quote: end the value with the matching quote (\" or ')",
        ),
        (
            "found unexpected end of stream",
            "文件在一个值的中间结束了：请检查引号和括号是否都已闭合",
            "the file ends in the middle of a value: check that every quote and bracket is closed",
        ),
        (
            "unclosed bracket",
            "括号没有闭合：[ 要有对应的 ]，{ 要有对应的 }",
            "an unclosed bracket: every [ needs its ], every { its }",
        ),
    ];
    match known.iter().find(|(part, _, _)| message.contains(part)) {
        Some((_, zh, en)) => tr!(lang, "YAML 格式错误：{zh}", "invalid YAML: {en} (the parser: {message})"),
        None => tr!(lang, "YAML 格式错误（解析器原文）：{message}", "invalid YAML: {message}"),
    }
}

/// A slip the line shows by itself: a tab before its content, a full-width colon after a key,
/// a key and value with no space after the colon.
fn line_slip(line: &str, lang: Lang) -> Option<String> {
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    if indent.contains('\t') {
        return Some(tr!(
            lang,
            "YAML 格式错误：这一行用制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格",
            "invalid YAML: this line is indented with a tab; YAML indents with spaces only — replace the tab with spaces"
        ));
    }
    map_slip(line.trim(), lang).map(|fix| tr!(lang, "YAML 格式错误：{fix}", "invalid YAML: {fix}"))
}

/// What a text that should have been `key: value` shows: `goals.set:true` (no space after the
/// colon) or `goals.set：true` (a full-width colon), with the line written right.
fn map_slip(text: &str, lang: Lang) -> Option<String> {
    let text = text.trim_start_matches("- ");
    // A name as rubrics write them: a letter or CJK character first (so `10:30` is a time).
    let key_like = |k: &str| {
        k.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && k.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-') || !c.is_ascii())
    };
    if let Some((key, value)) = text.split_once('：')
        && key_like(key.trim())
    {
        let (key, value) = (key.trim(), value.trim());
        return Some(tr!(
            lang,
            "`{key}` 后面是中文全角冒号“：”，YAML 只认英文冒号：请写成 `{key}: {value}`（冒号后加一个空格）",
            "`{key}` is followed by a full-width colon `：`; YAML needs an ASCII colon: write `{key}: {value}` (a space after the colon)"
        ));
    }
    if let Some((key, value)) = text.split_once(':')
        && key_like(key)
        && !value.is_empty()
        && !value.starts_with([' ', '/'])
    {
        return Some(tr!(
            lang,
            "`{key}:` 后面缺少空格，整行被读成了一段文本：请写成 `{key}: {value}`（冒号后加一个空格）",
            "no space after `{key}:`, so the line reads as one text: write `{key}: {value}` (a space after the colon)"
        ));
    }
    None
}

impl Node {
    /// Why a text here was most likely meant as a map (`goals.set:true`, `goals.set：true`),
    /// with its fix, to follow "must be a map, found text"; empty when it shows no such slip.
    pub fn map_slip(&self, lang: Lang) -> String {
        match &self.kind {
            Kind::Str(text) => {
                let first = text.lines().next().unwrap_or_default();
                map_slip(first, lang).map(|fix| tr!(lang, "。{fix}", ". {fix}")).unwrap_or_default()
            }
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_with_their_fixes() {
        let zh = |m: &str, line: &str| syntax(m, Some(line), None, Lang::Zh);
        assert!(zh("x", "\t  b: 1").contains("制表符"));
        assert!(zh("x", "  goals.set:true").contains("`goals.set: true`"));
        assert!(zh("x", "  goals.set：true").contains("全角冒号"));
        assert!(zh("x", "  url: http://a").starts_with("YAML 格式错误（解析器原文）"));
        assert!(zh("while parsing a block mapping, did not find expected key", "   c: 2").contains("左对齐"));
        assert!(zh("unclosed quote", "  a: \"open").contains("引号没有闭合"));
        let en = syntax("unclosed bracket '['", Some("  a: [1, 2"), None, Lang::En);
        let before = syntax(
            "mapping values are not allowed in this context",
            Some("  b: 2"),
            Some("  goals.set:true"),
            Lang::Zh,
        );
        assert!(before.contains("上一行 `goals.set:` 后面缺少空格"), "{before}");
        assert!(en.contains("every [ needs its ]") && en.contains("(the parser: unclosed bracket '[')"), "{en}");
        // A time or a URL is a text, not a slip.
        assert_eq!(map_slip("10:30", Lang::En), None);
        assert_eq!(map_slip("see http://x.cn", Lang::En), None);
    }
}
