//! Cor4 packets: the seed's eight, Cor4's additions, the session packets
//! for parameters, prepared statements and COPY, and the v3 login.
//!
//! A packet travels as a *frame*: a 4-byte little-endian length of the rest,
//! then the type byte, then the fields. [`Packet::encode`] appends a whole
//! frame; [`Packet::decode`] takes a frame body (type byte onward) and
//! rejects trailing bytes. Row packets are not self-describing, so decoding
//! them needs the column types of the RESULT_HEAD that precedes them.

mod extended;
mod frame;

pub use extended::{
    ColumnDescription, ColumnType, CopyFormat, CopyResponse, Description, DiagField, Execute,
    MAX_PARAMS, Param, ParamDescription, Prepare, QueryParams, option,
};
pub use frame::{FRAME_HEADER_LEN, FrameAssembler, FrameEvent, split_frame};

use crate::codec::{
    Reader, put_bytes, put_i32, put_string, put_string_list, put_u8, put_u32, put_u64,
};
use crate::crypto::{KE1_LEN, KE2_LEN, KE3_LEN, KsfParams};
use crate::error::{DecodeError, NonCanonical, RowMismatch};
use crate::value::{Type, Value};

/// Packet type bytes. 0–6 and 255 are the seed's; 7–10 and 12–28 are
/// Cor4's; 11 was v2's LOGIN_CHALLENGE and is retired.
pub mod kind {
    /// OK: a request succeeded.
    pub const OK: u8 = 0;
    /// LOGIN: user name and client version, the only packet sent in clear.
    pub const LOGIN: u8 = 1;
    /// DISCONNECT: the client is leaving.
    pub const DISCONNECT: u8 = 2;
    /// CHPASS: base64 of the MD5 of the new password.
    pub const CHPASS: u8 = 3;
    /// QUERY: SQL text.
    pub const QUERY: u8 = 4;
    /// RESULT_HEAD: column names, types and row count.
    pub const RESULT_HEAD: u8 = 5;
    /// RESULT_ROW: a row without NULLs.
    pub const RESULT_ROW: u8 = 6;
    /// RESULT_ROW_NULLS (v2): a row with at least one NULL.
    pub const RESULT_ROW_NULLS: u8 = 7;
    /// RESULT_END (v2): closes a streamed result.
    pub const RESULT_END: u8 = 8;
    /// PING (v2): keep-alive, answered by OK.
    pub const PING: u8 = 9;
    /// CANCEL (v2): cancel the running query.
    pub const CANCEL: u8 = 10;
    /// READY (v2): the server has answered a whole QUERY.
    pub const READY: u8 = 12;
    /// NOTICE (v2): a PostgreSQL notice or warning.
    pub const NOTICE: u8 = 13;
    /// PARAMETER: a PostgreSQL run-time parameter's current value.
    pub const PARAMETER: u8 = 14;
    /// RESULT_COLUMNS: PostgreSQL's types of the next result's columns.
    pub const RESULT_COLUMNS: u8 = 15;
    /// COPY_IN: a `COPY … FROM STDIN` waits for the client's data.
    pub const COPY_IN: u8 = 16;
    /// COPY_OUT: a `COPY … TO STDOUT` began; its data follows.
    pub const COPY_OUT: u8 = 17;
    /// COPY_DATA: a chunk of COPY data, either way.
    pub const COPY_DATA: u8 = 18;
    /// COPY_DONE: the COPY data is complete, either way.
    pub const COPY_DONE: u8 = 19;
    /// COPY_FAIL: the client aborts its `COPY … FROM STDIN`.
    pub const COPY_FAIL: u8 = 20;
    /// QUERY_PARAMS: one statement with typed parameters.
    pub const QUERY_PARAMS: u8 = 21;
    /// PREPARE: parse a named statement.
    pub const PREPARE: u8 = 22;
    /// DESCRIPTION: a prepared statement's parameter and column types.
    pub const DESCRIPTION: u8 = 23;
    /// EXECUTE: run a prepared statement with typed parameters.
    pub const EXECUTE: u8 = 24;
    /// CLOSE: forget a prepared statement.
    pub const CLOSE: u8 = 25;
    /// OPTIONS: choose the session's options.
    pub const OPTIONS: u8 = 26;
    /// LOGIN_RESPONSE (v3, clear): the server's OPAQUE KE2.
    pub const LOGIN_RESPONSE: u8 = 27;
    /// LOGIN_FINISH (v3, clear): the client's OPAQUE KE3.
    pub const LOGIN_FINISH: u8 = 28;
    /// ERROR: a request failed.
    pub const ERROR: u8 = 255;
}

