//! selfeval: scores budget performance self-evaluations (预算绩效自评) exactly, from a rubric
//! and a department's data, and explains every lost point.
//!
//! The library never prints: it returns values and diagnostics; the binary renders them.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod data;
pub mod diag;
pub mod engine;
pub mod expr;
pub mod input;
pub mod method;
pub mod number;
pub mod report;
pub mod rubric;
pub mod yaml;
