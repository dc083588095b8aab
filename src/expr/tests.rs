//! Expected values are worked out by hand (see the comments), not copied from output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::ast::{BinOp, Kind, Node, Span};
use super::*;
use proptest::prelude::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn n(s: &str) -> Value {
    Value::Number(d(s))
}

fn env(pairs: &[(&str, Value)]) -> MapEnv {
    MapEnv(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn eval_in(src: &str, e: &mut MapEnv, mode: RoundingMode) -> Result<Value, EvalError> {
    parse(src, Lang::En).unwrap().eval(e, mode, Lang::En)
}

/// Evaluates a closed expression in the default mode.
fn ev(src: &str) -> Value {
    eval_in(src, &mut MapEnv::default(), RoundingMode::HalfUp).unwrap()
}

fn parse_err(src: &str) -> ParseError {
    parse(src, Lang::En).unwrap_err()
}

/// The (column, message) of every check error.
fn check_errs(src: &str, e: &dyn TypeEnv) -> Vec<(usize, String)> {
    parse(src, Lang::En).unwrap().check(e, Lang::En).unwrap_err().into_iter().map(|e| (e.column, e.message)).collect()
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(ev("1 - 2 - 3"), n("-4")); // (1 - 2) - 3, not 1 - (2 - 3) = 2
    assert_eq!(ev("2 * 3 + 4"), n("10"));
    assert_eq!(ev("2 + 3 * 4"), n("14"));
    assert_eq!(ev("-2 * -3"), n("6"));
    assert_eq!(ev("100 / 10 / 5"), n("2")); // (100 / 10) / 5
    assert_eq!(ev("--3"), n("3"));
    assert_eq!(ev("(2 + 3) * 4"), n("20"));
    // `and` binds tighter than `or`: true or (false and false); (true or false) and false is false.
    assert_eq!(ev("true or false and false"), Value::Bool(true));
    // `not` is looser than `==`: not (1 == 2). `(not 1)` would be a type error.
    let mut e = env(&[("a", n("1")), ("b", n("2"))]);
    assert_eq!(eval_in("not a == b", &mut e, RoundingMode::HalfUp), Ok(Value::Bool(true)));
    assert_eq!(parse("not a == b", Lang::En).unwrap().check(&e, Lang::En), Ok(Type::Bool));
    // Arithmetic before `<` before `==`: ((1 + 2) < 4) == true.
    assert_eq!(ev("1 + 2 < 4 == true"), Value::Bool(true));
}

#[test]
fn exact_decimals() {
    assert_eq!(ev("0.1 + 0.2 == 0.3"), Value::Bool(true));
    assert_eq!(ev("30 * 7 / 48"), n("4.375")); // 210 / 48
    // Divide first loses: 1/3 is held as 0.333…3 (28 places), times 3 is 0.999…9.
    assert_eq!(ev("1 / 3 * 3"), n("0.9999999999999999999999999999"));
    assert_ne!(ev("1 / 3 * 3"), n("1"));
    assert_eq!(ev("3 * 1 / 3"), n("1"));
    // The documented rate pitfall: 2/3 rounds at place 28, ×100 keeps 26 places; 200/3 has 27.
    assert_eq!(ev("2 / 3 * 100"), n("66.66666666666666666666666667"));
    assert_eq!(ev("2 * 100 / 3"), n("66.666666666666666666666666667"));
    assert_eq!(ev("2.50 == 2.5"), Value::Bool(true));
}

#[test]
fn round_in_every_mode() {
    let cases = [
        ("round(-2.345, 2)", ["-2.35", "-2.34", "-2.34"]),
        ("round(2.5, 0)", ["3", "2", "2"]),
        ("round(-2.5, 0)", ["-3", "-2", "-2"]),
        ("round(1.005, 2)", ["1.01", "1.00", "1.00"]), // exact, unlike binary floats
        ("round(4.819, 2)", ["4.82", "4.82", "4.81"]),
        ("round(7, 28)", ["7", "7", "7"]),
    ];
    for (src, want) in cases {
        for (mode, w) in [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down].into_iter().zip(want) {
            assert_eq!(eval_in(src, &mut MapEnv::default(), mode), Ok(n(w)), "{src} in {mode:?}");
        }
    }
    let e = env(&[("x", n("1"))]);
    for bad in ["round(x, 29)", "round(x, x)", "round(x, 2.0)", "round(x, -1)"] {
        let errs = check_errs(bad, &e);
        assert_eq!(errs.len(), 1, "{bad}");
        assert_eq!(errs[0].0, 10, "{bad}");
        assert!(errs[0].1.contains("integer literal from 0 to 28"), "{bad}");
    }
}

#[test]
fn floor_and_ceil_ignore_the_mode() {
    for mode in [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down] {
        let mut e = MapEnv::default();
        assert_eq!(eval_in("floor(-2.5)", &mut e, mode), Ok(n("-3")));
        assert_eq!(eval_in("ceil(-2.5)", &mut e, mode), Ok(n("-2")));
        assert_eq!(eval_in("floor(2.99)", &mut e, mode), Ok(n("2")));
        assert_eq!(eval_in("ceil(2.01)", &mut e, mode), Ok(n("3")));
        assert_eq!(eval_in("floor(-2)", &mut e, mode), Ok(n("-2")));
    }
    // SPEC's step rule: 2 points off per full 5 % below target; (100 - 88) / 5 = 2.4 → 2.
    let mut e = env(&[("rate", n("88"))]);
    assert_eq!(eval_in("floor((100 - rate) / 5)", &mut e, RoundingMode::HalfUp), Ok(n("2")));
}

#[test]
fn clamp_min_max_abs() {
    assert_eq!(ev("clamp(5, 0, 3)"), n("3"));
    assert_eq!(ev("clamp(-1, 0, 3)"), n("0"));
    assert_eq!(ev("clamp(2.5, 0, 3)"), n("2.5"));
    assert_eq!(ev("min(3, 1, 2)"), n("1"));
    assert_eq!(ev("max(3, 1.5, -2)"), n("3"));
    assert_eq!(ev("max(-3)"), n("-3"));
    assert_eq!(ev("abs(-4.20)"), n("4.2"));
    // Literal bounds in the wrong order are caught by the checker ...
    let e = env(&[("x", n("1")), ("lo", n("5")), ("hi", n("1"))]);
    assert_eq!(check_errs("clamp(x, 5, 1)", &e), vec![(1, "`clamp` lower bound 5 is above its upper bound 1".into())]);
    assert_eq!(check_errs("clamp(x, -1, -2)", &e).len(), 1);
    assert_eq!(parse("clamp(x, 1, 1)", Lang::En).unwrap().check(&e, Lang::En), Ok(Type::Number));
    // ... others when evaluated.
    assert_eq!(parse("clamp(x, lo, hi)", Lang::En).unwrap().check(&e, Lang::En), Ok(Type::Number));
    let err = eval_in("clamp(x, lo, hi)", &mut e.clone(), RoundingMode::HalfUp).unwrap_err();
    assert_eq!(err, EvalError::ClampBounds { lo: d("5"), hi: d("1") });
    assert_eq!(err.to_string(), "clamp(x, lo, hi) with lo 5 above hi 1");
}

#[test]
fn arity_errors() {
    let e = MapEnv::default();
    let cases = [
        ("min()", "`min` takes at least 1 argument, found 0"),
        ("max()", "`max` takes at least 1 argument, found 0"),
        ("abs(1, 2)", "`abs` takes 1 argument (x), found 2"),
        ("round(1)", "`round` takes 2 arguments (x, decimals), found 1"),
        ("clamp(1, 2)", "`clamp` takes 3 arguments (x, lo, hi), found 2"),
        ("if(true, 1)", "`if` takes 3 arguments (condition, then, else), found 2"),
    ];
    for (src, msg) in cases {
        assert_eq!(check_errs(src, &e), vec![(1, msg.to_owned())], "{src}");
        // Unchecked evaluation fails cleanly too.
        assert!(matches!(eval_in(src, &mut MapEnv::default(), RoundingMode::HalfUp), Err(EvalError::Type { .. })));
    }
}

#[test]
fn evaluation_is_lazy() {
    let mut e = env(&[("a", n("5")), ("b", n("0"))]);
    let guard = "if(b == 0, 0, a / b)";
    assert_eq!(eval_in(guard, &mut e, RoundingMode::HalfUp), Ok(n("0")));
    e.0.insert("b".into(), n("2"));
    assert_eq!(eval_in(guard, &mut e, RoundingMode::HalfUp), Ok(n("2.5")));
    assert_eq!(ev("false and (1/0 > 0)"), Value::Bool(false));
    assert_eq!(ev("true or (1/0 > 0)"), Value::Bool(true));
    let err = eval_in("true and (1/0 > 0)", &mut MapEnv::default(), RoundingMode::HalfUp);
    assert_eq!(err, Err(EvalError::DivisionByZero { expr: "1/0".into() }));
    // Names are fetched only when reached: `boom` is unknown to the environment.
    assert_eq!(eval_in("false and boom", &mut e, RoundingMode::HalfUp), Ok(Value::Bool(false)));
    assert_eq!(eval_in("if(true, 1, boom)", &mut e, RoundingMode::HalfUp), Ok(n("1")));
    let err = eval_in("if(false, 1, boom)", &mut e, RoundingMode::HalfUp).unwrap_err();
    assert_eq!(err.to_string(), "unknown name `boom`");
}

#[test]
fn division_by_zero_quotes_the_division() {
    let mut e = env(&[("spent", n("12")), ("budget", n("0"))]);
    let err = eval_in("spent * 100 / budget", &mut e, RoundingMode::HalfUp).unwrap_err();
    assert_eq!(err.to_string(), "division by zero in `spent * 100 / budget`");
    e.0.insert("budget".into(), n("10"));
    let err = eval_in("1 + spent / (budget - 10)", &mut e, RoundingMode::HalfUp).unwrap_err();
    assert_eq!(err, EvalError::DivisionByZero { expr: "spent / (budget - 10)".into() });
}

#[test]
fn overflow_is_an_error() {
    // 28 nines × 10 needs 29 digits: more than the 96-bit mantissa holds (~7.9e28).
    let lit = eval_in("9999999999999999999999999999 * 10", &mut MapEnv::default(), RoundingMode::HalfUp).unwrap_err();
    assert_eq!(lit, EvalError::Overflow { expr: "9999999999999999999999999999 * 10".into() });
    let mut e = env(&[("big", Value::Number(Decimal::MAX))]);
    for src in ["big * 2", "big + 1", "-big - 1", "big / 0.5"] {
        let err = eval_in(src, &mut e, RoundingMode::HalfUp).unwrap_err();
        assert_eq!(err, EvalError::Overflow { expr: src.into() });
    }
    assert_eq!(lit.to_string(), "arithmetic overflow in `9999999999999999999999999999 * 10`");
}

#[test]
fn type_errors_all_reported_with_columns() {
    let e = env(&[("a", n("1")), ("flag", Value::Bool(true)), ("name", Value::Text("x".into()))]);
    let one = |src: &str| {
        let errs = check_errs(src, &e);
        assert_eq!(errs.len(), 1, "{src}: {errs:?}");
        errs.into_iter().next().unwrap()
    };
    assert_eq!(one("1 + true"), (5, "`+` needs numbers, but `true` is a bool".into()));
    assert_eq!(one("-flag"), (2, "unary `-` needs a number, but `flag` is a bool".into()));
    assert_eq!(one("not a"), (5, "`not` needs a bool, but `a` is a number".into()));
    assert_eq!(one("1 < name"), (5, "`<` compares numbers, but `name` is text".into()));
    assert_eq!(
        one("a == true"),
        (3, "`==` compares values of one type, but `a` is a number and `true` is a bool".into())
    );
    assert_eq!(one("flag and 1"), (10, "`and` needs bools, but `1` is a number".into()));
    assert_eq!(one("flag or \"y\""), (9, "`or` needs bools, but `\"y\"` is text".into()));
    assert_eq!(one("if(a, 2, 3)"), (4, "the condition of `if` must be a bool, but `a` is a number".into()));
    assert_eq!(
        one("if(flag, 1, \"a\")"),
        (1, "the branches of `if` must have one type, but `1` is a number and `\"a\"` is text".into())
    );
    assert_eq!(one("min(flag)"), (5, "`min` needs numbers, but `flag` is a bool".into()));
    assert_eq!(one("abs(\"x\")"), (5, "`abs` needs numbers, but `\"x\"` is text".into()));
    // Every error at once, in column order; an error's operand does not cascade upward.
    let all = check_errs("1 + true - \"x\" > nope", &e);
    assert_eq!(all.iter().map(|e| e.0).collect::<Vec<_>>(), vec![5, 12, 18]);
    // Unchecked evaluation reports a type error instead of guessing.
    let err = eval_in("1 + flag", &mut e.clone(), RoundingMode::HalfUp).unwrap_err();
    assert_eq!(err, EvalError::Type { expr: "flag".into(), message: "`+` needs a number, found bool".into() });
    // Well-typed expressions report their type.
    assert_eq!(parse("if(flag, name, \"y\")", Lang::En).unwrap().check(&e, Lang::En), Ok(Type::Text));
    assert_eq!(parse("a * 2 >= 1 or not flag", Lang::En).unwrap().check(&e, Lang::En), Ok(Type::Bool));
}

#[test]
fn comparisons_do_not_chain() {
    let err = parse_err("a < b < c");
    assert_eq!(err.column, 7);
    assert!(err.message.starts_with("comparisons do not chain"), "{err}");
    assert_eq!(parse_err("a == b == c").column, 8);
    assert_eq!(parse_err("a != b == c").column, 8);
    assert!(parse("(a < b) == c", Lang::En).is_ok());
    assert!(parse("a < b == (c < d)", Lang::En).is_ok()); // different levels: (a < b) == (c < d)
}

struct Levels;

impl TypeEnv for Levels {
    fn name_type(&self, name: &str) -> Option<NameType> {
        (name == "quality")
            .then(|| NameType { ty: Type::Text, levels: Some(["优", "良", "中", "差"].map(String::from).to_vec()) })
    }
    fn names(&self) -> Vec<String> {
        vec!["quality".into()]
    }
}

#[test]
fn level_literals_must_be_levels() {
    assert_eq!(
        parse("quality == \"优\" or '良' != quality", Lang::En).unwrap().check(&Levels, Lang::En),
        Ok(Type::Bool)
    );
    assert_eq!(
        check_errs("quality == \"优秀\"", &Levels),
        vec![(12, "\"优秀\" is not a level of `quality` (levels: 优, 良, 中, 差)".into())]
    );
    assert_eq!(check_errs("\"好\" != quality", &Levels)[0].0, 1);
}

#[test]
fn unknown_names_and_functions_suggest() {
    let e = env(&[("budget.executed", n("1")), ("执行率", n("2")), ("flag", Value::Bool(true))]);
    let msgs = |src: &str| check_errs(src, &e);
    assert_eq!(
        msgs("budget.execute * 2"),
        vec![(1, "unknown name `budget.execute`; did you mean `budget.executed`?".into())]
    );
    assert_eq!(msgs("执行律 > 1"), vec![(1, "unknown name `执行律`; did you mean `执行率`?".into())]);
    assert_eq!(msgs("flag and True"), vec![(10, "unknown name `True`; did you mean `true`?".into())]);
    // Inside parentheses the column is still the name's own.
    assert_eq!(msgs("2 * (nope)")[0].0, 6);
    assert_eq!(msgs("1 + zzzzzz"), vec![(5, "unknown name `zzzzzz`".into())]);
    assert_eq!(msgs("mni(1, 2)"), vec![(1, "unknown function `mni`; did you mean `min`?".into())]);
    assert!(msgs("foo(1)")[0].1.starts_with("unknown function `foo` (functions: min,"));
    // Arguments of an unknown function are still checked.
    assert_eq!(msgs("foo(nope, 1 + flag)").len(), 3);
    assert!(msgs("points * 0.5")[0].1.contains("formula"));
    let with_points = env(&[("points", n("10"))]);
    assert_eq!(parse("points * 0.5", Lang::En).unwrap().check(&with_points, Lang::En), Ok(Type::Number));
}

#[test]
fn syntax_errors_and_columns() {
    let cases = [
        ("", 1, "the expression is empty"),
        ("   ", 1, "the expression is empty"),
        ("1 + * 2", 5, "expected a value, found `*`"),
        ("1 +", 4, "the expression is incomplete: expected a value"),
        ("执行率 + @", 7, "unexpected character `@`"), // columns count characters, not bytes
        ("a b", 3, "expected an operator or the end of the expression, found name `b`"),
        ("(1 + 2", 7, "expected `)` to close the `(` at column 1, found the end of the expression"),
        ("1 + 2)", 6, "unmatched `)`"),
        ("min(1 2)", 7, "expected `,` or `)` to close the `(` at column 4, found number `2`"),
        ("min + 1", 1, "`min` is a function: call it as `min(…)`"),
        ("a == not b", 6, "`not` binds looser than comparisons and arithmetic here: write `(not …)`"),
        ("a = 1", 3, "unexpected character `=`; write `==` to compare"),
        ("a（1）", 2, "unexpected character `（`; write the ASCII `(`"),
        ("\"abc", 1, "unterminated text: no closing \""),
        ("1 + 'abc\"", 5, "unterminated text: no closing '"),
        ("010", 1, "number `010` has a leading zero; write it without the zero (or with a decimal point)"),
        ("1 + 0x1F", 5, "number `0x1F` is a hexadecimal, octal or binary literal; write the decimal value"),
        ("1e3", 1, "number `1e3` uses an exponent; write the number out in full"),
        ("1.", 1, "number `1.` is not a decimal number"),
        ("3个", 1, "number `3个` is not a decimal number"),
        ("1_000", 1, "number `1_000` contains '_' or ','; write the digits without separators"),
        (
            "12345678901234567890123456789",
            1,
            "number `12345678901234567890123456789` has more than 28 significant digits",
        ),
        (".5", 1, "unexpected character `.`; a number needs a digit before its point (0.5)"),
        ("a.", 1, "name `a.` has an empty part between dots or ends with a dot"),
        ("a..b", 1, "name `a..b` has an empty part between dots or ends with a dot"),
        ("+1", 1, "expected a value, found `+`"),
    ];
    for (src, col, msg) in cases {
        assert_eq!(parse_err(src), ParseError { column: col, message: msg.into() }, "{src:?}");
    }
    assert_eq!(parse_err("1 +").to_string(), "column 4: the expression is incomplete: expected a value");
}

#[test]
fn literals() {
    assert_eq!(ev("0.5"), n("0.5"));
    assert_eq!(ev("'优'"), Value::Text("优".into()));
    assert_eq!(ev("\"say 'hi'\""), Value::Text("say 'hi'".into()));
    assert_eq!(ev("\"\" == ''"), Value::Bool(true));
    assert_eq!(ev("1234567890123456789012345678 > 0"), Value::Bool(true));
}

#[test]
fn depth_limits_are_clean_errors() {
    let deep = |open: &str, close: &str, k: usize| format!("{}1{}", open.repeat(k), close.repeat(k));
    // The error points at the 65th opener: its `(`, `-`, `not`, or the `(` of `abs(`.
    let cases = [
        (deep("(", ")", 100_000), 65),
        (deep("-", "", 100_000), 65),
        (deep("not ", "", 100_000), 257),
        (deep("abs(", ")", 100_000), 260),
    ];
    for (src, column) in cases {
        let err = parse_err(&src);
        assert!(err.message.starts_with("expression nested too deeply"), "{err}");
        assert_eq!(err.column, column);
    }
    // Exactly the limit is fine.
    assert_eq!(ev(&deep("(", ")", parser::MAX_NESTING)), n("1"));
    assert!(parse(&deep("(", ")", parser::MAX_NESTING + 1), Lang::En).is_err());
    // Long flat chains are parsed by loops but still bounded, so the recursive evaluator and
    // printer are safe: 256 terms (255 operators, height 256) pass, 257 do not.
    let chain = |terms: usize| vec!["1"; terms].join(" + ");
    let ok = parse(&chain(256), Lang::En).unwrap();
    assert_eq!(ok.eval(&mut MapEnv::default(), RoundingMode::HalfUp, Lang::En), Ok(n("256")));
    assert_eq!(ok.check(&MapEnv::default(), Lang::En), Ok(Type::Number));
    assert_eq!(parse(&ok.to_string(), Lang::En).unwrap().root, ok.root);
    assert!(parse_err(&chain(257)).message.starts_with("expression nested too deeply"));
    assert!(parse_err(&chain(100_000)).message.starts_with("expression nested too deeply"));
}

#[test]
fn cjk_and_dotted_names() {
    let mut e = env(&[("执行率", n("95")), ("预算.执行数", n("10")), ("_x1", n("1"))]);
    assert_eq!(eval_in("执行率 * 2 + 预算.执行数 - _x1", &mut e, RoundingMode::HalfUp), Ok(n("199")));
    // A full-width space separates tokens like any other whitespace.
    assert_eq!(eval_in("执行率\u{3000}>\u{3000}90", &mut e, RoundingMode::HalfUp), Ok(Value::Bool(true)));
    for ok in ["budget.executed", "执行率", "_x", "a1", "预算.执行数", "a.b2.c"] {
        assert!(is_valid_name(ok), "{ok}");
    }
    for bad in ["", "1a", "a.", ".a", "a..b", "a-b", "a b", "a%"] {
        assert!(!is_valid_name(bad), "{bad}");
    }
    for r in
        ["and", "or", "not", "true", "false", "points", "min", "max", "abs", "round", "floor", "ceil", "clamp", "if"]
    {
        assert!(is_reserved(r), "{r}");
    }
    assert!(!is_reserved("budget") && !is_reserved("Min") && !is_reserved("points.x"));
}

#[test]
fn names_source_and_as_name() {
    let e = parse("if(a > 0, b, c + a) + points", Lang::En).unwrap();
    assert_eq!(e.names(), vec!["a", "b", "c", "points"]);
    assert_eq!(e.source(), "if(a > 0, b, c + a) + points");
    assert_eq!(parse("a.b", Lang::En).unwrap().as_name(), Some("a.b"));
    assert_eq!(parse(" (a.b) ", Lang::En).unwrap().as_name(), Some("a.b"));
    assert_eq!(parse("a + 1", Lang::En).unwrap().as_name(), None);
    assert_eq!(parse("min(a)", Lang::En).unwrap().as_name(), None);
}

#[test]
fn display_is_canonical() {
    let cases = [
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("(1 - 2) - 3", "1 - 2 - 3"),
        ("(a == b) == c", "(a == b) == c"),
        ("a == (b == c)", "a == (b == c)"),
        ("-(2*3)", "-(2 * 3)"),
        ("(-2)*3", "-2 * 3"),
        ("- -x", "--x"),
        ("not(a and b)", "not (a and b)"),
        ("(not a) == b", "(not a) == b"),
        ("not a or b", "not a or b"),
        ("min( 1,2 )", "min(1, 2)"),
        ("'say \"hi\"'", "'say \"hi\"'"),
        ("'优'", "\"优\""),
        ("1.50*(x)", "1.50 * x"),
        ("a/(b*c)", "a / (b * c)"),
    ];
    for (src, want) in cases {
        assert_eq!(parse(src, Lang::En).unwrap().to_string(), want, "{src}");
    }
}

#[test]
fn value_and_type_display() {
    assert_eq!(n("81.80").to_string(), "81.8");
    assert_eq!(Value::Bool(true).to_string(), "true");
    assert_eq!(Value::Text("优".into()).to_string(), "优");
    assert_eq!([Type::Number, Type::Bool, Type::Text].map(|t| t.to_string()), ["number", "bool", "text"]);
    assert_eq!(n("1").ty(), Type::Number);
}

/// Fields plus derived names evaluated on demand, as the rubric's environment will do.
struct Formulas {
    inputs: MapEnv,
    derived: BTreeMap<String, Expr>,
    mode: RoundingMode,
}

impl Formulas {
    fn new(inputs: MapEnv, derived: &[(&str, &str)]) -> Self {
        let derived = derived.iter().map(|(k, v)| (k.to_string(), parse(v, Lang::En).unwrap())).collect();
        Formulas { inputs, derived, mode: RoundingMode::HalfUp }
    }

    fn get(&mut self, name: &str) -> Result<Value, EvalError> {
        self.value(name)
    }
}

impl Env for Formulas {
    fn value(&mut self, name: &str) -> Result<Value, EvalError> {
        match self.derived.get(name).cloned() {
            Some(e) => {
                let mode = self.mode;
                e.eval(self, mode, Lang::En)
                    .map_err(|source| EvalError::InName { name: name.into(), source: Box::new(source) })
            }
            None => self.inputs.value(name),
        }
    }
}

impl TypeEnv for Formulas {
    fn name_type(&self, name: &str) -> Option<NameType> {
        match self.derived.get(name) {
            Some(e) => e.check(self, Lang::En).ok().map(|ty| NameType { ty, levels: None }),
            None => self.inputs.name_type(name),
        }
    }
    fn names(&self) -> Vec<String> {
        self.derived.keys().cloned().chain(TypeEnv::names(&self.inputs)).collect()
    }
}

#[test]
fn derived_names_wrap_their_errors() {
    let mut f = Formulas::new(env(&[("a", n("1")), ("b", n("0"))]), &[("rate", "a / b")]);
    let err = parse("rate + 1", Lang::En).unwrap().eval(&mut f, RoundingMode::HalfUp, Lang::En).unwrap_err();
    assert_eq!(err.to_string(), "in derived `rate`: division by zero in `a / b`");
    assert!(std::error::Error::source(&err).is_some());
}

/// CVSS v3.1 base score (FIRST specification §7.1) written as expressions over the metric
/// weights of `vector` (e.g. `AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`). `x^15` is spelled out as
/// repeated products through derived names.
fn cvss(vector: &str) -> Formulas {
    let metrics: BTreeMap<&str, &str> = vector.split('/').filter_map(|m| m.split_once(':')).collect();
    let changed = metrics["S"] == "C";
    // Weights from the specification, §7.4.
    let weight = |metric: &str| -> &str {
        match (metric, metrics[metric]) {
            ("AV", "N") => "0.85",
            ("AV", "A") => "0.62",
            ("AV", "L") => "0.55",
            ("AV", "P") => "0.2",
            ("AC", "L") => "0.77",
            ("AC", "H") => "0.44",
            ("PR", "N") | ("UI", "N") => "0.85",
            ("PR", "L") if changed => "0.68",
            ("PR", "L") => "0.62",
            ("PR", "H") if changed => "0.5",
            ("PR", "H") => "0.27",
            ("UI", "R") => "0.62",
            (_, "H") => "0.56",
            (_, "L") => "0.22",
            _ => "0",
        }
    };
    let mut inputs = env(&[("scope_changed", Value::Bool(changed))]);
    for m in ["AV", "AC", "PR", "UI", "C", "I", "A"] {
        inputs.0.insert(m.into(), n(weight(m)));
    }
    Formulas::new(
        inputs,
        &[
            ("iss", "1 - (1 - C) * (1 - I) * (1 - A)"),
            ("d", "iss - 0.02"),
            ("d2", "d * d"),
            ("d4", "d2 * d2"),
            ("d8", "d4 * d4"),
            ("d15", "d8 * d4 * d2 * d"),
            ("impact", "if(scope_changed, 7.52 * (iss - 0.029) - 3.25 * d15, 6.42 * iss)"),
            ("exploitability", "8.22 * AV * AC * PR * UI"),
            (
                "base",
                "if(impact <= 0, 0, ceil(min(if(scope_changed, 1.08, 1) * (impact + exploitability), 10) * 10) / 10)",
            ),
        ],
    )
}

#[test]
fn cvss_v3_1_base_scores() {
    // ISS = 1 - .44³ = .914816; impact = 6.42 × ISS = 5.87311872; exploitability =
    // 8.22 × .85 × .77 × .85 × .85 = 3.887042775; sum 9.760… → 9.8.
    let mut f = cvss("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_eq!(f.get("iss"), Ok(n("0.914816")));
    assert_eq!(f.get("impact"), Ok(n("5.87311872")));
    assert_eq!(f.get("exploitability"), Ok(n("3.887042775")));
    assert_eq!(f.get("base"), Ok(n("9.8")));
    assert_eq!(f.derived["base"].check(&f, Lang::En), Ok(Type::Number));
    let score = |v: &str| cvss(v).get("base");
    // Exploitability 8.22 × .55 × .77 × .62 × .85 = 1.83457659; + 5.87311872 = 7.70769531 → 7.8.
    assert_eq!(score("AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), Ok(n("7.8")));
    // Reflected XSS: ISS = 1 - .78² = .3916; impact = 7.52 × .3626 - 3.25 × .3716¹⁵ ≈ 2.72675;
    // exploitability = 8.22 × .85 × .77 × .85 × .62 = 2.83525473; 1.08 × 5.56200… = 6.00696… → 6.1.
    assert_eq!(score("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), Ok(n("6.1")));
    // 1.08 × (6.05 + 3.89) > 10, capped → 10.0.
    assert_eq!(score("AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), Ok(n("10")));
    // ISS .56, impact 3.5952, exploitability 8.22 × .85 × .44 × .85 × .85 = 2.2211673 → 5.8163673 → 5.9.
    assert_eq!(score("AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), Ok(n("5.9")));
    // No impact: 0 whatever the exploitability.
    assert_eq!(score("AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), Ok(n("0")));
}

// ---- property tests -------------------------------------------------------------------------

fn node(kind: Kind) -> Node {
    Node::new(kind, Span::default())
}

fn arb_leaf() -> impl Strategy<Value = Node> {
    let names = ["a", "b.c", "执行率", "_x1", "points", "预算.执行数", "True"];
    prop_oneof![
        (0i64..=i64::MAX, 0u32..=10).prop_map(|(m, s)| Kind::Num(Decimal::new(m, s))),
        any::<bool>().prop_map(Kind::Bool),
        "[^\"']{0,6}".prop_map(Kind::Text),
        "[^']{0,3}\"[^']{0,3}".prop_map(Kind::Text),
        prop::sample::select(names.to_vec()).prop_map(|s| Kind::Name(s.into())),
    ]
    .prop_map(node)
}

fn arb_tree() -> impl Strategy<Value = Node> {
    use BinOp::*;
    let ops = vec![Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div];
    let funcs = vec!["min", "max", "abs", "round", "floor", "ceil", "clamp", "if", "foo"];
    arb_leaf().prop_recursive(6, 64, 4, move |inner| {
        prop_oneof![
            inner.clone().prop_map(|x| node(Kind::Neg(Box::new(x)))),
            inner.clone().prop_map(|x| node(Kind::Not(Box::new(x)))),
            (prop::sample::select(ops.clone()), inner.clone(), inner.clone()).prop_map(|(op, l, r)| node(Kind::Bin(
                op,
                Box::new(l),
                Box::new(r)
            ))),
            (prop::sample::select(funcs.clone()), prop::collection::vec(inner, 0..4))
                .prop_map(|(f, args)| node(Kind::Call(f.into(), args))),
        ]
    })
}

/// Runs everything on `src`; any parsed expression must also print and re-parse to itself.
fn exercise(src: &str) {
    let Ok(e) = parse(src, Lang::En) else { return };
    let mut env = env(&[("a", n("2")), ("b", n("0")), ("flag", Value::Bool(true)), ("t", Value::Text("x".into()))]);
    let _ = e.check(&env, Lang::En);
    let _ = e.names();
    for mode in [RoundingMode::HalfUp, RoundingMode::Down] {
        let _ = e.eval(&mut env, mode, Lang::En);
    }
    let printed = e.to_string();
    let again = parse(&printed, Lang::En).unwrap_or_else(|err| panic!("{src:?} printed as {printed:?}: {err}"));
    assert_eq!(again.root, e.root, "{src:?} printed as {printed:?}");
}

proptest! {
    #[test]
    fn display_parses_back_to_the_same_tree(tree in arb_tree()) {
        let printed = tree.to_string();
        let e = parse(&printed, Lang::En).map_err(|err| TestCaseError::fail(format!("{printed:?}: {err}")))?;
        prop_assert_eq!(&e.root, &tree, "{}", printed);
        prop_assert_eq!(e.to_string(), printed);
    }

    #[test]
    fn arbitrary_text_never_panics(src in ".{0,60}") {
        exercise(&src);
    }

    #[test]
    fn expression_like_text_never_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "a", "b", "flag", "t", "nope", "1", "0", "0.5", "2.50", "99999999999999999999999999", "(", ")", ",",
        "+", "-", "*", "/", "==", "!=", "<", ">=", "not", "and", "or", "true", "false", "\"x\"", "'优'",
        "min(", "max(", "abs(", "round(", "floor(", "ceil(", "clamp(", "if(", "foo(", "执行率", "=", ".",
    ]), 0..24)) {
        exercise(&parts.join(" "));
        exercise(&parts.concat());
    }
}

#[test]
fn item12_quotes_are_bounded_around_the_error() {
    assert_eq!(super::quote("a + b", 3), "a + b");
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let err = parse(&deep, Lang::En).unwrap_err();
    let quoted = super::quote(&deep, err.column);
    assert!(quoted.chars().count() <= super::QUOTED_CHARS + 2, "{quoted}");
    assert!(quoted.starts_with('…') && quoted.ends_with('…'));
    // A long name is quoted by its start; the suggestion search skips names far longer.
    let long = "n".repeat(10_000);
    let errors = parse(&format!("1 + {long}"), Lang::En).unwrap().check(&env(&[("n", n("1"))]), Lang::En).unwrap_err();
    assert!(errors[0].message.chars().count() < 200, "{}", errors[0].message);
}
