//! Located diagnostics: every problem the library finds is one of these.

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
    /// A workbook cell: the sheet's name and the cell's 0-based row and column (A1 is 0, 0).
    Cell { sheet: Arc<str>, row: u32, col: u32 },
    /// A whole sheet of a workbook.
    Sheet { sheet: Arc<str> },
}

impl Pos {
    pub const UNKNOWN: Pos = Pos::Unknown;

    /// A place in a text file.
    pub fn new(line: u32, col: u32) -> Self {
        if line == 0 { Pos::Unknown } else { Pos::Text { line, col } }
    }

    pub fn cell(sheet: &Arc<str>, row: u32, col: u32) -> Self {
        Pos::Cell { sheet: Arc::clone(sheet), row, col }
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

    /// The place `offset` characters further along the same line of a text file; other places
    /// are returned as they are (a cell holds its whole value).
    pub fn shifted(&self, offset: u32) -> Pos {
        match self {
            Pos::Text { line, col } => Pos::Text { line: *line, col: col.saturating_add(offset) },
            other => other.clone(),
        }
    }
}

impl Pos {
    /// The place as a message names a second place: "line 12" (第 12 行) or `字段!E5`.
    pub fn phrase(&self) -> String {
        match self {
            Pos::Text { line, .. } => crate::tr!("第 {line} 行", "line {line}"),
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
            Pos::Cell { sheet, row, col } => {
                write!(f, "{}!{}{}", sheet_reference(sheet), column_letters(*col), u64::from(*row) + 1)
            }
            Pos::Sheet { sheet } => f.write_str(&sheet_reference(sheet)),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => crate::tr!("你是不是想写 `{c}`？", "did you mean `{c}`?"),
        None if candidates.is_empty() => String::new(),
        None if candidates.len() <= 12 => {
            let quoted: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            crate::tr!("可选值：{}", "expected one of: {}", quoted.join(&list_separator()))
        }
        None => String::new(),
    }
}

/// The separator of an inline list in the diagnostics language: `、` or `, `.
pub fn list_separator() -> String {
    crate::tr!("、", ", ")
}

/// `zh` or `en`, whichever is the diagnostics language: for fragments chosen, not formatted.
pub fn pick<T>(zh: T, en: T) -> T {
    match crate::lang::diagnostics_lang() {
        crate::lang::Lang::Zh => zh,
        crate::lang::Lang::En => en,
    }
}

/// Appends `; suggestion` to a message when there is a suggestion.
pub fn with_suggestion<'a>(message: String, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let hint = suggest(word, candidates);
    if hint.is_empty() { message } else { crate::tr!("{message}；{hint}", "{message}; {hint}") }
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
        assert_eq!(Pos::Sheet { sheet: sheet("“三公”经费") }.to_string(), "'“三公”经费'");
        let d = Diagnostic::error("f.xlsx", Pos::cell(&sheet("字段"), 11, 4), "bad");
        assert_eq!(d.to_string(), "f.xlsx:字段!E12: error: bad");
        assert_eq!(Pos::new(0, 3), Pos::Unknown);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("wieght", ["weight", "points"]), "did you mean `weight`?");
        assert_eq!(suggest("zzz", ["half_up", "down"]), "expected one of: `half_up`, `down`");
    }
}
