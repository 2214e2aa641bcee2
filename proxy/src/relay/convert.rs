//! PostgreSQL's answers as Cor4 packets: pure functions, no I/O.
//!
//! ```text
//!  RowDescription ─▶ RESULT_HEAD (rows unknown)    CommandComplete ─▶ RESULT_END / OK
//!  DataRow        ─▶ RESULT_ROW(_NULLS)            ErrorResponse   ─▶ ERROR (code 20)
//!  ReadyForQuery  ─▶ READY                         NoticeResponse  ─▶ NOTICE
//! ```

use cor4_protocol::packet::{
    ColumnDescription, ColumnType, CopyFormat, CopyResponse, DiagField, ErrorPacket, Notice,
    OkDetail, OkPacket, Param, ParamDescription, ResultHead, TransactionStatus,
};
use cor4_protocol::pgtext::{self, TextError};
use cor4_protocol::{ErrorCode, Packet, Type};

use crate::pgwire::{self, Column, CopyStart, DataRow, DbError};

/// How a session wants result values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueMode {
    /// Typed values; `iso_dates` says whether the session's `DateStyle` is
    /// known to be ISO: only then can date and time text be read exactly;
    /// otherwise those columns travel as their text (code 2), as
    /// `docs/protocol.md` §4 requires.
    Typed {
        /// DateStyle is ISO.
        iso_dates: bool,
    },
    /// Every value as PostgreSQL's text (the session asked for it).
    Text,
}

/// The wire types of a result's columns, chosen once per RowDescription.
pub(super) fn column_types(columns: &[Column], mode: ValueMode) -> Vec<Type> {
    columns
        .iter()
        .map(|c| match (mode, pgtext::type_for_oid(c.type_oid)) {
            (ValueMode::Text, _) => Type::Text,
            (
                ValueMode::Typed { iso_dates: false },
                Type::Date | Type::Time | Type::Timestamp | Type::TimestampTz,
            ) => Type::Text,
            (_, ty) => ty,
        })
        .collect()
}

/// RESULT_COLUMNS: PostgreSQL's type of each column.
pub(super) fn result_columns(columns: &[Column]) -> Packet {
    Packet::ResultColumns(
        columns
            .iter()
            .map(|c| ColumnType {
                oid: c.type_oid,
                typmod: c.type_modifier,
            })
            .collect(),
    )
}

/// DESCRIPTION's parameters: each type OID with the Cor4 type it reads best.
pub(super) fn param_descriptions(oids: &[u32]) -> Vec<ParamDescription> {
    oids.iter()
        .map(|&oid| ParamDescription {
            ty: pgtext::type_for_oid(oid),
            oid,
        })
        .collect()
}

/// DESCRIPTION's columns, typed as results of the statement would be.
pub(super) fn column_descriptions(columns: &[Column], mode: ValueMode) -> Vec<ColumnDescription> {
    columns
        .iter()
        .zip(column_types(columns, mode))
        .map(|(c, ty)| ColumnDescription {
            name: c.name.clone(),
            ty,
            oid: c.type_oid,
            typmod: c.type_modifier,
        })
        .collect()
}

/// The type OID a parameter declares to PostgreSQL: its type's own, or 0
/// (PostgreSQL infers it) for text, JSON and untyped NULLs, so a string
/// works wherever PostgreSQL can read it (an `inet`, an enum, a `jsonb`).
pub(super) fn param_oid(ty: Option<Type>) -> u32 {
    use pgtext::oid;
    match ty {
        None | Some(Type::Text | Type::Json) => 0,
        Some(Type::Int4) => oid::INT4,
        Some(Type::Bool) => oid::BOOL,
        Some(Type::Numeric) => oid::NUMERIC,
        Some(Type::Date) => oid::DATE,
        Some(Type::Int8) => oid::INT8,
        Some(Type::Float8) => oid::FLOAT8,
        Some(Type::Float4) => oid::FLOAT4,
        Some(Type::Timestamp) => oid::TIMESTAMP,
        Some(Type::TimestampTz) => oid::TIMESTAMPTZ,
        Some(Type::Time) => oid::TIME,
        Some(Type::Bytea) => oid::BYTEA,
        Some(Type::Uuid) => oid::UUID,
        Some(_) => 0,
    }
}

