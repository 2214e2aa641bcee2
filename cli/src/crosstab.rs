//! `\crosstabview`: a query's result pivoted, psql's way.
//!
//! ```text
//!  rows ──pass 1──▶ distinct colV values: output rows, by first appearance
//!                 ▶ distinct colH values: output columns, by first
//!                   appearance or by sortcolH (ties as pg_qsort leaves them)
//!       ──pass 2──▶ the grid: each row's colD in its (colV, colH) cell
//! ```
//!
//! As in psql 15: an all-digit argument is a 1-based column number, any
//! other a name (downcased outside double quotes); NULL is a header value
//! of its own; a cell no row fills is empty, a NULL colD is NULL; sortcolH
//! ranks a column by its first row's value if that reads `-?[0-9]*`, else
//! 0. The footer is the usual `(N rows)`. psql does not apply `\pset
//! numericlocale` to a crosstab's cells, though numeric columns are
//! right-aligned.

use std::collections::btree_map::{BTreeMap, Entry};

use crate::print::{Align, PrintTable};

/// The most distinct colH values (output columns besides colV) psql
/// accepts.
pub const MAX_COLUMNS: usize = 1600;

/// Pivots `rows` (with column names `headers` and PostgreSQL type OIDs
/// `types`) as psql's `\crosstabview [colV [colH [colD [sortcolH]]]]` does;
/// `args` are the 0-4 arguments as typed. The error is psql's message
/// (e.g. "\\crosstabview: query must return at least three columns").
///
/// NULL values are treated as when `\pset null` was never set; see
/// [`crosstab_with_null`].
#[cfg(test)]
pub fn crosstab(
    args: &[String],
    headers: &[String],
    types: &[u32],
    rows: &[Vec<Option<String>>],
) -> Result<PrintTable, String> {
    crosstab_with_null(args, headers, types, rows, None)
}

/// [`crosstab`] with the session's `\pset null` string: `None` if it was
/// never set (psql's start-up state), `Some("")` after `\pset null ''`.
///
/// It names the column of NULL colH values (`""` when unset) and the NULL
/// header in the duplicate-value error (`(null)` when unset).
pub fn crosstab_with_null(
    args: &[String],
    headers: &[String],
    types: &[u32],
    rows: &[Vec<Option<String>>],
    null: Option<&str>,
) -> Result<PrintTable, String> {
    let spec = Spec::resolve(args, headers)?;

    // Pass 1: the distinct header values, numbered by first appearance.
    let mut vertical = Distinct::default();
    let mut horizontal = Distinct::default();
    for row in rows {
        let sort = spec.sort.and_then(|column| value(row, column));
        horizontal.add(value(row, spec.h), sort);
        if horizontal.values.len() > MAX_COLUMNS {
            return fail(format!(
                "maximum number of columns ({MAX_COLUMNS}) exceeded"
            ));
        }
        vertical.add(value(row, spec.v), None);
    }

    // Where each distinct colH value (by first appearance) is printed.
    let mut position: Vec<usize> = (0..horizontal.values.len()).collect();
    if spec.sort.is_some() {
        let mut ranked: Vec<(i32, usize)> = horizontal
            .index
            .values()
            .map(|&i| (rank(horizontal.values[i].1), i))
            .collect();
        pg_qsort(&mut ranked);
        for (place, &(_, i)) in ranked.iter().enumerate() {
            position[i] = place;
        }
    }

    // Pass 2: the grid. `None` is a cell no row has filled yet.
    let width = horizontal.values.len();
    let mut grid: Vec<Vec<Option<Option<&str>>>> = vec![vec![None; width]; vertical.values.len()];
    for row in rows {
        let (v, h) = (value(row, spec.v), value(row, spec.h));
        let (Some(r), Some(c)) = (vertical.find(v), horizontal.find(h)) else {
            continue; // unreachable: pass 1 saw every value
        };
        let cell = &mut grid[r][position[c]];
        if cell.is_some() {
            let shown = |header: Option<&str>| header.or(null).unwrap_or("(null)").to_owned();
            let (v, h) = (shown(v), shown(h));
            let what = "query result contains multiple data values";
            return fail(format!("{what} for row \"{v}\", column \"{h}\""));
        }
        *cell = Some(value(row, spec.d));
    }

    let mut names = vec![String::new(); width];
    for (&(name, _), &place) in horizontal.values.iter().zip(&position) {
        names[place] = name.or(null).unwrap_or("").to_owned();
    }
    let align = |column: usize| align_for(types.get(column).copied());
    let cells = vertical.values.iter().zip(grid).map(|(&(name, _), line)| {
        let data = line.into_iter().map(|cell| match cell {
            None => Some(String::new()), // no row for this pair
            Some(data) => data.map(str::to_owned),
        });
        std::iter::once(name.map(str::to_owned))
            .chain(data)
            .collect()
    });
    Ok(PrintTable {
        title: None,
        // In range: `Spec::resolve` checked every column.
        headers: std::iter::once(headers[spec.v].clone())
            .chain(names)
            .collect(),
        aligns: std::iter::once(align(spec.v))
            .chain(std::iter::repeat_n(align(spec.d), width))
            .collect(),
        cells: cells.collect(),
        footers: None,
    })
}

