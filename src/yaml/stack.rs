//! The stack parses run on: a parse through serde needs one that holds MAX_DEPTH levels, so a
//! thread either is made with one ([`mark_big_stack`]) or switches to one ([`on_parse_stack`]).

/// The stack a parse of MAX_DEPTH levels needs, with room to spare (serde's recursion costs
/// about 35 KiB a level in debug builds).
pub const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

thread_local! {
    /// Set on threads made with at least PARSE_STACK_BYTES of stack, which parse in place.
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declares that the calling thread was made with at least [`PARSE_STACK_BYTES`] of stack,
/// so parses on it need no stack of their own.
pub fn mark_big_stack() {
    BIG_STACK.with(|b| b.set(true));
}

/// Runs `work` on a fresh stack of PARSE_STACK_BYTES and `room` more, on the calling thread
/// (no thread is started: that cost a third of a one-file run), with parses in it done in place.
pub fn on_parse_stack<R>(room: usize, work: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            BIG_STACK.with(|b| b.set(self.0));
        }
    }
    stacker::grow(PARSE_STACK_BYTES.saturating_add(room), || {
        let _restore = Restore(BIG_STACK.with(|b| b.replace(true)));
        work()
    })
}

/// Whether the calling thread already has a parse-sized stack, so that a parse runs in place.
pub(super) fn on_big_stack() -> bool {
    BIG_STACK.with(std::cell::Cell::get)
}
