//! Finding and reading the files a command names: paths, `-` for stdin, built-in rubric ids.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::lang::Lang;
use crate::rubric::{Rubric, builtin, load};
use crate::tr;
use crate::yaml::Source;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod report_template;
pub mod walk;
pub mod workbook;

/// Reads a file (or standard input for `-`) into a checked source text.
pub fn read_source(path: &str, lang: Lang) -> Result<Source, Diagnostic> {
    let name = if path == "-" { "<stdin>" } else { path };
    let bytes = read_bytes(path, lang).map_err(|message| Diagnostic::error(name, Pos::UNKNOWN, message))?;
    Source::decode(name, bytes, lang)
}

/// Room made for a file before reading it: a data file is a few KiB; larger ones grow.
const TYPICAL_FILE_BYTES: usize = 16 * 1024;

/// A file's bytes (standard input's for `-`), at most one byte past MAX_FILE_BYTES so that a
/// larger file is seen as such; or why it cannot be read. YAML files and workbooks alike.
pub(crate) fn read_bytes(path: &str, lang: Lang) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let limit = crate::yaml::MAX_FILE_BYTES as u64 + 1;
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // `take` hides the file's size from `read_to_end`, which would then grow from 32
            // bytes; asking for the size is a system call more per file, which a batch of a
            // million forms (a few KiB each) feels, so room for a form is made up front.
            bytes.reserve(TYPICAL_FILE_BYTES);
            f.take(limit).read_to_end(&mut bytes)
        })
    };
    result.map_err(|e| tr!(lang, "无法读取：{}", "cannot read: {}", io_message(&e, lang)))?;
    Ok(bytes)
}

/// Why a file could not be read; rarer failures keep the operating system's (English) words.
fn io_message(e: &std::io::Error, lang: Lang) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => tr!(lang, "文件不存在", "no such file"),
        std::io::ErrorKind::PermissionDenied => tr!(lang, "没有权限", "permission denied"),
        std::io::ErrorKind::IsADirectory => tr!(lang, "这是一个目录", "is a directory"),
        _ => e.to_string(),
    }
}

/// Whether a data file is an Excel workbook (read by [`workbook`]) rather than YAML.
pub fn is_workbook(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xlsm")
}

/// A data file read from YAML or from a workbook, with its source text when it has one (for
/// snippets in diagnostics).
pub struct LoadedData {
    pub result: Result<(DataFile, Diagnostics), Diagnostics>,
    pub source: Option<Source>,
}

/// Reads and loads a data file: YAML (or `-`, standard input, given as `stdin` when already
/// read) or an Excel workbook. No rubric is involved: what the file holds is checked when it is
/// scored, at the places (lines or cells) its values carry.
pub fn load_data(path: &str, stdin: Option<&Result<Source, Diagnostic>>, lang: Lang) -> LoadedData {
    if path != "-" && is_workbook(path) {
        let result = read_bytes(path, lang)
            .map_err(|message| Diagnostics::from(Diagnostic::error(path, Pos::UNKNOWN, message)))
            .and_then(|bytes| workbook::load(path, bytes, lang));
        return LoadedData { result, source: None };
    }
    let source = match (path, stdin) {
        ("-", Some(s)) => s.clone(),
        _ => read_source(path, lang),
    };
    match source {
        Ok(source) => LoadedData { result: DataFile::load(&source, lang), source: Some(source) },
        Err(d) => LoadedData { result: Err(d.into()), source: None },
    }
}

/// Whether a rubric argument is a path rather than a built-in id (SPEC §5).
pub fn is_path(spec: &str) -> bool {
    spec.contains('/') || spec.contains('\\') || spec.ends_with(".yaml") || spec.ends_with(".yml")
}

/// A rubric loaded from a path or a built-in id, with its source text for snippets.
pub struct LoadedRubric {
    /// Shared, so that reports can hold it beside the session without a copy.
    pub rubric: Arc<Rubric>,
    pub source: Source,
    pub warnings: Diagnostics,
}

