//! Located diagnostics: every problem the library finds is one of these.

use std::fmt;

/// A 1-based line and column in a source file (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const UNKNOWN: Pos = Pos { line: 0, col: 0 };

    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }

    pub fn is_known(self) -> bool {
        self.line > 0
    }
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
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, file: file.to_owned(), pos, message: message.into() }
    }

    pub fn warning(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, file: file.to_owned(), pos, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line:col: error: message`, as compilers print it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            f.write_str(&self.file)?;
            if self.pos.is_known() {
                write!(f, ":{}:{}", self.pos.line, self.pos.col)?;
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
        self.0.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
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
    fn suggestions() {
        assert_eq!(suggest("wieght", ["weight", "points"]), "did you mean `weight`?");
        assert_eq!(suggest("zzz", ["half_up", "down"]), "expected one of: `half_up`, `down`");
    }
}
