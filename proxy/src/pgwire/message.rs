//! Backend messages as the relay sees them: sans-IO framing of the read
//! buffer (bytes in, `postgres_protocol` messages out, `Ok(None)` when more
//! bytes are needed) and the owned types handed to callers.

use std::fmt;

use bytes::{Bytes, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{
    DataRowBody, ErrorFields, Header, Message, ParameterDescriptionBody, RowDescriptionBody,
};

use super::error::PgError;

/// The largest backend message accepted, counting its length field.
///
/// PostgreSQL builds every message in one allocation capped at 1 GiB
/// (`MaxAllocSize`), so anything longer is corrupt or hostile.
pub const MAX_MESSAGE_LEN: usize = (1 << 30) + (1 << 16);

/// Splits the next whole message off the front of `buf`.
///
/// Returns `Ok(None)` when `buf` holds less than one message; the caller
/// reads more bytes and calls again. A header announcing more than `max_len`
/// bytes is refused before anything is reserved for it.
pub(crate) fn decode(buf: &mut BytesMut, max_len: usize) -> Result<Option<Message>, PgError> {
    let Some(header) = Header::parse(buf).map_err(PgError::Malformed)? else {
        return Ok(None);
    };
    // `Header::parse` refuses lengths below 4, so this conversion cannot fail
    // on any platform with at least 32-bit `usize`.
    let len = usize::try_from(header.len()).map_err(|_| PgError::Protocol("negative length"))?;
    if len > max_len {
        return Err(PgError::MessageTooLarge { len, max: max_len });
    }
    Message::parse(buf).map_err(PgError::Malformed)
}

/// The transaction state PostgreSQL reports in each ReadyForQuery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionStatus {
    /// Not in a transaction block (`I`).
    Idle,
    /// Inside a transaction block (`T`).
    InTransaction,
    /// Inside a failed transaction block; queries are refused until it ends (`E`).
    Failed,
}

impl TransactionStatus {
    pub(crate) fn from_byte(b: u8) -> Result<Self, PgError> {
        match b {
            b'I' => Ok(Self::Idle),
            b'T' => Ok(Self::InTransaction),
            b'E' => Ok(Self::Failed),
            _ => Err(PgError::Protocol(
                "unknown transaction status in ReadyForQuery",
            )),
        }
    }
}

/// One column of a RowDescription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column name (`?column?` for anonymous expressions).
    pub name: String,
    /// The OID of the column's type.
    pub type_oid: u32,
    /// The type modifier (`atttypmod`), -1 when the type has none.
    pub type_modifier: i32,
}

pub(crate) fn columns(body: &RowDescriptionBody) -> Result<Vec<Column>, PgError> {
    body.fields()
        .map(|f| {
            Ok(Column {
                name: f.name().to_owned(),
                type_oid: f.type_oid(),
                type_modifier: f.type_modifier(),
            })
        })
        .collect()
        .map_err(PgError::Malformed)
}

/// The parameter type OIDs of a ParameterDescription.
pub(crate) fn parameter_types(body: &ParameterDescriptionBody) -> Result<Vec<u32>, PgError> {
    body.parameters().collect().map_err(PgError::Malformed)
}

/// The layout of a COPY that began: CopyInResponse or CopyOutResponse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyStart {
    /// Binary COPY format (else text or CSV).
    pub binary: bool,
    /// Per column: binary (else text).
    pub columns: Vec<bool>,
}

impl CopyStart {
    pub(crate) fn parse(
        format: u8,
        mut columns: postgres_protocol::message::backend::ColumnFormats<'_>,
    ) -> Result<Self, PgError> {
        let binary = match format {
            0 => false,
            1 => true,
            _ => return Err(PgError::Protocol("unknown COPY format")),
        };
        let mut formats = Vec::new();
        while let Some(f) = columns.next().map_err(PgError::Malformed)? {
            formats.push(match f {
                0 => false,
                1 => true,
                _ => return Err(PgError::Protocol("unknown COPY column format")),
            });
        }
        Ok(CopyStart {
            binary,
            columns: formats,
        })
    }
}

/// One row of a result, in PostgreSQL's text format.
///
/// The row owns a slice of the connection's read buffer, so it costs no copy
/// of the values and no allocation; every value's length was checked when
/// the row was decoded, and the values are read from the slice in order.
#[derive(Clone, Debug)]
pub struct DataRow {
    /// The values: each a big-endian i32 length (-1 for NULL) and bytes.
    storage: Bytes,
    count: usize,
}

