//! The figures of the 自评报告 as people write them: amounts, shares and scores rounded once,
//! here, and the 收支情况 worked out from the fields that play the rubric's budget roles.

use crate::data::DataFile;
use crate::expr::Value;
use crate::lang::Lang;
use crate::number::{RoundingMode, display};
use crate::rubric::Rubric;
use rust_decimal::Decimal;
use serde::Serialize;

/// Decimals of an amount (万元 to the hundred yuan, as the forms print them) and of a share or rate.
const AMOUNT_DECIMALS: u32 = 2;
const SHARE_DECIMALS: u32 = 1;

/// A number as a report writes it: rounded 四舍五入 to `decimals`, without trailing zeros
/// (282.41, 85.4, 100). The one place the narrative report turns a number into text; the
/// scores themselves are already rounded by the engine and pass through unchanged.
pub fn human(value: Decimal, decimals: u32) -> String {
    display(RoundingMode::HalfUp.round(value, decimals))
}

/// A score or points value as the engine rounded it.
pub fn score(value: Decimal) -> String {
    display(value)
}

/// `part` as a percentage of `whole`, as people write it (85.4); `None` when `whole` is 0.
fn share(part: Decimal, whole: Decimal) -> Option<String> {
    let ratio = part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)?;
    Some(human(ratio, SHARE_DECIMALS))
}

/// The 收支情况 figures, each as text; a figure the data file does not give is `None`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Budget {
    pub unit: String,
    pub initial: Option<String>,
    pub adjusted: Option<String>,
    pub executed: Option<String>,
    pub basic: Option<String>,
    pub project: Option<String>,
    /// 执行数 ÷ (全年预算数, else 年初预算数) × 100.
    pub rate: Option<String>,
    /// 基本支出 and 项目支出 as shares of the 执行数.
    pub basic_share: Option<String>,
    pub project_share: Option<String>,
}

impl Budget {
    /// Whether there is enough for the sentence: an executed amount and a budget to compare it with.
    pub fn complete(&self) -> bool {
        self.executed.is_some() && self.rate.is_some()
    }
}

/// Reads the amounts of the rubric's budget roles from the data file (each through its field,
/// so as exactly as scoring reads it).
pub fn budget(rubric: &Rubric, data: &DataFile, lang: Lang) -> Budget {
    let amount = |role: &str| -> Option<Decimal> {
        let field = rubric.field(rubric.report.field_of(role)?)?;
        let node = data.lookup(&field.name, lang).ok()??;
        match field.read(node, lang).ok()? {
            Value::Number(d) => Some(d),
            _ => None,
        }
    };
    let unit = ["executed", "initial", "adjusted"]
        .iter()
        .filter_map(|r| rubric.field(rubric.report.field_of(r)?)?.unit.clone())
        .next()
        .unwrap_or_else(|| lang.pick("万元", "10k yuan").to_owned());
    let (initial, adjusted, executed, basic, project) =
        (amount("initial"), amount("adjusted"), amount("executed"), amount("basic"), amount("project"));
    let text = |d: Option<Decimal>| d.map(|d| human(d, AMOUNT_DECIMALS));
    let planned = adjusted.or(initial);
    Budget {
        unit,
        initial: text(initial),
        adjusted: text(adjusted),
        executed: text(executed),
        basic: text(basic),
        project: text(project),
        rate: executed.zip(planned).and_then(|(e, p)| share(e, p)),
        basic_share: basic.zip(executed).and_then(|(b, e)| share(b, e)),
        project_share: project.zip(executed).and_then(|(p, e)| share(p, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        crate::number::parse_literal(text).unwrap_or_default()
    }

    #[test]
    fn figures_are_rounded_half_up_once() {
        assert_eq!(human(dec("282.41"), 2), "282.41");
        assert_eq!(human(dec("282.40"), 2), "282.4");
        assert_eq!(human(dec("0.125"), 2), "0.13");
        assert_eq!(human(dec("2.5"), 0), "3");
        // The seed's shares: 241.29 / 282.41 = 85.439…%, 41.12 / 282.41 = 14.560…%.
        assert_eq!(share(dec("241.29"), dec("282.41")).as_deref(), Some("85.4"));
        assert_eq!(share(dec("41.12"), dec("282.41")).as_deref(), Some("14.6"));
        assert_eq!(share(dec("282.41"), dec("282.41")).as_deref(), Some("100"));
        assert_eq!(share(dec("1"), dec("0")), None);
    }
}
