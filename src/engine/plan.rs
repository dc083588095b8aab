//! Before anything is evaluated: which nodes are not applicable or dropped (SPEC §4.4),
//! and which fields are therefore needed (SPEC §2).

use crate::data::DataFile;
use crate::diag::{Diagnostics, with_suggestion};
use crate::lang::Lang;
use crate::rubric::{NaPolicy, Node, NodeKind, Rubric};
use crate::tr;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Why a node is not scored the normal way.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum State {
    Active,
    /// Listed under `not_applicable`, with its effective policy.
    Listed {
        policy: NaPolicy,
        reason: String,
    },
    /// Inside a listed or dropped branch: not scored on its own.
    Inside {
        reason: String,
    },
    /// A branch whose non-bonus children are all dropped; scored as under `reweight`.
    Dropped {
        reason: String,
    },
}

impl State {
    /// Dropped from its parent's W (SPEC §4.3).
    pub fn is_dropped(&self) -> bool {
        matches!(self, State::Dropped { .. } | State::Listed { policy: NaPolicy::Reweight, .. })
    }
}

pub(crate) const ALL_CHILDREN_NA: &str = "全部下级指标不适用 (all children not applicable)";

pub(crate) struct Plan {
    /// The nodes that are not simply active; most data files list none.
    pub states: HashMap<String, State>,
    /// The language of its messages and of the "needed by" texts.
    pub lang: Lang,
}

impl Plan {
    pub fn state(&self, id: &str) -> State {
        self.states.get(id).cloned().unwrap_or(State::Active)
    }

    pub fn build(rubric: &Rubric, data: &DataFile, diags: &mut Diagnostics, lang: Lang) -> Plan {
        let ids: Vec<&str> = if data.not_applicable.is_empty() {
            Vec::new()
        } else {
            rubric.nodes().into_iter().map(|n| n.id.as_str()).collect()
        };
        let mut listed: HashMap<&str, &str> = HashMap::new();
        for entry in &data.not_applicable {
            if ids.contains(&entry.id.as_str()) {
                listed.insert(&entry.id, &entry.value);
            } else {
                diags.error(
                    &data.file,
                    entry.pos.clone(),
                    with_suggestion(
                        tr!(
                            lang,
                            "not_applicable：未知的指标 id `{}`",
                            "not_applicable: unknown indicator id `{}`",
                            entry.id
                        ),
                        &entry.id,
                        ids.iter().copied(),
                        lang,
                    ),
                );
            }
        }
        let mut plan = Plan { states: HashMap::new(), lang };
        for section in &rubric.sections {
            plan.visit(section, rubric.not_applicable, None, &listed, data, diags);
        }
        plan
    }

    fn visit(
        &mut self,
        node: &Node,
        inherited: NaPolicy,
        inside: Option<&str>,
        listed: &HashMap<&str, &str>,
        data: &DataFile,
        diags: &mut Diagnostics,
    ) -> State {
        let lang = self.lang;
        let policy = node.not_applicable.unwrap_or(inherited);
        let state = if let Some(reason) = inside {
            if listed.contains_key(node.id.as_str()) {
                let pos =
                    data.not_applicable.iter().find(|e| e.id == node.id).map(|e| e.pos.clone()).unwrap_or_default();
                diags.warning(
                    &data.file,
                    pos,
                    tr!(
                        lang,
                        "not_applicable：`{}` 的上级指标已经列为不适用，它已包含在内",
                        "not_applicable: `{}` is already covered by a listed ancestor",
                        node.id
                    ),
                );
            }
            State::Inside { reason: reason.to_owned() }
        } else if let Some(reason) = listed.get(node.id.as_str()) {
            let pos = data.not_applicable.iter().find(|e| e.id == node.id).map(|e| e.pos.clone()).unwrap_or_default();
            if let Some(forbidden) = first_forbidden(node, inherited) {
                let message = if forbidden == node.id {
                    tr!(
                        lang,
                        "not_applicable：`{}` 不能列为不适用（它的不适用规则是 `forbidden`）",
                        "not_applicable: `{}` may not be listed as not applicable (its policy is `forbidden`)",
                        node.id
                    )
                } else {
                    tr!(
                        lang,
                        "not_applicable：`{}` 不能列为不适用：它的下级指标 `{forbidden}` 的不适用规则是 `forbidden`",
                        "not_applicable: `{}` may not be listed as not applicable: its descendant `{forbidden}` has policy `forbidden`",
                        node.id
                    )
                };
                diags.error(&data.file, pos, message);
            }
            State::Listed { policy, reason: (*reason).to_owned() }
        } else {
            State::Active
        };
        let child_inside = match &state {
            State::Active => None,
            State::Listed { reason, .. } | State::Inside { reason } | State::Dropped { reason } => Some(reason.clone()),
        };
        let mut child_states = Vec::new();
        for child in node.children() {
            child_states.push((child.bonus, self.visit(child, policy, child_inside.as_deref(), listed, data, diags)));
        }
        let state = match state {
            State::Active
                if matches!(node.kind, NodeKind::Branch(_))
                    && child_states.iter().filter(|(b, _)| !b).all(|(_, s)| s.is_dropped()) =>
            {
                // Its bonus children go with it: they earn nothing and need no fields.
                for child in node.children().iter().filter(|c| c.bonus) {
                    self.mark_inside(child, ALL_CHILDREN_NA);
                }
                State::Dropped { reason: ALL_CHILDREN_NA.to_owned() }
            }
            other => other,
        };
        if state != State::Active {
            self.states.insert(node.id.clone(), state.clone());
        }
        state
    }

