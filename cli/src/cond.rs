//! The `\if` / `\elif` / `\else` / `\endif` stack, with psql's states.
//!
//! ```text
//!  \if false      push False   (inactive; a later \elif may run)
//!  \elif true     False → True (active)
//!  \else          True → ElseFalse (inactive: a branch already ran)
//!  \endif         pop
//! ```
//!
//! Inside an inactive branch nothing runs: SQL is discarded, meta-commands
//! other than the conditionals are skipped (their arguments read without
//! substituting variables or running backquotes), and a nested `\if` is
//! pushed as Ignored so its own branches stay inactive. Each level
//! remembers the query buffer's length and the lexer's parenthesis depth
//! when its branch began, so text typed in a skipped branch is dropped when
//! the branch ends.

/// One level of the stack (psql's `ifState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfState {
    /// `\if` or `\elif` whose condition was true: active.
    True,
    /// Condition false so far: inactive, a later `\elif`/`\else` may run.
    False,
    /// Inside an inactive outer branch, or after the true branch: every
    /// later branch is inactive.
    Ignored,
    /// `\else` after a true branch: inactive.
    ElseFalse,
    /// `\else` after only false branches: active.
    ElseTrue,
}

#[derive(Debug, Clone, Copy)]
struct Level {
    state: IfState,
    query_len: usize,
    paren_depth: u32,
}

/// The conditional stack of one input source.
#[derive(Debug, Clone, Default)]
pub struct CondStack {
    stack: Vec<Level>,
}

impl CondStack {
    /// Whether commands run at the current level.
    pub fn active(&self) -> bool {
        matches!(self.peek(), None | Some(IfState::True | IfState::ElseTrue))
    }

    /// Whether no `\if` is open.
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// The innermost state.
    pub fn peek(&self) -> Option<IfState> {
        self.stack.last().map(|l| l.state)
    }

    /// Opens a level.
    pub fn push(&mut self, state: IfState) {
        self.stack.push(Level {
            state,
            query_len: 0,
            paren_depth: 0,
        });
    }

    /// Changes the innermost state; `false` when no `\if` is open.
    pub fn poke(&mut self, state: IfState) -> bool {
        match self.stack.last_mut() {
            Some(level) => {
                level.state = state;
                true
            }
            None => false,
        }
    }

    /// Closes the innermost level; `false` when none is open.
    pub fn pop(&mut self) -> bool {
        self.stack.pop().is_some()
    }

    /// Remembers the query buffer's length and the parenthesis depth as
    /// the point a skipped branch's text is dropped back to.
    pub fn save(&mut self, query_len: usize, paren_depth: u32) {
        if let Some(level) = self.stack.last_mut() {
            level.query_len = query_len;
            level.paren_depth = paren_depth;
        }
    }

    /// What [`save`](Self::save) remembered at this level.
    pub fn saved(&self) -> Option<(usize, u32)> {
        self.stack.last().map(|l| (l.query_len, l.paren_depth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_level_decides_activity() {
        let mut c = CondStack::default();
        assert!(c.active() && c.is_empty());
        c.push(IfState::False);
        assert!(!c.active());
        assert!(c.poke(IfState::True));
        assert!(c.active());
        c.push(IfState::ElseFalse);
        assert!(!c.active());
        c.save(7, 1);
        assert_eq!(c.saved(), Some((7, 1)));
        assert!(c.pop() && c.pop());
        assert!(!c.pop() && !c.poke(IfState::True));
    }
}
