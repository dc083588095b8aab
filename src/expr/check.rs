//! Static checking: names, functions, arity and types, all errors at once.

use super::ast::{BinOp, Kind, Node};
use super::{Func, ParseError, Type, TypeEnv, did_you_mean};
use crate::diag::list_separator;
use crate::lang::Lang;
use crate::tr;

pub(crate) fn check(src: &str, root: &Node, env: &dyn TypeEnv, lang: Lang) -> Result<Type, Vec<ParseError>> {
    let mut c = Checker { src, env, errors: Vec::new(), lang };
    let ty = c.ty(root);
    match ty {
        Some(t) if c.errors.is_empty() => Ok(t),
        _ => {
            if c.errors.is_empty() {
                // Unknown types only arise from reported errors; never return Err(vec![]).
                c.errors.push(ParseError::at(src, 0, tr!(lang, "表达式没有类型", "the expression has no type")));
            }
            c.errors.sort_by_key(|e| e.column);
            Err(c.errors)
        }
    }
}

/// `a number`, `a bool`, `text`: for messages, in the given language.
fn a(t: Type, lang: Lang) -> &'static str {
    match t {
        Type::Number => lang.pick("数字", "a number"),
        Type::Bool => lang.pick("布尔值", "a bool"),
        Type::Text => lang.pick("文本", "text"),
    }
}

/// The decimals of `round(x, n)`: `n` must be an integer literal 0–28 (no sign, no point).
pub(crate) fn round_places(n: &Node) -> Option<u32> {
    match n.kind {
        Kind::Num(d) if d.scale() == 0 => u32::try_from(d.mantissa()).ok().filter(|&p| p <= 28),
        _ => None,
    }
}

struct Checker<'a> {
    src: &'a str,
    env: &'a dyn TypeEnv,
    errors: Vec<ParseError>,
    lang: Lang,
}

