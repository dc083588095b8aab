//! Names and ids in a rubric: a value chosen among fixed names, the characters an id may hold,
//! the names fields and derived values may take.

use crate::diag::{Diagnostics, Pos, describe_deceptive, is_deceptive, list_separator, with_suggestion};
use crate::expr;
use crate::lang::Lang;
use crate::rubric::model::NaPolicy;
use crate::tr;
use crate::yaml::{Node as YNode, Reader};

/// A text that must be one of `names`; anything else is reported, with "did you mean".
pub(super) fn read_name<'a>(
    file: &str,
    node: &YNode,
    what: &str,
    names: &[&'a str],
    diags: &mut Diagnostics,
    lang: Lang,
) -> Option<&'a str> {
    let text = Reader { file, lang }.text(node, what, diags)?;
    let found = names.iter().find(|n| **n == text).copied();
    if found.is_none() {
        diags.error(
            file,
            node.pos.clone(),
            with_suggestion(
                tr!(lang, "{what}：未知的取值 \"{text}\"", "{what}: unknown value \"{text}\""),
                &text,
                names.iter().copied(),
                lang,
            ),
        );
    }
    found
}

/// A `not_applicable` policy by its name.
pub(super) fn read_policy(file: &str, node: &YNode, diags: &mut Diagnostics, lang: Lang) -> Option<NaPolicy> {
    read_name(file, node, "`not_applicable`", &NaPolicy::NAMES, diags, lang).and_then(NaPolicy::from_name)
}

/// Ids are shown in tables, CSV and messages and compared by eye. A control character (NUL,
/// a line break, escape), a zero-width character or a bidirectional-text control (which
/// reorders what a terminal shows: `a\u{202E}dcb` reads as `abcd`) would let one id pass for
/// another, so none is allowed. Reported at the first such character, naming each (U+XXXX).
pub(super) fn check_id_characters(file: &str, node: &YNode, id: &str, what: &str, diags: &mut Diagnostics, lang: Lang) {
    let Some(first) = id.chars().position(is_deceptive) else { return };
    let mut found: Vec<char> = Vec::new();
    for c in id.chars().filter(|c| is_deceptive(*c)) {
        if !found.contains(&c) && found.len() < 5 {
            found.push(c);
        }
    }
    let named: Vec<String> = found.into_iter().map(|c| describe_deceptive(c, lang)).collect();
    let named = named.join(&list_separator(lang));
    // The character's own column when the id is written as is (not quoted with escapes).
    let pos = match (node.content_col, node.pos.line()) {
        (Some(start), Some(line)) => Pos::new(line, start + u32::try_from(first).unwrap_or(0)),
        _ => node.pos.clone(),
    };
    diags.error(
        file,
        pos,
        tr!(
            lang,
            "{what}：id 含有 {named}；id 不能含有控制字符、零宽字符或双向文本控制符，它们会让一个 id 看起来像另一个",
            "{what}: the id contains {named}; ids may not contain control, zero-width or bidirectional-text characters, which make one id look like another"
        ),
    );
}

/// A field's or derived value's name: not a reserved word, and a valid name for expressions.
pub(super) fn check_name(file: &str, pos: Pos, name: &str, what: &str, diags: &mut Diagnostics, lang: Lang) {
    if expr::is_reserved(name) {
        diags.error(file, pos, tr!(lang, "{what}：`{name}` 是保留字", "{what}: `{name}` is a reserved word"));
    } else if !expr::is_valid_name(name) {
        diags.error(
            file,
            pos,
            tr!(
                lang,
                "{what}：`{name}` 不是有效的名称（第一个字符须是字母、`_` 或汉字，其后是字母、数字、`_`、`.` 或汉字；不能以点结尾）",
                "{what}: `{name}` is not a valid name (a letter, `_` or CJK character first, then letters, digits, `_`, `.`, CJK; no trailing dot)"
            ),
        );
    }
}
