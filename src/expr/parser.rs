//! Tokens → tree, by recursive descent with one function per precedence level.

use super::ast::{BinOp, Kind, Node, Span};
use super::lexer::{Tok, Token, lex};
use super::{Func, ParseError};
use crate::lang::Lang;
use crate::tr;

/// Most parentheses, unary operators and function calls nested inside one another. The parser
/// recurses once per level, so this bounds its stack use for any input.
pub(crate) const MAX_NESTING: usize = 64;
/// Tallest tree accepted. Binary chains (`a + b + c …`) are parsed by loops, not recursion,
/// but they still make tall trees, and checking, evaluating, printing and dropping recurse.
pub(crate) const MAX_HEIGHT: u32 = 256;

type PResult<T> = Result<T, ParseError>;

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    eof: Token,
    nesting: usize,
    lang: Lang,
}

pub(crate) fn parse(src: &str, lang: Lang) -> PResult<Node> {
    let toks = lex(src, lang)?;
    let eof = Token { tok: Tok::Eof, start: src.len(), end: src.len() };
    if toks.is_empty() {
        return Err(ParseError::at(src, 0, tr!(lang, "表达式是空的", "the expression is empty")));
    }
    let mut p = Parser { src, toks, pos: 0, eof, nesting: 0, lang };
    let node = p.or()?;
    let next = p.peek();
    if next.tok != Tok::Eof {
        let msg = match next.tok {
            Tok::RParen => tr!(lang, "多余的 `)`：前面没有与之配对的 `(`", "unmatched `)`"),
            _ => tr!(
                lang,
                "这里应为运算符或表达式结尾，实际为{}",
                "expected an operator or the end of the expression, found {}",
                next.tok.describe(lang)
            ),
        };
        return Err(p.error(next.start, msg));
    }
    Ok(node)
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        self.toks.get(self.pos).unwrap_or(&self.eof)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn error(&self, at: usize, msg: impl Into<String>) -> ParseError {
        ParseError::at(self.src, at, msg)
    }

    /// Enters one level of nesting; errors are final, so no guard is needed to leave it.
    fn enter(&mut self, at: usize) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error(
                at,
                tr!(
                    self.lang,
                    "表达式嵌套太深（括号、正负号或函数调用超过 {MAX_NESTING} 层）",
                    "expression nested too deeply (more than {MAX_NESTING} levels of parentheses, signs or calls)"
                ),
            ));
        }
        Ok(())
    }

    fn node(&self, kind: Kind, span: Span) -> PResult<Node> {
        let node = Node::new(kind, span);
        if node.height > MAX_HEIGHT {
            return Err(self.error(
                span.at,
                tr!(
                    self.lang,
                    "表达式嵌套太深（运算符超过 {MAX_HEIGHT} 层）；请拆成几个派生值",
                    "expression nested too deeply (more than {MAX_HEIGHT} operators deep); split it into derived names"
                ),
            ));
        }
        Ok(node)
    }

    fn binary(&self, op: BinOp, at: usize, l: Node, r: Node) -> PResult<Node> {
        let span = Span { start: l.span.start, end: r.span.end, at };
        self.node(Kind::Bin(op, Box::new(l), Box::new(r)), span)
    }

    /// A left-associative level: `next (op next)*`.
    fn chain(&mut self, next: fn(&mut Self) -> PResult<Node>, op_of: fn(&Tok) -> Option<BinOp>) -> PResult<Node> {
        let mut lhs = next(self)?;
        while let Some(op) = op_of(&self.peek().tok) {
            let at = self.bump().start;
            let rhs = next(self)?;
            lhs = self.binary(op, at, lhs, rhs)?;
        }
        Ok(lhs)
    }

    /// A non-associative level: `next (op next)?`, where a second operator is an error.
    fn single(&mut self, next: fn(&mut Self) -> PResult<Node>, op_of: fn(&Tok) -> Option<BinOp>) -> PResult<Node> {
        let lhs = next(self)?;
        let Some(op) = op_of(&self.peek().tok) else {
            return Ok(lhs);
        };
        let at = self.bump().start;
        let rhs = next(self)?;
        if op_of(&self.peek().tok).is_some() {
            let t = self.peek();
            return Err(self.error(
                t.start,
                tr!(
                    self.lang,
                    "比较不能连写：`{1}` 后面又出现了{0}；请用 `and` 连接两个比较",
                    "comparisons do not chain: {} after `{}`; combine two comparisons with `and`",
                    t.tok.describe(self.lang),
                    op.symbol()
                ),
            ));
        }
        self.binary(op, at, lhs, rhs)
    }

    fn or(&mut self) -> PResult<Node> {
        self.chain(Self::and, |t| (*t == Tok::Or).then_some(BinOp::Or))
    }

    fn and(&mut self) -> PResult<Node> {
        self.chain(Self::not, |t| (*t == Tok::And).then_some(BinOp::And))
    }

    fn not(&mut self) -> PResult<Node> {
        if self.peek().tok != Tok::Not {
            return self.equality();
        }
        let start = self.bump().start;
        self.enter(start)?;
        let x = self.not()?;
        self.nesting -= 1;
        let span = Span { start, end: x.span.end, at: start };
        self.node(Kind::Not(Box::new(x)), span)
    }

    fn equality(&mut self) -> PResult<Node> {
        self.single(Self::comparison, |t| match t {
            Tok::EqEq => Some(BinOp::Eq),
            Tok::Ne => Some(BinOp::Ne),
            _ => None,
        })
    }

    fn comparison(&mut self) -> PResult<Node> {
        self.single(Self::additive, |t| match t {
            Tok::Lt => Some(BinOp::Lt),
            Tok::Le => Some(BinOp::Le),
            Tok::Gt => Some(BinOp::Gt),
            Tok::Ge => Some(BinOp::Ge),
            _ => None,
        })
    }

    fn additive(&mut self) -> PResult<Node> {
        self.chain(Self::multiplicative, |t| match t {
            Tok::Plus => Some(BinOp::Add),
            Tok::Minus => Some(BinOp::Sub),
            _ => None,
        })
    }

    fn multiplicative(&mut self) -> PResult<Node> {
        self.chain(Self::unary, |t| match t {
            Tok::Star => Some(BinOp::Mul),
            Tok::Slash => Some(BinOp::Div),
            _ => None,
        })
    }

    fn unary(&mut self) -> PResult<Node> {
        if self.peek().tok != Tok::Minus {
            return self.primary();
        }
        let start = self.bump().start;
        self.enter(start)?;
        let x = self.unary()?;
        self.nesting -= 1;
        let span = Span { start, end: x.span.end, at: start };
        self.node(Kind::Neg(Box::new(x)), span)
    }

    fn primary(&mut self) -> PResult<Node> {
        let t = self.bump();
        let span = Span { start: t.start, end: t.end, at: t.start };
        let kind = match t.tok {
            Tok::Num(d) => Kind::Num(d),
            Tok::Text(s) => Kind::Text(s),
            Tok::True => Kind::Bool(true),
            Tok::False => Kind::Bool(false),
            Tok::Name(name) if self.peek().tok == Tok::LParen => return self.call(name, t.start),
            Tok::Name(name) if Func::from_name(&name).is_some() => {
                return Err(self.error(
                    t.start,
                    tr!(
                        self.lang,
                        "`{name}` 是函数：请写成 `{name}(…)`",
                        "`{name}` is a function: call it as `{name}(…)`"
                    ),
                ));
            }
            Tok::Name(name) => Kind::Name(name),
            Tok::LParen => {
                self.enter(t.start)?;
                let mut inner = self.or()?;
                let end = self.expect_close(t.start, "`)`")?;
                self.nesting -= 1;
                // The node now spans its parentheses, so messages quote what was written.
                inner.span.start = t.start;
                inner.span.end = end;
                return Ok(inner);
            }
            Tok::Not => {
                return Err(self.error(
                    t.start,
                    tr!(
                        self.lang,
                        "`not` 的优先级低于比较和算术运算，这里请写成 `(not …)`",
                        "`not` binds looser than comparisons and arithmetic here: write `(not …)`"
                    ),
                ));
            }
            Tok::Eof => {
                return Err(self.error(
                    t.start,
                    tr!(self.lang, "表达式不完整：缺少一个值", "the expression is incomplete: expected a value"),
                ));
            }
            other => {
                let other = other.describe(self.lang);
                return Err(self.error(
                    t.start,
                    tr!(self.lang, "这里应为一个值，实际为{other}", "expected a value, found {other}"),
                ));
            }
        };
        self.node(kind, span)
    }

    /// `name(` has been seen, with `name` at byte `start`.
    fn call(&mut self, name: String, start: usize) -> PResult<Node> {
        let open = self.bump().start;
        self.enter(open)?;
        let mut args = Vec::new();
        let end = if self.peek().tok == Tok::RParen {
            self.bump().end
        } else {
            loop {
                args.push(self.or()?);
                if self.peek().tok != Tok::Comma {
                    break self.expect_close(open, &tr!(self.lang, "`,` 或 `)`", "`,` or `)`"))?;
                }
                self.bump();
            }
        };
        self.nesting -= 1;
        self.node(Kind::Call(name, args), Span { start, end, at: start })
    }

    /// Consumes the `)` closing the `(` at byte `open`; returns the byte offset after it.
    fn expect_close(&mut self, open: usize, expected: &str) -> PResult<usize> {
        let t = self.bump();
        if t.tok == Tok::RParen {
            return Ok(t.end);
        }
        let col = super::column(self.src, open);
        Err(self.error(
            t.start,
            tr!(
                self.lang,
                "第 {col} 列的 `(` 需要 {expected} 来闭合，实际为{}",
                "expected {expected} to close the `(` at column {col}, found {}",
                t.tok.describe(self.lang)
            ),
        ))
    }
}
