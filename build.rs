//! Records the parser's events of every rubric in rubrics/ (the built-in ones), so that the
//! binary builds their trees without parsing YAML at every start (src/yaml/events.rs).

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
        }
    }
    Ok(())
}
