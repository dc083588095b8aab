//! Arbitrary bytes → `Source::decode` → both YAML paths of src/yaml/, and a recording.
//!
//! Wherever the fast path (the tree built from parser events) answers, the full serde-saphyr
//! parse must accept the same text and give the same tree, positions included. A recording of
//! the text's events (what build.rs makes of the built-in rubrics) replays the very events of
//! the parse, and parses to the same tree or error. Wherever the line scanner
//! (src/yaml/lines.rs) gives events, they are the parser's, event for event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selfeval::lang::Lang;
use selfeval::yaml::Source;
use selfeval::yaml::events::{live, record, replay};
use selfeval::yaml::lines;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::decode("fuzz.yaml", data.to_vec(), Lang::En) else {
        return;
    };
    if let Some(scanned) = lines::events(&source.text) {
        let parsed: Vec<_> = live(&source.text).collect();
        assert!(scanned == parsed, "the line scanner's events differ:\nlines  {scanned:?}\nparser {parsed:?}");
    }
    let recording = record(&source.text);
    assert!(replay(&recording, &source.text).eq(live(&source.text)), "the replay differs");
    let Some(fast) = source.parse_fast() else {
        return;
    };
    assert_eq!(source.parse_recorded(&recording, Lang::En).ok().as_ref(), Some(&fast), "the recorded tree differs");
    match source.parse_full(Lang::En) {
        Ok(full) => assert!(fast == full, "the paths differ:\nfast {fast:?}\nfull {full:?}"),
        Err(e) => panic!("the fast path accepted what the full parse refuses: {}", e.message),
    }
});