/// Loads a rubric given as a path or a built-in id. The caller trusts `spec` (`-r`, or a name
/// that [`named_rubric`] has checked): a path is read wherever it leads.
pub fn load_rubric(spec: &str, lang: Lang) -> Result<LoadedRubric, (Diagnostics, Option<Source>)> {
    let (source, root, fingerprint) = if is_path(spec)
        || (!builtin::ids().any(|id| id == spec) && Path::new(spec).is_file())
    {
        let name = if spec == "-" { "<stdin>" } else { spec };
        let bytes =
            read_bytes(spec, lang).map_err(|message| (Diagnostic::error(name, Pos::UNKNOWN, message).into(), None))?;
        // Of the bytes as read, so that `sha256sum FILE` shows the same digits.
        let fingerprint = crate::rubric::fingerprint(&bytes);
        let source = Source::decode(name, bytes, lang).map_err(|d| (d.into(), None))?;
        let root = source.parse(lang);
        (source, root, fingerprint)
    } else if let Some(builtin) = builtin::find(spec) {
        let source = Source { name: format!("builtin:{spec}"), text: builtin.text.to_owned() };
        let root = source.parse_recorded(builtin.events, lang);
        (source, root, builtin.fingerprint.to_owned())
    } else {
        let message = crate::diag::with_suggestion(
            tr!(lang, "没有叫 `{spec}` 的内置指标体系，也没有这个文件", "no built-in rubric `{spec}` and no such file"),
            spec,
            builtin::ids(),
            lang,
        );
        return Err((Diagnostic::error("", Pos::UNKNOWN, message).into(), None));
    };
    match root.map_err(Diagnostics::from).and_then(|root| load::load_tree(&source.name, &root, lang)) {
        Ok((mut rubric, warnings)) => {
            rubric.fingerprint = fingerprint;
            Ok(LoadedRubric { rubric: Arc::new(rubric), source, warnings })
        }
        Err(d) => Err((d, Some(source))),
    }
}

/// Where a data file's own `rubric:` key points, when it passes [`named_rubric`]'s rule.
pub fn rubric_named_by(data: &DataFile, lang: Lang) -> Option<String> {
    named_rubric(data, lang)?.ok()
}

/// The rubric a data file's own `rubric:` key names, under the rule for files that come from
/// elsewhere (SPEC §5.1): a built-in id, or a `.yaml`/`.yml` path relative to the data file
/// that stays inside the data file's folder once `..` steps and symbolic links are resolved,
/// and is a regular file (never a pipe, which would hang the reader). `None` when the file names
/// none. A refusal is an error at the key that quotes the key's own value only: the file it
/// names is never opened, so nothing of it can reach the screen.
///
/// A path comes back relative to the working directory, without `.` and `x/..` steps when those
/// lead to the same file, so that files naming one rubric by different routes (`a/../r.yaml`,
/// `b/../r.yaml`) are scored together.
pub fn named_rubric(data: &DataFile, lang: Lang) -> Option<Result<String, Diagnostic>> {
    let (spec, pos) = data.rubric.as_ref()?;
    let refuse = |message: String| Some(Err(Diagnostic::error(&data.file, pos.clone(), message)));
    if !is_path(spec) {
        if builtin::find(spec).is_some() {
            return Some(Ok(spec.clone()));
        }
        return refuse(crate::diag::with_suggestion(
            tr!(
                lang,
                "没有叫 `{spec}` 的内置指标体系；数据文件只能指定内置指标体系，或其所在文件夹中的 .yaml/.yml 文件",
                "no built-in rubric `{spec}`; a data file names a built-in rubric or a .yaml/.yml file in its own folder"
            ),
            spec,
            builtin::ids(),
            lang,
        ));
    }
    let outside = || {
        refuse(tr!(
            lang,
            "`{spec}` 指向数据文件所在文件夹之外的指标体系；如要使用，请用 -r 指定",
            "`{spec}` names a rubric outside its folder; give -r to use it"
        ))
    };
    // Decided on the text first: an absolute path or one that climbs out is refused without
    // asking the file system anything about it.
    if climbs_out(Path::new(spec)) {
        return outside();
    }
    if !has_yaml_extension(Path::new(spec)) {
        return refuse(tr!(
            lang,
            "`{spec}` 不是 .yaml/.yml 文件：数据文件只能指定内置指标体系，或其所在文件夹中的 .yaml/.yml 文件；如要使用，请用 -r 指定",
            "`{spec}` is not a .yaml/.yml file: a data file names a built-in rubric or a .yaml/.yml file in its own folder; give -r to use it"
        ));
    }
    let folder = folder_of(&data.file);
    let joined: PathBuf = folder.join(spec);
    let target = match inside_folder(folder, spec) {
        Inside::File(target) if has_yaml_extension(&target) => target,
        Inside::File(_) | Inside::Outside => return outside(),
        Inside::NotAFile => {
            return refuse(tr!(
                lang,
                "本文件指定的指标体系 `{spec}` 不是普通文件（而是目录、管道或设备），不会读取",
                "the rubric `{spec}` this file names is not a regular file (a folder, pipe or device); it is not read"
            ));
        }
        Inside::Unreadable(e) => {
            return refuse(tr!(
                lang,
                "无法读取本文件指定的指标体系 `{spec}`：{}",
                "cannot read the rubric `{spec}` this file names: {}",
                io_message(&e, lang)
            ));
        }
    };
    let mut tidy = without_dot_steps(&joined);
    if !is_path(&tidy.to_string_lossy()) {
        // Still a path, not a built-in id: `./cast-dept-2021.yaml` names a local file.
        tidy = Path::new(".").join(tidy);
    }
    let same_file = std::fs::canonicalize(&tidy).is_ok_and(|t| t == target);
    let path = if tidy != joined && same_file { tidy } else { joined };
    Some(Ok(path.to_string_lossy().into_owned()))
}

