//! The one place that touches the YAML crates: bytes → a located document tree.
//!
//! Every scalar keeps its source text, so numbers are read from their digits and never
//! through `f64` (SPEC §1), and every node keeps its position for diagnostics.
//!
//! Two paths lead to the same tree. Plain documents — every data file and most rubrics in this repository — are
//! built straight from the events of granit-parser (`parse_fast`), which costs half of going
//! through serde; serde-saphyr (`parse_here`) takes everything else and gives every error.
//! Before it, what serde-saphyr would accept although it changes what is read — explicit tags,
//! a second `<<` in one map, a second document — is refused at its place
//! (`refuse_what_serde_accepts`); the fast path never accepts any of them.
//! The built-in rubrics' events are recorded at build time and replayed (`parse_recorded`,
//! [`events`]), so that their tree is built without parsing.
//!
//! [`tree`] holds the nodes, [`source`] a file's checked text, [`parse`] the two paths from
//! text to tree and the parser's limits, [`stack`] the stack parses run on, [`read`] the typed
//! reading of nodes with located diagnostics.

pub mod events;
pub mod lines;
mod parse;
mod read;
mod slips;
mod source;
mod stack;
mod tree;

pub use parse::{MAX_DEPTH, MAX_NODES};
pub use read::{MapReader, Reader};
pub use source::{MAX_FILE_BYTES, Source};
pub use stack::{PARSE_STACK_BYTES, mark_big_stack, on_parse_stack};
pub use tree::{Key, Kind, Node};
