//! `selfeval draft TABLE`: a rubric drafted from a published 评分表 (src/draft/).

use super::Payload;
use super::formats::Format;
use super::session::Session;
use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;

/// Drafts the rubric. `yaml`: the rubric is the payload (stdout or `-o`), the summary goes to
/// stderr. `json`: the rubric is written to `output` here and the summary is the payload.
pub(super) fn draft(
    s: &mut Session,
    table: &str,
    options: crate::draft::Options,
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> (Payload, bool) {
    let bytes = match crate::input::read_bytes(table, lang) {
        Ok(b) => b,
        Err(message) => {
            s.report(&Diagnostic::error(table, Pos::UNKNOWN, message).into());
            return (Payload::Text(String::new()), false);
        }
    };
    let drafted = match crate::draft::draft(table, bytes, &options, lang) {
        Ok(d) => d,
        Err(diags) => {
            s.report(&diags);
            return (Payload::Text(String::new()), false);
        }
    };
    if format != Format::Json {
        s.stderr.push_str(&drafted.summary.text(lang));
        return (Payload::Text(drafted.yaml), true);
    }
    let Some(path) = output else {
        return (Payload::Usage("--format json needs -o FILE.yaml for the drafted rubric".into()), false);
    };
    if let Err(d) = super::output::write_output(path, drafted.yaml.as_bytes(), &[table.to_owned()], lang) {
        s.report(&d.into());
        return (Payload::Text(String::new()), false);
    }
    let json = drafted.summary.json(Some(path));
    (Payload::Text(crate::report::analysis::json_text(vec![json], false)), true)
}
