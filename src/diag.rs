//! Located diagnostics: every problem the library finds is one of these.

use crate::lang::Lang;
use std::fmt;
use std::sync::Arc;

/// Where a value or a problem is in its file: a line and column of a text file, or a cell (or a
/// whole sheet) of a workbook. The file itself is named beside it (in a [`Diagnostic`], or by
/// the document that holds the value); a place is rendered once, here, by its `Display`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum Pos {
    /// The problem concerns the file as a whole, or no place is known.
    #[default]
    Unknown,
    /// 1-based line and column (in characters) of a text file.
    Text { line: u32, col: u32 },
    /// A cell or a whole sheet of a workbook. Behind a pointer, so that the place every YAML
    /// node carries stays 16 bytes (a third of a one-file run's tree building was moving them).
    Book(Arc<BookPlace>),
}

/// A place in a workbook: the sheet's name and, for a cell, its 0-based row and column (A1 is
/// 0, 0); `None` for the whole sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BookPlace {
    pub sheet: Arc<str>,
    pub cell: Option<(u32, u32)>,
}

impl Pos {
    pub const UNKNOWN: Pos = Pos::Unknown;

    /// A place in a text file.
    pub fn new(line: u32, col: u32) -> Self {
        if line == 0 { Pos::Unknown } else { Pos::Text { line, col } }
    }

    /// A cell of a workbook's sheet.
    pub fn cell(sheet: &Arc<str>, row: u32, col: u32) -> Self {
        Pos::Book(Arc::new(BookPlace { sheet: Arc::clone(sheet), cell: Some((row, col)) }))
    }

    /// A whole sheet of a workbook.
    pub fn sheet(sheet: &Arc<str>) -> Self {
        Pos::Book(Arc::new(BookPlace { sheet: Arc::clone(sheet), cell: None }))
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Pos::Unknown)
    }

    /// The line of a place in a text file (source snippets are shown for these only).
    pub fn line(&self) -> Option<u32> {
        match self {
            Pos::Text { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The column of a place in a text file.
    pub fn col(&self) -> Option<u32> {
        match self {
            Pos::Text { col, .. } => Some(*col),
            _ => None,
        }
    }
}

impl Pos {
    /// The place as a message names a second place: "line 12" (第 12 行) or `字段!E5`.
    pub fn phrase(&self, lang: Lang) -> String {
        match self {
            Pos::Text { line, .. } => crate::tr!(lang, "第 {line} 行", "line {line}"),
            Pos::Unknown => String::new(),
            other => other.to_string(),
        }
    }
}

/// `12:5` for a text file, `字段!E5` or `'My sheet'!B1` for a cell, as Excel writes references.
impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pos::Unknown => Ok(()),
            Pos::Text { line, col } => write!(f, "{line}:{col}"),
            Pos::Book(place) => match place.cell {
                Some((row, col)) => {
                    write!(f, "{}!{}{}", sheet_reference(&place.sheet), column_letters(col), u64::from(row) + 1)
                }
                None => f.write_str(&sheet_reference(&place.sheet)),
            },
        }
    }
}

/// A sheet's name as a reference gives it: quoted (with `'` doubled) unless Excel would write it
/// bare — letters, digits and `_` only, not starting with a digit.
pub fn sheet_reference(sheet: &str) -> String {
    let bare = sheet.chars().all(|c| c.is_alphanumeric() || c == '_')
        && sheet.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if bare { sheet.to_owned() } else { format!("'{}'", sheet.replace('\'', "''")) }
}

/// 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem, with the file and position it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it; empty when the problem concerns no file.
    pub file: String,
    pub pos: Pos,
    pub message: String,
    /// A second place the message speaks of (where a duplicate was first written), kept as a
    /// place so that it is told like the first: `line 12` or `字段!E5`.
    pub also: Option<Pos>,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, file: file.to_owned(), pos, message: message.into(), also: None }
    }

    pub fn warning(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, file: file.to_owned(), pos, message: message.into(), also: None }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic with a second place it speaks of.
    pub fn also_at(mut self, pos: Pos) -> Self {
        self.also = Some(pos);
        self
    }
}

