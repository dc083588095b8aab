//! A row's `target` and `actual` as printed (SPEC §2.3): numbers, numbers with a multiplier
//! and a unit, percent texts, deadlines, levels, or `{ field: name }`; and the one unit a row's
//! figures are then read in.

use super::RowCx;
use crate::diag::{Diagnostics, Pos, with_suggestion};
use crate::expr::Type;
use crate::method::{Figure, Op, Param};
use crate::number::parse_literal;
use crate::printed::{Date, DateError, Quantity, QuantityError, Unit, parse_date, parse_quantity};
use crate::rubric::FieldType;
use crate::tr;
use crate::yaml::{Kind, MapReader, Node as YNode};
use rust_decimal::Decimal;

/// How a row's target and actual are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// Numbers, with or without a unit, percent texts, deadlines (`>=` `<=` `=`).
    Number,
    /// Levels or deadlines (`定性`).
    Level,
    /// The operator is missing or unknown: a level of the branch's map as a level, anything
    /// else as a number, so that a figure's own problem is reported now, with the operator's.
    Either,
}

/// A target or actual cell as written, before the row's unit is settled.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    Number(Decimal),
    /// A number with a multiplier or a unit (`150万`, `15万元`, `96.5%`).
    Quantity(Quantity),
    /// A deadline, with its text (a 定性 row compares texts unless both figures are dates).
    Date(Date, String),
    /// `{ field: name }`: the name, the field's unit, and whether it is text.
    Field {
        name: Param,
        unit: Option<Unit>,
    },
    Level(String),
}

