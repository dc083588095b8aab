//! Arbitrary bytes → `Source::decode` → `rubric::load::load`.
//!
//! Checks that decoding and loading a rubric never panics, never overflows the stack and
//! never hangs: every input is either a rubric (whose warnings hold no error) or diagnostics
//! holding at least one error (the loader's own contract).
#![no_main]

use libfuzzer_sys::fuzz_target;
use selfeval::lang::Lang;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::decode("fuzz.yaml", data.to_vec(), Lang::En) else {
        return;
    };
    match load(&source, Lang::En) {
        Ok((_rubric, warnings)) => {
            assert!(!warnings.has_errors(), "rubric loaded with errors among its warnings");
        }
        Err(diags) => {
            assert!(diags.has_errors(), "rubric load failed without reporting an error");
        }
    }
});
