//! The session packets added after the first release: parameters and
//! prepared statements, COPY, session options, PostgreSQL's parameter
//! reports and result column types, and the extra diagnostic fields of
//! ERROR and NOTICE (`docs/protocol.md` §3.2–§3.5).
//!
//! Each type has one `encode` appending its fields and one `decode` reading
//! them from a [`Reader`]; [`super::Packet`] dispatches on the type byte.

use crate::codec::{Reader, put_string, put_u8, put_u16, put_u32};
use crate::error::{DecodeError, NonCanonical};
use crate::value::{Type, Value};

/// The most parameters one statement may have (PostgreSQL's own limit).
pub const MAX_PARAMS: usize = 65_535;

/// One parameter value of QUERY_PARAMS or EXECUTE.
///
/// A non-NULL value carries its own type; a NULL may carry one (so that
/// PostgreSQL can tell `$1` is, say, an integer) or none (PostgreSQL infers
/// it from the statement).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    ty: Option<Type>,
    value: Value,
}

impl Param {
    /// A NULL, typed or not.
    pub fn null(ty: Option<Type>) -> Self {
        Param {
            ty,
            value: Value::Null,
        }
    }

    /// The parameter's type: the value's own, or the NULL's declared one.
    pub fn type_(&self) -> Option<Type> {
        self.value.type_of().or(self.ty)
    }

    /// The value ([`Value::Null`] for NULL).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Takes the value.
    pub fn into_value(self) -> Value {
        self.value
    }
}

impl From<Value> for Param {
    fn from(value: Value) -> Self {
        Param {
            ty: value.type_of(),
            value,
        }
    }
}

/// Appends `count:u16 ‖ types:[count] ‖ nulls:[⌈count/8⌉] ‖ values`.
///
/// # Panics
///
/// With more than [`MAX_PARAMS`] parameters; callers check first.
pub(crate) fn encode_params(out: &mut Vec<u8>, params: &[Param]) {
    #[allow(clippy::expect_used)]
    let count = u16::try_from(params.len()).expect("at most 65535 parameters");
    put_u16(out, count);
    out.extend(params.iter().map(|p| p.type_().map_or(0, Type::code)));
    let mut bitmap = vec![0u8; params.len().div_ceil(8)];
    for (i, p) in params.iter().enumerate() {
        if p.value.is_null() {
            bitmap[i / 8] |= 1 << (i % 8);
        }
    }
    out.extend_from_slice(&bitmap);
    for p in params {
        p.value.encode(out);
    }
}

pub(crate) fn decode_params(r: &mut Reader<'_>) -> Result<Vec<Param>, DecodeError> {
    let count = usize::from(r.u16("parameter count")?);
    let codes = r.take(count, "parameter types")?;
    let bitmap = r.take(count.div_ceil(8), "parameter null bitmap")?;
    check_bitmap_padding(bitmap, count)?;
    let mut params = Vec::with_capacity(count);
    for (i, &code) in codes.iter().enumerate() {
        let is_null = bitmap[i / 8] & (1 << (i % 8)) != 0;
        let ty = match code {
            0 => None,
            code => Some(Type::from_code(code)?),
        };
        let param = match (ty, is_null) {
            (ty, true) => Param::null(ty),
            (Some(ty), false) => Param::from(Value::decode(ty, r)?),
            (None, false) => return Err(DecodeError::NonCanonical(NonCanonical::UntypedValue)),
        };
        params.push(param);
    }
    Ok(params)
}

fn check_bitmap_padding(bitmap: &[u8], count: usize) -> Result<(), DecodeError> {
    let padding_bits = bitmap.len() * 8 - count;
    match bitmap.last() {
        Some(last) if padding_bits > 0 && last >> (8 - padding_bits) != 0 => Err(
            DecodeError::RowMismatch(crate::error::RowMismatch::BitmapPastColumns),
        ),
        _ => Ok(()),
    }
}

/// QUERY_PARAMS: one statement with parameters, run once.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryParams {
    /// One SQL statement; `$1`…`$n` refer to `params`.
    pub sql: String,
    /// The values of `$1`…`$n`.
    pub params: Vec<Param>,
}

/// PREPARE: parse a statement once under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepare {
    /// The statement's name; must not be empty.
    pub name: String,
    /// One SQL statement with `$1`…`$n`.
    pub sql: String,
    /// Declared types of the first parameters; `None` lets PostgreSQL infer.
    pub types: Vec<Option<Type>>,
}

/// EXECUTE: run a prepared statement with parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Execute {
    /// The name given in PREPARE.
    pub name: String,
    /// The values of `$1`…`$n`.
    pub params: Vec<Param>,
}

