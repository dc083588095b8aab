//! Headless Chromium for the tests of HTML pages: a page's DOM and a screenshot, with a time
//! limit and a fresh profile, nothing from the network.
#![allow(dead_code, clippy::unwrap_used, clippy::print_stderr)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` with a time limit: the browser must not hang the test run.
fn run_with_limit(cmd: &mut Command, limit: Duration) -> (bool, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text).unwrap_or_default()
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.success(), reader.join().unwrap_or_default())
}

/// Headless Chromium as Debian ships it, with a fresh profile and nothing from the network.
pub fn chromium(profile: &Path, args: &[&str]) -> (bool, String) {
    std::fs::create_dir_all(profile).unwrap();
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args);
    let result = run_with_limit(&mut cmd, Duration::from_secs(120));
    std::fs::remove_dir_all(profile).ok();
    result
}

/// Whether chromium can run here. Missing under CI is a failure (CI installs it); elsewhere
/// the test says it skips.
pub fn chromium_available(test: &str) -> bool {
    let installed = Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let message = "chromium is not installed (Debian: apt-get install chromium); the browser test needs it";
        if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0") {
            panic!("{message}");
        }
        eprintln!("note: skipping {test}: {message}");
    }
    installed
}

/// The text a page shows: its DOM without tags.
pub fn visible_text(dom: &str) -> String {
    let body = dom.split_once("<body").map_or(dom, |(_, b)| b);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ").replace("&amp;", "&")
}

/// A PNG's width and height, from its IHDR chunk.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// The page's DOM as the browser builds it, and an A4-sized screenshot at `png`.
pub fn render(page: &Path, png: &Path) -> String {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let profile = |what: &str| {
        std::env::temp_dir().join(format!(
            "selfeval-chromium-{what}-{}-{}",
            std::process::id(),
            page.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        ))
    };
    let (ok, dom) = chromium(&profile("dom"), &["--dump-dom", &url]);
    assert!(ok, "chromium --dump-dom failed");
    std::fs::remove_file(png).ok();
    let shot = format!("--screenshot={}", png.display());
    let (ok, _) = chromium(&profile("png"), &[&shot, "--window-size=1240,1754", &url]);
    assert!(ok, "chromium --screenshot failed");
    dom
}
