//! Running one request: starting it against PostgreSQL, and turning
//! PostgreSQL's events into the Cor4 answers the client expects, up to and
//! including READY (`docs/protocol.md` §6.3–§6.5).
//!
//! ```text
//!  QUERY / QUERY_PARAMS / EXECUTE     PREPARE                 CLOSE
//!   RowDescription ─▶ [RESULT_COLUMNS] ParameterDescription    (CloseComplete)
//!                     RESULT_HEAD      RowDescription|NoData
//!   DataRow        ─▶ RESULT_ROW(S)     ─▶ DESCRIPTION
//!   CommandComplete ─▶ RESULT_END / OK                          ─▶ OK
//!   CopyIn/Out, CopyData, CopyDone ─▶ COPY_IN/OUT, COPY_DATA, COPY_DONE
//!   ErrorResponse ─▶ ERROR   NoticeResponse ─▶ NOTICE   ParameterStatus ─▶ PARAMETER
//!   ReadyForQuery ─▶ READY
//! ```

use crate::pgwire::TransactionStatus;
use crate::registry::SessionState as LiveState;
use std::collections::HashMap;

use cor4_protocol::crypto::PasswordKey;
use cor4_protocol::packet::{Description, ResultEnd, kind, option};
use cor4_protocol::{ErrorCode, Packet, Type};
use tokio::io::{AsyncRead, AsyncWrite};

use super::client::{Request, ends_with_ready, too_large};
use super::convert::{self, ValueMode};
use super::session::{Session, Step, spawn_cancel};
use crate::pgwire::{Event, PgError};
use crate::pool::SendError;
use crate::users::UserError;
use tokio_postgres::error::SqlState;

/// COPY TO STDOUT data is gathered into COPY_DATA packets of about this
/// size (PostgreSQL sends one message per row).
const COPY_CHUNK: usize = 32 * 1024;
/// PostgreSQL's `query_canceled`, what a cancelled statement fails with.
const SHUTDOWN_CANCEL_SQLSTATE: &str = "57014";

/// What a session remembers between requests.
#[derive(Debug)]
pub(super) struct SessionState {
    /// The OPTIONS bits in force.
    options: u32,
    /// The login said the password must be changed: requests that reach
    /// PostgreSQL are refused with ERROR 12 until a CHPASS succeeds.
    password_change_required: bool,
    /// Prepared statements by name: their SQL and declared types.
    statements: HashMap<String, PreparedStatement>,
}

/// A statement PREPARE created.
#[derive(Debug, Clone)]
struct PreparedStatement {
    /// Shown as an EXECUTE's query in the live session list; kept so a
    /// statement can be prepared again on another backend.
    sql: String,
    types: Vec<u32>,
}

impl SessionState {
    pub(super) fn new(password_change_required: bool) -> Self {
        SessionState {
            options: 0,
            password_change_required,
            statements: HashMap::new(),
        }
    }

    /// Whether requests may reach PostgreSQL (no password change pending).
    pub(super) fn may_query(&self) -> bool {
        !self.password_change_required
    }

    fn has(&self, bit: u32) -> bool {
        self.options & bit != 0
    }
}

/// What the running request expects from PostgreSQL.
#[derive(Debug)]
enum Mode {
    /// Results, commands, COPY: QUERY, QUERY_PARAMS, EXECUTE.
    Results,
    /// PREPARE: a description; on success the statement is remembered.
    Describe {
        name: String,
        sql: String,
        types: Vec<u32>,
        params: Vec<u32>,
    },
    /// CLOSE: OK when done.
    Close { name: String },
}

/// The request PostgreSQL is working on.
#[derive(Debug)]
pub(super) struct Running {
    /// Its packet type: the `answered` byte of its answers.
    kind: u8,
    mode: Mode,
    /// The open result's column names and types.
    result: Option<(Vec<String>, Vec<Type>)>,
    /// Rows of the open result so far.
    rows: u64,
    /// An ERROR was sent for it.
    failed: bool,
    /// The relay itself failed the request (a value it could not read):
    /// the client has its ERROR; PostgreSQL's events are dropped up to Ready.
    discarding: bool,
    /// An earlier statement of this QUERY may have changed DateStyle.
    datestyle_changed: bool,
    /// COPY TO STDOUT data gathered for the next COPY_DATA.
    copy_data: Vec<u8>,
    /// A COPY FROM STDIN began that must be aborted with this reason.
    copy_abort: Option<String>,
}

