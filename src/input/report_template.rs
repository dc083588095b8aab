//! A rubric's own report template (`report.template`, SPEC §2.4): a file in the rubric's own
//! folder, read under the rule a data file's `rubric:` follows (SPEC §5.1) — a rubric may come
//! with a submission, and its template must not read anything else.

use super::{Inside, folder_of, inside_folder, io_message};
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::rubric::Rubric;
use crate::tr;
use std::io::Read;

/// Templates are small; a larger file is refused rather than read.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The text of the rubric's template, `None` when it names none.
pub fn read_template(rubric: &Rubric, lang: Lang) -> Option<Result<String, Diagnostic>> {
    let (spec, pos) = rubric.report.template.as_ref()?;
    let refuse = |message: String| Some(Err(Diagnostic::error(&rubric.file, pos.clone(), message)));
    let outside = || {
        refuse(tr!(
            lang,
            "`report.template`：`{spec}` 不在指标体系文件所在的文件夹中，不会读取",
            "`report.template`: `{spec}` is not in the rubric file's own folder; it is not read"
        ))
    };
    let cannot = |e: &std::io::Error| {
        refuse(tr!(
            lang,
            "`report.template`：无法读取 `{spec}`：{}",
            "`report.template`: cannot read `{spec}`: {}",
            io_message(e, lang)
        ))
    };
    if rubric.file.starts_with("builtin:") {
        return outside();
    }
    let target = match inside_folder(folder_of(&rubric.file), spec) {
        Inside::File(target) => target,
        Inside::Outside => return outside(),
        Inside::NotAFile => {
            return refuse(tr!(
                lang,
                "`report.template`：`{spec}` 不是普通文件，不会读取",
                "`report.template`: `{spec}` is not a regular file; it is not read"
            ));
        }
        Inside::Unreadable(e) => return cannot(&e),
    };
    if std::fs::metadata(&target).is_ok_and(|m| m.len() > MAX_TEMPLATE_BYTES) {
        return refuse(tr!(
            lang,
            "`report.template`：`{spec}` 超过 1 MiB，不会读取",
            "`report.template`: `{spec}` is larger than 1 MiB; it is not read"
        ));
    }
    let mut text = String::new();
    let read = std::fs::File::open(&target).and_then(|f| f.take(MAX_TEMPLATE_BYTES).read_to_string(&mut text));
    match read {
        Ok(_) => Some(Ok(text)),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => refuse(tr!(
            lang,
            "`report.template`：`{spec}` 不是 UTF-8 文本",
            "`report.template`: `{spec}` is not UTF-8 text"
        )),
        Err(e) => cannot(&e),
    }
}
