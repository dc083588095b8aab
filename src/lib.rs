pub mod expr;
pub mod number;
pub mod yaml;