impl Running {
    fn new(kind: u8, mode: Mode) -> Self {
        Running {
            kind,
            mode,
            result: None,
            rows: 0,
            failed: false,
            discarding: false,
            datestyle_changed: false,
            copy_data: Vec::new(),
            copy_abort: None,
        }
    }
}

impl<R, W> Session<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    /// Starts `request`: sends it to PostgreSQL, or answers it at once.
    pub(super) async fn start(&mut self, request: Request) -> Step {
        let kind = request.kind();
        if ends_with_ready(kind) && !self.state.may_query() {
            self.queue(&convert::error_packet(
                kind,
                ErrorCode::PasswordChangeRequired,
                "the password must be changed (CHPASS) before running queries",
            ))?;
            return self.queue(&convert::ready(self.pg.transaction_status()));
        }
        match request {
            Request::Query(sql) => {
                self.ctx.live.set_query(&sql);
                let sent = self.pg.send_query(&sql).await;
                self.began(kind, sent)
            }
            Request::QueryParams(q) => {
                let types: Vec<u32> = q
                    .params
                    .iter()
                    .map(|p| convert::param_oid(p.type_()))
                    .collect();
                let texts = convert::param_texts(&q.params);
                let args: Vec<_> = texts
                    .iter()
                    .map(|t| t.as_deref().map(str::as_bytes))
                    .collect();
                self.ctx.live.set_query(&q.sql);
                let sent = self.pg.send_execute_unnamed(&q.sql, &types, &args).await;
                self.began(kind, sent)
            }
            Request::Execute(e) => {
                let texts = convert::param_texts(&e.params);
                let args: Vec<_> = texts
                    .iter()
                    .map(|t| t.as_deref().map(str::as_bytes))
                    .collect();
                let known = self.state.statements.get(&e.name);
                if let Some(statement) = known {
                    self.ctx.live.set_query(&statement.sql);
                }
                let known = known.map(|s| (s.sql.as_str(), s.types.as_slice()));
                let sent = self.pg.send_execute_named(&e.name, known, &args).await;
                self.began(kind, sent)
            }
            Request::Prepare(p) if p.name.is_empty() => {
                self.queue(&convert::error_packet(
                    kind,
                    ErrorCode::NotAllowed,
                    "a prepared statement needs a name (QUERY_PARAMS runs unnamed ones)",
                ))?;
                self.queue(&convert::ready(self.pg.transaction_status()))
            }
            Request::Prepare(p) => {
                let types: Vec<u32> = p.types.iter().map(|&t| convert::param_oid(t)).collect();
                self.ctx.live.set_query(&p.sql);
                let sent = self.pg.send_prepare(&p.name, &p.sql, &types).await;
                self.began_with(
                    kind,
                    Mode::Describe {
                        name: p.name,
                        sql: p.sql,
                        types,
                        params: Vec::new(),
                    },
                    sent,
                )
            }
            Request::Close(name) => {
                let sent = self.pg.send_close(&name).await;
                self.began_with(kind, Mode::Close { name }, sent)
            }
            Request::ChangePassword(digest) => self.change_password(&digest).await,
            Request::Options(flags) => self.set_options(flags),
            Request::TooLarge(k) => {
                self.queue(&too_large(k, 0))?;
                if ends_with_ready(k) {
                    self.queue(&convert::ready(self.pg.transaction_status()))?;
                }
                Ok(())
            }
        }
    }

    /// A request was sent to PostgreSQL (or could not be): its events now
    /// run through [`on_event`](Self::on_event). Its SQL was given to
    /// `LiveSession::set_query` before it was sent.
    pub(super) fn began(&mut self, kind: u8, sent: Result<(), SendError>) -> Step {
        self.began_with(kind, Mode::Results, sent)
    }

    fn began_with(&mut self, kind: u8, mode: Mode, sent: Result<(), SendError>) -> Step {
        match sent {
            Ok(()) => {
                self.queries += 1;
                self.ctx.live.request_started();
                if self.ctx.log_queries {
                    let sql = self.ctx.live.query_text().unwrap_or_default();
                    tracing::info!(user = %self.ctx.user, request = kind, sql = %sql, "request sent");
                }
                self.running = Some(Running::new(kind, mode));
                Ok(())
            }
            Err(e) => self.refuse(kind, e),
        }
    }

    /// Answers a request PostgreSQL never saw.
    fn refuse(&mut self, kind: u8, e: SendError) -> Step {
        let (sqlstate, message) = match e {
            // What PostgreSQL itself says about a NUL in text.
            SendError::Pg(PgError::NulInQuery) => (
                SqlState::CHARACTER_NOT_IN_REPERTOIRE,
                "invalid byte sequence for encoding \"UTF8\": 0x00".to_owned(),
            ),
            SendError::Pg(PgError::QueryTooLarge) => (
                SqlState::PROGRAM_LIMIT_EXCEEDED,
                "the query text is too large for PostgreSQL".to_owned(),
            ),
            SendError::Pg(e) => return self.backend_gone(&e),
            SendError::Refused { sqlstate, message } => (sqlstate, message),
        };
        // No connection left to run it on is the proxy's limit, not SQL.
        let code = if sqlstate == SqlState::TOO_MANY_CONNECTIONS {
            ErrorCode::BackendUnavailable
        } else {
            ErrorCode::Sql
        };
        self.queue(&Packet::Error(cor4_protocol::packet::ErrorPacket {
            answered: kind,
            code: code.as_i32(),
            message,
            sqlstate: sqlstate.code().to_owned(),
            severity: "ERROR".to_owned(),
            ..Default::default()
        }))?;
        self.queue(&convert::ready(self.pg.transaction_status()))
    }

    /// Relays one PostgreSQL event of the running request.
    pub(super) fn on_event(&mut self, event: Event) -> Step {
        let Some(mut run) = self.running.take() else {
            return Ok(());
        };
        let result = self.relay(&mut run, event);
        if !matches!(result, Ok(true)) {
            self.running = Some(run);
        }
        result.map(|_| ())
    }

    /// Relays `event`; `Ok(true)` when the request is over.
    fn relay(&mut self, run: &mut Running, event: Event) -> Step<bool> {
        if !matches!(event, Event::CopyData(_)) {
            self.flush_run_copy_data(run)?;
        }
        match event {
            Event::Ready(status) => {
                self.ctx.live.request_ended(match status {
                    TransactionStatus::Idle => LiveState::Idle,
                    TransactionStatus::InTransaction => LiveState::InTransaction,
                    TransactionStatus::Failed => LiveState::FailedTransaction,
                });
                self.finish(run);
                self.queue(&convert::ready(status))?;
                return Ok(true);
            }
            Event::Parameter { name, value } => {
                if name == "DateStyle" {
                    run.datestyle_changed = true;
                }
                if self.state.has(option::PARAMETER_STATUS) {
                    self.queue(&Packet::Parameter { name, value })?;
                }
            }
            Event::Notice(e) => {
                let all = self.state.has(option::ERROR_FIELDS);
                self.queue(&convert::notice(&e, all))?;
            }
            Event::CopyIn(_) if run.discarding => {
                run.copy_abort = Some("the proxy could not relay this request".to_owned());
            }
            _ if run.discarding => {}
            Event::Error(e) => {
                run.result = None;
                run.failed = true;
                let all = self.state.has(option::ERROR_FIELDS);
                let mut packet = convert::sql_error(run.kind, &e, all);
                if let Packet::Error(error) = &mut packet
                    && self.cancelled_for_shutdown()
                    && e.code == SHUTDOWN_CANCEL_SQLSTATE
                {
                    // PostgreSQL says "canceling statement due to user
                    // request": the user did not ask; the server stops.
                    error.code = ErrorCode::ServerShutdown.as_i32();
                    error.message =
                        "the server is shutting down; the running statement was cancelled"
                            .to_owned();
                }
                self.queue(&packet)?;
            }
            Event::ParameterDescription(oids) => {
                if let Mode::Describe { params, .. } = &mut run.mode {
                    *params = oids;
                }
            }
            Event::NoData => {
                if let Mode::Describe { params, .. } = &run.mode {
                    self.queue(&Packet::Description(Description {
                        params: convert::param_descriptions(params),
                        columns: Vec::new(),
                    }))?;
                }
            }
            Event::RowDescription(columns) => {
                let mode = self.value_mode(run);
                if let Mode::Describe { params, .. } = &run.mode {
                    self.queue(&Packet::Description(Description {
                        params: convert::param_descriptions(params),
                        columns: convert::column_descriptions(&columns, mode),
                    }))?;
                    return Ok(false);
                }
                let types = convert::column_types(&columns, mode);
                if self.state.has(option::COLUMN_TYPES) {
                    self.queue(&convert::result_columns(&columns))?;
                }
                self.queue(&convert::result_head(&columns, types.clone()))?;
                let names = columns.into_iter().map(|c| c.name).collect();
                run.result = Some((names, types));
                run.rows = 0;
            }
            Event::DataRow(row) => {
                let converted = match &run.result {
                    None => Err(convert::row_error(
                        run.kind,
                        convert::RowError::Width {
                            expected: 0,
                            got: row.len(),
                        },
                        &[],
                    )),
                    Some((names, types)) => {
                        let number = run.rows + 1;
                        if row.byte_len() > crate::limits::SMALL_PACKET {
                            // Text grows by at most its frame when relayed.
                            self.out.reserve(row.byte_len() + 64 + 8 * row.len());
                        }
                        self.queue_with(|out| convert::encode_row(out, number, types, &row))?
                            .map_err(|error| {
                                tracing::warn!(
                                    user = %self.ctx.user,
                                    error = ?error,
                                    "a value from PostgreSQL could not be relayed"
                                );
                                convert::row_error(run.kind, error, names)
                            })
                    }
                };
                match converted {
                    Ok(()) => {
                        run.rows += 1;
                        self.rows += 1;
                        self.ctx.live.add_rows(1);
                    }
                    Err(packet) => self.relay_failed(run, &packet)?,
                }
            }
            Event::CommandComplete(tag) => {
                if convert::may_change_datestyle(&tag) {
                    run.datestyle_changed = true;
                }
                let packet = match run.result.take() {
                    Some(_) => Packet::ResultEnd(ResultEnd {
                        rows: run.rows,
                        tag,
                    }),
                    None => convert::command_ok(run.kind, tag),
                };
                self.queue(&packet)?;
            }
            Event::EmptyQuery => {}
            Event::CopyIn(start) => self.queue(&Packet::CopyIn(convert::copy_response(&start)))?,
            Event::CopyOut(start) => {
                self.queue(&Packet::CopyOut(convert::copy_response(&start)))?;
            }
            Event::CopyData(data) => {
                run.copy_data.extend_from_slice(&data);
                if run.copy_data.len() >= COPY_CHUNK {
                    self.flush_run_copy_data(run)?;
                }
            }
            Event::CopyDone => self.queue(&Packet::CopyDone)?,
        }
        Ok(false)
    }

    /// How the next result's values travel.
    fn value_mode(&self, run: &Running) -> ValueMode {
        if self.state.has(option::TEXT_RESULTS) {
            return ValueMode::Text;
        }
        let iso = convert::is_iso_datestyle(self.pg.parameter("DateStyle"));
        ValueMode::Typed {
            iso_dates: iso && !run.datestyle_changed,
        }
    }

    /// The request's last words before READY: CLOSE's OK, and the
    /// bookkeeping of prepared statements.
    fn finish(&mut self, run: &mut Running) {
        match std::mem::replace(&mut run.mode, Mode::Results) {
            Mode::Results => {}
            Mode::Describe {
                name, sql, types, ..
            } => {
                if !run.failed {
                    self.state
                        .statements
                        .insert(name, PreparedStatement { sql, types });
                }
            }
            Mode::Close { name } => {
                self.state.statements.remove(&name);
                if !run.failed {
                    // Queued before READY by the caller; an error here only
                    // means the client is gone, which the next write notices.
                    let _ = self.queue(&convert::plain_ok(kind::CLOSE));
                }
            }
        }
    }

    /// The relay could not pass a result on: the client gets `error`, the
    /// backend a cancel (or a COPY abort), and the rest of the request's
    /// events are dropped, so the stream stays in step (READY still closes
    /// the request).
    fn relay_failed(&mut self, run: &mut Running, error: &Packet) -> Step {
        self.queue(error)?;
        run.result = None;
        run.failed = true;
        if !run.discarding {
            run.discarding = true;
            spawn_cancel(self.pg.cancel_token());
        }
        Ok(())
    }

    /// Sends the gathered COPY TO STDOUT data as one COPY_DATA.
    fn flush_run_copy_data(&mut self, run: &mut Running) -> Step {
        if run.copy_data.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut run.copy_data);
        self.queue(&Packet::CopyData(data))
    }

    /// Whether COPY TO STDOUT data waits to be sent.
    pub(super) fn has_pending_copy_data(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| !r.copy_data.is_empty())
    }

    /// Sends COPY TO STDOUT data gathered so far (nothing more came at once).
    pub(super) fn flush_copy_data(&mut self) -> Step {
        let Some(mut run) = self.running.take() else {
            return Ok(());
        };
        let result = self.flush_run_copy_data(&mut run);
        self.running = Some(run);
        result
    }

    /// A COPY FROM STDIN that must be aborted, and why.
    pub(super) fn take_copy_abort(&mut self) -> Option<String> {
        self.running.as_mut().and_then(|r| r.copy_abort.take())
    }

    /// OPTIONS: sets the session's options. Turning on parameter reports
    /// sends every current value first.
    fn set_options(&mut self, flags: u32) -> Step {
        if flags & !option::ALL != 0 {
            return self.queue(&convert::error_packet(
                kind::OPTIONS,
                ErrorCode::NotAllowed,
                format!(
                    "unknown option bits {:#x}; this server knows {:#x}",
                    flags & !option::ALL,
                    option::ALL
                ),
            ));
        }
        let newly = flags & !self.state.options;
        self.state.options = flags;
        if newly & option::PARAMETER_STATUS != 0 {
            let all: Vec<Packet> = self
                .pg
                .parameters()
                .into_iter()
                .map(|(name, value)| Packet::Parameter {
                    name: name.to_owned(),
                    value: value.to_owned(),
                })
                .collect();
            for p in &all {
                self.queue(p)?;
            }
        }
        self.queue(&convert::plain_ok(kind::OPTIONS))
    }

    async fn change_password(&mut self, digest: &str) -> Step {
        let Some(digest) = convert::decode_digest(digest) else {
            return self.queue(&convert::error_packet(
                kind::CHPASS,
                ErrorCode::BadPasswordDigest,
                "CHPASS must carry base64 of the 16-byte MD5 digest",
            ));
        };
        let key = PasswordKey::from_digest(digest);
        let reply = match self.ctx.passwords.set_password(&self.ctx.user, &key).await {
            Ok(()) => {
                tracing::info!(user = %self.ctx.user, "password changed");
                self.state.password_change_required = false;
                convert::plain_ok(kind::CHPASS)
            }
            Err(UserError::PasswordRejected(reason)) => {
                tracing::info!(user = %self.ctx.user, reason, "password change refused");
                convert::error_packet(
                    kind::CHPASS,
                    ErrorCode::PasswordRejected,
                    format!("the new password was refused: {reason}"),
                )
            }
            Err(e) => {
                tracing::error!(user = %self.ctx.user, error = %e, "password change failed");
                convert::error_packet(
                    kind::CHPASS,
                    ErrorCode::Internal,
                    "the password could not be changed (see the server log)",
                )
            }
        };
        self.queue(&reply)
    }
}