impl RowCx<'_> {
    /// Reads one cell; `None` after reporting why it cannot be read.
    pub(super) fn cell(&self, node: &YNode, reading: Reading, what: &str, diags: &mut Diagnostics) -> Option<Cell> {
        let lang = self.lang;
        let level = match reading {
            Reading::Level => true,
            Reading::Number => false,
            Reading::Either => match &node.kind {
                Kind::Str(s) | Kind::Number(s) => self.levels().iter().any(|(l, _)| l == s),
                _ => false,
            },
        };
        match &node.kind {
            Kind::Map(_) => self.field_ref(node, reading, what, diags),
            Kind::Str(s) if level => match self.date(s, node, what, diags)? {
                Some(d) => Some(Cell::Date(d, s.clone())),
                None => Some(Cell::Level(s.clone())),
            },
            Kind::Number(raw) if level => Some(Cell::Level(raw.clone())),
            Kind::Number(raw) => match parse_literal(raw) {
                Ok(d) => Some(Cell::Number(d)),
                Err(e) => {
                    self.error(
                        diags,
                        node.pos.clone(),
                        tr!(lang, "{what}：`{raw}` {}", "{what}: `{raw}` {}", e.describe(lang)),
                    );
                    None
                }
            },
            // A date first: `12月底前` would read as 12 of the unit `月底前`.
            Kind::Str(s) => match self.date(s, node, what, diags)? {
                Some(d) => Some(Cell::Date(d, s.clone())),
                None => match parse_quantity(s) {
                    Ok(q) if q.unit.is_plain() => Some(Cell::Number(q.value)),
                    Ok(q) => Some(Cell::Quantity(q)),
                    Err(QuantityError::NotAQuantity) => {
                        self.error(
                            diags,
                            node.pos.clone(),
                            tr!(
                                lang,
                                "{what}：\"{s}\" 不是数字（可带单位，如 150万元）、百分数文本或日期",
                                "{what}: \"{s}\" is not a number (with a unit or not, as in 150万元), a percent text or a date"
                            ),
                        );
                        None
                    }
                    Err(e) => {
                        let message = tr!(lang, "{what}：\"{s}\" {}", "{what}: \"{s}\" {}", e.describe(lang));
                        self.error(diags, node.pos.clone(), message);
                        None
                    }
                },
            },
            _ => {
                let found = node.kind_name(lang);
                let message = if level {
                    tr!(lang, "{what}：应为等级，实际为{found}", "{what}: expected a level, found {found}")
                } else {
                    tr!(lang, "{what}：应为数字，实际为{found}", "{what}: expected a number, found {found}")
                };
                self.error(diags, node.pos.clone(), message);
                None
            }
        }
    }

    /// `Ok(None)` for a text that is no date; an error for one that gives no day.
    fn date(&self, text: &str, node: &YNode, what: &str, diags: &mut Diagnostics) -> Option<Option<Date>> {
        match parse_date(text, self.year) {
            None => Some(None),
            Some(Ok(d)) => Some(Some(d)),
            Some(Err(e)) => {
                let lang = self.lang;
                let message = match e {
                    DateError::NoYear => {
                        tr!(lang, "{what}：日期 \"{text}\" {}", "{what}: the date \"{text}\" {}", e.describe(lang))
                    }
                    DateError::NoSuchDay => {
                        tr!(lang, "{what}：\"{text}\" {}", "{what}: \"{text}\" {}", e.describe(lang))
                    }
                };
                self.error(diags, node.pos.clone(), message);
                None
            }
        }
    }

    /// `{ field: name }`: a field or derived name of the rubric, of the type the row reads.
    fn field_ref(&self, node: &YNode, reading: Reading, what: &str, diags: &mut Diagnostics) -> Option<Cell> {
        let lang = self.lang;
        let mut m = MapReader::new(self.file, lang, node, what, diags)?;
        let name_node = m.require("field", what, diags);
        m.finish(what, diags);
        let name_node = name_node?;
        let field_what = tr!(lang, "{what}：`field`", "{what}: `field`");
        let name = crate::yaml::Reader { file: self.file, lang }.text(name_node, &field_what, diags)?;
        let (ty, unit) = match (self.rubric.field(&name), self.rubric.derived(&name)) {
            (Some(f), _) => (f.ty.name_type().ty, f.unit.as_deref().map(Unit::parse)),
            (None, Some(d)) => (d.ty, None),
            (None, None) => {
                let names = self.rubric.fields.iter().map(|f| f.name.as_str());
                let names = names.chain(self.rubric.derived.iter().map(|d| d.name.as_str()));
                let message = tr!(
                    lang,
                    "{field_what}：\"{name}\" 不是指标体系的字段或派生值",
                    "{field_what}: \"{name}\" is not a field or derived name of the rubric"
                );
                self.error(diags, name_node.pos.clone(), with_suggestion(message, &name, names, lang));
                return None;
            }
        };
        let want = if reading == Reading::Level { Type::Text } else { Type::Number };
        if ty != want && reading != Reading::Either {
            let (got, want) = (ty.label(lang), want.label(lang));
            self.error(
                diags,
                name_node.pos.clone(),
                tr!(
                    lang,
                    "{field_what}：`{name}` 是{got}，这一行需要{want}",
                    "{field_what}: `{name}` is {got}; this row needs {want}"
                ),
            );
            return None;
        }
        let expr = crate::expr::parse(&name, lang).ok()?;
        // A percent field without a unit reads in percent, like a percent text.
        let unit =
            unit.or_else(|| self.rubric.field(&name).filter(|f| f.ty == FieldType::Percent).map(|_| Unit::parse("%")));
        Some(Cell::Field { name: Param { expr, pos: name_node.pos.clone() }, unit })
    }

    /// The unit a row's figures are read in: its `unit`, else the first unit its target, then
    /// its actual, is written in (a text's, then a field's).
    pub(super) fn row_unit(written: Option<&str>, cells: [Option<&Cell>; 2]) -> Option<Unit> {
        if let Some(u) = written {
            return Some(Unit::parse(u));
        }
        let text = cells.iter().flatten().find_map(|c| match c {
            Cell::Quantity(q) => Some(q.unit.clone()),
            _ => None,
        });
        text.or_else(|| {
            cells.iter().flatten().find_map(|c| match c {
                Cell::Field { unit, .. } => unit.clone(),
                _ => None,
            })
        })
    }

    /// A cell as the row's figure, in the row's `unit`; `None` after reporting a unit that does
    /// not convert. `dates`: whether both figures of the row are dates.
    pub(super) fn figure(
        &self,
        cell: Cell,
        unit: Option<&Unit>,
        dates: bool,
        (pos, what): (&Pos, &str),
        diags: &mut Diagnostics,
    ) -> Option<Figure> {
        let lang = self.lang;
        let plain = Unit::parse("");
        let unit = unit.unwrap_or(&plain);
        match cell {
            Cell::Number(d) => Some(Figure::Number(d)),
            Cell::Level(l) => Some(Figure::Level(l)),
            Cell::Date(d, _) if dates => Some(Figure::Date(d)),
            Cell::Date(_, text) => Some(Figure::Level(text)),
            Cell::Quantity(q) => match q.in_unit(unit) {
                Ok(d) => Some(Figure::Number(d)),
                Err(e) => {
                    let written = format!("{}{}", crate::number::display(q.value), q.unit.text());
                    self.error(
                        diags,
                        pos.clone(),
                        tr!(lang, "{what}：\"{written}\" {}", "{what}: \"{written}\" {}", e.describe(lang)),
                    );
                    None
                }
            },
            Cell::Field { name, unit: field_unit } => {
                let power = match field_unit {
                    None => 0,
                    Some(f) if unit.is_plain() || f == *unit => 0,
                    Some(f) if f.base == unit.base => {
                        i32::try_from(i64::from(f.power) - i64::from(unit.power)).unwrap_or(0)
                    }
                    Some(f) => {
                        let (written, wanted) = (f.text(), unit.text());
                        let source = name.expr.source();
                        self.error(
                            diags,
                            name.pos.clone(),
                            tr!(
                                lang,
                                "{what}：字段 `{source}` 的单位“{written}”与这一行的“{wanted}”不一致，不能换算",
                                "{what}: field `{source}` is in “{written}”, which does not convert to this row's “{wanted}”"
                            ),
                        );
                        return None;
                    }
                };
                Some(Figure::Field { name, power })
            }
        }
    }

    /// Whether target and actual are both dates, and for a quantitative row, that they are
    /// both dates or neither, and not compared with ≥. Reported at the actual.
    pub(super) fn dates(
        &self,
        op: Option<Op>,
        target: Option<&Cell>,
        actual: Option<&Cell>,
        (pos, what): (&Pos, &str),
        diags: &mut Diagnostics,
    ) -> Option<bool> {
        let lang = self.lang;
        let is_date = |c: Option<&Cell>| matches!(c, Some(Cell::Date(..)));
        let both = is_date(target) && is_date(actual);
        if op == Some(Op::Qualitative) || op.is_none() {
            return Some(both);
        }
        if both && op == Some(Op::AtLeast) {
            self.error(
                diags,
                pos.clone(),
                tr!(
                    lang,
                    "{what}：完成时间不能用 ≥ 比较（请用 ≤、= 或 定性：不晚于目标日期即达成）",
                    "{what}: deadlines cannot be compared with ≥ (use ≤, = or 定性: met on or before the target day)"
                ),
            );
            return None;
        }
        if !both && (is_date(target) || is_date(actual)) {
            self.error(
                diags,
                pos.clone(),
                tr!(
                    lang,
                    "{what}：目标值与实际值一个是日期、一个不是，无法比较",
                    "{what}: one of target and actual is a date and the other is not; they cannot be compared"
                ),
            );
            return None;
        }
        Some(both)
    }

    fn error(&self, diags: &mut Diagnostics, pos: Pos, message: String) {
        diags.error(self.file, pos, message);
    }
}