/// `file:line:col: error: message`, as compilers print it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            f.write_str(&self.file)?;
            if self.pos.is_known() {
                write!(f, ":{}", self.pos)?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}: {}", self.severity, self.message)
    }
}

/// Problems collected while reading or checking; errors and warnings together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn error(&mut self, file: &str, pos: Pos, message: impl Into<String>) {
        self.push(Diagnostic::error(file, pos, message));
    }

    pub fn warning(&mut self, file: &str, pos: Pos, message: impl Into<String>) {
        self.push(Diagnostic::warning(file, pos, message));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorted by file and position, as `validate` lists them; stable for equal positions.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| (&a.file, &a.pos).cmp(&(&b.file, &b.pos)));
        self
    }

    /// `Err(self)` when any error was collected, else the value and the warnings.
    pub fn into_result<T>(self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        if self.has_errors() { Err(self) } else { Ok((value, self)) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// "did you mean `x`?" for the closest candidate, or the list of valid ones when none is close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, lang: Lang) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    match closest(word, &candidates, SUGGESTION_THRESHOLD) {
        Some(c) => crate::tr!(lang, "你是不是想写 `{c}`？", "did you mean `{c}`?"),
        None if candidates.is_empty() => String::new(),
        None if candidates.len() <= 12 => {
            let quoted: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            crate::tr!(lang, "可选值：{}", "expected one of: {}", quoted.join(&list_separator(lang)))
        }
        None => String::new(),
    }
}

/// How alike (Jaro–Winkler) a word must be to a candidate to be suggested.
const SUGGESTION_THRESHOLD: f64 = 0.8;

/// Exact comparisons one search may make: past them the best found so far is taken. Only a
/// word built to resemble many candidates at once comes near it.
const MAX_EXACT_COMPARISONS: usize = 16;

/// The candidate most like `word` (Jaro–Winkler, the last of equals), if any is at least
/// `threshold` alike. A file may hold a hundred thousand unknown names, each compared with
/// every candidate: an upper bound from the characters the two share rules out nearly all
/// candidates cheaply, and the rest are compared exactly, most promising first, until no
/// bound can beat the best.
pub fn closest<'a>(word: &str, candidates: &[&'a str], threshold: f64) -> Option<&'a str> {
    let profile = Profile::new(word);
    let mut promising: Vec<(f64, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (profile.bound(c), i))
        .filter(|(bound, _)| *bound >= threshold - BOUND_SLACK)
        .collect();
    // Highest bound first; among equal bounds the later candidate first.
    promising.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut best: Option<(f64, usize)> = None;
    for (compared, (bound, i)) in promising.into_iter().enumerate() {
        if compared >= MAX_EXACT_COMPARISONS || best.is_some_and(|(score, _)| bound + BOUND_SLACK < score) {
            break;
        }
        let Some(candidate) = candidates.get(i) else { continue };
        let score = strsim::jaro_winkler(word, candidate);
        let better = match best {
            None => true,
            Some((s, j)) => score > s || (score == s && i > j),
        };
        if score >= threshold && better {
            best = Some((score, i));
        }
    }
    best.and_then(|(_, i)| candidates.get(i).copied())
}

/// Whether `a` and `b` are at least `threshold` alike (Jaro–Winkler), ruling out most pairs
/// without the exact comparison.
pub fn is_similar(a: &str, b: &str, threshold: f64) -> bool {
    Profile::new(a).into_bound(b) >= threshold - BOUND_SLACK && strsim::jaro_winkler(a, b) >= threshold
}

/// Room for floating-point rounding between a bound and the exact similarity it bounds.
const BOUND_SLACK: f64 = 1e-9;

/// A word's characters counted once, for bounding its similarity to many candidates.
struct Profile<'w> {
    word: &'w str,
    len: usize,
    /// Characters by code point modulo 128: ASCII exactly, others sharing buckets (which can
    /// only raise a bound, never lower it below the truth).
    counts: [u32; 128],
}

impl<'w> Profile<'w> {
    fn new(word: &'w str) -> Self {
        let mut counts = [0u32; 128];
        let mut len = 0;
        for c in word.chars() {
            len += 1;
            let bucket = u32::from(c) as usize % 128;
            if let Some(n) = counts.get_mut(bucket) {
                *n = n.saturating_add(1);
            }
        }
        Profile { word, len, counts }
    }

