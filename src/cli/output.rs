//! Where a command's output goes with `-o FILE`: written whole or not at all, never over an input.

use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so the
/// file is either the old one or the whole new one. Refuses to overwrite any input.
pub fn write_output(path: &str, bytes: &[u8], inputs: &[String], lang: Lang) -> Result<(), Diagnostic> {
    let target = Path::new(path);
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(t) = canonical(target)
        && inputs.iter().any(|i| i != "-" && canonical(Path::new(i)).as_ref() == Some(&t))
    {
        return Err(Diagnostic::error(
            path,
            Pos::UNKNOWN,
            tr!(lang, "拒绝写出：输出会覆盖一个输入文件", "refusing to overwrite an input file with the output"),
        ));
    }
    let cannot =
        |e: std::io::Error| Diagnostic::error(path, Pos::UNKNOWN, tr!(lang, "无法写入：{e}", "cannot write: {e}"));
    // A device, a pipe or a link is written to as it is: replacing it with a renamed file would
    // destroy it (`-o /dev/stdout`) and hide write errors (`-o /dev/full`).
    if let Ok(meta) = std::fs::symlink_metadata(target)
        && !meta.file_type().is_file()
    {
        return std::fs::write(target, bytes).map_err(cannot);
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    // A fresh temporary file (never an existing one, nor a link someone left there), renamed
    // over the target once it is complete: the target is either the old file or the new one.
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(cannot(e)),
        }
    };
    use std::io::Write;
    let result = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| std::fs::rename(&temp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(cannot(e));
    }
    Ok(())
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
