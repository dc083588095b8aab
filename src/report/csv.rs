//! `--format csv`: one row per node (or per file in a ranking), for Excel. UTF-8 with a
//! byte-order mark so Excel on Chinese Windows opens it as UTF-8, not GBK.

use super::rows;
use crate::engine::Evaluation;
use crate::number::display;
use std::borrow::Cow;

/// Leads every CSV document.
pub(crate) const BOM: &str = "\u{feff}";

fn field(text: &str) -> String {
    let text = inert(text);
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.into_owned() }
}

/// A cell's text as Excel will not run it. Text from a data file (a subject
/// `=HYPERLINK("http://…")`, a period `+cmd|' /C calc'!A0`) would be a live formula in Excel,
/// where the CSV is meant to be opened; a cell beginning with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (OWASP's rule for CSV injection). A number stays as it is
/// (`-3.5`): it is what Excel reads anyway, and the CSV must keep it a number.
pub(crate) fn inert(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// `-3.5`, `12`, `0.25`: how numbers are written (`number::display`).
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// One CSV record, quoted where needed, CRLF-terminated.
pub(crate) fn line(fields: &[String]) -> String {
    let mut l = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

pub(crate) fn opt(d: Option<rust_decimal::Decimal>) -> String {
    d.map(display).unwrap_or_default()
}

/// The columns of a scored file's rows, one per node and the total (`score`, `breakdown`).
pub(crate) const SCORE_COLUMNS: [&str; 10] =
    ["subject", "period", "id", "title", "level", "points", "score", "lost", "status", "grade"];

/// A scored file's rows in [`SCORE_COLUMNS`]: each node down to `depth`, then the total.
pub(crate) fn score_records(e: &Evaluation, depth: Option<usize>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = rows(e, depth)
        .into_iter()
        .map(|(d, n)| {
            vec![
                e.subject.clone(),
                e.period.clone().unwrap_or_default(),
                n.id.clone(),
                n.title.clone(),
                d.to_string(),
                display(n.points),
                opt(n.score),
                opt(n.lost()),
                n.status.name().to_owned(),
                String::new(),
            ]
        })
        .collect();
    out.push(vec![
        e.subject.clone(),
        e.period.clone().unwrap_or_default(),
        "total".into(),
        "总分".into(),
        "0".into(),
        display(e.max),
        display(e.total),
        display(e.max - e.total),
        "scored".into(),
        e.grade.clone().unwrap_or_default(),
    ]);
    out
}

pub fn score(e: &Evaluation, depth: Option<usize>) -> String {
    let mut out = String::from(BOM);
    out.push_str(&line(&SCORE_COLUMNS.map(String::from)));
    for record in score_records(e, depth) {
        out.push_str(&line(&record));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item6_formulas_are_inert_and_numbers_stay_numbers() {
        assert_eq!(inert("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(inert("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(inert("-1+2"), "'-1+2");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\t=1"), "'\t=1");
        assert_eq!(inert("\r=1"), "'\r=1");
        assert_eq!(inert("-"), "'-");
        assert_eq!(inert("-.5"), "'-.5");
        for number in ["-3.5", "-12", "0", "92.7", "-0.001"] {
            assert_eq!(inert(number), number);
        }
        for text in ["广州市从化区科学技术协会", "a=b", "2021", ""] {
            assert_eq!(inert(text), text);
        }
        assert_eq!(line(&["=1+1".into(), "-3.5".into(), "\r\n".into()]), "'=1+1,-3.5,\"'\r\n\"\r\n");
    }
}
