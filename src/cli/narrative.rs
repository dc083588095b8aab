//! `report`: the 自评报告 of each data file (src/narrative/), to `-o FILE`, standard output, or
//! one file per data file in `--out-dir DIR`.

use super::Payload;
use super::formats::Format;
use super::session::Session;
use crate::diag::{Diagnostic, Pos};
use crate::input::walk::Input;
use crate::lang::Lang;
use crate::narrative::{self as model, text};
use crate::scoring::InForce;
use crate::tr;
use std::path::Path;
use std::sync::Arc;

/// What the command line asks of `report`.
pub(crate) struct Asked<'a> {
    pub format: Option<Format>,
    pub output: Option<&'a str>,
    pub out_dir: Option<&'a str>,
}

impl Asked<'_> {
    /// The format asked for, or the one `-o`'s extension (or `--out-dir`) implies.
    fn format(&self) -> Format {
        if let Some(f) = self.format {
            return f;
        }
        let ext = self.output.and_then(|o| Path::new(o).extension()).map(|e| e.to_string_lossy().to_lowercase());
        match ext.as_deref() {
            Some("docx") => Format::Docx,
            Some("html" | "htm") => Format::Html,
            Some(_) => Format::Markdown,
            None if self.out_dir.is_some() => Format::Docx,
            None => Format::Markdown,
        }
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Docx => "docx",
        Format::Html => "html",
        _ => "md",
    }
}

/// Why the command line cannot be done as asked (a usage error, before anything is read).
fn usage(asked: &Asked, files: usize, format: Format, lang: Lang) -> Option<String> {
    if asked.out_dir.is_some() && asked.output.is_some() {
        return Some(tr!(lang, "-o 与 --out-dir 只能给一个", "give -o or --out-dir, not both"));
    }
    if files > 1 && asked.out_dir.is_none() {
        return Some(tr!(
            lang,
            "多个数据文件各出一份报告：请用 --out-dir 目录",
            "several data files make one report each: give --out-dir DIR"
        ));
    }
    if format == Format::Docx && asked.out_dir.is_none() && asked.output.is_none() {
        return Some(tr!(
            lang,
            "Word 文件是二进制文件：请用 -o 文件.docx 写入文件",
            "a Word file is binary: give -o FILE.docx"
        ));
    }
    None
}

