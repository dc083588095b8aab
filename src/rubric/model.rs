//! The rubric as the engine uses it: a checked, typed indicator tree (SPEC §2).

pub use super::field::{Field, FieldType};
pub use crate::method::Param;
pub use crate::method::params::MAX_POINTS;

use crate::diag::Pos;
use crate::expr::{Expr, Type};
use crate::method::Method;
use crate::number::RoundingMode;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Rubric {
    /// The file it was read from (or `builtin:<id>`), for diagnostics.
    pub file: String,
    /// The first 12 hex digits of the SHA-256 of its text ([`fingerprint`]), shown beside its id
    /// in every result so that a rubric borrowing another's id is seen; empty for a rubric
    /// built from a tree without its text.
    pub fingerprint: String,
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub precision: Precision,
    pub rounding: RoundingMode,
    pub not_applicable: NaPolicy,
    /// The grade table in force: the rubric's own, the default one when the maximum is
    /// exactly 100, or none (SPEC §4.2).
    pub grades: Vec<Grade>,
    pub fields: Vec<Field>,
    pub derived: Vec<Derived>,
    pub sections: Vec<Node>,
    pub vetoes: Vec<Veto>,
    /// What 自评报告 the rubric asks for (`report:`, SPEC §2.4); the 部门整体 one without it.
    pub report: ReportSpec,
    /// The root's maximum: `full_marks`, or the sum of the sections' points.
    pub max: Decimal,
    /// The `values` names of the rows branches' lists (kept when the engine expands the
    /// branches into row leaves, so the lists are never reported as unknown values).
    pub row_sources: Vec<String>,
    /// Positions in `fields` and `derived` by name, so lookups stay constant-time in large
    /// rubrics (built by [`Rubric::index_names`]).
    pub(crate) names: std::collections::HashMap<String, NameRef>,
    /// The needed fields (SPEC §2) and what needs them when no indicator is listed as not
    /// applicable: the same for every such data file, so worked out once (by the engine) for
    /// each language its "needed by" texts are told in.
    pub(crate) needed_when_all_apply: crate::lang::PerLang<std::collections::BTreeMap<String, Vec<String>>>,
    /// The dotted paths a data file's `values` may hold: fields and rows lists, and the maps on
    /// the way to them; worked out on first use.
    pub(crate) paths: std::sync::OnceLock<ValuePaths>,
}

/// The fingerprint of a rubric's text as read (the bytes of its file, a built-in's embedded
/// text): the first 12 hex digits of its SHA-256, what `sha256sum FILE | cut -c1-12` prints.
pub fn fingerprint(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// What a dotted path under a data file's `values` is to the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A field or a rows list.
    Value,
    /// A map on the way to one.
    Prefix,
    Unknown,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ValuePaths {
    values: std::collections::HashSet<String>,
    prefixes: std::collections::HashSet<String>,
}

/// What a name of the rubric refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameRef {
    Field(usize),
    Derived(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision {
    pub indicator: u32,
    pub total: u32,
}

impl Default for Precision {
    fn default() -> Self {
        Precision { indicator: 2, total: 2 }
    }
}

/// What happens to a node listed as not applicable (SPEC §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NaPolicy {
    #[default]
    Reweight,
    Full,
    Zero,
    Forbidden,
}

impl NaPolicy {
    pub const NAMES: [&'static str; 4] = ["reweight", "full", "zero", "forbidden"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "reweight" => Some(Self::Reweight),
            "full" => Some(Self::Full),
            "zero" => Some(Self::Zero),
            "forbidden" => Some(Self::Forbidden),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub min: Decimal,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Derived {
    pub name: String,
    pub expr: Expr,
    pub ty: Type,
    pub pos: Pos,
    /// What people call it (`预算执行率`), shown instead of the name in explanations.
    pub label: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub title: String,
    pub pos: Pos,
    /// The maximum P: as written, or for a branch without `points` the sum of its
    /// non-bonus children's points.
    pub points: Decimal,
    pub scale: bool,
    pub bonus: bool,
    pub not_applicable: Option<NaPolicy>,
    pub standard: Option<String>,
    /// What to improve when this indicator loses points (`improve:`), for the 自评报告's 下一步措施.
    pub improve: Option<String>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Branch(Vec<Node>),
    Leaf(Box<Method>),
    /// A branch whose leaves are the rows of a list in the data file (SPEC §2.3).
    Rows(RowsSpec),
}

/// Where a rows branch finds its rows and how it scores them.
#[derive(Debug, Clone)]
pub struct RowsSpec {
    /// The list's dotted name under `values`.
    pub source: String,
    pub reverse: crate::method::Reverse,
    /// Level → percent for 定性 rows.
    pub qualitative: Option<Vec<(String, Decimal)>>,
    /// Where the rows' points come from (`row_points`).
    pub row_points: RowPoints,
    /// `late: { per_month }`: percent of a deadline row's points lost per month begun late.
    pub late_per_month: Option<Decimal>,
}

/// Where a rows branch's rows get their points (SPEC §2.3 `row_points`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowPoints {
    /// Each row gives its `points` (分值 column).
    #[default]
    Written,
    /// The branch's points shared equally, for forms without a 分值 column; rows give none.
    Equal,
}

impl RowPoints {
    pub const NAMES: [&'static str; 2] = ["written", "equal"];
}

impl Node {
    pub fn children(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Branch(children) => children,
            NodeKind::Leaf(_) | NodeKind::Rows(_) => &[],
        }
    }

    /// This node and all its descendants, depth first in rubric order.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for child in self.children() {
            out.extend(child.walk());
        }
        out
    }
}

