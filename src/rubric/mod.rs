//! Rubrics: the model, reading one from YAML, and the built-in library.

pub mod builtin;
mod field;
pub mod load;
mod model;

pub(crate) use field::parse_percent_text;
pub use model::*;