/// psql's error message `msg`.
fn fail<T>(msg: impl std::fmt::Display) -> Result<T, String> {
    Err(format!("\\crosstabview: {msg}"))
}

/// Row `row`'s value in `column`; `None` is NULL (or a short row).
fn value(row: &[Option<String>], column: usize) -> Option<&str> {
    row.get(column).and_then(|cell| cell.as_deref())
}

/// The columns the arguments chose (0-based).
struct Spec {
    /// colV: the vertical header.
    v: usize,
    /// colH: the horizontal header.
    h: usize,
    /// colD: the data.
    d: usize,
    /// sortcolH, if given.
    sort: Option<usize>,
}

impl Spec {
    /// Reads the arguments in psql's order, failing at the first bad one.
    fn resolve(args: &[String], headers: &[String]) -> Result<Spec, String> {
        if headers.len() < 3 {
            return fail("query must return at least three columns");
        }
        let pick = |n: usize, default: usize| match args.get(n) {
            Some(arg) => column_index(arg, headers),
            None => Ok(default),
        };
        let v = pick(0, 0)?;
        let h = pick(1, 1)?;
        if v == h {
            return fail("vertical and horizontal headers must be different columns");
        }
        let d = match args.get(2) {
            Some(arg) => column_index(arg, headers)?,
            None if headers.len() != 3 => {
                let more = "when query returns more than three columns";
                return fail(format!("data column must be specified {more}"));
            }
            // Exactly three columns and v != h: 0 + 1 + 2 = 3.
            None => 3 - v - h,
        };
        let sort = args
            .get(3)
            .map(|arg| column_index(arg, headers))
            .transpose()?;
        Ok(Spec { v, h, d, sort })
    }
}

/// Resolves one column argument: a 1-based number if it is all digits,
/// else a (possibly quoted) name.
fn column_index(arg: &str, headers: &[String]) -> Result<usize, String> {
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        // psql's int arithmetic: a huge number wraps rather than failing.
        let number = c_atoi(arg);
        let count = i32::try_from(headers.len()).unwrap_or(i32::MAX);
        return match usize::try_from(number.wrapping_sub(1)) {
            Ok(i) if i < headers.len() => Ok(i),
            _ => fail(format!("column number {number} is out of range 1..{count}")),
        };
    }
    let name = dequote_downcase(arg);
    let mut found = None;
    for (i, header) in headers.iter().enumerate() {
        if *header == name {
            if found.is_some() {
                return fail(format!("ambiguous column name: \"{name}\""));
            }
            found = Some(i);
        }
    }
    match found {
        Some(i) => Ok(i),
        None => fail(format!("column name not found: \"{name}\"")),
    }
}

/// An identifier as psql reads it: double quotes removed (a doubled one
/// inside quotes stands for itself), ASCII letters outside quotes
/// lowercased.
fn dequote_downcase(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len());
    let mut quoted = false;
    let mut chars = arg.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => quoted = !quoted,
            _ if quoted => out.push(c),
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// C's `atoi` as glibc computes it on `-?[0-9]*`: `strtol` saturating to
/// the 64-bit range, then truncated to 32 bits.
fn c_atoi(text: &str) -> i32 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: i64 = 0;
    for digit in digits.bytes().take_while(u8::is_ascii_digit) {
        let digit = i64::from(digit - b'0');
        value = value.saturating_mul(10);
        value = if negative {
            value.saturating_sub(digit)
        } else {
            value.saturating_add(digit)
        };
    }
    let bytes = value.to_le_bytes();
    i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The rank sortcolH gives a column: its integer value if it reads