impl DataRow {
    pub(crate) fn new(body: &DataRowBody) -> Result<Self, PgError> {
        let mut count = 0;
        let mut ranges = body.ranges();
        while ranges.next().map_err(PgError::Malformed)?.is_some() {
            count += 1;
        }
        Ok(DataRow {
            storage: body.buffer_bytes().clone(),
            count,
        })
    }

    /// The number of values in the row.
    /// Bytes the values take on the wire (lengths included).
    pub fn byte_len(&self) -> usize {
        self.storage.len()
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the row has no values at all.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Value `i` as text-format bytes; `None` for NULL and for `i` out of range.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.iter().nth(i).flatten()
    }

    /// Value `i` as a zero-copy [`Bytes`]; `None` for NULL and for `i` out of range.
    pub fn get_bytes(&self, i: usize) -> Option<Bytes> {
        let value = self.get(i)?;
        Some(self.storage.slice_ref(value))
    }

    /// Whether value `i` is NULL (`false` for `i` out of range).
    pub fn is_null(&self, i: usize) -> bool {
        matches!(self.iter().nth(i), Some(None))
    }

    /// The values in column order, `None` for NULL.
    pub fn iter(&self) -> Values<'_> {
        Values {
            rest: &self.storage,
            left: self.count,
        }
    }
}

/// The values of a [`DataRow`], in order.
#[derive(Clone, Debug)]
pub struct Values<'a> {
    rest: &'a [u8],
    left: usize,
}

impl<'a> Iterator for Values<'a> {
    type Item = Option<&'a [u8]>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // Checked when the row was decoded; a short buffer ends the walk.
        let (len, rest) = self.rest.split_first_chunk::<4>()?;
        let len = i32::from_be_bytes(*len);
        let Ok(len) = usize::try_from(len) else {
            self.rest = rest;
            return Some(None);
        };
        let (value, rest) = rest.split_at_checked(len)?;
        self.rest = rest;
        Some(Some(value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Values<'_> {}

/// An ErrorResponse or NoticeResponse with all its fields.
///
/// Field letters are those of PostgreSQL's "Error and Notice Message Fields";
/// strings that are not valid UTF-8 are kept with replacement characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbError {
    /// `S`: severity, possibly localized (`ERROR`, `FATAL`, `NOTICE`, …).
    pub severity: String,
    /// `V`: severity, never localized (PostgreSQL 9.6 and later).
    pub severity_nonlocalized: Option<String>,
    /// `C`: the SQLSTATE code.
    pub code: String,
    /// `M`: the primary message.
    pub message: String,
    /// `D`: detail.
    pub detail: Option<String>,
    /// `H`: hint.
    pub hint: Option<String>,
    /// `P`: 1-based character position in the query, 0 when absent.
    pub position: u32,
    /// `p`: position in the internally generated query, 0 when absent.
    pub internal_position: u32,
    /// `q`: the internally generated query.
    pub internal_query: Option<String>,
    /// `W`: the context (call stack) of the error.
    pub where_: Option<String>,
    /// `s`: schema name.
    pub schema: Option<String>,
    /// `t`: table name.
    pub table: Option<String>,
    /// `c`: column name.
    pub column: Option<String>,
    /// `d`: data type name.
    pub datatype: Option<String>,
    /// `n`: constraint name.
    pub constraint: Option<String>,
    /// `F`: source file that raised the error.
    pub file: Option<String>,
    /// `L`: source line that raised the error.
    pub line: Option<u32>,
    /// `R`: source routine that raised the error.
    pub routine: Option<String>,
}

impl DbError {
    pub(crate) fn parse(mut fields: ErrorFields<'_>) -> Result<Self, PgError> {
        let mut e = DbError::default();
        let (mut has_severity, mut has_code, mut has_message) = (false, false, false);
        while let Some(field) = fields.next().map_err(PgError::Malformed)? {
            let value = String::from_utf8_lossy(field.value_bytes()).into_owned();
            let number = || {
                value
                    .parse::<u32>()
                    .map_err(|_| PgError::Protocol("non-numeric error position or line"))
            };
            match field.type_() {
                b'S' => (e.severity, has_severity) = (value, true),
                b'V' => e.severity_nonlocalized = Some(value),
                b'C' => (e.code, has_code) = (value, true),
                b'M' => (e.message, has_message) = (value, true),
                b'D' => e.detail = Some(value),
                b'H' => e.hint = Some(value),
                b'P' => e.position = number()?,
                b'p' => e.internal_position = number()?,
                b'q' => e.internal_query = Some(value),
                b'W' => e.where_ = Some(value),
                b's' => e.schema = Some(value),
                b't' => e.table = Some(value),
                b'c' => e.column = Some(value),
                b'd' => e.datatype = Some(value),
                b'n' => e.constraint = Some(value),
                b'F' => e.file = Some(value),
                b'L' => e.line = Some(number()?),
                b'R' => e.routine = Some(value),
                // The protocol says frontends must ignore unknown field types.
                _ => {}
            }
        }
        if !(has_severity && has_code && has_message) {
            return Err(PgError::Protocol(
                "error message without severity, code or message",
            ));
        }
        Ok(e)
    }

    /// Whether the server will close the session after this error.
    pub fn is_fatal(&self) -> bool {
        let severity = self
            .severity_nonlocalized
            .as_deref()
            .unwrap_or(&self.severity);
        matches!(severity, "FATAL" | "PANIC")
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (SQLSTATE {})",
            self.severity, self.message, self.code
        )
    }
}

impl std::error::Error for DbError {}

/// What a running request produced next.
#[derive(Debug)]
pub enum Event {
    /// The columns of the rows that follow (or, answering a describe, of
    /// the rows the statement would return).
    RowDescription(Vec<Column>),
    /// One row, described by the latest [`Event::RowDescription`].
    DataRow(DataRow),
    /// A statement finished; the command tag, e.g. `INSERT 0 3`, `SELECT 5`.
    CommandComplete(String),
    /// The query string held no statement.
    EmptyQuery,
    /// A statement failed; PostgreSQL skips the rest of the request and
    /// [`Event::Ready`] follows.
    Error(Box<DbError>),
    /// A notice or warning; the request goes on.
    Notice(Box<DbError>),
    /// A run-time parameter changed (`SET DateStyle …`); already applied to
    /// [`PgConn::parameter`](super::PgConn::parameter).
    Parameter {
        /// The parameter's name.
        name: String,
        /// Its new value.
        value: String,
    },
    /// A prepared statement's parameter type OIDs (describe statement).
    ParameterDescription(Vec<u32>),
    /// The statement returns no rows (describe).
    NoData,
    /// `COPY … FROM STDIN` waits for data: send it with `copy_data`, then
    /// `copy_done` or `copy_fail`.
    CopyIn(CopyStart),
    /// `COPY … TO STDOUT` began; [`Event::CopyData`] follows, then
    /// [`Event::CopyDone`].
    CopyOut(CopyStart),
    /// A chunk of COPY TO STDOUT data (PostgreSQL sends one row per chunk).
    CopyData(Bytes),
    /// The COPY TO STDOUT data is complete; CommandComplete follows.
    CopyDone,
    /// The request is done; the connection takes the next one.
    Ready(TransactionStatus),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(tag: u8, body: &[u8]) -> BytesMut {
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&[tag]);
        let len = u32::try_from(body.len() + 4).unwrap_or(u32::MAX);
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(body);
        buf
    }