/// The client version this implementation sends in LOGIN: 3.0.0.0.
pub const PROTOCOL_VERSION: [u8; 4] = [3, 0, 0, 0];
/// Length of a v2 LOGIN's nonce.
pub const NONCE_LEN: usize = 32;
/// RESULT_HEAD's row count meaning "unknown: rows stream until RESULT_END".
pub const ROWS_UNKNOWN: u32 = 0xFFFF_FFFF;
/// Bit 0 of the LOGIN OK flags: the password must be changed before any
/// query is accepted.
pub const LOGIN_FLAG_MUST_CHANGE_PASSWORD: u8 = 0x01;

/// One Cor4 packet.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Packet {
    /// OK (0).
    Ok(OkPacket),
    /// LOGIN (1).
    Login(Login),
    /// DISCONNECT (2).
    Disconnect,
    /// CHPASS (3): the field as sent; the server validates it.
    ChPass(String),
    /// QUERY (4): SQL text, possibly several statements.
    Query(String),
    /// RESULT_HEAD (5).
    ResultHead(ResultHead),
    /// RESULT_ROW (6) when no value is NULL, RESULT_ROW_NULLS (7) otherwise.
    ResultRow(ResultRow),
    /// RESULT_END (8).
    ResultEnd(ResultEnd),
    /// PING (9).
    Ping,
    /// CANCEL (10).
    Cancel,
    /// READY (12).
    Ready(TransactionStatus),
    /// NOTICE (13).
    Notice(Notice),
    /// PARAMETER (14): a run-time parameter's name and value.
    Parameter {
        /// The parameter's name (`DateStyle`).
        name: String,
        /// Its current value (`ISO, MDY`).
        value: String,
    },
    /// RESULT_COLUMNS (15).
    ResultColumns(Vec<ColumnType>),
    /// COPY_IN (16).
    CopyIn(CopyResponse),
    /// COPY_OUT (17).
    CopyOut(CopyResponse),
    /// COPY_DATA (18): any bytes of the COPY stream; boundaries carry no
    /// meaning.
    CopyData(Vec<u8>),
    /// COPY_DONE (19).
    CopyDone,
    /// COPY_FAIL (20): the reason, which PostgreSQL puts in its error.
    CopyFail(String),
    /// QUERY_PARAMS (21).
    QueryParams(QueryParams),
    /// PREPARE (22).
    Prepare(Prepare),
    /// DESCRIPTION (23).
    Description(Description),
    /// EXECUTE (24).
    Execute(Execute),
    /// CLOSE (25): the prepared statement's name.
    Close(String),
    /// OPTIONS (26): the bit set of [`option`]s the session wants.
    Options(u32),
    /// LOGIN_RESPONSE (27).
    LoginResponse(Box<LoginResponse>),
    /// LOGIN_FINISH (28): OPAQUE's KE3.
    LoginFinish([u8; KE3_LEN]),
    /// ERROR (255).
    Error(ErrorPacket),
}

/// OK: answers LOGIN, CHPASS, PING, and each command in a QUERY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OkPacket {
    /// The type byte of the packet being answered.
    pub answered: u8,
    /// The seed's random data: padding, any bytes.
    pub random: Vec<u8>,
    /// Fields that depend on what is answered.
    pub detail: OkDetail,
}

