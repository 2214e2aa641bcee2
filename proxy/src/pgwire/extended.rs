//! The extended query protocol: named statements, parameters bound in text
//! form, describe and close. Each request is one batch of messages ending in
//! Sync, so an error in it skips only to its own ReadyForQuery.
//!
//! ```text
//!  send_prepare  Parse(name, sql, oids), Describe(S, name), Sync
//!                 ◀ ParameterDescription, RowDescription | NoData, Ready
//!  send_execute  [Parse("", sql, oids),] Bind("", stmt, args), Describe(P, ""),
//!                Execute("", all rows), Sync
//!                 ◀ RowDescription | NoData, DataRow…, CommandComplete, Ready
//!  send_close    Close(S, name), Sync   ◀ Ready
//!
//! Transaction pooling prepares statements again where they are missing:
//! `send_prepare_replacing` and `Statement::Reparse` put Close(S, name)
//! before the Parse, so the name is free whatever the connection had.
//! ```
//!
//! Parameters travel in text form, which PostgreSQL reads according to the
//! statement's parameter types, so a value of any Cor4 type fits any
//! parameter PostgreSQL can read it as.

use bytes::BytesMut;
use postgres_protocol::IsNull;
use postgres_protocol::message::frontend;

use super::error::PgError;
use super::{PgConn, check_text};

/// One parameter for [`PgConn::send_execute`]: its text form, or NULL.
pub type Param<'a> = Option<&'a [u8]>;

/// The statement [`PgConn::send_execute`] binds.
#[derive(Debug, Clone, Copy)]
pub enum Statement<'a> {
    /// A statement prepared earlier under this name.
    Named(&'a str),
    /// A named statement this connection may not have: any statement of
    /// that name is closed and the SQL parsed under it first.
    Reparse {
        /// The statement's name.
        name: &'a str,
        /// The SQL text.
        sql: &'a str,
        /// One OID per parameter, or fewer.
        types: &'a [u32],
    },
    /// Parse this SQL as the unnamed statement, with these parameter type
    /// OIDs (0: PostgreSQL infers the type).
    Unnamed {
        /// The SQL text.
        sql: &'a str,
        /// One OID per parameter, or fewer (the rest are inferred).
        types: &'a [u32],
    },
}

impl PgConn {
    /// Prepares `sql` under `name`; the answer is ParameterDescription and
    /// RowDescription (or NoData), then Ready — or an error, then Ready.
    pub async fn send_prepare(
        &mut self,
        name: &str,
        sql: &str,
        types: &[u32],
    ) -> Result<(), PgError> {
        self.check_idle()?;
        check_text(sql)?;
        check_text(name)?;
        frontend::parse(name, sql, types.iter().copied(), &mut self.write_buf)
            .map_err(PgError::Io)?;
        frontend::describe(b'S', name, &mut self.write_buf).map_err(PgError::Io)?;
        frontend::sync(&mut self.write_buf);
        self.start_request().await
    }

    /// [`send_prepare`](Self::send_prepare), after closing any statement
    /// of that name (no error when there is none).
    pub async fn send_prepare_replacing(
        &mut self,
        name: &str,
        sql: &str,
        types: &[u32],
    ) -> Result<(), PgError> {
        self.check_idle()?;
        check_text(name)?;
        check_text(sql)?;
        frontend::close(b'S', name, &mut self.write_buf).map_err(PgError::Io)?;
        self.send_prepare(name, sql, types).await
    }

    /// Runs a statement with `params` (text form, NULL as `None`) and all its
    /// rows in text form: RowDescription or NoData, the rows,
    /// CommandComplete, then Ready.
    pub async fn send_execute(
        &mut self,
        statement: Statement<'_>,
        params: &[Param<'_>],
    ) -> Result<(), PgError> {
        self.check_idle()?;
        let name = match statement {
            Statement::Named(name) => {
                check_text(name)?;
                name
            }
            Statement::Reparse { name, sql, types } => {
                check_text(name)?;
                check_text(sql)?;
                frontend::close(b'S', name, &mut self.write_buf).map_err(PgError::Io)?;
                frontend::parse(name, sql, types.iter().copied(), &mut self.write_buf)
                    .map_err(PgError::Io)?;
                name
            }
            Statement::Unnamed { sql, types } => {
                check_text(sql)?;
                frontend::parse("", sql, types.iter().copied(), &mut self.write_buf)
                    .map_err(PgError::Io)?;
                ""
            }
        };
        if let Err(e) = bind(name, params, &mut self.write_buf) {
            self.write_buf.clear();
            return Err(e);
        }
        frontend::describe(b'P', "", &mut self.write_buf).map_err(PgError::Io)?;
        frontend::execute("", 0, &mut self.write_buf).map_err(PgError::Io)?;
        frontend::sync(&mut self.write_buf);
        self.start_request().await
    }

    /// Closes the prepared statement `name` (no error if there is none);
    /// the answer is Ready.
    pub async fn send_close(&mut self, name: &str) -> Result<(), PgError> {
        self.check_idle()?;
        check_text(name)?;
        frontend::close(b'S', name, &mut self.write_buf).map_err(PgError::Io)?;
        frontend::sync(&mut self.write_buf);
        self.start_request().await
    }
}

/// Appends Bind for the unnamed portal: every parameter and every result
/// column in text form.
fn bind(statement: &str, params: &[Param<'_>], buf: &mut BytesMut) -> Result<(), PgError> {
    if params.len() > usize::from(u16::MAX) {
        return Err(PgError::Misuse("at most 65535 parameters"));
    }
    frontend::bind(
        "",
        statement,
        std::iter::empty::<i16>(),
        params.iter().copied(),
        |param, buf| match param {
            Some(bytes) => {
                buf.extend_from_slice(bytes);
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        },
        std::iter::empty::<i16>(),
        buf,
    )
    .map_err(|e| match e {
        frontend::BindError::Conversion(_) => PgError::Misuse("a parameter could not be encoded"),
        frontend::BindError::Serialization(e) => PgError::Io(e),
    })
}
