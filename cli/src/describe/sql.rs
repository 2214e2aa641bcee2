//! Building catalog queries and turning their results into tables.

use crate::print::{Align, PrintTable};

use super::QueryResult;

/// A query under construction that knows whether it has a `WHERE` yet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    text: String,
    has_where: bool,
}

impl Sql {
    /// Starts a query with `text`.
    pub(crate) fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            has_where: false,
        }
    }

    /// Appends `text` as is.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a condition with `WHERE` or `AND` as needed, and a newline.
    pub(crate) fn and(&mut self, cond: &str) -> &mut Self {
        if self.has_where {
            self.text.push_str("  AND ");
        } else {
            self.text.push_str("WHERE ");
            self.has_where = true;
        }
        self.text.push_str(cond);
        self.text.push('\n');
        self
    }

    /// Records that the text already holds a `WHERE`.
    pub(crate) fn mark_where(&mut self) -> &mut Self {
        self.has_where = true;
        self
    }

    /// The query text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// Type OIDs that psql right-aligns.
const NUMERIC_TYPES: &[u32] = &[
    20,   // int8
    21,   // int2
    23,   // int4
    26,   // oid
    28,   // xid
    29,   // cid
    700,  // float4
    701,  // float8
    790,  // money
    1700, // numeric
    5069, // xid8
];

/// psql's alignment for a column of type `oid`.
pub(crate) fn align_for(oid: u32) -> Align {
    if NUMERIC_TYPES.contains(&oid) {
        Align::Right
    } else {
        Align::Left
    }
}

/// A result printed as psql 15's listings print it: headers from the
/// column names, alignment from the types, default footer. NULL cells
/// become empty strings: psql's describe commands print their results
/// with no null string, whatever `\pset null` says.
pub(crate) fn listing(title: &str, result: QueryResult) -> PrintTable {
    let aligns = result.types.iter().map(|t| align_for(*t)).collect();
    let cells = result
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| Some(c.unwrap_or_default()))
                .collect()
        })
        .collect();
    PrintTable {
        title: Some(title.to_owned()),
        headers: result.columns,
        aligns,
        cells,
        footers: None,
    }
}

/// A cell's text, NULL read as empty (libpq's `PQgetvalue`).
pub(crate) fn text(row: &[Option<String>], col: usize) -> &str {
    row.get(col).and_then(|c| c.as_deref()).unwrap_or("")
}

/// Whether a cell is NULL (or missing).
pub(crate) fn is_null(row: &[Option<String>], col: usize) -> bool {
    row.get(col).is_none_or(Option::is_none)
}

/// Whether a boolean cell is `t`.
pub(crate) fn truth(row: &[Option<String>], col: usize) -> bool {
    text(row, col) == "t"
}

/// A SQL string literal of `s`.
pub(crate) fn lit(s: &str) -> String {
    cor4_protocol::client::escape_literal(s)
}
