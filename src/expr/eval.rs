//! Lazy, checked evaluation.
//!
//! The functions on the recursive path (`eval`, `binary`, `call`, `number`, `bool`) keep their
//! frames small: unoptimised builds give every temporary its own stack slot, so messages are
//! built only in the out-of-line error functions. This keeps a tree of the parser's maximum
//! height well inside a 2 MiB thread stack even in debug builds.

use super::ast::{BinOp, Kind, Node};
use super::check::round_places;
use super::{Env, EvalError, Func, Type, Value};
use crate::lang::Lang;
use crate::number::RoundingMode;
use crate::tr;
use rust_decimal::Decimal;

pub(crate) struct Evaluator<'a> {
    src: &'a str,
    env: &'a mut dyn Env,
    mode: RoundingMode,
    lang: Lang,
}

type EResult<T> = Result<T, EvalError>;

/// Who needs an operand of some type, for type error messages.
#[derive(Clone, Copy)]
enum Who<'s> {
    Op(BinOp),
    Neg,
    Not,
    Func(&'s str),
    IfCondition,
}

impl Who<'_> {
    /// In `lang`.
    fn describe(self, lang: Lang) -> String {
        match self {
            Who::Op(op) => format!("`{}`", op.symbol()),
            Who::Neg => tr!(lang, "一元 `-`", "unary `-`"),
            Who::Not => "`not`".to_owned(),
            Who::Func(name) => format!("`{name}`"),
            Who::IfCondition => tr!(lang, "`if` 的条件", "the condition of `if`"),
        }
    }
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(src: &'a str, env: &'a mut dyn Env, mode: RoundingMode, lang: Lang) -> Self {
        Evaluator { src, env, mode, lang }
    }

    /// The source text of `n`, quoted by errors so the author can find the failing part (at
    /// most `QUOTED_CHARS` characters of it).
    fn text(&self, n: &Node) -> String {
        super::quote_part(self.src.get(n.span.start..n.span.end).unwrap_or_default())
    }

    /// A type error: only reachable when the expression was not checked.
    fn type_error(&self, n: &Node, message: String) -> EvalError {
        EvalError::Type { expr: self.text(n), message }
    }

    fn wrong_type(&self, n: &Node, who: Who<'_>, wanted: Type, found: &Value) -> EvalError {
        let lang = self.lang;
        let who = who.describe(lang);
        let wanted = match wanted {
            Type::Bool => tr!(lang, "布尔值", "a bool"),
            _ => tr!(lang, "数字", "a number"),
        };
        self.type_error(
            n,
            tr!(lang, "{who} 需要{wanted}，实际为{}", "{who} needs {wanted}, found {}", found.ty().label(lang)),
        )
    }

    fn number(&mut self, n: &Node, who: Who<'_>) -> EResult<Decimal> {
        match self.eval(n)? {
            Value::Number(d) => Ok(d),
            v => Err(self.wrong_type(n, who, Type::Number, &v)),
        }
    }

    fn bool(&mut self, n: &Node, who: Who<'_>) -> EResult<bool> {
        match self.eval(n)? {
            Value::Bool(b) => Ok(b),
            v => Err(self.wrong_type(n, who, Type::Bool, &v)),
        }
    }

    pub(crate) fn eval(&mut self, n: &Node) -> EResult<Value> {
        match &n.kind {
            Kind::Num(d) => Ok(Value::Number(*d)),
            Kind::Bool(b) => Ok(Value::Bool(*b)),
            Kind::Text(t) => Ok(Value::Text(t.clone())),
            Kind::Name(name) => self.env.value(name),
            // Negation is exact: the Decimal range is symmetric.
            Kind::Neg(x) => self.number(x, Who::Neg).map(|d| Value::Number(-d)),
            Kind::Not(x) => self.bool(x, Who::Not).map(|b| Value::Bool(!b)),
            Kind::Bin(op, l, r) => self.binary(n, *op, l, r),
            Kind::Call(name, args) => self.call(n, name, args),
        }
    }

    fn binary(&mut self, n: &Node, op: BinOp, l: &Node, r: &Node) -> EResult<Value> {
        let who = Who::Op(op);
        match op {
            // Short-circuit: the right side may be a guard's unsafe branch.
            BinOp::And => Ok(Value::Bool(self.bool(l, who)? && self.bool(r, who)?)),
            BinOp::Or => Ok(Value::Bool(self.bool(l, who)? || self.bool(r, who)?)),
            BinOp::Eq | BinOp::Ne => {
                let a = self.eval(l)?;
                let b = self.eval(r)?;
                if a.ty() != b.ty() {
                    return Err(self.mismatch(n, op, &a, &b));
                }
                // Decimal equality is numeric: 2.50 == 2.5.
                Ok(Value::Bool((a == b) == (op == BinOp::Eq)))
            }
            _ => {
                let a = self.number(l, who)?;
                let b = self.number(r, who)?;
                self.arithmetic(n, op, a, b)
            }
        }
    }

    fn mismatch(&self, n: &Node, op: BinOp, a: &Value, b: &Value) -> EvalError {
        let msg = tr!(
            self.lang,
            "`{}` 只能比较同一类型的值，实际为{}和{}",
            "`{}` compares values of one type, found {} and {}",
            op.symbol(),
            a.ty().label(self.lang),
            b.ty().label(self.lang)
        );
        self.type_error(n, msg)
    }

    /// Orderings and checked arithmetic on two evaluated numbers.
    fn arithmetic(&self, n: &Node, op: BinOp, a: Decimal, b: Decimal) -> EResult<Value> {
        let result = match op {
            BinOp::Lt => return Ok(Value::Bool(a < b)),
            BinOp::Le => return Ok(Value::Bool(a <= b)),
            BinOp::Gt => return Ok(Value::Bool(a > b)),
            BinOp::Ge => return Ok(Value::Bool(a >= b)),
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::Div if b.is_zero() => {
                return Err(EvalError::DivisionByZero { expr: self.text(n) });
            }
            // A non-terminating quotient is kept as rust_decimal rounds it (28 places).
            BinOp::Div => a.checked_div(b),
            BinOp::And | BinOp::Or | BinOp::Eq | BinOp::Ne => None,
        };
        result.map(Value::Number).ok_or_else(|| EvalError::Overflow { expr: self.text(n) })
    }

    fn call(&mut self, n: &Node, name: &str, args: &[Node]) -> EResult<Value> {
        let func = match Func::from_name(name) {
            Some(f) if f.arity_error(name, args.len(), self.lang).is_none() => f,
            _ => return Err(self.bad_call(n, name, args.len())),
        };
        let who = Who::Func(name);
        let num = match (func, args) {
            (Func::If, [c, then, els]) => {
                let c = self.bool(c, Who::IfCondition)?;
                return self.eval(if c { then } else { els });
            }
            (Func::Min | Func::Max, [first, rest @ ..]) => {
                let mut acc = self.number(first, who)?;
                for a in rest {
                    let x = self.number(a, who)?;
                    acc = if func == Func::Min { acc.min(x) } else { acc.max(x) };
                }
                acc
            }
            (Func::Abs, [x]) => self.number(x, who)?.abs(),
            // Toward −∞ / +∞ whatever the rubric's rounding mode.
            (Func::Floor, [x]) => self.number(x, who)?.floor(),
            (Func::Ceil, [x]) => self.number(x, who)?.ceil(),
            (Func::Round, [x, places]) => {
                let x = self.number(x, who)?;
                match round_places(places) {
                    Some(dp) => self.mode.round(x, dp),
                    None => return Err(self.bad_places(places)),
                }
            }
            (Func::Clamp, [x, lo, hi]) => {
                let x = self.number(x, who)?;
                let lo = self.number(lo, who)?;
                let hi = self.number(hi, who)?;
                if lo > hi {
                    return Err(EvalError::ClampBounds { lo, hi });
                }
                x.max(lo).min(hi)
            }
            // Unreachable after the arity check above, but an error is cheaper than a panic.
            _ => return Err(self.bad_call(n, name, args.len())),
        };
        Ok(Value::Number(num))
    }

    fn bad_call(&self, n: &Node, name: &str, found: usize) -> EvalError {
        let msg = match Func::from_name(name) {
            None => tr!(self.lang, "未知的函数 `{name}`", "unknown function `{name}`"),
            Some(f) => f.arity_error(name, found, self.lang).unwrap_or_else(|| {
                tr!(self.lang, "调用 `{name}` 时给了 {found} 个参数", "`{name}` called with {found} arguments")
            }),
        };
        self.type_error(n, msg)
    }

    fn bad_places(&self, places: &Node) -> EvalError {
        self.type_error(
            places,
            tr!(
                self.lang,
                "`round` 的小数位数必须是 0 到 28 之间的整数（直接写数字）",
                "the decimals of `round` must be an integer literal from 0 to 28"
            ),
        )
    }
}