/// The text forms PostgreSQL reads the parameters from (ISO dates, hex
/// bytea, shortest round-trip floats: readable under any session setting).
pub(super) fn param_texts(params: &[Param]) -> Vec<Option<String>> {
    params.iter().map(|p| pgtext::to_text(p.value())).collect()
}

/// COPY_IN or COPY_OUT's layout from PostgreSQL's.
pub(super) fn copy_response(start: &CopyStart) -> CopyResponse {
    let format = |binary: bool| {
        if binary {
            CopyFormat::Binary
        } else {
            CopyFormat::Text
        }
    };
    CopyResponse {
        format: format(start.binary),
        columns: start.columns.iter().map(|&b| format(b)).collect(),
    }
}

/// Whether a statement with this command tag may have changed how
/// PostgreSQL prints dates (`SET DateStyle`, a `RESET`, a rollback that
/// undid a `SET`, a procedure): later results of the same QUERY then send
/// date and time columns as text, since PostgreSQL reports the new setting
/// only at the end of the QUERY.
pub(super) fn may_change_datestyle(tag: &str) -> bool {
    let command = tag.split(' ').next().unwrap_or_default();
    matches!(
        command,
        "SET" | "RESET" | "DISCARD" | "ROLLBACK" | "COMMIT" | "CALL" | "DO" | "RELEASE"
    )
}

/// Whether a `DateStyle` setting prints dates in ISO form (`ISO, MDY`,
/// `ISO, DMY`, …). An unknown setting counts as not ISO.
pub(super) fn is_iso_datestyle(datestyle: Option<&str>) -> bool {
    datestyle.is_some_and(|s| s.trim_start().starts_with("ISO"))
}

/// RESULT_HEAD for `columns`, always streaming (rows unknown).
pub(super) fn result_head(columns: &[Column], types: Vec<Type>) -> Packet {
    Packet::ResultHead(ResultHead {
        names: columns.iter().map(|c| c.name.clone()).collect(),
        types,
        rows: None,
    })
}

/// Why a DataRow could not become a RESULT_ROW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowError {
    /// The row has another number of values than its RowDescription.
    Width {
        /// Columns announced.
        expected: usize,
        /// Values in the row.
        got: usize,
    },
    /// Column `column`'s text is not what PostgreSQL prints for its type.
    Value {
        /// 0-based column index.
        column: usize,
        /// What the parser said.
        error: TextError,
    },
}

/// Appends RESULT_ROW number `count` of `row` straight into `out`, each
/// value converted from PostgreSQL's text as `types` say, with no value
/// built in between (text, numeric and json are copied as they are).
pub(super) fn encode_row(
    out: &mut Vec<u8>,
    count: u64,
    types: &[Type],
    row: &DataRow,
) -> Result<(), RowError> {
    if row.len() != types.len() {
        return Err(RowError::Width {
            expected: types.len(),
            got: row.len(),
        });
    }
    Packet::encode_result_row(out, row_number(count), row.iter(), |column, text, out| {
        let ty = types.get(column).copied().unwrap_or(Type::Text);
        pgtext::encode(ty, text, out).map_err(|error| RowError::Value { column, error })
    })
}

/// The number of RESULT_ROW `count` (1-based): it wraps past `u32::MAX`
/// as `docs/protocol.md` §3 says.
fn row_number(count: u64) -> u32 {
    u32::try_from(count & u64::from(u32::MAX)).unwrap_or(u32::MAX)
}

/// The ERROR that replaces a row the relay could not read. `names` are the
/// result's column names, for the message.
pub(super) fn row_error(answered: u8, error: RowError, names: &[String]) -> Packet {
    let message = match error {
        RowError::Width { expected, got } => format!(
            "PostgreSQL sent a row of {got} values for {expected} columns; the rest of this query was cancelled"
        ),
        RowError::Value { column, error } => {
            let name = names.get(column).map_or("?", String::as_str);
            let hint = match error.type_() {
                Type::Date | Type::Time | Type::Timestamp | Type::TimestampTz => {
                    " (if this QUERY changed DateStyle, change it in a QUERY of its own)"
                }
                _ => "",
            };
            format!(
                "cannot relay column \"{name}\": {error}{hint}; the rest of this query was cancelled"
            )
        }
    };
    error_packet(answered, ErrorCode::Internal, message)
}