/// The fields an OK carries after the seed's two, chosen by `answered`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OkDetail {
    /// Answering anything but LOGIN and QUERY: no more fields.
    None,
    /// Answering LOGIN: session flags (`LOGIN_FLAG_*`).
    Login {
        /// Bit set of `LOGIN_FLAG_*`.
        flags: u8,
    },
    /// Answering a command in a QUERY, QUERY_PARAMS or EXECUTE.
    Command {
        /// Rows affected (0 where PostgreSQL reports none).
        affected: u64,
        /// PostgreSQL's command tag, e.g. `INSERT 0 3`, `CREATE TABLE`.
        tag: String,
    },
}

/// LOGIN: the clear opening packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The user name.
    pub user: String,
    /// Client version, most significant part first (3.0.0.0 for Cor4 v3).
    pub version: [u8; 4],
    /// What follows the version; which fields depends on `version[0]`.
    pub fields: LoginFields,
}

/// The fields after LOGIN's version, chosen by its first byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFields {
    /// Version 0.x or 1.x (the seed): nothing.
    V1,
    /// Version 2.x: a nonce and a record limit. Decoded only so that the
    /// server can tell such a client to upgrade.
    V2(LoginV2),
    /// Version 3.x and later: a record limit and OPAQUE's KE1.
    V3(LoginV3),
}

/// The fields a version 2 client added to LOGIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginV2 {
    /// 32 fresh random bytes.
    pub nonce: [u8; NONCE_LEN],
    /// The largest record plaintext the client accepts.
    pub max_record: u32,
}

/// The fields a version 3 client adds to LOGIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginV3 {
    /// The largest record plaintext the client accepts.
    pub max_record: u32,
    /// OPAQUE's KE1: blinded password element, client nonce, client key
    /// share.
    pub ke1: [u8; KE1_LEN],
}

/// LOGIN_RESPONSE: the server's clear answer to a v3 LOGIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginResponse {
    /// The largest record plaintext the server accepts.
    pub max_record: u32,
    /// The Argon2id cost the user's verifier was made with (the default
    /// for users that do not exist).
    pub ksf: KsfParams,
    /// OPAQUE's KE2.
    pub ke2: [u8; KE2_LEN],
}

/// RESULT_HEAD: describes the rows that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultHead {
    /// Column names.
    pub names: Vec<String>,
    /// Column types, one per name.
    pub types: Vec<Type>,
    /// `Some(n)`: exactly n rows follow and no RESULT_END (seed behaviour);
    /// `None`: rows stream until RESULT_END.
    pub rows: Option<u32>,
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// 1-based position in the result (wraps after `u32::MAX`).
    pub number: u32,
    /// One value per column; [`Value::Null`] for NULL.
    pub values: Vec<Value>,
}

/// RESULT_END: closes a streamed result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultEnd {
    /// How many rows the result had.
    pub rows: u64,
    /// PostgreSQL's command tag, e.g. `SELECT 3`, `INSERT 0 1` (RETURNING).
    pub tag: String,
}

/// Transaction state after a QUERY, as PostgreSQL reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionStatus {
    /// `I`: not in a transaction block.
    Idle,
    /// `T`: in a transaction block.
    InTransaction,
    /// `E`: in a failed transaction block; only ROLLBACK will work.
    Failed,
}

impl TransactionStatus {
    /// The wire byte.
    pub fn byte(self) -> u8 {
        match self {
            TransactionStatus::Idle => b'I',
            TransactionStatus::InTransaction => b'T',
            TransactionStatus::Failed => b'E',
        }
    }
}

/// ERROR: a request failed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorPacket {
    /// The type byte of the packet being answered.
    pub answered: u8,
    /// Cor4 error code ([`crate::ErrorCode`]).
    pub code: i32,
    /// The error text (PostgreSQL's primary message for SQL errors).
    pub message: String,
    /// The seed's random data: padding, any bytes.
    pub random: Vec<u8>,
    /// SQLSTATE, five characters, or empty when not a database error.
    pub sqlstate: String,
    /// PostgreSQL's severity (`ERROR`, `FATAL`), or empty.
    pub severity: String,
    /// PostgreSQL's DETAIL, or empty.
    pub detail: String,
    /// PostgreSQL's HINT, or empty.
    pub hint: String,
    /// 1-based character position in the query, or 0 for none.
    pub position: u32,
    /// Every other field PostgreSQL sent (context, internal query, schema,
    /// table, …); sent only to clients that asked for
    /// [`option::ERROR_FIELDS`].
    pub fields: Vec<DiagField>,
}

