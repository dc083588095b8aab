//! `diff` (SPEC §6): two evaluations side by side — the total, every node whose score changed
//! (largest change first) and the inputs that changed.

use crate::engine::{Evaluation, NodeResult};
use crate::expr::Value;
use rust_decimal::Decimal;

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
    let old_nodes = old.walk();
    let new_nodes = new.walk();
    let find = |nodes: &[(usize, &NodeResult)], id: &str| nodes.iter().find(|(_, n)| n.id == id).map(|(_, n)| n.score);
    let mut nodes: Vec<NodeChange> = Vec::new();
    // Rubric order of the new side, then nodes only the old side has.
    for (depth, n) in new_nodes.iter().chain(old_nodes.iter()) {
        if nodes.iter().any(|c| c.id == n.id) {
            continue;
        }
        let (o, w) = (find(&old_nodes, &n.id).flatten(), find(&new_nodes, &n.id).flatten());
        if o != w {
            nodes.push(NodeChange { id: n.id.clone(), title: n.title.clone(), depth: *depth, old: o, new: w });
        }
    }
    nodes.sort_by_key(|c| std::cmp::Reverse(c.change().abs()));
    let inputs_of = |e: &Evaluation| -> Vec<(String, Value)> {
        let mut all: Vec<(String, Value)> = Vec::new();
        for (_, n) in e.walk() {
            if let Some(leaf) = &n.leaf
                && leaf.method != "row"
            {
                for (name, v) in &leaf.inputs {
                    if !all.iter().any(|(x, _)| x == name) {
                        all.push((name.clone(), v.clone()));
                    }
                }
            }
        }
        all
    };
    let (old_inputs, new_inputs) = (inputs_of(old), inputs_of(new));
    let mut inputs = Vec::new();
    for (name, _) in new_inputs.iter().chain(old_inputs.iter()) {
        if inputs.iter().any(|c: &InputChange| &c.name == name) {
            continue;
        }
        let get = |list: &[(String, Value)]| list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let (o, w) = (get(&old_inputs), get(&new_inputs));
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