/// An ERROR that is not PostgreSQL's: its PostgreSQL fields stay empty.
pub(super) fn error_packet(answered: u8, code: ErrorCode, message: impl Into<String>) -> Packet {
    Packet::Error(ErrorPacket {
        answered,
        code: code.as_i32(),
        message: message.into(),
        ..ErrorPacket::default()
    })
}

/// ERROR code 20 carrying PostgreSQL's error, answering `answered`; with
/// `all_fields` it also carries every other field PostgreSQL sent.
pub(super) fn sql_error(answered: u8, e: &DbError, all_fields: bool) -> Packet {
    Packet::Error(ErrorPacket {
        answered,
        code: ErrorCode::Sql.as_i32(),
        message: e.message.clone(),
        random: Vec::new(),
        sqlstate: e.code.clone(),
        severity: severity(e).to_owned(),
        detail: e.detail.clone().unwrap_or_default(),
        hint: e.hint.clone().unwrap_or_default(),
        position: e.position,
        fields: if all_fields {
            extra_fields(e, false)
        } else {
            Vec::new()
        },
    })
}

/// NOTICE carrying a PostgreSQL notice or warning.
pub(super) fn notice(e: &DbError, all_fields: bool) -> Packet {
    Packet::Notice(Notice {
        severity: severity(e).to_owned(),
        sqlstate: e.code.clone(),
        message: e.message.clone(),
        detail: e.detail.clone().unwrap_or_default(),
        hint: e.hint.clone().unwrap_or_default(),
        fields: if all_fields {
            extra_fields(e, true)
        } else {
            Vec::new()
        },
    })
}