pub(crate) fn report(
    s: &mut Session,
    rubric: Option<&str>,
    expanded: Result<Vec<Input>, Diagnostic>,
    asked: Asked,
    inputs: &[String],
) -> (Payload, bool) {
    let lang = s.lang;
    let found = match expanded {
        Ok(found) => found,
        Err(d) => {
            s.report(&d.into());
            return (Payload::Text(String::new()), false);
        }
    };
    let format = asked.format();
    if let Some(message) = usage(&asked, found.len(), format, lang) {
        return (Payload::Usage(message), false);
    }
    let Some(dir) = asked.out_dir else {
        let Some(one) = found.first() else { return (Payload::Text(String::new()), false) };
        return match one_report(s, rubric, one, format) {
            Some(Ok(bytes)) if format == Format::Docx => (Payload::Bytes(bytes), true),
            Some(Ok(bytes)) => (Payload::Text(String::from_utf8_lossy(&bytes).into_owned()), true),
            Some(Err(d)) => {
                s.report(&d.into());
                (Payload::Text(String::new()), false)
            }
            None => (Payload::Text(String::new()), false),
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        let message = tr!(lang, "无法创建目录：{e}", "cannot create the folder: {e}");
        s.report(&Diagnostic::error(dir, Pos::UNKNOWN, message).into());
        return (Payload::Text(String::new()), false);
    }
    let mut ok = true;
    let mut written: Vec<(String, String)> = Vec::new();
    for input in &found {
        let stem =
            Path::new(&input.path).file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
        let stem = if input.path == "-" { "stdin".to_owned() } else { stem };
        let target = Path::new(dir).join(format!("{stem}.{}", extension(format))).to_string_lossy().into_owned();
        if let Some((_, first)) = written.iter().find(|(t, _)| *t == target) {
            let message = tr!(
                lang,
                "报告 `{target}` 已由 `{first}` 写出（文件名相同）；未写出本文件的报告",
                "the report `{target}` was already written for `{first}` (same name); this file's report is not written"
            );
            s.report(&Diagnostic::error(&input.path, Pos::UNKNOWN, message).into());
            ok = false;
            continue;
        }
        match one_report(s, rubric, input, format) {
            Some(Ok(bytes)) => match write(s, &target, &bytes, inputs) {
                Ok(()) => written.push((target, input.path.clone())),
                Err(d) => {
                    s.report(&d.into());
                    ok = false;
                }
            },
            Some(Err(d)) => {
                s.report(&d.into());
                ok = false;
            }
            None => ok = false,
        }
    }
    (Payload::Text(String::new()), ok)
}

/// Writes one report of `--out-dir`, never over a data file or a rubric read so far.
fn write(s: &Session, target: &str, bytes: &[u8], inputs: &[String]) -> Result<(), Diagnostic> {
    let mut protected = inputs.to_vec();
    protected.extend(s.rubrics.keys().cloned());
    super::output::write_output(target, bytes, &protected, s.lang)
}

/// The report of one data file in `format`; `None` when the file could not be scored (its
/// problems are reported), `Err` when the report could not be made.
fn one_report(
    s: &mut Session,
    rubric: Option<&str>,
    input: &Input,
    format: Format,
) -> Option<Result<Vec<u8>, Diagnostic>> {
    let lang = s.lang;
    if let Some(why) = &input.refused {
        s.report(&Diagnostic::error(&input.path, Pos::UNKNOWN, why.clone()).into());
        return None;
    }
    let data = match s.data(&input.path) {
        Ok(d) => d,
        Err(diags) => {
            s.report(&diags.sorted());
            return None;
        }
    };
    let in_force = match rubric {
        Some(r) => InForce::given(s.rubric(r).ok().map(|l| Arc::clone(&l.rubric)), r),
        None => {
            let named = crate::input::named_rubric(&data, lang).and_then(Result::ok);
            InForce::first_that_loads(named, |spec| s.rubric(spec).map(|l| Arc::clone(&l.rubric)))
        }
    };
    let options = crate::engine::Options { explain: Some(lang), lang };
    let (e, warnings) = match crate::scoring::score(&data, &in_force, &options) {
        Ok(scored) => scored,
        Err(diags) => {
            s.report(&diags.sorted());
            return None;
        }
    };
    s.report(&warnings.sorted());
    let (model, _) = in_force.rubric.as_ref()?;
    let n = model::build(model, &e, &data, lang);
    let own = crate::input::report_template::read_template(model, lang);
    let template = match &own {
        Some(Ok(t)) => t.as_str(),
        Some(Err(d)) => return Some(Err(d.clone())),
        None => text::builtin(n.kind, lang),
    };
    let blocks = match text::render(&n, template) {
        Ok(b) => b,
        Err(why) => {
            let (file, what) = match &model.report.template {
                Some((spec, _)) => (spec.as_str(), tr!(lang, "报告模板", "the report template")),
                None => ("<builtin>", tr!(lang, "内置报告模板", "the built-in report template")),
            };
            return Some(Err(Diagnostic::error(file, Pos::UNKNOWN, tr!(lang, "{what}：{why}", "{what}: {why}"))));
        }
    };
    if !n.missing.is_empty() {
        let list = n.missing.join(lang.pick("、", ", "));
        let count = n.missing.len();
        s.stderr.push_str(&tr!(
            lang,
            "{}: 提示：报告中有 {count} 处待填写（写在数据文件的 `report:` 中）：{list}\n",
            "{}: note: the report has {count} placeholders (write them under `report:` in the data file): {list}\n",
            data.file
        ));
    }
    Some(match format {
        Format::Docx => model::docx::render(&n, &blocks).map_err(|why| {
            Diagnostic::error(
                &data.file,
                Pos::UNKNOWN,
                tr!(lang, "无法生成 Word 文件：{why}", "cannot make the Word file: {why}"),
            )
        }),
        Format::Html => Ok(model::html::render(&n, &blocks).into_bytes()),
        _ => Ok(model::markdown::render(&n, &blocks).into_bytes()),
    })
}