    /// An upper bound of `strsim::jaro_winkler(word, other)`. Jaro matches pairs of equal
    /// characters, so its matches m are at most the characters the two have in common, and
    /// jaro ≤ (m/|a| + m/|b| + 1) / 3; Winkler's boost grows with jaro for the (exact)
    /// common prefix of up to 4 characters.
    fn bound(&self, other: &str) -> f64 {
        Profile { word: self.word, len: self.len, counts: self.counts }.into_bound(other)
    }

    /// [`Self::bound`] for a profile used once: its counts are used up, not copied.
    fn into_bound(mut self, other: &str) -> f64 {
        let left = &mut self.counts;
        let mut other_len = 0usize;
        let mut shared = 0usize;
        for c in other.chars() {
            other_len += 1;
            if let Some(n) = left.get_mut(u32::from(c) as usize % 128)
                && *n > 0
            {
                *n -= 1;
                shared += 1;
            }
        }
        if self.len == 0 || other_len == 0 {
            return if self.len == other_len { 1.0 } else { 0.0 };
        }
        if shared == 0 {
            return 0.0;
        }
        let m = shared as f64;
        let jaro = (m / self.len as f64 + m / other_len as f64 + 1.0) / 3.0;
        if jaro > 0.7 {
            let prefix = self.word.chars().take(4).zip(other.chars()).take_while(|(a, b)| a == b).count();
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }
}

/// The separator of an inline list in `lang`: `、` or `, `.
pub fn list_separator(lang: Lang) -> String {
    crate::tr!(lang, "、", ", ")
}

/// Appends `; suggestion` to a message when there is a suggestion.
pub fn with_suggestion<'a>(
    message: String,
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    lang: Lang,
) -> String {
    let hint = suggest(word, candidates, lang);
    if hint.is_empty() { message } else { crate::tr!(lang, "{message}；{hint}", "{message}; {hint}") }
}