/// The kind of 自评报告 (SPEC §2.4): its sections follow the official outline of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportKind {
    /// 部门整体支出绩效自评报告.
    #[default]
    Department,
    /// 项目支出绩效自评报告.
    Project,
}

impl ReportKind {
    /// The names written in a rubric's `report.kind`.
    pub const NAMES: [&'static str; 2] = ["部门整体", "项目支出"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "部门整体" => Some(Self::Department),
            "项目支出" => Some(Self::Project),
            _ => None,
        }
    }
}

/// The rubric's `report:` part (SPEC §2.4): the kind of report, an own template, and which
/// fields play the roles its 收支情况 sentences speak of.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportSpec {
    pub kind: ReportKind,
    /// A minijinja template, as written (relative to the rubric's file), and where.
    pub template: Option<(String, Pos)>,
    /// Role (one of [`BUDGET_ROLES`]) → the number field that plays it, in rubric order.
    pub budget: Vec<(String, String)>,
}

/// The budget roles a rubric's `report.budget` may map to fields: 年初预算数, 全年预算数
/// (adjusted), 执行数, 基本支出, 项目支出.
pub const BUDGET_ROLES: [&str; 5] = ["initial", "adjusted", "executed", "basic", "project"];

impl ReportSpec {
    /// The field playing `role`.
    pub fn field_of(&self, role: &str) -> Option<&str> {
        self.budget.iter().find(|(r, _)| r == role).map(|(_, f)| f.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Veto {
    pub id: String,
    pub title: Option<String>,
    pub when: Param,
    pub grade: Option<String>,
    pub cap: Option<Decimal>,
    pub pos: Pos,
}

impl Rubric {
    /// How this rubric writes computed numbers for people (`number::human`).
    pub fn figures(&self) -> crate::number::Figures {
        crate::number::Figures { decimals: self.precision.indicator, mode: self.rounding }
    }

    /// What people call a field or derived name: its label, else the name itself.
    pub fn label_of<'n>(&'n self, name: &'n str) -> &'n str {
        let label = match self.names.get(name) {
            Some(NameRef::Field(i)) => self.fields.get(*i).and_then(|f| f.label.as_deref()),
            Some(NameRef::Derived(i)) => self.derived.get(*i).and_then(|d| d.label.as_deref()),
            None => None,
        };
        label.unwrap_or(name)
    }

    /// The unit of a field or derived name: as declared; `%` for a percent field without one.
    pub fn unit_of(&self, name: &str) -> Option<&str> {
        match self.names.get(name) {
            Some(NameRef::Field(i)) => self
                .fields
                .get(*i)
                .and_then(|f| f.unit.as_deref().or_else(|| (f.ty == FieldType::Percent).then_some("%"))),
            Some(NameRef::Derived(i)) => self.derived.get(*i).and_then(|d| d.unit.as_deref()),
            None => None,
        }
    }

    /// An expression parameter as people read it: the label of the one name it is; for a
    /// longer expression or a name without a label, `otherwise` (the indicator's title), which
    /// says what it measures better than a formula or a code name does.
    pub fn words<'n>(&'n self, param: &'n Param, otherwise: &'n str) -> &'n str {
        match param.expr.as_name().map(|name| self.label_of(name)) {
            Some(label) if Some(label) != param.expr.as_name() => label,
            _ => otherwise,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        match self.names.get(name) {
            Some(NameRef::Field(i)) => self.fields.get(*i),
            _ => None,
        }
    }

    /// The fields `name` reads: itself when it is a field, else those its derived expression
    /// reads, following derived names, in first-use order.
    pub fn fields_read_by(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![name.to_owned()];
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            match self.derived(&n) {
                Some(d) => stack.extend(d.expr.names().into_iter().rev().map(str::to_owned)),
                None => out.push(n),
            }
        }
        out
    }

    /// The position of field `name` in `fields`.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        match self.names.get(name) {
            Some(NameRef::Field(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn derived(&self, name: &str) -> Option<&Derived> {
        match self.names.get(name) {
            Some(NameRef::Derived(i)) => self.derived.get(*i),
            _ => None,
        }
    }

    /// What `path` (a dotted path under a data file's `values`) is to this rubric.
    pub fn path_kind(&self, path: &str) -> PathKind {
        let paths = self.paths.get_or_init(|| {
            let values: std::collections::HashSet<String> =
                self.fields.iter().map(|f| f.name.clone()).chain(self.row_sources.iter().cloned()).collect();
            let prefixes = values.iter().flat_map(|n| n.match_indices('.').map(|(i, _)| n[..i].to_owned())).collect();
            ValuePaths { values, prefixes }
        });
        if paths.values.contains(path) {
            PathKind::Value
        } else if paths.prefixes.contains(path) {
            PathKind::Prefix
        } else {
            PathKind::Unknown
        }
    }

    /// Builds the name index of `fields` and `derived`.
    pub(crate) fn index_names(&mut self) {
        let fields = self.fields.iter().enumerate().map(|(i, f)| (f.name.clone(), NameRef::Field(i)));
        let derived = self.derived.iter().enumerate().map(|(i, d)| (d.name.clone(), NameRef::Derived(i)));
        self.names = fields.chain(derived).collect();
    }

    /// Every node, depth first in rubric order.
    pub fn nodes(&self) -> Vec<&Node> {
        self.sections.iter().flat_map(Node::walk).collect()
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes().into_iter().find(|n| n.id == id)
    }

    /// The chain of nodes from a section down to `id`, inclusive.
    pub fn path(&self, id: &str) -> Vec<&Node> {
        fn find<'a>(nodes: &'a [Node], id: &str, path: &mut Vec<&'a Node>) -> bool {
            for n in nodes {
                path.push(n);
                if n.id == id || find(n.children(), id, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = Vec::new();
        find(&self.sections, id, &mut path);
        path
    }
}