    fn data_row(buf: &mut BytesMut) -> DataRow {
        match decode(buf, MAX_MESSAGE_LEN) {
            Ok(Some(Message::DataRow(body))) => DataRow::new(&body).expect("valid row"),
            _ => panic!("expected a data row"),
        }
    }

    #[test]
    fn waits_for_header_and_body() {
        let whole = frame(b'Z', b"I");
        for cut in 0..whole.len() {
            let mut part = BytesMut::from(&whole[..cut]);
            assert!(
                matches!(decode(&mut part, MAX_MESSAGE_LEN), Ok(None)),
                "cut {cut}"
            );
        }
        let mut buf = whole;
        assert!(matches!(
            decode(&mut buf, MAX_MESSAGE_LEN),
            Ok(Some(Message::ReadyForQuery(_)))
        ));
        assert!(buf.is_empty());
    }

    #[test]
    fn rejects_absurd_length_before_allocating() {
        let mut buf = BytesMut::from(&[b'D', 0x7f, 0xff, 0xff, 0xff][..]);
        let cap = buf.capacity();
        match decode(&mut buf, MAX_MESSAGE_LEN) {
            Err(PgError::MessageTooLarge { len, max }) => {
                assert_eq!(len, 0x7fff_ffff);
                assert_eq!(max, MAX_MESSAGE_LEN);
            }
            Err(other) => panic!("unexpected {other:?}"),
            Ok(_) => panic!("accepted an absurd length"),
        }
        assert_eq!(buf.capacity(), cap);
    }

    #[test]
    fn rejects_length_below_four() {
        let mut buf = BytesMut::from(&[b'Z', 0, 0, 0, 3, b'I'][..]);
        assert!(matches!(
            decode(&mut buf, MAX_MESSAGE_LEN),
            Err(PgError::Malformed(_))
        ));
    }

