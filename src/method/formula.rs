//! `formula`: the leaf's score is an expression, which may use `points` (SPEC §3).

use super::Param;
use super::params::ParseCx;
use super::{LeafEnv, RawScore, Rule};
use crate::expr::Type;
use crate::yaml::MapReader;

#[derive(Debug, Clone)]
pub struct Formula {
    pub expr: Param,
}

impl Formula {
    pub(crate) fn parse(map: &mut MapReader, cx: &mut ParseCx) -> Option<Self> {
        cx.allow_points = true;
        let expr = cx.expr(map, "expr", Type::Number);
        cx.allow_points = false;
        Some(Formula { expr: expr? })
    }

    pub fn score(&self, env: &mut dyn LeafEnv) -> Result<RawScore, String> {
        let raw = env.number(&self.expr)?;
        let shown = env.show_computed(raw);
        Ok(RawScore { raw, rule: Rule::Formula, detail: format!("{} = {shown}", self.expr.expr.source()) })
    }
}
