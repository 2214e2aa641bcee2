//! A table made ready to print, the way psql fills its table before any
//! format sees it: NULLs become the `null` string, right-aligned values
//! get digit grouping under `numericlocale`, headers and cells pass the
//! encoding check, and the default `(N rows)` footer is worked out.

use std::borrow::Cow;

use super::text::{group_digits, validate};
use super::{Align, Part, PrintOptions, PrintTable};

/// One table (or chunk of one) with everything a format needs.
pub(super) struct Content<'a> {
    /// The title, if any.
    pub title: Option<&'a str>,
    /// Column names.
    pub headers: Vec<Cow<'a, str>>,
    /// One alignment per column.
    pub aligns: Vec<Align>,
    /// The cells of all rows, row after row (`ncols` per row).
    pub cells: Vec<Cow<'a, str>>,
    /// Rows in this chunk, counted even when there are no columns.
    pub nrows: usize,
    /// Custom footers; `None` when the table has none.
    custom_footers: Option<&'a [String]>,
    /// The settings.
    pub opts: &'a PrintOptions,
    /// Which chunk this is.
    pub part: Part,
}

impl<'a> Content<'a> {
    /// Prepares `table`. A row with fewer cells than columns is padded with
    /// NULLs; cells beyond the last column are ignored; a missing alignment
    /// is [`Align::Left`].
    pub fn new(table: &'a PrintTable, opts: &'a PrintOptions, part: Part) -> Self {
        let ncols = table.headers.len();
        let aligns: Vec<Align> = (0..ncols)
            .map(|i| table.aligns.get(i).copied().unwrap_or(Align::Left))
            .collect();
        let mut cells = Vec::with_capacity(ncols * table.cells.len());
        for row in &table.cells {
            for (j, &align) in aligns.iter().enumerate() {
                let cell = match row.get(j) {
                    Some(Some(value)) if align == Align::Right && opts.numericlocale => {
                        // Grouped digits are ASCII: nothing for validate to do.
                        match group_digits(value) {
                            Cow::Borrowed(v) => validate(v),
                            grouped => grouped,
                        }
                    }
                    Some(Some(value)) => validate(value),
                    Some(None) | None => validate(&opts.null),
                };
                cells.push(cell);
            }
        }
        Content {
            title: table.title.as_deref().or(opts.title.as_deref()),
            headers: table.headers.iter().map(|h| validate(h)).collect(),
            aligns,
            cells,
            nrows: table.cells.len(),
            custom_footers: table.footers.as_deref(),
            opts,
            part,
        }
    }

    /// The number of columns.
    pub fn ncols(&self) -> usize {
        self.headers.len()
    }

    /// The rows, as slices of cells (none when there are no columns).
    pub fn rows(&self) -> std::slice::Chunks<'_, Cow<'a, str>> {
        // chunks() needs a non-zero size; with no columns there are no cells.
        self.cells.chunks(self.ncols().max(1))
    }

    /// Whether column `j` is right-aligned.
    pub fn right(&self, j: usize) -> bool {
        self.aligns.get(j) == Some(&Align::Right)
    }

    /// The custom footers only: what psql's expanded formats print. An
    /// empty list is no footer at all.
    pub fn custom_footers(&self) -> Option<&'a [String]> {
        self.custom_footers.filter(|f| !f.is_empty())
    }

    /// The footers psql prints under a normal table: the custom ones (an
    /// empty list: none, not even the default), else `(N rows)` counting
    /// earlier chunks, unless `\pset footer off`.
    pub fn footers(&self) -> Option<Vec<Cow<'a, str>>> {
        match self.custom_footers {
            Some(f) => Some(f.iter().map(|s| Cow::Borrowed(s.as_str())).collect()),
            None if self.opts.default_footer => {
                let rows = u64::try_from(self.nrows).unwrap_or(u64::MAX);
                let total = self.part.prior_records.saturating_add(rows);
                let noun = if total == 1 { "row" } else { "rows" };
                Some(vec![Cow::Owned(format!("({total} {noun})"))])
            }
            None => None,
        }
    }
}
