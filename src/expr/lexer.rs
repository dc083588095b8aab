//! Text → tokens. Positions are byte offsets; errors convert them to character columns.

use super::ParseError;
use crate::lang::Lang;
use crate::tr;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Num(Decimal),
    Text(String),
    Name(String),
    And,
    Or,
    Not,
    True,
    False,
    LParen,
    RParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

impl Tok {
    /// For messages ("found …"), in `lang`.
    pub(crate) fn describe(&self, lang: Lang) -> String {
        let sym = match self {
            Tok::Num(d) => return tr!(lang, "数字 `{d}`", "number `{d}`"),
            Tok::Text(t) => {
                let t = super::quote_part(t);
                return tr!(lang, "文本 \"{t}\"", "text \"{t}\"");
            }
            Tok::Name(n) => {
                let n = super::quote_part(n);
                return tr!(lang, "名称 `{n}`", "name `{n}`");
            }
            Tok::Eof => return tr!(lang, "表达式结尾", "the end of the expression"),
            Tok::And => "and",
            Tok::Or => "or",
            Tok::Not => "not",
            Tok::True => "true",
            Tok::False => "false",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::EqEq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
        };
        tr!(lang, "符号 `{sym}`", "`{sym}`")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// `char::is_alphabetic` covers Latin letters and CJK ideographs alike.
pub(crate) fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '.'
}

/// The ASCII spelling of characters that Chinese input methods produce instead.
fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '（' => "(",
        '）' => ")",
        '，' => ",",
        '＋' => "+",
        '－' => "-",
        '＊' | '×' => "*",
        '／' | '÷' => "/",
        '＝' => "==",
        '＜' => "<",
        '＞' => ">",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '“' | '”' => "\"",
        '‘' | '’' => "'",
        _ => return None,
    })
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Consumes the characters after the current one while `pred` holds.
fn skip_while(chars: &mut Chars<'_>, pred: fn(char) -> bool) {
    while chars.next_if(|&(_, c)| pred(c)).is_some() {}
}

pub(crate) fn lex(src: &str, lang: Lang) -> Result<Vec<Token>, ParseError> {
    let err = |at: usize, msg: String| ParseError::at(src, at, msg);
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        // Byte offset just past what has been consumed.
        let end_of = |chars: &mut Chars<'_>| chars.peek().map_or(src.len(), |&(i, _)| i);
        let tok = if c.is_whitespace() {
            continue;
        } else if c.is_ascii_digit() {
            // Take everything a number could be confused with (`0x1F`, `1e3`, `1_000`, `2.5.1`,
            // `3个`) so the whole run is rejected with its reason, not split into odd tokens.
            skip_while(&mut chars, is_name_char);
            let text = &src[start..end_of(&mut chars)];
            let d = crate::number::parse_literal(text)
                .map_err(|e| err(start, tr!(lang, "数字 `{text}` {}", "number `{text}` {}", e.describe(lang))))?;
            Tok::Num(d)
        } else if is_name_start(c) {
            skip_while(&mut chars, is_name_char);
            let text = &src[start..end_of(&mut chars)];
            if text.ends_with('.') || text.contains("..") {
                return Err(err(
                    start,
                    tr!(
                        lang,
                        "名称 `{text}` 有两个点之间是空的，或以点结尾",
                        "name `{text}` has an empty part between dots or ends with a dot"
                    ),
                ));
            }
            match text {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                "true" => Tok::True,
                "false" => Tok::False,
                _ => Tok::Name(text.to_owned()),
            }
        } else if c == '"' || c == '\'' {
            // No escapes: texts are level labels and short phrases. A text containing one kind
            // of quote is written with the other.
            let body = start + 1;
            let Some(len) = src[body..].find(c) else {
                return Err(err(start, tr!(lang, "文本没有结束：缺少配对的 {c}", "unterminated text: no closing {c}")));
            };
            while chars.next_if(|&(i, _)| i <= body + len).is_some() {}
            Tok::Text(src[body..body + len].to_owned())
        } else {
            let mut then = |want: char| chars.next_if(|&(_, n)| n == want).is_some();
            match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                '+' => Tok::Plus,
                '-' => Tok::Minus,
                '*' => Tok::Star,
                '/' => Tok::Slash,
                '=' if then('=') => Tok::EqEq,
                '!' if then('=') => Tok::Ne,
                '<' if then('=') => Tok::Le,
                '>' if then('=') => Tok::Ge,
                '<' => Tok::Lt,
                '>' => Tok::Gt,
                _ => {
                    let hint = match c {
                        '=' => tr!(lang, "；比较是否相等请写 `==`", "; write `==` to compare"),
                        '!' => tr!(lang, "；请写 `not` 或 `!=`", "; write `not` or `!=`"),
                        '&' => tr!(lang, "；请写 `and`", "; write `and`"),
                        '|' => tr!(lang, "；请写 `or`", "; write `or`"),
                        '%' => tr!(
                            lang,
                            "；百分数直接写数字（96.5 表示 96.5%）",
                            "; percents are plain numbers (96.5 means 96.5 %)"
                        ),
                        '^' => {
                            tr!(lang, "；没有乘方运算符，请改用乘法", "; there is no power operator, multiply instead")
                        }
                        '.' => tr!(
                            lang,
                            "；小数点前面要有数字（如 0.5）",
                            "; a number needs a digit before its point (0.5)"
                        ),
                        _ => ascii_for(c)
                            .map(|a| tr!(lang, "；请改用英文半角的 `{a}`", "; write the ASCII `{a}`"))
                            .unwrap_or_default(),
                    };
                    return Err(err(
                        start,
                        tr!(lang, "无法识别的字符 `{c}`{hint}", "unexpected character `{c}`{hint}"),
                    ));
                }
            }
        };
        out.push(Token { tok, start, end: end_of(&mut chars) });
    }
    Ok(out)
}