/// `-?[0-9]*`, else 0.
fn rank(sort: Option<&str>) -> i32 {
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    match sort {
        Some(text) if digits(text.strip_prefix('-').unwrap_or(text)) => c_atoi(text),
        _ => 0,
    }
}

/// psql's alignment for a column of type `oid`: right for numbers.
fn align_for(oid: Option<u32>) -> Align {
    match oid {
        Some(20 | 21 | 23 | 26 | 28 | 29 | 700 | 701 | 790 | 1700 | 5069) => Align::Right,
        _ => Align::Left,
    }
}

/// A header value as a map key: strings in byte order, NULL after them.
type Key<'a> = (bool, &'a str);

/// The distinct values of one header column.
#[derive(Default)]
struct Distinct<'a> {
    /// Each distinct value with the sortcolH value of its first row, in
    /// order of first appearance.
    values: Vec<(Option<&'a str>, Option<&'a str>)>,
    /// Value to its place in `values`.
    index: BTreeMap<Key<'a>, usize>,
}

impl<'a> Distinct<'a> {
    /// Records `value` unless already seen.
    fn add(&mut self, value: Option<&'a str>, sort: Option<&'a str>) {
        if let Entry::Vacant(slot) = self.index.entry(key(value)) {
            slot.insert(self.values.len());
            self.values.push((value, sort));
        }
    }

    /// Where `value` was first seen.
    fn find(&self, value: Option<&str>) -> Option<usize> {
        self.index.get(&key(value)).copied()
    }
}

/// The map key for a header value.
fn key(value: Option<&str>) -> Key<'_> {
    (value.is_none(), value.unwrap_or(""))
}

/// Sorts `(rank, column)` pairs by rank exactly as PostgreSQL's `pg_qsort`
/// (Bentley and McIlroy's quicksort) does with psql's comparator, a
/// wrapping subtraction: the order of equal ranks, and of ranks far enough
/// apart to wrap, is the one psql prints.
fn pg_qsort(s: &mut [(i32, usize)]) {
    let cmp = |s: &[(i32, usize)], x: usize, y: usize| s[x].0.wrapping_sub(s[y].0);
    // The median of three, comparing in psql's order.
    let med3 = |s: &[(i32, usize)], a: usize, b: usize, c: usize| {
        let (ab, bc, ac) = (cmp(s, a, b), cmp(s, b, c), cmp(s, a, c));
        match (ab < 0, bc < 0, bc > 0, ac < 0) {
            (true, true, _, _) | (false, _, true, _) => b,
            (true, _, _, true) => c,
            (true, ..) | (false, _, _, true) => a,
            _ => c,
        }
    };
    let n = s.len();
    if n < 7 {
        for m in 1..n {
            let mut l = m;
            while l > 0 && cmp(s, l - 1, l) > 0 {
                s.swap(l, l - 1);
                l -= 1;
            }
        }
        return;
    }
    if (1..n).all(|m| cmp(s, m - 1, m) <= 0) {
        return;
    }
    let mut pm = n / 2;
    if n > 7 {
        let (mut pl, mut pn) = (0, n - 1);
        if n > 40 {
            let d = n / 8;
            pl = med3(s, pl, pl + d, pl + 2 * d);
            pm = med3(s, pm - d, pm, pm + d);
            pn = med3(s, pn - 2 * d, pn - d, pn);
        }
        pm = med3(s, pl, pm, pn);
    }
    s.swap(0, pm);
    let (mut pa, mut pb, mut pc, mut pd) = (1, 1, n - 1, n - 1);
    loop {
        while pb <= pc && cmp(s, pb, 0) <= 0 {
            if cmp(s, pb, 0) == 0 {
                s.swap(pa, pb);
                pa += 1;
            }
            pb += 1;
        }
        while pb <= pc && cmp(s, pc, 0) >= 0 {
            if cmp(s, pc, 0) == 0 {
                s.swap(pc, pd);
                pd -= 1;
            }
            pc -= 1;
        }
        if pb > pc {
            break;
        }
        s.swap(pb, pc);
        pb += 1;
        pc -= 1;
    }
    let d1 = pa.min(pb - pa);
    for i in 0..d1 {
        s.swap(i, pb - d1 + i);
    }
    let d1 = (pd - pc).min(n - pd - 1);
    for i in 0..d1 {
        s.swap(pb + i, n - d1 + i);
    }
    // The equal keys now sit between the two sides, which are disjoint:
    // the order pg_qsort sorts them in is immaterial.
    let (left, right) = s.split_at_mut(n - (pd - pc));
    pg_qsort(&mut left[..pb - pa]);
    pg_qsort(right);
}