/// The folder of a file as named, `.` for a bare name.
pub(crate) fn folder_of(file: &str) -> &Path {
    Path::new(file).parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Where a relative path written in a file (`spec`, relative to `folder`) leads.
pub(crate) enum Inside {
    /// A regular file inside `folder`, by its canonical path.
    File(PathBuf),
    /// Outside `folder`, on its text or once `..` steps and symbolic links are resolved.
    Outside,
    /// Inside, but a folder, pipe or device, which would hang or feed a reader forever.
    NotAFile,
    Unreadable(std::io::Error),
}

/// Follows `spec` from `folder` under the rule for paths written in files from elsewhere
/// (SPEC §5.1): it must stay inside `folder` and be a regular file.
pub(crate) fn inside_folder(folder: &Path, spec: &str) -> Inside {
    if climbs_out(Path::new(spec)) {
        return Inside::Outside;
    }
    let (folder_real, target) = match (std::fs::canonicalize(folder), std::fs::canonicalize(folder.join(spec))) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return Inside::Unreadable(e),
    };
    // A symbolic link on the way may lead anywhere; so may one inside the folder.
    if !target.starts_with(&folder_real) {
        return Inside::Outside;
    }
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Inside::File(target),
        Ok(_) => Inside::NotAFile,
        Err(e) => Inside::Unreadable(e),
    }
}

/// Whether a file name ends in `.yaml` or `.yml` (any case).
pub(crate) fn has_yaml_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether a relative path written in a file leaves the folder it is relative to, on its text
/// alone: it is absolute (or has a drive), or its `..` steps climb above where it starts.
fn climbs_out(path: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0usize;
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => return true,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            Component::Normal(_) => depth += 1,
        }
    }
    false
}
/// `path` with `.` steps dropped and `name/..` pairs taken out, on the text alone (through a
/// symbolic link that may lead elsewhere, hence the check above).
fn without_dot_steps(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item5_a_path_that_climbs_out_is_seen_on_its_text() {
        for inside in ["r.yaml", "./r.yaml", "a/../r.yaml", "a/b/../../r.yaml", "./a/./r.yml"] {
            assert!(!climbs_out(Path::new(inside)), "{inside}");
        }
        for outside in ["../r.yaml", "a/../../r.yaml", "/etc/r.yaml", "./../r.yaml", "a/../b/../../r.yaml"] {
            assert!(climbs_out(Path::new(outside)), "{outside}");
        }
    }

    #[test]
    fn item5_fingerprint_is_the_start_of_sha256() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(crate::rubric::fingerprint(b"abc"), "ba7816bf8f01");
    }
}
