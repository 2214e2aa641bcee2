//! Prepared statements, and what a query can be run from.

use std::sync::{Arc, Weak};

use tokio::sync::mpsc;

use super::connection::{End, Handles, Request};
use super::row::Column;
use crate::packet::{Packet, ParamDescription};
use crate::value::Type;

/// A statement PostgreSQL parsed once, to be run many times with
/// [`Client::query`](super::Client::query) and friends. Cloning is cheap;
/// the statement is closed on the server when the last clone is dropped.
#[derive(Clone)]
pub struct Statement(Arc<Inner>);

struct Inner {
    name: String,
    params: Vec<ParamDescription>,
    columns: Arc<[Column]>,
    handles: Weak<Handles>,
}

impl std::fmt::Debug for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement")
            .field("name", &self.0.name)
            .field("params", &self.0.params)
            .field("columns", &self.0.columns)
            .finish()
    }
}

impl Statement {
    pub(crate) fn new(
        name: String,
        params: Vec<ParamDescription>,
        columns: Arc<[Column]>,
        handles: &Arc<Handles>,
    ) -> Self {
        Statement(Arc::new(Inner {
            name,
            params,
            columns,
            handles: Arc::downgrade(handles),
        }))
    }

    /// The name it is prepared under on the server.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The types of its parameters `$1`…`$n` as PostgreSQL resolved them.
    pub fn params(&self) -> &[ParamDescription] {
        &self.0.params
    }

    /// The Cor4 types its parameters are best given as.
    pub fn param_types(&self) -> Vec<Type> {
        self.0.params.iter().map(|p| p.ty).collect()
    }

    /// The columns its result has (empty for a statement without rows).
    pub fn columns(&self) -> &[Column] {
        &self.0.columns
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let Some(handles) = self.handles.upgrade() else {
            return;
        };
        // Nobody waits for the answer: the receiver is dropped at once and
        // the connection discards it.
        let (answers, _) = mpsc::channel(1);
        let _ = handles.requests.send(Request {
            frames: Packet::Close(std::mem::take(&mut self.name)).to_frame(),
            end: End::Ready,
            answers,
            exclusive: false,
        });
    }
}

/// What a query runs: SQL text or a prepared [`Statement`].
pub trait ToStatement: sealed::Sealed {
    #[doc(hidden)]
    fn as_target(&self) -> Target<'_>;
}

/// Where a query's SQL comes from.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// SQL text.
    Sql(&'a str),
    /// A prepared statement.
    Prepared(&'a Statement),
}

impl ToStatement for str {
    fn as_target(&self) -> Target<'_> {
        Target::Sql(self)
    }
}

impl ToStatement for String {
    fn as_target(&self) -> Target<'_> {
        Target::Sql(self)
    }
}

impl ToStatement for Statement {
    fn as_target(&self) -> Target<'_> {
        Target::Prepared(self)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for str {}
    impl Sealed for String {}
    impl Sealed for super::Statement {}
}
