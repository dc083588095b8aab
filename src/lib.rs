//! selfeval: scores budget performance self-evaluations (预算绩效自评) exactly, from a rubric
//! and a department's data, and explains every lost point.
//!
//! The library never prints: it returns values and diagnostics; the binary renders them.
//! Whatever can tell the user something takes the language to tell it in (see [`lang`]).
//!
//! ```
//! use selfeval::{data::DataFile, engine, input::load_rubric, lang::Lang, yaml::Source};
//!
//! let rubric = load_rubric("cast-dept-2021", Lang::En).map_err(|(d, _)| d)?.rubric;
//! let text = std::fs::read_to_string("examples/conghua-cast-2021/data.yaml")?;
//! let (data, _warnings) = DataFile::load(&Source { name: "data.yaml".into(), text }, Lang::En)?;
//! let (evaluation, _warnings) = engine::score(&rubric, &data, &engine::Options::default())?;
//! assert_eq!(evaluation.total.to_string(), "92.7");
//! assert_eq!(evaluation.grade.as_deref(), Some("优"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod check;
pub mod cli;
pub mod data;
pub mod diag;
pub mod diff;
pub mod draft;
pub mod engine;
pub mod explain;
pub mod expr;
pub mod input;
pub mod lang;
pub mod method;
pub mod narrative;
pub mod number;
pub mod printed;
pub mod ranking;
pub mod report;
pub mod rubric;
pub mod schema;
pub mod scoring;
pub mod template;
pub mod yaml;
