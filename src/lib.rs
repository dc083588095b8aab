pub mod diag;
pub mod expr;
pub mod number;
pub mod yaml;