impl Checker<'_> {
    /// The source text of `n` as messages quote it (at most `QUOTED_CHARS` characters).
    fn text(&self, n: &Node) -> String {
        super::quote_part(self.src.get(n.span.start..n.span.end).unwrap_or(""))
    }

    fn error(&mut self, at: usize, msg: String) {
        self.errors.push(ParseError::at(self.src, at, msg));
    }

    /// Checks `n` and requires type `want`; `what` says who requires it, e.g. "`+` needs numbers".
    fn want(&mut self, n: &Node, want: Type, what: &str) {
        if let Some(t) = self.ty(n)
            && t != want
        {
            let msg = tr!(self.lang, "{what}，但 `{}` 是{}", "{what}, but `{}` is {}", self.text(n), a(t, self.lang));
            self.error(n.span.start, msg);
        }
    }

    /// The type of `n`, or `None` when an error (already recorded) makes it unknown; unknown
    /// types satisfy everything, so one mistake is reported once.
    fn ty(&mut self, n: &Node) -> Option<Type> {
        match &n.kind {
            Kind::Num(_) => Some(Type::Number),
            Kind::Bool(_) => Some(Type::Bool),
            Kind::Text(_) => Some(Type::Text),
            Kind::Name(name) => self.name(name, n.span.at),
            Kind::Neg(x) => {
                self.want(x, Type::Number, &tr!(self.lang, "一元 `-` 需要数字", "unary `-` needs a number"));
                Some(Type::Number)
            }
            Kind::Not(x) => {
                self.want(x, Type::Bool, &tr!(self.lang, "`not` 需要布尔值", "`not` needs a bool"));
                Some(Type::Bool)
            }
            Kind::Bin(op, l, r) => Some(self.binary(*op, l, r, n.span.at)),
            Kind::Call(name, args) => self.call(name, args, n.span.at),
        }
    }

    fn name(&mut self, name: &str, at: usize) -> Option<Type> {
        if let Some(nt) = self.env.name_type(name) {
            return Some(nt.ty);
        }
        let msg = if name == "points" {
            tr!(
                self.lang,
                "`points`（该指标的满分）只能用在 formula 指标的 `expr` 中",
                "`points` (the leaf's maximum) can only be used in a formula leaf's `expr`"
            )
        } else {
            let known = self.env.names();
            let shown = super::quote_part(name);
            // `True` or `FALSE` are likelier meant as the literals than as some field.
            let candidates = known.iter().map(String::as_str).chain(["true", "false"]);
            match did_you_mean(name, candidates) {
                Some(s) => {
                    tr!(
                        self.lang,
                        "未知的名称 `{shown}`；你是不是想写 `{s}`？",
                        "unknown name `{shown}`; did you mean `{s}`?"
                    )
                }
                None => tr!(self.lang, "未知的名称 `{shown}`", "unknown name `{shown}`"),
            }
        };
        self.error(at, msg);
        None
    }

    fn binary(&mut self, op: BinOp, l: &Node, r: &Node, at: usize) -> Type {
        let sym = op.symbol();
        match op {
            BinOp::Or | BinOp::And => {
                let what = tr!(self.lang, "`{sym}` 需要布尔值", "`{sym}` needs bools");
                self.want(l, Type::Bool, &what);
                self.want(r, Type::Bool, &what);
                Type::Bool
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let what = tr!(self.lang, "`{sym}` 需要数字", "`{sym}` needs numbers");
                self.want(l, Type::Number, &what);
                self.want(r, Type::Number, &what);
                Type::Number
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let what = tr!(self.lang, "`{sym}` 只能比较数字", "`{sym}` compares numbers");
                self.want(l, Type::Number, &what);
                self.want(r, Type::Number, &what);
                Type::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                if let (Some(lt), Some(rt)) = (self.ty(l), self.ty(r))
                    && lt != rt
                {
                    let msg = tr!(
                        self.lang,
                        "`{sym}` 只能比较同一类型的值，但 `{}` 是{}，`{}` 是{}",
                        "`{sym}` compares values of one type, but `{}` is {} and `{}` is {}",
                        self.text(l),
                        a(lt, self.lang),
                        self.text(r),
                        a(rt, self.lang)
                    );
                    self.error(at, msg);
                }
                self.level_literal(l, r);
                self.level_literal(r, l);
                Type::Bool
            }
        }
    }

    /// `field == "优"` where `field` has levels: the literal must be one of them, else the
    /// comparison could never hold and is surely a typo.
    fn level_literal(&mut self, name: &Node, literal: &Node) {
        let (Kind::Name(n), Kind::Text(t)) = (&name.kind, &literal.kind) else {
            return;
        };
        let Some(levels) = self.env.name_type(n).and_then(|nt| nt.levels) else {
            return;
        };
        if !levels.contains(t) {
            let t = super::quote_part(t);
            let msg = tr!(
                self.lang,
                "\"{t}\" 不是 `{n}` 的等级（等级有：{}）",
                "\"{t}\" is not a level of `{n}` (levels: {})",
                levels.join(&list_separator(self.lang))
            );
            self.error(literal.span.at, msg);
        }
    }

    fn call(&mut self, name: &str, args: &[Node], at: usize) -> Option<Type> {
        let Some(func) = Func::from_name(name) else {
            let names = Func::ALL.map(|(_, n)| n);
            let shown = super::quote_part(name);
            let msg = match did_you_mean(name, names) {
                Some(s) => {
                    tr!(
                        self.lang,
                        "未知的函数 `{shown}`；你是不是想写 `{s}`？",
                        "unknown function `{shown}`; did you mean `{s}`?"
                    )
                }
                None => tr!(
                    self.lang,
                    "未知的函数 `{shown}`（可用的函数：{}）",
                    "unknown function `{shown}` (functions: {})",
                    names.join(&list_separator(self.lang))
                ),
            };
            self.error(at, msg);
            // Still check the arguments, to report everything at once.
            args.iter().for_each(|a| _ = self.ty(a));
            return None;
        };
        let arity_ok = match func.arity_error(name, args.len(), self.lang) {
            Some(msg) => {
                self.error(at, msg);
                false
            }
            None => true,
        };
        let what = tr!(self.lang, "`{name}` 需要数字", "`{name}` needs numbers");
        match func {
            Func::Min | Func::Max | Func::Abs | Func::Floor | Func::Ceil | Func::Clamp => {
                args.iter().for_each(|a| self.want(a, Type::Number, &what));
                if let (Func::Clamp, [_, lo, hi]) = (func, args)
                    && let (Some(l), Some(h)) = (lo.literal_number(), hi.literal_number())
                    && l > h
                {
                    let (l, h) = (crate::number::display(l), crate::number::display(h));
                    self.error(
                        at,
                        tr!(
                            self.lang,
                            "`clamp` 的下限 {l} 大于上限 {h}",
                            "`clamp` lower bound {l} is above its upper bound {h}"
                        ),
                    );
                }
                Some(Type::Number)
            }
            Func::Round => {
                if let Some(x) = args.first() {
                    self.want(x, Type::Number, &what);
                }
                if let Some(n) = args.get(1)
                    && round_places(n).is_none()
                {
                    let msg = tr!(
                        self.lang,
                        "`round` 的小数位数必须是 0 到 28 之间的整数（直接写数字），实际为 `{}`",
                        "the decimals of `round` must be an integer literal from 0 to 28, found `{}`",
                        self.text(n)
                    );
                    self.error(n.span.start, msg);
                }
                args.iter().skip(2).for_each(|a| _ = self.ty(a));
                Some(Type::Number)
            }
            Func::If => {
                if let Some(c) = args.first() {
                    self.want(
                        c,
                        Type::Bool,
                        &tr!(self.lang, "`if` 的条件必须是布尔值", "the condition of `if` must be a bool"),
                    );
                }
                let branches: Vec<_> = args.iter().skip(1).map(|b| self.ty(b)).collect();
                match (arity_ok, &branches[..], args) {
                    (true, [Some(t), Some(e)], [_, then, els]) if t != e => {
                        let msg = tr!(
                            self.lang,
                            "`if` 的两个分支必须是同一类型，但 `{}` 是{}，`{}` 是{}",
                            "the branches of `if` must have one type, but `{}` is {} and `{}` is {}",
                            self.text(then),
                            a(*t, self.lang),
                            self.text(els),
                            a(*e, self.lang)
                        );
                        self.error(at, msg);
                        None
                    }
                    (true, [t, e], _) => t.or(*e),
                    _ => None,
                }
            }
        }
    }
}
