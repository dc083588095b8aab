//! The DATA arguments of a command: files as given, folders walked for data files (regular
//! files only, never a link that leads out of the folder, rubrics found there set aside).

use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;
use std::path::Path;

/// One DATA input once directories are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as given, or as found under a directory argument (`-`: standard input).
    pub path: String,
    /// Found by walking a directory rather than named: a rubric found there is skipped.
    pub walked: bool,
    /// Why the walk will not open it (a pipe, a device, a link out of the folder): it is a
    /// failed entry at its place, never read.
    pub refused: Option<String>,
}

impl Input {
    fn given(path: &str) -> Input {
        Input { path: path.to_owned(), walked: false, refused: None }
    }
}

/// Expands the DATA arguments: files as given, directories recursively (`*.yaml`, `*.yml` and
/// `*.xlsx` forms, sorted by path), `-` for standard input. A walk opens regular files only: a pipe, socket or
/// device found there would hang or feed the reader forever, so it is a refused input. Symbolic
/// links to directories are not followed; one to a file is followed only when the file lies
/// inside the directory argument.
pub fn expand_inputs(args: &[String], lang: Lang) -> Result<Vec<Input>, Diagnostic> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            let cannot = |e: std::io::Error| {
                Diagnostic::error(arg, Pos::UNKNOWN, tr!(lang, "无法读取目录：{e}", "cannot read directory: {e}"))
            };
            let root = std::fs::canonicalize(path).map_err(cannot)?;
            let mut found = Vec::new();
            walk(path, &root, &mut found, lang).map_err(cannot)?;
            found.sort_by(|a, b| a.path.cmp(&b.path));
            if found.is_empty() {
                return Err(Diagnostic::error(
                    arg,
                    Pos::UNKNOWN,
                    tr!(lang, "目录中没有 .yaml、.yml 或 .xlsx 文件", "directory holds no .yaml, .yml or .xlsx files"),
                ));
            }
            // Moved, not copied: a folder of a million files is listed once.
            if out.is_empty() {
                out = found;
            } else {
                out.append(&mut found);
            }
        } else {
            out.push(Input::given(arg));
        }
    }
    out.shrink_to_fit();
    Ok(out)
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<Input>, lang: Lang) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // The entry itself, not what a link leads to.
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, root, out, lang)?;
            continue;
        }
        if !is_walked_kind(&path) {
            continue;
        }
        let refused = if kind.is_file() {
            None
        } else if kind.is_symlink() {
            link_refused(&path, root, lang)
        } else {
            Some(tr!(
                lang,
                "不是普通文件（而是管道、套接字或设备），不会读取",
                "not a regular file (a pipe, socket or device); it is not read"
            ))
        };
        out.push(Input { path: path.to_string_lossy().into_owned(), walked: true, refused });
    }
    Ok(())
}

/// Whether a walk takes a file: a YAML data file or an Excel form, by its extension (any case).
fn is_walked_kind(path: &Path) -> bool {
    path.extension().is_some_and(|e| ["yaml", "yml", "xlsx"].iter().any(|k| e.eq_ignore_ascii_case(k)))
}

/// Why a file found in a walk is not a data file, when its name says so: Excel's lock file
/// (`~$form.xlsx`, left beside a form while it is open, or after a crash) holds no form.
pub fn skipped_by_name(path: &str, lang: Lang) -> Option<String> {
    let name = Path::new(path).file_name()?.to_string_lossy();
    name.starts_with("~$")
        .then(|| tr!(lang, "已跳过：{path} 是 Excel 的锁定文件\n", "skipped: {path} is an Excel lock file\n"))
}

/// Why a symbolic link found in a walk is not followed, if it is not: it leads outside the
/// directory argument `root`, or to something that is not a regular file. A broken link is
/// left to the reader, which says "no such file".
fn link_refused(link: &Path, root: &Path, lang: Lang) -> Option<String> {
    let target = std::fs::canonicalize(link).ok()?;
    if !target.starts_with(root) {
        return Some(tr!(
            lang,
            "这是指向所在目录之外的符号链接，不会跟随",
            "a symbolic link leading outside the folder given; it is not followed"
        ));
    }
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => Some(tr!(
            lang,
            "这是指向非普通文件（目录、管道或设备）的符号链接，不会读取",
            "a symbolic link to something other than a regular file (a folder, pipe or device); it is not read"
        )),
        _ => None,
    }
}

/// Whether a YAML text is a rubric rather than a data file: it has a top-level `sections:` key,
/// which no data file may have. Seen on the text alone (a line starting with `sections:`), so a
/// rubric in a folder of data files costs no parse.
pub fn looks_like_rubric(text: &str) -> bool {
    // Most texts never spell the word: one substring search tells, instead of a look at every line.
    if !text.contains("sections") {
        return false;
    }
    text.lines().any(|line| {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        line.strip_prefix("sections").is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_sorted_and_recursive() {
        let dir = std::env::temp_dir().join(format!("selfeval-batch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        for f in ["b/c/z.yaml", "a.yml", "b/x.yaml", "notes.txt", "b/form.XLSX", "b/old.xls"] {
            std::fs::write(dir.join(f), "x: 1\n").unwrap();
        }
        let found = expand_inputs(&[dir.to_string_lossy().into_owned()], Lang::En).unwrap();
        let rel: Vec<String> =
            found.iter().map(|f| f.path.trim_start_matches(&*dir.to_string_lossy()).to_owned()).collect();
        assert_eq!(rel, vec!["/a.yml", "/b/c/z.yaml", "/b/form.XLSX", "/b/x.yaml"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn item14_a_rubric_is_seen_by_its_top_level_sections_key() {
        assert!(looks_like_rubric("id: x\ntitle: y\nsections:\n  - id: a\n"));
        assert!(looks_like_rubric("\u{feff}sections : []\n"));
        for data in ["values:\n  sections: 3\n", "subject: sections:\n", "sections_done: 1\n", "# sections:\n"] {
            assert!(!looks_like_rubric(data), "{data}");
        }
    }
}