/// The expected values are psql 15's output for the same query, printed
/// with `\pset null '(null)'`.
#[cfg(test)]
mod tests {
    use super::*;
    use Align::{Left as L, Right as R};

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Cells as psql prints them: "(null)" is NULL.
    fn grid(lines: &[&[&str]]) -> Vec<Vec<Option<String>>> {
        let cell = |s: &&str| (*s != "(null)").then(|| (*s).to_owned());
        lines.iter().map(|l| l.iter().map(cell).collect()).collect()
    }

    /// `SELECT v, h, c, i FROM ctv_data` (text, text, text, int4) with
    /// `\pset null '(null)'` if `null`.
    fn ctv(args: &[&str], null: bool) -> Result<PrintTable, String> {
        let rows = grid(&[
            &["v1", "h2", "foo", "3"],
            &["v2", "h1", "bar", "3"],
            &["v1", "h0", "baz", "(null)"],
            &["v0", "h4", "qux", "4"],
            &["v0", "(null)", "qux", "5"],
            &["(null)", "h4", "nn", "6"],
        ]);
        let (headers, types) = (strings(&["v", "h", "c", "i"]), [25, 25, 25, 23]);
        let null = null.then_some("(null)");
        crosstab_with_null(&strings(args), &headers, &types, &rows, null)
    }

    /// `\crosstabview args` over one row of the int columns `headers`.
    fn one_row(args: &[&str], headers: &[&str]) -> Result<Vec<String>, String> {
        let (rows, types) = (grid(&[&["1", "2", "3", "4"][..headers.len()]]), [23; 4]);
        crosstab(&strings(args), &strings(headers), &types, &rows).map(|t| t.headers)
    }

    #[test]
    fn pivots_by_default_and_by_name() {
        for args in [&["v", "h", "i"][..], &["v", "\"h\"", "I"]] {
            let table = ctv(args, true).expect("pivots");
            assert_eq!(
                table.headers,
                strings(&["v", "h2", "h1", "h0", "h4", "(null)"])
            );
            assert_eq!(table.aligns, [L, R, R, R, R, R]);
            let want = grid(&[
                &["v1", "3", "", "(null)", "", ""],
                &["v2", "", "3", "", "", ""],
                &["v0", "", "", "", "4", "5"],
                &["(null)", "", "", "", "6", ""],
            ]);
            assert_eq!(table.cells, want);
            assert_eq!((table.title, table.footers), (None, None));
        }
        // Unset, \pset null names the NULL column with nothing.
        let rows = grid(&[&["v1", "(null)", "3"]]);
        let table = crosstab(&[], &strings(&["v", "h", "i"]), &[25, 25, 23], &rows);
        assert_eq!(table.map(|t| t.headers), Ok(strings(&["v", ""])));
    }

    #[test]
    fn pivots_by_number_aligning_by_type() {
        let table = ctv(&["4", "1", "3"], true).expect("pivots");
        assert_eq!(table.headers, strings(&["i", "v1", "v2", "v0", "(null)"]));
        assert_eq!(table.aligns, [R, L, L, L, L]);
        let want = grid(&[
            &["3", "foo", "bar", "", ""],
            &["(null)", "baz", "", "", ""],
            &["4", "", "", "qux", ""],
            &["5", "", "", "qux", ""],
            &["6", "", "", "", "nn"],
        ]);
        assert_eq!(table.cells, want);
        let (args, headers) = (strings(&["v", "h", "i"]), strings(&["v", "h", "i"]));
        let none = crosstab(&args, &headers, &[25, 25, 23], &[]).expect("pivots");
        assert_eq!((none.headers, none.cells.len()), (strings(&["v"]), 0));
    }

    #[test]
    fn sorts_columns_by_sortcolh() {
        let sorted = ["v", "h0", "h1", "h2", "h4", ""];
        let table = ctv(&["v", "h", "c", "i"], false).expect("pivots");
        assert_eq!(table.headers, strings(&sorted));
        assert_eq!(
            table.cells[0],
            grid(&[&["v1", "baz", "", "foo", "", ""]])[0]
        );
        // Text ranks 0 throughout: the columns stay in byte order.
        let table = ctv(&["v", "h", "i", "c"], false).expect("pivots");
        assert_eq!(table.headers, strings(&sorted));
        // VALUES ('a',1),('b',0),…,('h',0) \crosstabview v h r r
        let h = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let rows = h.map(|h| grid(&[&["1", h, if h == "a" { "1" } else { "0" }]]).remove(0));
        let args = strings(&["v", "h", "r", "r"]);
        let table = crosstab(&args, &strings(&["v", "h", "r"]), &[23, 25, 23], &rows);
        let want = ["v", "h", "b", "c", "d", "e", "f", "g", "a"];
        assert_eq!(table.map(|t| t.headers), Ok(strings(&want)));
    }

