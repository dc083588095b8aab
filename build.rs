//! Records the parser's events of every rubric in rubrics/ (the built-in ones), so that the
//! binary builds their trees without parsing YAML at every start (src/yaml/events.rs), and the
//! fingerprint of each text (what `rubric::fingerprint` gives: a SHA-256 of 22 KB in software is
//! a sixth of a one-file run, and the embedded text never changes).

use std::error::Error;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/yaml/events.rs"]
mod events;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=src/yaml/events.rs");
    println!("cargo::rerun-if-changed=rubrics");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?);
    for entry in std::fs::read_dir("rubrics")? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path)?;
            let id = path.file_stem().ok_or("a file name")?.to_string_lossy();
            std::fs::write(out_dir.join(format!("{id}.events")), events::record(&text))?;
            std::fs::write(out_dir.join(format!("{id}.sha256")), fingerprint(text.as_bytes()))?;
        }
    }
    Ok(())
}

/// The first 12 hex digits of the text's SHA-256, as `rubric::fingerprint` writes them (a test
/// in src/rubric/builtin.rs holds the two to the same digits).
fn fingerprint(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().take(6).map(|b| format!("{b:02x}")).collect()
}
