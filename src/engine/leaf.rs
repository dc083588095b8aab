//! What a scoring method sees of a data file while it scores one leaf (`method::LeafEnv`): its
//! parameters evaluated, the inputs read (recorded when the leaf's explanation is wanted), its
//! manual score.

use super::values::{Recorder, Values, describe};
use crate::expr::{Type, Value};
use crate::lang::Lang;
use crate::method::{LeafEnv, Param};
use crate::number::{Figures, display};
use crate::tr;
use rust_decimal::Decimal;

/// What a method sees of the data while scoring one leaf.
pub(super) struct LeafCx<'v, 'a> {
    pub(super) explain: Option<Lang>,
    pub(super) lang: Lang,
    pub(super) values: &'v mut Values<'a>,
    pub(super) inputs: &'v mut Vec<(String, Value)>,
    pub(super) manual: Option<(Decimal, String)>,
    pub(super) points: Decimal,
}

impl LeafCx<'_, '_> {
    fn eval(&mut self, param: &Param) -> Result<Value, String> {
        let lang = self.lang;
        self.values.points = Some(self.points);
        let mode = self.values.mode();
        let result = if self.explain.is_some() {
            param.expr.eval(&mut Recorder { values: self.values, log: self.inputs }, mode, lang)
        } else {
            param.expr.eval(self.values, mode, lang)
        };
        self.values.points = None;
        result.map_err(|e| match &e {
            // `value: rate` failing inside `rate` needs no second mention of `rate`.
            crate::expr::EvalError::InName { name, .. } if param.expr.as_name() == Some(name) => describe(&e, lang),
            _ => tr!(lang, "`{}`：{}", "`{}`: {}", crate::expr::quote(param.expr.source(), 1), describe(&e, lang)),
        })
    }
}

/// A parameter's value is of another type than its method reads. Parameters are type-checked
/// when the rubric is read, so this guards rather than reports; an error, never a panic.
fn wrong_type(param: &Param, got: &Value, want: Type, lang: Lang) -> String {
    tr!(
        lang,
        "`{}` 的结果是{}，应为{}",
        "`{}` gave {}, expected {}",
        crate::expr::quote(param.expr.source(), 1),
        got.ty().label(lang),
        want.label(lang)
    )
}

impl LeafEnv for LeafCx<'_, '_> {
    fn explain(&self) -> Option<Lang> {
        self.explain
    }

    fn lang(&self) -> Lang {
        self.lang
    }

    fn figures(&self) -> Figures {
        self.values.figures()
    }

    fn written(&self, param: &Param) -> bool {
        param.expr.as_name().is_some_and(|name| self.values.is_field(name)) || crate::method::is_literal(param)
    }

    fn unit(&self, param: &Param) -> Option<String> {
        param.expr.as_name().and_then(|name| self.values.field_unit(name))
    }

    fn number(&mut self, param: &Param) -> Result<Decimal, String> {
        let lang = self.lang;
        match self.eval(param)? {
            Value::Number(n) => Ok(n),
            other => Err(wrong_type(param, &other, Type::Number, lang)),
        }
    }

    fn text(&mut self, param: &Param) -> Result<String, String> {
        let lang = self.lang;
        match self.eval(param)? {
            Value::Text(t) => Ok(t),
            other => Err(wrong_type(param, &other, Type::Text, lang)),
        }
    }

    fn flag(&mut self, name: &str) -> Result<bool, String> {
        let lang = self.lang;
        let read = if self.explain.is_some() {
            crate::expr::Env::value(&mut Recorder { values: self.values, log: self.inputs }, name)
        } else {
            crate::expr::Env::value(self.values, name)
        };
        match read {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(other) => {
                Err(tr!(lang, "`{name}` 是{}，应为布尔值", "`{name}` is {}, expected bool", other.ty().label(lang)))
            }
            Err(e) => Err(describe(&e, lang)),
        }
    }

    fn manual(&mut self) -> Result<(Decimal, String), String> {
        let lang = self.lang;
        let (score, reason) = self.manual.clone().ok_or_else(|| {
            tr!(
                lang,
                "人工评分的指标需要在 `manual:` 下写明 `score` 和 `reason`",
                "a manual leaf needs an entry under `manual:` with `score` and `reason`"
            )
        })?;
        if score < Decimal::ZERO || score > self.points {
            return Err(tr!(
                lang,
                "人工评分 {} 超出了 0–{}",
                "manual score {} is outside 0–{}",
                display(score),
                display(self.points)
            ));
        }
        Ok((score, reason))
    }
}