    #[test]
    fn rejects_duplicate_cells() {
        let dup = |v: &str, h: &str, null| {
            let rows = grid(&[&[v, h, "1"], &[v, h, "2"]]);
            let headers = strings(&["a", "b", "c"]);
            let msg = crosstab_with_null(&[], &headers, &[25, 25, 23], &rows, null);
            let prefix = "\\crosstabview: query result contains multiple data values for ";
            msg.err().unwrap_or_default().replace(prefix, "")
        };
        assert_eq!(dup("v1", "h2", None), "row \"v1\", column \"h2\"");
        assert_eq!(dup("(null)", "h", None), "row \"(null)\", column \"h\"");
        assert_eq!(dup("(null)", "h", Some("")), "row \"\", column \"h\"");
        assert_eq!(dup("v", "(null)", Some("#")), "row \"v\", column \"#\"");
    }

    #[test]
    fn reads_column_arguments_as_psql() {
        let (abc, q) = (["a", "b", "c"], ["a\"b", "b", "F"]);
        #[rustfmt::skip]
        let pivots: [(&[&str], &[&str], &str); 4] = [
            (&["\"22\"", "B", "\"Foo\""], &["22", "b", "Foo"], "22"),
            (&["\"a\"\"b\"", "b"], &q, "a\"b"),
            (&["a\"\"\"b\"", "b"], &q, "a\"b"),
            (&["4294967297"], &abc, "a"), // psql's atoi truncates it to 1
        ];
        for (args, headers, first) in pivots {
            assert_eq!(one_row(args, headers), Ok(strings(&[first, "2"])));
        }
        let range = |n: &str| format!("column number {n} is out of range 1..3");
        let distinct = "vertical and horizontal headers must be different columns";
        #[rustfmt::skip]
        let fails: [(&[&str], &[&str], String); 15] = [
            (&[], &["a", "b"], "query must return at least three columns".into()),
            (&[], &["a", "b", "c", "d"],
                "data column must be specified when query returns more than three columns".into()),
            (&["x"], &abc, "column name not found: \"x\"".into()),
            (&["0"], &abc, range("0")),
            (&["4"], &abc, range("4")),
            (&["2147483648"], &abc, range("-2147483648")),
            (&["99999999999999999999999"], &abc, range("-1")),
            (&["a", "a"], &abc, distinct.into()),
            (&["2", "b"], &abc, distinct.into()),
            (&["2"], &abc, distinct.into()),
            (&["c", "a"], &["a", "a", "c"], "ambiguous column name: \"a\"".into()),
            (&["1", "2", "Foo"], &["22", "b", "Foo"], "column name not found: \"foo\"".into()),
            (&["A\"\"\"B\""], &q, "column name not found: \"a\"B\"".into()),
            (&[""], &abc, "column name not found: \"\"".into()),
            (&["a", "b", "c", "zz"], &abc, "column name not found: \"zz\"".into()),
        ];
        for (args, headers, msg) in fails {
            let want = Err(format!("\\crosstabview: {msg}"));
            assert_eq!(one_row(args, headers), want, "{args:?}");
        }
    }

    #[test]
    fn caps_the_number_of_columns() {
        let rows = |n: usize| -> Vec<Vec<Option<String>>> {
            let one = Some("1".to_owned());
            (1..=n)
                .map(|a| vec![one.clone(), Some(a.to_string()), one.clone()])
                .collect()
        };
        let abc = strings(&["a", "b", "c"]);
        let table = crosstab(&[], &abc, &[23; 3], &rows(1600)).expect("pivots");
        assert_eq!(table.headers.len(), 1601);
        let mut over = rows(1601);
        over.insert(0, over[0].clone()); // the cap comes before duplicates
        let msg = "\\crosstabview: maximum number of columns (1600) exceeded";
        assert_eq!(crosstab(&[], &abc, &[23; 3], &over), Err(msg.to_owned()));
    }
}
