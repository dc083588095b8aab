//! Arbitrary bytes → `Source::decode` → both YAML paths of src/yaml.rs.
//!
//! Wherever the fast path (the tree built from parser events) answers, the full serde-saphyr
//! parse must accept the same text and give the same tree, positions included.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selfeval::yaml::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::decode("fuzz.yaml", data.to_vec()) else {
        return;
    };
    let Some(fast) = source.parse_fast() else {
        return;
    };
    match source.parse_full() {
        Ok(full) => assert!(fast == full, "the paths differ:\nfast {fast:?}\nfull {full:?}"),
        Err(e) => panic!("the fast path accepted what the full parse refuses: {}", e.message),
    }
});
