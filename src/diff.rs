//! `diff` (SPEC §6): two evaluations side by side — the total, every node whose score changed
//! (largest change first) and the inputs that changed.

use crate::engine::{Evaluation, NodeResult};
use crate::expr::Value;
use crate::method::MethodKind;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct NodeChange {
    pub id: String,
    pub title: String,
    pub depth: usize,
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
}

impl NodeChange {
    /// New minus old; a node scored on one side only counts its whole score.
    pub fn change(&self) -> Decimal {
        self.new.unwrap_or_default() - self.old.unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InputChange {
    pub name: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub old_total: Decimal,
    pub new_total: Decimal,
    pub old_grade: Option<String>,
    pub new_grade: Option<String>,
    /// Nodes whose score differs, largest absolute change first (rubric order on ties).
    pub nodes: Vec<NodeChange>,
    pub inputs: Vec<InputChange>,
}

pub fn diff(old: &Evaluation, new: &Evaluation) -> Diff {
    let (old_nodes, new_nodes) = (old.walk(), new.walk());
    // Look-ups by id and name, so that a rubric of many rows is compared in linear time.
    let scores = |nodes: &[(usize, &'_ NodeResult)]| -> HashMap<String, Option<Decimal>> {
        nodes.iter().map(|(_, n)| (n.id.clone(), n.score)).collect()
    };
    let (old_scores, new_scores) = (scores(&old_nodes), scores(&new_nodes));
    let mut nodes: Vec<NodeChange> = Vec::new();
    let mut seen = HashSet::new();
    // Rubric order of the new side, then nodes only the old side has.
    for (depth, n) in new_nodes.iter().chain(old_nodes.iter()) {
        if !seen.insert(n.id.as_str()) {
            continue;
        }
        let (o, w) = (old_scores.get(&n.id).copied().flatten(), new_scores.get(&n.id).copied().flatten());
        if o != w {
            nodes.push(NodeChange { id: n.id.clone(), title: n.title.clone(), depth: *depth, old: o, new: w });
        }
    }
    nodes.sort_by_key(|c| std::cmp::Reverse(c.change().abs()));
    // Each input name once, in first-use order, with its value.
    let inputs_of = |e: &Evaluation| -> (Vec<String>, HashMap<String, Value>) {
        let (mut order, mut values) = (Vec::new(), HashMap::new());
        for (_, n) in e.walk() {
            if let Some(leaf) = &n.leaf
                && leaf.method != MethodKind::Row
            {
                for (name, v) in &leaf.inputs {
                    if !values.contains_key(name) {
                        order.push(name.clone());
                        values.insert(name.clone(), v.clone());
                    }
                }
            }
        }
        (order, values)
    };
    let ((old_order, old_inputs), (new_order, new_inputs)) = (inputs_of(old), inputs_of(new));
    let mut inputs = Vec::new();
    let mut seen = HashSet::new();
    for name in new_order.iter().chain(old_order.iter()) {
        if !seen.insert(name.as_str()) {
            continue;
        }
        let (o, w) = (old_inputs.get(name).cloned(), new_inputs.get(name).cloned());
        if o != w {
            inputs.push(InputChange { name: name.clone(), old: o, new: w });
        }
    }
    Diff {
        old_total: old.total,
        new_total: new.total,
        old_grade: old.grade.clone(),
        new_grade: new.grade.clone(),
        nodes,
        inputs,
    }
}
