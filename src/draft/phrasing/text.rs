//! A standard's text made regular before it is read: one form for each sign, sentences, and
//! the sentences that state no rule set aside.

use super::num;
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

/// A pattern compiled once; `None` only if it did not compile (a test checks every one does).
pub(crate) type Pattern = LazyLock<Option<Regex>>;

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        pub(crate) static $name: $crate::draft::phrasing::text::Pattern =
            std::sync::LazyLock::new(|| regex::Regex::new($re).ok());
    };
}
pub(crate) use pattern;

/// A number as the patterns write it (for `concat!`).
macro_rules! n {
    () => {
        r"\d+(?:\.\d+)?"
    };
}
pub(crate) use n;

pub(crate) fn captures<'t>(p: &Pattern, text: &'t str) -> Option<regex::Captures<'t>> {
    p.as_ref()?.captures(text)
}

pub(crate) fn matches(p: &Pattern, text: &str) -> bool {
    p.as_ref().is_some_and(|r| r.is_match(text))
}

/// The standard with every sign in one form: full-width letters, digits and punctuation as
/// ASCII, `。` as `;`, range dashes as `~`, `>=` as `≥`, `/` as `÷`, a Chinese numeral before a
/// counter as digits (`每低一个百分点` → `每低1个百分点`), and no white space.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let c = match c {
            '。' => ';',
            '≧' => '≥',
            '≦' => '≤',
            '～' | '〜' | '—' | '–' | '~' => '~',
            '*' | '✕' | '╳' => '×',
            '/' => '÷',
            '【' | '〔' | '[' => '[',
            '】' | '〕' | ']' => ']',
            '：' => ':',
            _ => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.push(c);
    }
    let out = out
        .replace(">=", "≥")
        .replace("<=", "≤")
        .replace("除以", "÷")
        .replace("乘以", "×")
        .replace("(含本数)", "(含)")
        .replace("(包含)", "(含)");
    let chars: Vec<char> = out.chars().collect();
    let mut done = String::with_capacity(out.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        // A dash between two numbers is a range: 80%-90%, 0-10%(含).
        if (c == '-' || c == '至' || c == '到')
            && before.is_some_and(|b| b.is_ascii_digit() || b == '%' || b == ')')
            && after.is_some_and(|a| a.is_ascii_digit())
        {
            done.push('~');
            continue;
        }
        if let Some(d) = chinese_digit(c)
            && before.is_some_and(|b| "每扣低于过少加有计得现出超增高延迟期满按".contains(b))
            && after.is_some_and(|a| "个项次处件起例期位场家篇所月周天日分类条笔人".contains(a))
        {
            done.push_str(d);
            continue;
        }
        done.push(c);
    }
    done
}

fn chinese_digit(c: char) -> Option<&'static str> {
    Some(match c {
        '一' => "1",
        '两' | '二' => "2",
        '三' => "3",
        '四' => "4",
        '五' => "5",
        '六' => "6",
        '七' => "7",
        '八' => "8",
        '九' => "9",
        '十' => "10",
        _ => return None,
    })
}

/// A standard ready to be read.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// The sentences that state the rule, joined by `;`.
    pub rule: String,
    /// The year's target from `年度目标：…不少于 T 个` and its unit.
    pub target: Option<(Decimal, Option<String>)>,
    /// Sentences kept for the user: when the indicator is not applicable.
    pub notes: Vec<String>,
}

pattern!(DEFINITION, r"^[^=,;]{1,40}=[^=]*÷[^=]*$");
pattern!(BASIS, r"^以\d+(?:\.\d+)?%?为(?:标准|基准)$");
pattern!(NOT_APPLICABLE, r"^(?:如|若)?(?:无|没有|未设置|未设定|未安排|不涉及|未发生)[^;]*不适用");
pattern!(YEAR_TARGET, r"^(?:年度目标|目标值|年度指标值):(.*)$");
pattern!(AT_LEAST, r"(?:不少于|不低于|≥|达到)(\d+(?:\.\d+)?)([\p{Han}]?)");
pattern!(ONE_NUMBER, r"(\d+(?:\.\d+)?)([\p{Han}]?)");
pattern!(INNER_DEFINITION, r"\([^()]*÷[^()]*\)");

/// `执行率=执行数÷预算数×100%`: a rate defined, not a score (`得分=…` is a score).
fn is_definition(part: &str) -> bool {
    matches(&DEFINITION, part)
        && part.split('=').next().is_some_and(|lhs| !lhs.contains("得分") && !lhs.contains("分值"))
}

/// Splits a standard into the rule and what is set aside: a definition of a rate
/// (`执行率=执行数÷预算数×100%`), a basis (`以100%为标准`), the year's target
/// (`年度目标：…不少于12期`), a sentence saying when the indicator is not applicable (kept as a
/// note: that is the data file's `not_applicable`), and a sentence that states no score at all
/// (no `分`, digit or comparison: a description of the indicator). `None` when nothing is left.
pub(crate) fn prepare(standard: &str) -> Option<Prepared> {
    let normal = normalize(standard);
    let mut prepared = Prepared::default();
    let mut kept: Vec<String> = Vec::new();
    for sentence in normal.split(';').filter(|s| !s.is_empty()) {
        if matches(&NOT_APPLICABLE, sentence) {
            prepared.notes.push(sentence.to_owned());
            continue;
        }
        if let Some(c) = captures(&YEAR_TARGET, sentence) {
            let goal = c.get(1).map_or("", |m| m.as_str());
            let found = captures(&AT_LEAST, goal).or_else(|| {
                let numbers = ONE_NUMBER.as_ref()?.captures_iter(goal).count();
                if numbers == 1 { captures(&ONE_NUMBER, goal) } else { None }
            });
            if let Some(c) = found
                && prepared.target.is_none()
                && let Some(t) = c.get(1).and_then(|m| num(m.as_str()))
            {
                let unit = c.get(2).map(|m| m.as_str().to_owned()).filter(|u| !u.is_empty());
                prepared.target = Some((t, unit));
                continue;
            }
            return None;
        }
        let stripped =
            INNER_DEFINITION.as_ref().map_or(sentence.to_owned(), |r| r.replace_all(sentence, "").into_owned());
        let parts: Vec<&str> =
            stripped.split(',').filter(|p| !p.is_empty() && !is_definition(p) && !matches(&BASIS, p)).collect();
        if parts.is_empty() {
            continue;
        }
        let joined = parts.join(",");
        let states_a_score =
            joined.contains('分') || joined.chars().any(|c| c.is_ascii_digit() || "≥≤<>=%".contains(c));
        if !states_a_score {
            continue;
        }
        kept.push(joined);
    }
    if kept.is_empty() {
        return None;
    }
    prepared.rule = kept.join(";");
    Some(prepared)
}

#[cfg(test)]
pub(super) fn patterns() -> Vec<&'static Pattern> {
    vec![&DEFINITION, &BASIS, &NOT_APPLICABLE, &YEAR_TARGET, &AT_LEAST, &ONE_NUMBER, &INNER_DEFINITION]
}
