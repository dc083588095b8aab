//! Scaffolding shared by the integration tests (a module of each test binary that declares
//! `mod common;`, not a test binary itself).
#![allow(dead_code, clippy::unwrap_used)]

pub mod scoring;

use std::path::PathBuf;

/// A temporary folder of its own for each test, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new() -> Dir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let crate_name = std::env::args().next().unwrap_or_default();
        let binary = std::path::Path::new(&crate_name).file_name().map(|n| n.to_string_lossy().into_owned());
        let p = std::env::temp_dir().join(format!(
            "selfeval-{}-{}-{}",
            binary.unwrap_or_default(),
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    /// A file name inside the folder, as the command line takes it.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    /// Writes a file into the folder; its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
pub mod browser;

/// Runs selfeval in `lang` (`en` or `zh`); (exit code, stdout, stderr). Nothing may panic,
/// not even a panic that is caught.
pub fn run(lang: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("selfeval");
    cmd.env_remove("NO_COLOR").env_remove("LC_ALL").env("LANG", if lang == "zh" { "zh_CN.UTF-8" } else { "C" });
    let out = cmd.args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Runs selfeval, which must fail with exit code 1; its standard error.
pub fn refused(lang: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(lang, args);
    assert_eq!(code, 1, "{args:?} should fail:\n{stdout}\n{stderr}");
    stderr
}