/// NOTICE: a PostgreSQL notice, warning or info message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notice {
    /// `NOTICE`, `WARNING`, `INFO`, `LOG`, `DEBUG`.
    pub severity: String,
    /// SQLSTATE.
    pub sqlstate: String,
    /// The message.
    pub message: String,
    /// DETAIL, or empty.
    pub detail: String,
    /// HINT, or empty.
    pub hint: String,
    /// Every other field PostgreSQL sent (position, context, …); sent only
    /// to clients that asked for [`option::ERROR_FIELDS`].
    pub fields: Vec<DiagField>,
}

/// Whether an OK answering `answered` carries [`OkDetail::Command`].
fn answers_command(answered: u8) -> bool {
    matches!(answered, kind::QUERY | kind::QUERY_PARAMS | kind::EXECUTE)
}

impl Packet {
    /// The packet's type byte.
    pub fn kind(&self) -> u8 {
        match self {
            Packet::Ok(_) => kind::OK,
            Packet::Login(_) => kind::LOGIN,
            Packet::Disconnect => kind::DISCONNECT,
            Packet::ChPass(_) => kind::CHPASS,
            Packet::Query(_) => kind::QUERY,
            Packet::ResultHead(_) => kind::RESULT_HEAD,
            Packet::ResultRow(row) if row.values.iter().any(Value::is_null) => {
                kind::RESULT_ROW_NULLS
            }
            Packet::ResultRow(_) => kind::RESULT_ROW,
            Packet::ResultEnd(_) => kind::RESULT_END,
            Packet::Ping => kind::PING,
            Packet::Cancel => kind::CANCEL,
            Packet::Ready(_) => kind::READY,
            Packet::Notice(_) => kind::NOTICE,
            Packet::Parameter { .. } => kind::PARAMETER,
            Packet::ResultColumns(_) => kind::RESULT_COLUMNS,
            Packet::CopyIn(_) => kind::COPY_IN,
            Packet::CopyOut(_) => kind::COPY_OUT,
            Packet::CopyData(_) => kind::COPY_DATA,
            Packet::CopyDone => kind::COPY_DONE,
            Packet::CopyFail(_) => kind::COPY_FAIL,
            Packet::QueryParams(_) => kind::QUERY_PARAMS,
            Packet::Prepare(_) => kind::PREPARE,
            Packet::Description(_) => kind::DESCRIPTION,
            Packet::Execute(_) => kind::EXECUTE,
            Packet::Close(_) => kind::CLOSE,
            Packet::Options(_) => kind::OPTIONS,
            Packet::LoginResponse(_) => kind::LOGIN_RESPONSE,
            Packet::LoginFinish(_) => kind::LOGIN_FINISH,
            Packet::Error(_) => kind::ERROR,
        }
    }