/// The fields of `e` that ERROR (or, with `with_position`, NOTICE) has no
/// fixed place for, in PostgreSQL's letters and order of importance.
fn extra_fields(e: &DbError, with_position: bool) -> Vec<DiagField> {
    let number = |n: u32| (n != 0).then(|| n.to_string());
    let candidates: [(u8, Option<String>); 14] = [
        (b'V', e.severity_nonlocalized.clone()),
        (
            b'P',
            if with_position {
                number(e.position)
            } else {
                None
            },
        ),
        (b'p', number(e.internal_position)),
        (b'q', e.internal_query.clone()),
        (b'W', e.where_.clone()),
        (b's', e.schema.clone()),
        (b't', e.table.clone()),
        (b'c', e.column.clone()),
        (b'd', e.datatype.clone()),
        (b'n', e.constraint.clone()),
        (b'F', e.file.clone()),
        (b'L', e.line.map(|l| l.to_string())),
        (b'R', e.routine.clone()),
        (
            b'S',
            (e.severity_nonlocalized.as_deref() != Some(e.severity.as_str()))
                .then(|| e.severity.clone()),
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(code, value)| value.map(|value| DiagField { code, value }))
        .collect()
}

/// The untranslated severity when PostgreSQL sent one (9.6+), so clients
/// can match on `ERROR`/`FATAL` whatever `lc_messages` says.
fn severity(e: &DbError) -> &str {
    e.severity_nonlocalized.as_deref().unwrap_or(&e.severity)
}

/// OK answering `answered` (QUERY, QUERY_PARAMS or EXECUTE) for a statement
/// that returned no rows.
pub(super) fn command_ok(answered: u8, tag: String) -> Packet {
    Packet::Ok(OkPacket {
        answered,
        random: Vec::new(),
        detail: OkDetail::Command {
            affected: affected_rows(&tag),
            tag,
        },
    })
}

/// OK answering anything but QUERY and LOGIN.
pub(super) fn plain_ok(answered: u8) -> Packet {
    Packet::Ok(OkPacket {
        answered,
        random: Vec::new(),
        detail: OkDetail::None,
    })
}

/// The row count a command tag reports: its last word for the commands
/// whose tag ends in one (`INSERT 0 3` → 3, `UPDATE 2` → 2), else 0.
pub(super) fn affected_rows(tag: &str) -> u64 {
    let command = tag.split(' ').next().unwrap_or_default();
    match command {
        "INSERT" | "UPDATE" | "DELETE" | "SELECT" | "MOVE" | "FETCH" | "COPY" | "MERGE" => tag
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

/// READY with PostgreSQL's transaction status.
pub(super) fn ready(status: pgwire::TransactionStatus) -> Packet {
    Packet::Ready(match status {
        pgwire::TransactionStatus::Idle => TransactionStatus::Idle,
        pgwire::TransactionStatus::InTransaction => TransactionStatus::InTransaction,
        pgwire::TransactionStatus::Failed => TransactionStatus::Failed,
    })
}

/// The 16 digest bytes of a CHPASS field: standard base64 with padding
/// (24 characters, canonical trailing bits), as `docs/protocol.md` §3
/// specifies. The length is checked first, so a huge field costs nothing.
pub(super) fn decode_digest(field: &str) -> Option<[u8; 16]> {
    use base64::Engine as _;
    if field.len() != 24 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field)
        .ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affected_rows_reads_the_last_number_of_counting_tags() {
        for (tag, n) in [
            ("INSERT 0 3", 3),
            ("UPDATE 2", 2),
            ("DELETE 0", 0),
            ("SELECT 5", 5),
            ("MOVE 7", 7),
            ("FETCH 1", 1),
            ("COPY 12", 12),
            ("MERGE 4", 4),
            ("CREATE TABLE", 0),
            ("CREATE TABLE AS", 0),
            ("BEGIN", 0),
            ("", 0),
            ("INSERT 0", 0),
            ("UPDATE x", 0),
        ] {
            assert_eq!(affected_rows(tag), n, "{tag}");
        }
    }

    #[test]
    fn accepts_base64_of_md5_digests() {
        // MD5("") and MD5("correct horse"), base64 as `base64 -w0` prints it.
        assert_eq!(
            decode_digest("1B2M2Y8AsgTpgAmY7PhCfg=="),
            Some([
                0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8,
                0x42, 0x7e
            ])
        );
        let key = cor4_protocol::crypto::PasswordKey::from_password("correct horse");
        assert_eq!(
            decode_digest("PLTnMmMfR+brlh80VUt83g=="),
            Some(*key.as_bytes())
        );
        assert_eq!(
            decode_digest("////////////////////+A=="),
            Some({
                let mut d = [0xff; 16];
                d[15] = 0xf8;
                d
            })
        );
    }

    #[test]
    fn rejects_malformed_digests() {
        for bad in [
            "",
            "1B2M2Y8AsgTpgAmY7PhCfg",           // no padding
            "1B2M2Y8AsgTpgAmY7PhCfg=",          // short padding
            "1B2M2Y8AsgTpgAmY7PhCfg===",        // long
            "1B2M2Y8AsgTpgAmY7PhCfh==",         // non-canonical last character
            "1B2M2Y8AsgTpgAmY7PhC-g==",         // URL-safe alphabet
            "1B2M2Y8AsgTpgAmY7PhCf===",         // 15 bytes
            "1B2M2Y8AsgTpgAmY7PhCfgAA",         // 18 bytes
            "1B2M2Y8AsgTpgAmY7PhCfgé",          // non-ASCII
            "d41d8cd98f00b204e9800998ecf8427e", // hex
        ] {
            assert_eq!(decode_digest(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn non_iso_datestyle_sends_temporal_columns_as_text() {
        let col = |oid| Column {
            name: "c".into(),
            type_oid: oid,
            type_modifier: -1,
        };
        let cols = [
            col(pgtext::oid::DATE),
            col(pgtext::oid::TIME),
            col(pgtext::oid::TIMESTAMP),
            col(pgtext::oid::TIMESTAMPTZ),
            col(pgtext::oid::INT4),
        ];
        assert_eq!(
            column_types(&cols, ValueMode::Typed { iso_dates: true }),
            [
                Type::Date,
                Type::Time,
                Type::Timestamp,
                Type::TimestampTz,
                Type::Int4
            ]
        );
        assert_eq!(
            column_types(&cols, ValueMode::Typed { iso_dates: false }),
            [Type::Text, Type::Text, Type::Text, Type::Text, Type::Int4]
        );
        assert!(is_iso_datestyle(Some("ISO, MDY")));
        assert!(is_iso_datestyle(Some("ISO, DMY")));
        assert!(!is_iso_datestyle(Some("German, DMY")));
        assert!(!is_iso_datestyle(Some("SQL, MDY")));
        assert!(!is_iso_datestyle(None));
    }

    #[test]
    fn row_numbers_wrap_past_u32() {
        let number = row_number;
        assert_eq!(number(1), 1);
        assert_eq!(number(u64::from(u32::MAX)), u32::MAX);
        assert_eq!(number(u64::from(u32::MAX) + 1), 0);
        assert_eq!(number(u64::from(u32::MAX) + 2), 1);
    }
}