/// Characters that make text show other than it reads: control characters (NUL, line breaks,
/// escape, …), the line and paragraph separators, the bidirectional formatting marks
/// (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) that can reorder what a terminal
/// shows, and the zero-width characters (U+200B–U+200D, U+2060, U+FEFF) that show nothing.
pub fn is_deceptive(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') || is_zero_width(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// What a [`is_deceptive`] character is, for messages: `U+202E (a bidirectional-text control)`.
pub fn describe_deceptive(c: char, lang: Lang) -> String {
    let code = code_point(c);
    if is_bidi_control(c) {
        crate::tr!(lang, "{code}（双向文本控制符）", "{code} (a bidirectional-text control)")
    } else if matches!(c, '\u{2028}' | '\u{2029}') {
        crate::tr!(lang, "{code}（行或段落分隔符）", "{code} (a line or paragraph separator)")
    } else if is_zero_width(c) {
        crate::tr!(lang, "{code}（零宽字符）", "{code} (a zero-width character)")
    } else {
        crate::tr!(lang, "{code}（控制字符）", "{code} (a control character)")
    }
}

/// `U+202E`: how messages name a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with every [`is_deceptive`] character shown as `<U+XXXX>`, so that text quoted from
/// a file can neither break a message's line nor reorder it on a terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_deceptive) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_deceptive(c) {
            out.push('<');
            out.push_str(&code_point(c));
            out.push('>');
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// At most `width` characters of `text` around character `at` (0-based): the whole text when
/// it is short enough, else a window with `…` where text was left out. Returns the excerpt and
/// where character `at` is in it (in characters), so a caret or column can still point at it.
pub fn excerpt(text: &str, at: usize, width: usize) -> (String, usize) {
    let total = text.chars().count();
    if total <= width {
        return (text.to_owned(), at.min(total));
    }
    let width = width.max(2);
    // A third of the window before the place, the rest after it: what follows an error
    // usually says more than what precedes it.
    let at = at.min(total);
    let mut start = at.saturating_sub(width / 3);
    let end = (start + width).min(total);
    start = end.saturating_sub(width).min(start);
    let mut out = String::new();
    let mut offset = at - start;
    if start > 0 {
        out.push('…');
        offset += 1;
    }
    out.extend(text.chars().skip(start).take(end - start));
    if end < total {
        out.push('…');
    }
    (out, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_compiler_style() {
        let d = Diagnostic::error("a.yaml", Pos::new(3, 5), "unknown key `wieght`");
        assert_eq!(d.to_string(), "a.yaml:3:5: error: unknown key `wieght`");
        let w = Diagnostic::warning("a.yaml", Pos::UNKNOWN, "x");
        assert_eq!(w.to_string(), "a.yaml: warning: x");
    }

    #[test]
    fn places_are_told_as_lines_or_cells() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        let sheet = |s: &str| -> Arc<str> { Arc::from(s) };
        assert_eq!(Pos::cell(&sheet("字段"), 4, 4).to_string(), "字段!E5");
        assert_eq!(Pos::cell(&sheet("My sheet"), 0, 1).to_string(), "'My sheet'!B1");
        assert_eq!(Pos::cell(&sheet("2021"), 0, 0).to_string(), "'2021'!A1");
        assert_eq!(Pos::sheet(&sheet("“三公”经费")).to_string(), "'“三公”经费'");
        assert_eq!(std::mem::size_of::<Pos>(), 16);
        let d = Diagnostic::error("f.xlsx", Pos::cell(&sheet("字段"), 11, 4), "bad");
        assert_eq!(d.to_string(), "f.xlsx:字段!E12: error: bad");
        assert_eq!(Pos::new(0, 3), Pos::Unknown);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("wieght", ["weight", "points"], Lang::En), "did you mean `weight`?");
        assert_eq!(suggest("zzz", ["half_up", "down"], Lang::En), "expected one of: `half_up`, `down`");
    }

    /// The bounded search picks what comparing every pair picks (the last of equals).
    #[test]
    fn item4_closest_agrees_with_comparing_every_pair() {
        let names = [
            "budget.initial",
            "budget.executed",
            "budget.basic",
            "budget.project",
            "budget.adjustment",
            "sanggong.budget",
            "sanggong.actual",
            "fund.violations",
            "rules.budget",
            "rules.finance",
            "goals.set",
            "goals.aligned",
            "kpi.clarity",
            "预算执行率",
            "预算调整率",
            "ab",
            "ba",
            "a",
            "",
        ];
        let words = [
            "budget.initail",
            "budget_executed",
            "budget",
            "rules.budgte",
            "goal.set",
            "kpi",
            "预算执行",
            "执行率",
            "ab",
            "b",
            "",
            "zzzz",
            "budget.initial.x",
            "sanggong.budgets",
            "unknown_key_000123",
        ];
        for word in words {
            for threshold in [0.8, 0.9] {
                let every_pair = names
                    .iter()
                    .map(|c| (strsim::jaro_winkler(word, c), *c))
                    .filter(|(score, _)| *score >= threshold)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, c)| c);
                assert_eq!(closest(word, &names, threshold), every_pair, "{word} at {threshold}");
                for name in names {
                    assert_eq!(
                        is_similar(word, name, threshold),
                        strsim::jaro_winkler(word, name) >= threshold,
                        "{word} ~ {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn item12_printable_and_excerpts() {
        assert_eq!(printable("a\u{202E}b\0c"), "a<U+202E>b<U+0000>c");
        assert_eq!(printable("预算"), "预算");
        assert_eq!(excerpt("short", 2, 10), ("short".to_owned(), 2));
        let long: String = "(".repeat(1000) + "x";
        let (text, at) = excerpt(&long, 64, 120);
        assert_eq!(text.chars().count(), 122);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(at, 40 + 1);
        let digits: String = (0..1000).map(|i| char::from(b'0' + (i % 10) as u8)).collect();
        let (text, at) = excerpt(&digits, 507, 120);
        assert_eq!(text.chars().nth(at), Some('7'));
        let (text, at) = excerpt(&long, 1000, 120);
        assert!(text.starts_with('…') && text.ends_with('x'));
        assert_eq!(text.chars().nth(at), Some('x'));
    }
}
