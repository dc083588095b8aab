//! `--format csv`: one row per node (or per file in a ranking), for Excel. UTF-8 with a
//! byte-order mark so Excel on Chinese Windows opens it as UTF-8, not GBK.

use super::rows;
use crate::engine::Evaluation;
use crate::number::display;

/// Leads every CSV document.
pub(crate) const BOM: &str = "\u{feff}";

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
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

pub fn score(e: &Evaluation, depth: Option<usize>) -> String {
    let mut out = String::from(BOM);
    out.push_str(&line(
        &["subject", "period", "id", "title", "level", "points", "score", "lost", "status", "grade"].map(String::from),
    ));
    for (d, n) in rows(e, depth) {
        out.push_str(&line(&[
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
        ]));
    }
    out.push_str(&line(&[
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
    ]));
    out
}