    fn mark_inside(&mut self, node: &Node, reason: &str) {
        self.states.insert(node.id.clone(), State::Inside { reason: reason.to_owned() });
        for c in node.children() {
            self.mark_inside(c, reason);
        }
    }

    /// Fields and derived names needed by applicable leaves and vetoes, each with what
    /// needs it (SPEC §2, "needed fields").
    ///
    /// With nothing not applicable the answer depends on the rubric alone, so it is worked
    /// out once per rubric and shared by every data file scored with it.
    pub fn needed<'r>(&self, rubric: &'r Rubric) -> std::borrow::Cow<'r, BTreeMap<String, Vec<String>>> {
        if self.states.is_empty() {
            return std::borrow::Cow::Borrowed(
                rubric.needed_when_all_apply.get_or_init(self.lang, || self.work_out_needed(rubric)),
            );
        }
        std::borrow::Cow::Owned(self.work_out_needed(rubric))
    }

    fn work_out_needed(&self, rubric: &Rubric) -> BTreeMap<String, Vec<String>> {
        let lang = self.lang;
        // (who needs it, name): each applicable leaf by its title path, then each veto.
        fn leaves<'r>(plan: &Plan, node: &'r Node, path: &mut Vec<&'r str>, out: &mut Vec<(String, &'r str)>) {
            path.push(&node.title);
            if let NodeKind::Leaf(method) = &node.kind
                && plan.state(&node.id) == State::Active
            {
                let who = path.join(" › ");
                for name in method.names() {
                    out.push((who.clone(), name));
                }
            }
            for child in node.children() {
                leaves(plan, child, path, out);
            }
            path.pop();
        }
        let mut direct: Vec<(String, &str)> = Vec::new();
        for section in &rubric.sections {
            leaves(self, section, &mut Vec::new(), &mut direct);
        }
        for veto in &rubric.vetoes {
            for name in veto.when.expr.names() {
                direct.push((tr!(lang, "一票否决项 `{}`", "veto `{}`", veto.id), name));
            }
        }
        let mut needed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (who, name) in direct {
            let mut seen = HashSet::new();
            let mut stack = vec![name];
            while let Some(n) = stack.pop() {
                if !seen.insert(n) {
                    continue;
                }
                let users = needed.entry(n.to_owned()).or_default();
                // One user's names come together, so a repeat can only be the last entry.
                if users.last() != Some(&who) {
                    users.push(who.clone());
                }
                if let Some(d) = rubric.derived(n) {
                    stack.extend(d.expr.names());
                }
            }
        }
        needed
    }
}

/// The first node in `node`'s subtree (itself included) whose effective policy is `forbidden`.
fn first_forbidden(node: &Node, inherited: NaPolicy) -> Option<String> {
    let policy = node.not_applicable.unwrap_or(inherited);
    if policy == NaPolicy::Forbidden {
        return Some(node.id.clone());
    }
    node.children().iter().find_map(|c| first_forbidden(c, policy))
}