    /// Appends the whole frame: length, type byte, fields.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        put_u32(out, 0);
        put_u8(out, self.kind());
        self.encode_fields(out);
        let body_len = crate::codec::len_u32(out.len() - start - FRAME_HEADER_LEN);
        out[start..start + FRAME_HEADER_LEN].copy_from_slice(&body_len.to_le_bytes());
    }

    /// Appends a RESULT_ROW (or RESULT_ROW_NULLS) frame written value by
    /// value, for a relay converting as it goes: `cells` says which values
    /// are NULL, `value` appends the encoding of non-NULL value `i`. On an
    /// error the buffer is left as it was.
    pub fn encode_result_row<'a, E>(
        out: &mut Vec<u8>,
        number: u32,
        cells: impl ExactSizeIterator<Item = Option<&'a [u8]>> + Clone,
        mut value: impl FnMut(usize, &'a [u8], &mut Vec<u8>) -> Result<(), E>,
    ) -> Result<(), E> {
        let start = out.len();
        let any_null = cells.clone().any(|c| c.is_none());
        put_u32(out, 0);
        put_u8(
            out,
            if any_null {
                kind::RESULT_ROW_NULLS
            } else {
                kind::RESULT_ROW
            },
        );
        put_u32(out, number);
        if any_null {
            let bitmap_at = out.len();
            out.resize(bitmap_at + cells.len().div_ceil(8), 0);
            for (i, cell) in cells.clone().enumerate() {
                if cell.is_none() {
                    out[bitmap_at + i / 8] |= 1 << (i % 8);
                }
            }
        }
        for (i, cell) in cells.enumerate() {
            if let Some(bytes) = cell
                && let Err(e) = value(i, bytes, out)
            {
                out.truncate(start);
                return Err(e);
            }
        }
        let body_len = crate::codec::len_u32(out.len() - start - FRAME_HEADER_LEN);
        out[start..start + FRAME_HEADER_LEN].copy_from_slice(&body_len.to_le_bytes());
        Ok(())
    }

    /// The whole frame as a new buffer.
    pub fn to_frame(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    fn encode_fields(&self, out: &mut Vec<u8>) {
        match self {
            Packet::Ok(ok) => {
                put_u8(out, ok.answered);
                put_bytes(out, &ok.random);
                match &ok.detail {
                    OkDetail::None => {}
                    OkDetail::Login { flags } => put_u8(out, *flags),
                    OkDetail::Command { affected, tag } => {
                        put_u64(out, *affected);
                        put_string(out, tag);
                    }
                }
            }
            Packet::Login(login) => {
                put_string(out, &login.user);
                out.extend_from_slice(&login.version);
                match &login.fields {
                    LoginFields::V1 => {}
                    LoginFields::V2(v2) => {
                        out.extend_from_slice(&v2.nonce);
                        put_u32(out, v2.max_record);
                    }
                    LoginFields::V3(v3) => {
                        put_u32(out, v3.max_record);
                        out.extend_from_slice(&v3.ke1);
                    }
                }
            }
            Packet::Disconnect | Packet::Ping | Packet::Cancel | Packet::CopyDone => {}
            Packet::ChPass(s) | Packet::Query(s) | Packet::CopyFail(s) | Packet::Close(s) => {
                put_string(out, s)
            }
            Packet::ResultHead(head) => {
                put_string_list(out, &head.names);
                out.extend(head.types.iter().map(|t| t.code()));
                put_u32(out, head.rows.unwrap_or(ROWS_UNKNOWN));
            }
            Packet::ResultRow(row) => {
                put_u32(out, row.number);
                if row.values.iter().any(Value::is_null) {
                    let mut bitmap = vec![0u8; row.values.len().div_ceil(8)];
                    for (i, v) in row.values.iter().enumerate() {
                        if v.is_null() {
                            bitmap[i / 8] |= 1 << (i % 8);
                        }
                    }
                    out.extend_from_slice(&bitmap);
                }
                for v in &row.values {
                    v.encode(out);
                }
            }
            Packet::ResultEnd(end) => {
                put_u64(out, end.rows);
                put_string(out, &end.tag);
            }
            Packet::Ready(status) => put_u8(out, status.byte()),
            Packet::Notice(n) => {
                put_string(out, &n.severity);
                put_string(out, &n.sqlstate);
                put_string(out, &n.message);
                put_string(out, &n.detail);
                put_string(out, &n.hint);
                extended::encode_fields(out, &n.fields);
            }
            Packet::Parameter { name, value } => {
                put_string(out, name);
                put_string(out, value);
            }
            Packet::ResultColumns(columns) => extended::encode_column_types(out, columns),
            Packet::CopyIn(c) | Packet::CopyOut(c) => extended::encode_copy_response(out, c),
            Packet::CopyData(data) => out.extend_from_slice(data),
            Packet::QueryParams(q) => {
                put_string(out, &q.sql);
                extended::encode_params(out, &q.params);
            }
            Packet::Prepare(p) => extended::encode_prepare(out, p),
            Packet::Description(d) => extended::encode_description(out, d),
            Packet::Execute(e) => {
                put_string(out, &e.name);
                extended::encode_params(out, &e.params);
            }
            Packet::Options(flags) => put_u32(out, *flags),
            Packet::LoginResponse(r) => {
                put_u32(out, r.max_record);
                r.ksf.encode(out);
                out.extend_from_slice(&r.ke2);
            }
            Packet::LoginFinish(ke3) => out.extend_from_slice(ke3),
            Packet::Error(e) => {
                put_u8(out, e.answered);
                put_i32(out, e.code);
                put_string(out, &e.message);
                put_bytes(out, &e.random);
                put_string(out, &e.sqlstate);
                put_string(out, &e.severity);
                put_string(out, &e.detail);
                put_string(out, &e.hint);
                put_u32(out, e.position);
                extended::encode_fields(out, &e.fields);
            }
        }
    }

    /// Decodes a frame body (type byte onward). `columns` are the types of
    /// the current RESULT_HEAD, needed for row packets only.
    pub fn decode(body: &[u8], columns: Option<&[Type]>) -> Result<Packet, DecodeError> {
        let mut r = Reader::new(body);
        let kind = r.u8("packet type")?;
        let packet = match kind {
            kind::OK => {
                let answered = r.u8("answered type")?;
                let random = r.bytes("random data")?.to_vec();
                let detail = match answered {
                    kind::LOGIN => OkDetail::Login {
                        flags: r.u8("login flags")?,
                    },
                    answered if answers_command(answered) => OkDetail::Command {
                        affected: r.u64("affected rows")?,
                        tag: r.string("command tag")?,
                    },
                    _ => OkDetail::None,
                };
                Packet::Ok(OkPacket {
                    answered,
                    random,
                    detail,
                })
            }
            kind::LOGIN => {
                let user = r.string("user name")?;
                let version: [u8; 4] = r.array("client version")?;
                let fields = match version[0] {
                    0 | 1 => LoginFields::V1,
                    2 => LoginFields::V2(LoginV2 {
                        nonce: r.array("client nonce")?,
                        max_record: r.u32("client max record")?,
                    }),
                    _ => LoginFields::V3(LoginV3 {
                        max_record: r.u32("client max record")?,
                        ke1: r.array("OPAQUE KE1")?,
                    }),
                };
                Packet::Login(Login {
                    user,
                    version,
                    fields,
                })
            }
            kind::DISCONNECT => Packet::Disconnect,
            kind::CHPASS => Packet::ChPass(r.string("new password digest")?),
            kind::QUERY => Packet::Query(r.string("query text")?),
            kind::RESULT_HEAD => {
                let names = r.string_list("column names")?;
                let types = r
                    .take(names.len(), "column types")?
                    .iter()
                    .map(|&code| Type::from_code(code))
                    .collect::<Result<Vec<_>, _>>()?;
                let rows = match r.u32("row count")? {
                    ROWS_UNKNOWN => None,
                    n => Some(n),
                };
                Packet::ResultHead(ResultHead { names, types, rows })
            }
            kind::RESULT_ROW | kind::RESULT_ROW_NULLS => {
                let columns = columns.ok_or(DecodeError::RowWithoutHead)?;
                Packet::ResultRow(decode_row(&mut r, columns, kind == kind::RESULT_ROW_NULLS)?)
            }
            kind::RESULT_END => Packet::ResultEnd(ResultEnd {
                rows: r.u64("row count")?,
                tag: r.string("command tag")?,
            }),
            kind::PING => Packet::Ping,
            kind::CANCEL => Packet::Cancel,
            kind::READY => Packet::Ready(match r.u8("transaction status")? {
                b'I' => TransactionStatus::Idle,
                b'T' => TransactionStatus::InTransaction,
                b'E' => TransactionStatus::Failed,
                other => return Err(DecodeError::InvalidTransactionStatus(other)),
            }),
            kind::NOTICE => Packet::Notice(Notice {
                severity: r.string("severity")?,
                sqlstate: r.string("sqlstate")?,
                message: r.string("message")?,
                detail: r.string("detail")?,
                hint: r.string("hint")?,
                fields: extended::decode_fields(&mut r)?,
            }),
            kind::PARAMETER => Packet::Parameter {
                name: r.string("parameter name")?,
                value: r.string("parameter value")?,
            },
            kind::RESULT_COLUMNS => Packet::ResultColumns(extended::decode_column_types(&mut r)?),
            kind::COPY_IN => Packet::CopyIn(extended::decode_copy_response(&mut r)?),
            kind::COPY_OUT => Packet::CopyOut(extended::decode_copy_response(&mut r)?),
            kind::COPY_DATA => Packet::CopyData(r.take(r.remaining(), "copy data")?.to_vec()),
            kind::COPY_DONE => Packet::CopyDone,
            kind::COPY_FAIL => Packet::CopyFail(r.string("copy failure reason")?),
            kind::QUERY_PARAMS => Packet::QueryParams(QueryParams {
                sql: r.string("query text")?,
                params: extended::decode_params(&mut r)?,
            }),
            kind::PREPARE => Packet::Prepare(extended::decode_prepare(&mut r)?),
            kind::DESCRIPTION => Packet::Description(extended::decode_description(&mut r)?),
            kind::EXECUTE => Packet::Execute(Execute {
                name: r.string("statement name")?,
                params: extended::decode_params(&mut r)?,
            }),
            kind::CLOSE => Packet::Close(r.string("statement name")?),
            kind::OPTIONS => Packet::Options(r.u32("option flags")?),
            kind::LOGIN_RESPONSE => Packet::LoginResponse(Box::new(LoginResponse {
                max_record: r.u32("server max record")?,
                ksf: KsfParams::decode(&r.array("Argon2id cost")?),
                ke2: r.array("OPAQUE KE2")?,
            })),
            kind::LOGIN_FINISH => Packet::LoginFinish(r.array("OPAQUE KE3")?),
            kind::ERROR => Packet::Error(ErrorPacket {
                answered: r.u8("answered type")?,
                code: r.i32("error code")?,
                message: r.string("error text")?,
                random: r.bytes("random data")?.to_vec(),
                sqlstate: r.string("sqlstate")?,
                severity: r.string("severity")?,
                detail: r.string("detail")?,
                hint: r.string("hint")?,
                position: r.u32("position")?,
                fields: extended::decode_fields(&mut r)?,
            }),
            other => return Err(DecodeError::UnknownPacketType(other)),
        };
        r.expect_end()?;
        Ok(packet)
    }
}