    #[test]
    fn rejects_unknown_tag() {
        let mut buf = frame(b'!', b"");
        assert!(matches!(
            decode(&mut buf, MAX_MESSAGE_LEN),
            Err(PgError::Malformed(_))
        ));
    }

    #[test]
    fn accepts_data_row_with_null_and_empty() {
        // 3 values: "42", NULL, "".
        let mut buf = frame(
            b'D',
            &[
                0, 3, 0, 0, 0, 2, b'4', b'2', 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
            ],
        );
        let row = data_row(&mut buf);
        assert_eq!(row.len(), 3);
        assert_eq!(row.get(0), Some(&b"42"[..]));
        assert_eq!(row.get(1), None);
        assert!(row.is_null(1));
        assert_eq!(row.get(2), Some(&b""[..]));
        assert!(!row.is_null(2));
        assert_eq!(row.get(3), None);
        assert_eq!(row.get_bytes(0).as_deref(), Some(&b"42"[..]));
        let all: Vec<_> = row.iter().collect();
        assert_eq!(all, vec![Some(&b"42"[..]), None, Some(&b""[..])]);
    }

    #[test]
    fn rejects_truncated_data_row() {
        // Claims a 5-byte value but carries 2.
        let mut buf = frame(b'D', &[0, 1, 0, 0, 0, 5, b'4', b'2']);
        match decode(&mut buf, MAX_MESSAGE_LEN) {
            Ok(Some(Message::DataRow(body))) => {
                assert!(matches!(DataRow::new(&body), Err(PgError::Malformed(_))));
            }
            _ => panic!("expected a data row"),
        }
    }

    #[test]
    fn rejects_data_row_with_trailing_bytes() {
        let mut buf = frame(b'D', &[0, 1, 0, 0, 0, 1, b'4', b'2']);
        match decode(&mut buf, MAX_MESSAGE_LEN) {
            Ok(Some(Message::DataRow(body))) => {
                assert!(matches!(DataRow::new(&body), Err(PgError::Malformed(_))));
            }
            _ => panic!("expected a data row"),
        }
    }

    #[test]
    fn accepts_error_with_all_fields() {
        let mut body = Vec::new();
        for (t, v) in [
            (b'S', "ERROR"),
            (b'V', "ERROR"),
            (b'C', "23505"),
            (b'M', "dup"),
            (b'D', "det"),
            (b'H', "hint"),
            (b'P', "7"),
            (b'p', "3"),
            (b'q', "iq"),
            (b'W', "where"),
            (b's', "sch"),
            (b't', "tab"),
            (b'c', "col"),
            (b'd', "typ"),
            (b'n', "con"),
            (b'F', "f.c"),
            (b'L', "12"),
            (b'R', "r"),
            (b'Z', "ignored"),
        ] {
            body.push(t);
            body.extend_from_slice(v.as_bytes());
            body.push(0);
        }
        body.push(0);
        let mut buf = frame(b'E', &body);
        let e = match decode(&mut buf, MAX_MESSAGE_LEN) {
            Ok(Some(Message::ErrorResponse(b))) => DbError::parse(b.fields()).expect("valid"),
            _ => panic!("expected an error"),
        };
        assert_eq!(
            (
                e.code.as_str(),
                e.message.as_str(),
                e.position,
                e.internal_position
            ),
            ("23505", "dup", 7, 3)
        );
        assert_eq!(e.constraint.as_deref(), Some("con"));
        assert_eq!(e.where_.as_deref(), Some("where"));
        assert_eq!(e.line, Some(12));
        assert!(!e.is_fatal());
        assert_eq!(e.to_string(), "ERROR: dup (SQLSTATE 23505)");
    }

    #[test]
    fn rejects_error_without_code() {
        let mut buf = frame(b'E', b"SERROR\0Mboom\0\0");
        match decode(&mut buf, MAX_MESSAGE_LEN) {
            Ok(Some(Message::ErrorResponse(b))) => {
                assert!(matches!(
                    DbError::parse(b.fields()),
                    Err(PgError::Protocol(_))
                ));
            }
            _ => panic!("expected an error"),
        }
    }

    #[test]
    fn maps_transaction_status() {
        assert_eq!(
            TransactionStatus::from_byte(b'I').ok(),
            Some(TransactionStatus::Idle)
        );
        assert_eq!(
            TransactionStatus::from_byte(b'T').ok(),
            Some(TransactionStatus::InTransaction)
        );
        assert_eq!(
            TransactionStatus::from_byte(b'E').ok(),
            Some(TransactionStatus::Failed)
        );
        assert!(TransactionStatus::from_byte(b'X').is_err());
    }
}