/// A parameter of a prepared statement, as PostgreSQL resolved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamDescription {
    /// The Cor4 type its values travel as best ([`Type::Text`] for types
    /// without a code of their own).
    pub ty: Type,
    /// PostgreSQL's type OID.
    pub oid: u32,
}

/// A result column: its name, Cor4 type and PostgreSQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDescription {
    /// The column name.
    pub name: String,
    /// The Cor4 type its values travel as.
    pub ty: Type,
    /// PostgreSQL's type OID.
    pub oid: u32,
    /// PostgreSQL's type modifier (`atttypmod`), -1 when none.
    pub typmod: i32,
}

/// DESCRIPTION: answers PREPARE with what PostgreSQL made of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// One entry per parameter `$1`…`$n`.
    pub params: Vec<ParamDescription>,
    /// The columns its result has; empty for a statement without rows.
    pub columns: Vec<ColumnDescription>,
}

/// The PostgreSQL type of one result column (RESULT_COLUMNS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnType {
    /// PostgreSQL's type OID.
    pub oid: u32,
    /// PostgreSQL's type modifier, -1 when none.
    pub typmod: i32,
}

/// How COPY data is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFormat {
    /// Text or CSV: rows end with a newline (0).
    Text,
    /// PostgreSQL's binary COPY format (1).
    Binary,
}

impl CopyFormat {
    fn byte(self) -> u8 {
        match self {
            CopyFormat::Text => 0,
            CopyFormat::Binary => 1,
        }
    }

    fn from_byte(b: u8) -> Result<Self, DecodeError> {
        match b {
            0 => Ok(CopyFormat::Text),
            1 => Ok(CopyFormat::Binary),
            other => Err(DecodeError::InvalidCopyFormat(other)),
        }
    }
}

/// COPY_IN / COPY_OUT: a COPY began; its data follows in COPY_DATA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyResponse {
    /// The overall format.
    pub format: CopyFormat,
    /// One format per column.
    pub columns: Vec<CopyFormat>,
}

/// Session option bits (OPTIONS).
pub mod option {
    /// Every value travels as PostgreSQL's text form (type code 2), exactly
    /// as PostgreSQL printed it under the session's settings.
    pub const TEXT_RESULTS: u32 = 0x01;
    /// A RESULT_COLUMNS packet with PostgreSQL's types precedes every
    /// RESULT_HEAD.
    pub const COLUMN_TYPES: u32 = 0x02;
    /// PostgreSQL's parameter reports (`DateStyle`, `TimeZone`,
    /// `standard_conforming_strings`, …) are relayed as PARAMETER packets.
    pub const PARAMETER_STATUS: u32 = 0x04;
    /// ERROR and NOTICE carry every other field PostgreSQL sent.
    pub const ERROR_FIELDS: u32 = 0x08;
    /// Every bit defined so far.
    pub const ALL: u32 = TEXT_RESULTS | COLUMN_TYPES | PARAMETER_STATUS | ERROR_FIELDS;
}

/// A PostgreSQL error or notice field beyond the ones ERROR and NOTICE carry
/// in their fixed layout: PostgreSQL's field letter and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagField {
    /// PostgreSQL's field type letter (`W` context, `q` internal query, `p`
    /// internal position, `s` schema, `t` table, `c` column, `d` data type,
    /// `n` constraint, `F` file, `L` line, `R` routine, `V` severity, `P`
    /// position in a NOTICE).
    pub code: u8,
    /// The field's text.
    pub value: String,
}

/// Appends the optional trailing field list of ERROR and NOTICE: nothing
/// when empty, else `count:u16 ‖ (code:u8 ‖ value:string)…`.
pub(crate) fn encode_fields(out: &mut Vec<u8>, fields: &[DiagField]) {
    if fields.is_empty() {
        return;
    }
    // PostgreSQL defines fewer than 30 field letters.
    put_u16(out, u16::try_from(fields.len()).unwrap_or(u16::MAX));
    for f in fields.iter().take(usize::from(u16::MAX)) {
        put_u8(out, f.code);
        put_string(out, &f.value);
    }
}

/// Reads the trailing field list if any bytes remain.
pub(crate) fn decode_fields(r: &mut Reader<'_>) -> Result<Vec<DiagField>, DecodeError> {
    if r.remaining() == 0 {
        return Ok(Vec::new());
    }
    let count = r.u16("field count")?;
    if count == 0 {
        return Err(DecodeError::NonCanonical(NonCanonical::EmptyFieldList));
    }
    let mut fields = Vec::with_capacity(usize::from(count).min(r.remaining() / 3));
    for _ in 0..count {
        fields.push(DiagField {
            code: r.u8("field code")?,
            value: r.string("field value")?,
        });
    }
    Ok(fields)
}

