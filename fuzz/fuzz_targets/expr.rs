//! Bytes as UTF-8 → `expr::parse` → `Expr::check` → `Expr::eval`, plus the Display round trip.
//!
//! Checks that parsing, checking and evaluating never panic or overflow the stack, that an
//! expression's canonical text (`Display`) parses back and prints identically, that a checked
//! expression evaluates (when it does) to a value of the checked type, and that evaluation
//! is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use selfeval::expr::{self, EvalError, MapEnv, Value};
use selfeval::lang::Lang;
use selfeval::number::RoundingMode;
use std::collections::BTreeMap;
use std::str::FromStr;

const MODES: [RoundingMode; 3] = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down];

/// A few names of each type, including dotted and CJK names as rubrics use them, a zero
/// (division), a negative, a fraction and the largest and smallest decimals (overflow).
fn env() -> MapEnv {
    let num = |s: &str| Value::Number(Decimal::from_str(s).unwrap_or_default());
    let entries = [
        ("x", num("2.5")),
        ("y", num("-3")),
        ("n", num("0")),
        ("big", Value::Number(Decimal::MAX)),
        ("small", Value::Number(Decimal::MIN)),
        ("tiny", num("0.0000000000000000000000000001")),
        ("budget.initial", num("282.40")),
        ("budget.executed", num("270.31")),
        ("执行率", num("95.72")),
        ("points", num("5")),
        ("ok", Value::Bool(true)),
        ("bad", Value::Bool(false)),
        ("major_violation", Value::Bool(false)),
        ("level", Value::Text("优".into())),
        ("质量", Value::Text("良".into())),
        ("t", Value::Text(String::new())),
    ];
    MapEnv(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<BTreeMap<_, _>>())
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = expr::parse(src, Lang::En) else {
        return;
    };

    // Display round trip: the canonical text parses back and is a fixed point.
    let printed = e.to_string();
    let again = match expr::parse(&printed, Lang::En) {
        Ok(again) => again,
        Err(err) => panic!("canonical text {printed:?} of {src:?} does not parse: {err}"),
    };
    assert_eq!(again.to_string(), printed, "printing is not stable for {src:?}");
    assert_eq!(again.names(), e.names(), "names differ after the round trip of {src:?}");

    let _ = e.as_name();
    let mut env = env();
    let checked = e.check(&env, Lang::En);
    assert_eq!(again.check(&env, Lang::En).is_ok(), checked.is_ok(), "check differs after the round trip of {src:?}");

    for mode in MODES {
        let value = e.eval(&mut env, mode, Lang::En);
        // Evaluation is pure: the same expression gives the same result...
        assert_eq!(e.eval(&mut env, mode, Lang::En), value, "eval is not deterministic for {src:?}");
        // ...and so does its canonical text (errors quote the source text, which differs,
        // so only their kind is compared).
        let other = again.eval(&mut env, mode, Lang::En);
        let same = match (&value, &other) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => std::mem::discriminant(a) == std::mem::discriminant(b),
            _ => false,
        };
        assert!(same, "eval of {src:?} gives {value:?} but its canonical text {printed:?} gives {other:?}");
        if let Ok(ty) = &checked {
            match &value {
                Ok(v) => assert_eq!(v.ty(), *ty, "{src:?} checked as {ty} but evaluated to {v:?}"),
                // After a successful check no type error may remain, and every name is known.
                Err(EvalError::Type { .. }) | Err(EvalError::Env(_)) => {
                    panic!("{src:?} passed the check but failed to evaluate: {value:?}")
                }
                Err(_) => {}
            }
        }
        if let Err(err) = &value {
            let _ = err.to_string();
        }
    }
});
