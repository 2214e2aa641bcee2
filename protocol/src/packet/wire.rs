//! Encoding and decoding of every packet: [`Packet::encode`] and
//! [`Packet::decode`], with the row decoder a result's head drives.

use super::*;
use crate::codec::{
    Reader, put_bytes, put_i32, put_string, put_string_list, put_u8, put_u32, put_u64,
};
use crate::error::{DecodeError, NonCanonical, RowMismatch};

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
