//! The syntax tree and its canonical printing.

use rust_decimal::Decimal;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

/// Binding strength of `not`, unary `-` and atoms, between the binary operators' levels.
pub(crate) const PREC_NOT: u8 = 3;
pub(crate) const PREC_NEG: u8 = 8;
const PREC_ATOM: u8 = 9;

impl BinOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    /// Loosest (1) to tightest (7), SPEC §2.2.
    pub(crate) fn prec(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne => 4,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 5,
            BinOp::Add | BinOp::Sub => 6,
            BinOp::Mul | BinOp::Div => 7,
        }
    }

    /// Comparisons do not chain: `a < b < c` is an error, not `(a < b) < c`.
    pub(crate) fn is_comparison(self) -> bool {
        matches!(self.prec(), 4 | 5)
    }
}

/// Byte offsets into the source: the node's extent (including any parentheses written around
/// it, so error messages quote what the author wrote) and where to point at it in errors (the
/// operator of a binary node, else the start).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub at: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    pub span: Span,
    /// Height of the tree below and including this node, bounded by the parser so that the
    /// recursive checker, evaluator, printer and drop cannot overflow the stack.
    pub height: u32,
}

/// Trees are equal when their structure is; where they were written does not matter.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// Always non-negative: a minus sign is a `Neg` node.
    Num(Decimal),
    Bool(bool),
    Text(String),
    Name(String),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    /// The name is not resolved by the parser, so that unknown functions are reported by the
    /// checker together with every other static error.
    Call(String, Vec<Node>),
}

impl Node {
    pub(crate) fn new(kind: Kind, span: Span) -> Node {
        let below = match &kind {
            Kind::Num(_) | Kind::Bool(_) | Kind::Text(_) | Kind::Name(_) => 0,
            Kind::Neg(x) | Kind::Not(x) => x.height,
            Kind::Bin(_, l, r) => l.height.max(r.height),
            Kind::Call(_, args) => args.iter().map(|a| a.height).max().unwrap_or(0),
        };
        Node { kind, span, height: below + 1 }
    }

    fn prec(&self) -> u8 {
        match &self.kind {
            Kind::Bin(op, _, _) => op.prec(),
            Kind::Not(_) => PREC_NOT,
            Kind::Neg(_) => PREC_NEG,
            _ => PREC_ATOM,
        }
    }

    pub(crate) fn collect_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match &self.kind {
            Kind::Name(n) => {
                if !out.contains(&n.as_str()) {
                    out.push(n);
                }
            }
            Kind::Num(_) | Kind::Bool(_) | Kind::Text(_) => {}
            Kind::Neg(x) | Kind::Not(x) => x.collect_names(out),
            Kind::Bin(_, l, r) => {
                l.collect_names(out);
                r.collect_names(out);
            }
            Kind::Call(_, args) => args.iter().for_each(|a| a.collect_names(out)),
        }
    }

    /// The number a literal operand stands for (`5` or `-5`), for checks done before evaluation.
    pub(crate) fn literal_number(&self) -> Option<Decimal> {
        match &self.kind {
            Kind::Num(d) => Some(*d),
            Kind::Neg(x) => match x.kind {
                Kind::Num(d) => Some(-d),
                _ => None,
            },
            _ => None,
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, node: &Node, parenthesise: bool) -> fmt::Result {
    if parenthesise { write!(f, "({node})") } else { write!(f, "{node}") }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            // rust_decimal prints plain digits with the literal's scale: `2.50` stays `2.50`.
            Kind::Num(d) => write!(f, "{d}"),
            Kind::Bool(b) => write!(f, "{b}"),
            // The lexer has no escapes, so a text holds at most one kind of quote: use the other.
            Kind::Text(t) if t.contains('"') => write!(f, "'{t}'"),
            Kind::Text(t) => write!(f, "\"{t}\""),
            Kind::Name(n) => f.write_str(n),
            Kind::Neg(x) => {
                f.write_str("-")?;
                write_operand(f, x, x.prec() < PREC_NEG)
            }
            Kind::Not(x) => {
                f.write_str("not ")?;
                write_operand(f, x, x.prec() < PREC_NOT)
            }
            Kind::Bin(op, l, r) => {
                let p = op.prec();
                // Left-associative; a comparison on the left of one of its own level needs
                // parentheses because comparisons do not chain.
                write_operand(f, l, l.prec() < p || (op.is_comparison() && l.prec() == p))?;
                write!(f, " {} ", op.symbol())?;
                write_operand(f, r, r.prec() <= p)
            }
            Kind::Call(name, args) => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}
