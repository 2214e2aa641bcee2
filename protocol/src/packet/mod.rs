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
mod wire;

pub use extended::{
    ColumnDescription, ColumnType, CopyFormat, CopyResponse, Description, DiagField, Execute,
    MAX_PARAMS, Param, ParamDescription, Prepare, QueryParams, option,
};
pub(crate) use frame::check_len;
pub use frame::{FRAME_HEADER_LEN, FrameAssembler, FrameEvent, split_frame};

use crate::crypto::{KE1_LEN, KE2_LEN, KE3_LEN, KsfParams};
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

#[cfg(test)]
mod fixtures;
#[cfg(test)]
pub(crate) mod tests;