pub(crate) fn encode_prepare(out: &mut Vec<u8>, p: &Prepare) {
    put_string(out, &p.name);
    put_string(out, &p.sql);
    put_u16(out, u16::try_from(p.types.len()).unwrap_or(u16::MAX));
    out.extend(
        p.types
            .iter()
            .take(MAX_PARAMS)
            .map(|t| t.map_or(0, Type::code)),
    );
}

pub(crate) fn decode_prepare(r: &mut Reader<'_>) -> Result<Prepare, DecodeError> {
    let name = r.string("statement name")?;
    let sql = r.string("statement text")?;
    let count = usize::from(r.u16("parameter type count")?);
    let types = r
        .take(count, "parameter types")?
        .iter()
        .map(|&code| match code {
            0 => Ok(None),
            code => Type::from_code(code).map(Some),
        })
        .collect::<Result<_, _>>()?;
    Ok(Prepare { name, sql, types })
}

pub(crate) fn encode_description(out: &mut Vec<u8>, d: &Description) {
    put_u16(out, u16::try_from(d.params.len()).unwrap_or(u16::MAX));
    for p in d.params.iter().take(MAX_PARAMS) {
        put_u8(out, p.ty.code());
        put_u32(out, p.oid);
    }
    // PostgreSQL allows at most 1664 result columns.
    put_u16(out, u16::try_from(d.columns.len()).unwrap_or(u16::MAX));
    for c in d.columns.iter().take(usize::from(u16::MAX)) {
        put_string(out, &c.name);
        put_u8(out, c.ty.code());
        put_u32(out, c.oid);
        out.extend_from_slice(&c.typmod.to_le_bytes());
    }
}

pub(crate) fn decode_description(r: &mut Reader<'_>) -> Result<Description, DecodeError> {
    let count = usize::from(r.u16("parameter count")?);
    let mut params = Vec::with_capacity(count.min(r.remaining() / 5));
    for _ in 0..count {
        params.push(ParamDescription {
            ty: Type::from_code(r.u8("parameter type")?)?,
            oid: r.u32("parameter type oid")?,
        });
    }
    let count = usize::from(r.u16("column count")?);
    let mut columns = Vec::with_capacity(count.min(r.remaining() / 11));
    for _ in 0..count {
        columns.push(ColumnDescription {
            name: r.string("column name")?,
            ty: Type::from_code(r.u8("column type")?)?,
            oid: r.u32("column type oid")?,
            typmod: r.i32("column type modifier")?,
        });
    }
    Ok(Description { params, columns })
}

pub(crate) fn encode_column_types(out: &mut Vec<u8>, columns: &[ColumnType]) {
    put_u16(out, u16::try_from(columns.len()).unwrap_or(u16::MAX));
    for c in columns.iter().take(usize::from(u16::MAX)) {
        put_u32(out, c.oid);
        out.extend_from_slice(&c.typmod.to_le_bytes());
    }
}

pub(crate) fn decode_column_types(r: &mut Reader<'_>) -> Result<Vec<ColumnType>, DecodeError> {
    let count = usize::from(r.u16("column count")?);
    let mut columns = Vec::with_capacity(count.min(r.remaining() / 8));
    for _ in 0..count {
        columns.push(ColumnType {
            oid: r.u32("column type oid")?,
            typmod: r.i32("column type modifier")?,
        });
    }
    Ok(columns)
}

pub(crate) fn encode_copy_response(out: &mut Vec<u8>, c: &CopyResponse) {
    put_u8(out, c.format.byte());
    // PostgreSQL's COPY has at most 1600 columns (a table's limit).
    put_u16(out, u16::try_from(c.columns.len()).unwrap_or(u16::MAX));
    out.extend(
        c.columns
            .iter()
            .take(usize::from(u16::MAX))
            .map(|f| f.byte()),
    );
}

pub(crate) fn decode_copy_response(r: &mut Reader<'_>) -> Result<CopyResponse, DecodeError> {
    let format = CopyFormat::from_byte(r.u8("copy format")?)?;
    let count = usize::from(r.u16("copy column count")?);
    let columns = r
        .take(count, "copy column formats")?
        .iter()
        .map(|&b| CopyFormat::from_byte(b))
        .collect::<Result<_, _>>()?;
    Ok(CopyResponse { format, columns })
}