fn decode_row(
    r: &mut Reader<'_>,
    columns: &[Type],
    with_nulls: bool,
) -> Result<ResultRow, DecodeError> {
    let number = r.u32("row number")?;
    let bitmap = if with_nulls {
        let bitmap = r.take(columns.len().div_ceil(8), "null bitmap")?;
        let padding_bits = bitmap.len() * 8 - columns.len();
        if let Some(last) = bitmap.last()
            && padding_bits > 0
            && last >> (8 - padding_bits) != 0
        {
            return Err(DecodeError::RowMismatch(RowMismatch::BitmapPastColumns));
        }
        if bitmap.iter().all(|&b| b == 0) {
            return Err(DecodeError::NonCanonical(NonCanonical::NullRowWithoutNull));
        }
        Some(bitmap)
    } else {
        None
    };
    let is_null = |i: usize| bitmap.is_some_and(|b| b[i / 8] & (1 << (i % 8)) != 0);
    let mut values = Vec::with_capacity(columns.len());
    for (i, &ty) in columns.iter().enumerate() {
        values.push(if is_null(i) {
            Value::Null
        } else {
            Value::decode(ty, r)?
        });
    }
    Ok(ResultRow { number, values })
}

impl ResultHead {
    /// Checks that a row matches this head: one value per column, each NULL
    /// or of the column's type. Senders call it before encoding a row.
    pub fn check_row(&self, row: &ResultRow) -> Result<(), RowMismatch> {
        if row.values.len() != self.types.len() {
            return Err(RowMismatch::ValueCount {
                got: row.values.len(),
                expected: self.types.len(),
            });
        }
        for (i, (v, &ty)) in row.values.iter().zip(&self.types).enumerate() {
            if v.type_of().is_some_and(|t| t != ty) {
                return Err(RowMismatch::ValueType(i));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
pub(crate) mod tests;
