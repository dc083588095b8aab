//! Finding and reading the files a command names: paths, `-` for stdin, built-in rubric ids.

use crate::data::DataFile;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::rubric::{Rubric, builtin, load};
use crate::tr;
use crate::yaml::Source;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod workbook;

/// Reads a file (or standard input for `-`) into a checked source text.
pub fn read_source(path: &str) -> Result<Source, Diagnostic> {
    let name = if path == "-" { "<stdin>" } else { path };
    let bytes = read_bytes(path).map_err(|message| Diagnostic::error(name, Pos::UNKNOWN, message))?;
    Source::decode(name, bytes)
}

/// A file's bytes (standard input's for `-`), at most one byte past MAX_FILE_BYTES so that a
/// larger file is seen as such; or why it cannot be read. YAML files and workbooks alike.
pub(crate) fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let limit = crate::yaml::MAX_FILE_BYTES as u64 + 1;
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // `take` hides the file's size from `read_to_end`, which would then grow from 32 bytes.
            let size = f.metadata().map_or(0, |m| m.len()).min(limit);
            bytes.reserve(usize::try_from(size).unwrap_or(0));
            f.take(limit).read_to_end(&mut bytes)
        })
    };
    result.map_err(|e| tr!("无法读取：{}", "cannot read: {}", io_message(&e)))?;
    Ok(bytes)
}

/// Why a file could not be read; rarer failures keep the operating system's (English) words.
fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => tr!("文件不存在", "no such file"),
        std::io::ErrorKind::PermissionDenied => tr!("没有权限", "permission denied"),
        std::io::ErrorKind::IsADirectory => tr!("这是一个目录", "is a directory"),
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
pub fn load_data(path: &str, stdin: Option<&Result<Source, Diagnostic>>) -> LoadedData {
    if path != "-" && is_workbook(path) {
        let result = read_bytes(path)
            .map_err(|message| Diagnostics::from(Diagnostic::error(path, Pos::UNKNOWN, message)))
            .and_then(|bytes| workbook::load(path, bytes));
        return LoadedData { result, source: None };
    }
    let source = match (path, stdin) {
        ("-", Some(s)) => s.clone(),
        _ => read_source(path),
    };
    match source {
        Ok(source) => LoadedData { result: DataFile::load(&source), source: Some(source) },
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

/// Loads a rubric given as a path or a built-in id.
pub fn load_rubric(spec: &str) -> Result<LoadedRubric, (Diagnostics, Option<Source>)> {
    let (source, root) = if is_path(spec) || (!builtin::ids().any(|id| id == spec) && Path::new(spec).is_file()) {
        let source = read_source(spec).map_err(|d| (d.into(), None))?;
        let root = source.parse();
        (source, root)
    } else if let Some(builtin) = builtin::find(spec) {
        let source = Source { name: format!("builtin:{spec}"), text: builtin.text.to_owned() };
        let root = source.parse_recorded(builtin.events);
        (source, root)
    } else {
        let message = crate::diag::with_suggestion(
            tr!("没有叫 `{spec}` 的内置指标体系，也没有这个文件", "no built-in rubric `{spec}` and no such file"),
            spec,
            builtin::ids(),
        );
        return Err((Diagnostic::error("", Pos::UNKNOWN, message).into(), None));
    };
    match root.map_err(Diagnostics::from).and_then(|root| load::load_tree(&source.name, &root)) {
        Ok((rubric, warnings)) => Ok(LoadedRubric { rubric: Arc::new(rubric), source, warnings }),
        Err(d) => Err((d, Some(source))),
    }
}

/// Where a data file's own `rubric:` key points: a built-in id or a path relative to it.
/// Paths come without `.` and `x/..` steps when those lead to the same file, so that files
/// naming one rubric by different routes (`a/../r.yaml`, `b/../r.yaml`) are scored together.
pub fn rubric_named_by(data: &DataFile) -> Option<String> {
    let (spec, _) = data.rubric.as_ref()?;
    if is_path(spec) {
        let base = Path::new(&data.file).parent().map(Path::to_path_buf).unwrap_or_default();
        let joined: PathBuf = base.join(spec);
        let mut tidy = without_dot_steps(&joined);
        if !is_path(&tidy.to_string_lossy()) {
            // Still a path, not a built-in id: `./cast-dept-2021` names a local file.
            tidy = Path::new(".").join(tidy);
        }
        let same_file = || match (std::fs::canonicalize(&tidy), std::fs::canonicalize(&joined)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        let path = if tidy != joined && same_file() { tidy } else { joined };
        Some(path.to_string_lossy().into_owned())
    } else {
        Some(spec.clone())
    }
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
