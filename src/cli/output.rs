//! Where a command's output goes with `-o FILE`: written whole or not at all, never over an input.

use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Refuses `path` as an output when it is one of the `inputs` (or a link to one).
fn guard<'a>(path: &str, inputs: impl IntoIterator<Item = &'a str>, lang: Lang) -> Result<(), Diagnostic> {
    let target = Path::new(path);
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(t) = canonical(target)
        && inputs.into_iter().any(|i| i != "-" && canonical(Path::new(i)).as_ref() == Some(&t))
    {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            tr!(lang, "拒绝写出：输出会覆盖一个输入文件", "refusing to overwrite an input file with the output"),
        ));
    }
    Ok(())
}

fn cannot(path: &str, e: &std::io::Error, lang: Lang) -> Diagnostic {
    Diagnostic::error(path, Pos::UNKNOWN, tr!(lang, "无法写入：{e}", "cannot write: {e}"))
}

/// Writes `bytes` to `path` whole or not at all (see [`Pending`]). Refuses to overwrite any input.
pub fn write_output(path: &str, bytes: &[u8], inputs: &[String], lang: Lang) -> Result<(), Diagnostic> {
    let mut pending = Pending::create(path, inputs.iter().map(String::as_str), lang)?;
    pending.write_all(bytes).map_err(|e| cannot(path, &e, lang))?;
    pending.commit(inputs.iter().map(String::as_str), lang)
}

/// An `-o FILE` being written: a fresh temporary file in the target's folder, renamed over the
/// target once complete ([`Pending::commit`]), so the target is either the old file or the
/// whole new one; dropped uncommitted (an interrupted or failed run), the temporary file is
/// removed. A device, a pipe or a link is written to as it is: replacing it with a renamed file
/// would destroy it (`-o /dev/stdout`) and hide write errors (`-o /dev/full`).
pub struct Pending {
    path: String,
    file: std::io::BufWriter<std::fs::File>,
    /// `None`: written in place (a device, a pipe, a link).
    temp: Option<PathBuf>,
}

/// The temporary file of the `-o` being written, if any: removed on Ctrl-C ([`on_interrupt`]).
static IN_PROGRESS: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn in_progress(temp: Option<PathBuf>) {
    if let Ok(mut slot) = IN_PROGRESS.lock() {
        *slot = temp;
    }
}

/// Ctrl-C (SIGINT): the `-o` file being written is removed and the run ends at once with exit
/// code 130, so an interrupted run — a million files, say — leaves no half-written output. The
/// target itself is untouched: it is replaced only by a complete file.
pub fn on_interrupt() {
    if let Ok(mut slot) = IN_PROGRESS.lock()
        && let Some(temp) = slot.take()
    {
        let _ = std::fs::remove_file(temp);
    }
    std::process::exit(130);
}

impl Pending {
    pub fn create<'a>(
        path: &str,
        inputs: impl IntoIterator<Item = &'a str>,
        lang: Lang,
    ) -> Result<Pending, Diagnostic> {
        guard(path, inputs, lang)?;
        let target = Path::new(path);
        if let Ok(meta) = std::fs::symlink_metadata(target)
            && !meta.file_type().is_file()
        {
            let file = std::fs::OpenOptions::new().write(true).truncate(true).open(target);
            let file = file.map_err(|e| cannot(path, &e, lang))?;
            return Ok(Pending { path: path.to_owned(), file: std::io::BufWriter::new(file), temp: None });
        }
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
        // A fresh temporary file (never an existing one, nor a link someone left there).
        let mut attempt = 0u32;
        loop {
            let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(file) => {
                    let file = std::io::BufWriter::with_capacity(256 * 1024, file);
                    in_progress(Some(temp.clone()));
                    return Ok(Pending { path: path.to_owned(), file, temp: Some(temp) });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(cannot(path, &e, lang)),
            }
        }
    }

    /// Completes the file: flushed, synced, renamed into place, unless the target has become
    /// one of `inputs` meanwhile (a rubric the files named, read while they were scored).
    pub fn commit<'a>(mut self, inputs: impl IntoIterator<Item = &'a str>, lang: Lang) -> Result<(), Diagnostic> {
        let path = self.path.clone();
        guard(&path, inputs, lang)?;
        self.file.flush().map_err(|e| cannot(&path, &e, lang))?;
        let Some(temp) = self.temp.take() else { return Ok(()) };
        let done = self.file.get_ref().sync_all().and_then(|()| std::fs::rename(&temp, &path));
        in_progress(None);
        if let Err(e) = done {
            let _ = std::fs::remove_file(&temp);
            return Err(cannot(&path, &e, lang));
        }
        Ok(())
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            in_progress(None);
            let _ = std::fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn output_is_written_whole_and_never_over_an_input() {
        let dir = std::env::temp_dir().join(format!("selfeval-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.yaml");
        std::fs::write(&input, "values: {}\n").unwrap();
        let input = input.to_string_lossy().into_owned();
        assert!(write_output(&input, b"x", std::slice::from_ref(&input), Lang::En).is_err());
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "values: {}\n");
        let out = dir.join("out.csv").to_string_lossy().into_owned();
        write_output(&out, b"a,b\n", std::slice::from_ref(&input), Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a,b\n");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
