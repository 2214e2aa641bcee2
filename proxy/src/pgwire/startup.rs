//! Connection start-up: the hosts in turn (libpq's multi-host rules and
//! `target_session_attrs`), TLS, the StartupMessage, authentication (trust,
//! cleartext, MD5, SCRAM-SHA-256) and the parameters and key data that
//! precede the first ReadyForQuery.

use std::collections::HashMap;
use std::time::Duration;

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{self, ChannelBinding, ScramSha256};
use postgres_protocol::message::backend::{AuthenticationSaslBody, Message};
use postgres_protocol::message::frontend;
use rand::seq::SliceRandom;
use tokio_postgres::config::{
    ChannelBinding as ConfigChannelBinding, LoadBalanceHosts, TargetSessionAttrs,
};

use super::conninfo::PgConfig;
use super::error::{AuthError, HostFailure, PgError};
use super::message::{DbError, Event, TransactionStatus};
use super::socket::Target;
use super::{PgConn, Phase, READ_CHUNK};

/// Tries the hosts of `config` in turn (in order, or shuffled with
/// `load_balance_hosts=random`), each within `connect_timeout`, until one
/// gives a session that `target_session_attrs` accepts.
pub(super) async fn connect(
    config: &PgConfig,
    extra: &[(&str, &str)],
    connect_timeout: Duration,
) -> Result<PgConn, PgError> {
    if matches!(config.get_channel_binding(), ConfigChannelBinding::Require) {
        return Err(PgError::Config(
            "channel_binding=require, but this frontend does no channel binding",
        ));
    }
    let mut targets = Target::all(config)?;
    if config.get_load_balance_hosts() == LoadBalanceHosts::Random {
        targets.shuffle(&mut rand::rng());
    }
    let mut failures = Vec::new();
    for target in targets {
        let attempt = async {
            let conn = connect_host(config, extra, target.clone(), connect_timeout).await?;
            check_session_attrs(conn, config.get_target_session_attrs()).await
        };
        let result = tokio::time::timeout(connect_timeout, attempt)
            .await
            .unwrap_or(Err(PgError::Timeout(connect_timeout)));
        match result {
            Ok(conn) => return Ok(conn),
            Err(error) => {
                tracing::debug!(host = %target, %error, "PostgreSQL host not usable");
                failures.push(HostFailure {
                    host: target.to_string(),
                    error,
                });
            }
        }
    }
    match failures.len() {
        // One host: its own error, as before multi-host.
        1 => Err(failures.remove(0).error),
        _ => Err(PgError::NoHost(failures)),
    }
}

/// Connects to one host and logs in.
async fn connect_host(
    config: &PgConfig,
    extra: &[(&str, &str)],
    target: Target,
    connect_timeout: Duration,
) -> Result<PgConn, PgError> {
    let user = config.get_user().ok_or(PgError::Config("no user name"))?;
    let socket = target.connect(config.tls()).await?;
    let mut conn = PgConn {
        socket,
        read_buf: BytesMut::with_capacity(READ_CHUNK),
        write_buf: BytesMut::new(),
        parameters: HashMap::new(),
        process_id: 0,
        secret_key: 0,
        status: TransactionStatus::Idle,
        phase: Phase::Broken,
        target,
        tls: config.tls().clone(),
        connect_timeout,
        budget: None,
        large: None,
    };

    let mut params = vec![
        ("user", user),
        ("client_encoding", "UTF8"),
        ("DateStyle", "ISO, MDY"),
    ];
    if let Some(dbname) = config.get_dbname() {
        params.push(("database", dbname));
    }
    if let Some(name) = config.get_application_name() {
        params.push(("application_name", name));
    }
    if let Some(options) = config.get_options() {
        params.push(("options", options));
    }
    for &(name, value) in extra {
        match params
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(slot) => slot.1 = value,
            None => params.push((name, value)),
        }
    }
    frontend::startup_message(params.iter().copied(), &mut conn.write_buf)
        .map_err(|_| PgError::Config("a startup parameter contains a NUL byte"))?;
    conn.flush().await?;

    authenticate(&mut conn, user.as_bytes(), config.get_password()).await?;
    loop {
        match conn.read_message().await? {
            Message::BackendKeyData(body) => {
                conn.process_id = body.process_id();
                conn.secret_key = body.secret_key();
            }
            Message::ParameterStatus(body) => {
                let name = body.name().map_err(PgError::Malformed)?;
                let value = body.value().map_err(PgError::Malformed)?;
                conn.parameters.insert(name.to_owned(), value.to_owned());
            }
            Message::ReadyForQuery(body) => {
                conn.status = TransactionStatus::from_byte(body.status())?;
                conn.phase = Phase::Idle;
                return Ok(conn);
            }
            Message::NoticeResponse(_) => {}
            Message::ErrorResponse(body) => return Err(refusal(DbError::parse(body.fields())?)),
            _ => return Err(PgError::Protocol("unexpected message after authentication")),
        }
    }
}

/// Keeps `conn` when its session has the attributes asked for, as libpq
/// decides: from the `default_transaction_read_only` and `in_hot_standby`
/// parameters PostgreSQL 14 and later report, else from
/// `SHOW transaction_read_only`.
async fn check_session_attrs(
    mut conn: PgConn,
    wanted: TargetSessionAttrs,
) -> Result<PgConn, PgError> {
    let want_writable = match wanted {
        TargetSessionAttrs::ReadWrite => true,
        TargetSessionAttrs::ReadOnly => false,
        _ => return Ok(conn),
    };
    let reported = match (
        conn.parameter("default_transaction_read_only"),
        conn.parameter("in_hot_standby"),
    ) {
        (Some(default_ro), Some(standby)) => Some(default_ro == "on" || standby == "on"),
        _ => None,
    };
    let read_only = match reported {
        Some(read_only) => read_only,
        None => show_transaction_read_only(&mut conn).await?,
    };
    if read_only == want_writable {
        let _ = conn.close().await;
        return Err(PgError::SessionAttrs {
            wanted: if want_writable {
                "read-write"
            } else {
                "read-only"
            },
        });
    }
    Ok(conn)
}

async fn show_transaction_read_only(conn: &mut PgConn) -> Result<bool, PgError> {
    conn.send_query("SHOW transaction_read_only").await?;
    let mut read_only = None;
    loop {
        match conn.next_event().await? {
            Event::DataRow(row) => read_only = Some(row.get(0) == Some(b"on".as_slice())),
            Event::Error(e) => return Err(PgError::Db(e)),
            Event::Ready(_) => break,
            _ => {}
        }
    }
    read_only.ok_or(PgError::Protocol(
        "SHOW transaction_read_only returned no row",
    ))
}

/// Answers authentication requests until AuthenticationOk.
async fn authenticate(
    conn: &mut PgConn,
    user: &[u8],
    password: Option<&[u8]>,
) -> Result<(), PgError> {
    let password = || password.ok_or(PgError::Auth(AuthError::MissingPassword));
    loop {
        match conn.read_message().await? {
            Message::AuthenticationOk => return Ok(()),
            Message::AuthenticationCleartextPassword => {
                frontend::password_message(password()?, &mut conn.write_buf)
                    .map_err(|_| PgError::Config("the password contains a NUL byte"))?;
                conn.flush().await?;
            }
            Message::AuthenticationMd5Password(body) => {
                let hash = md5_hash(user, password()?, body.salt());
                frontend::password_message(hash.as_bytes(), &mut conn.write_buf)
                    .map_err(PgError::Io)?;
                conn.flush().await?;
            }
            Message::AuthenticationSasl(body) => scram(conn, &body, password()?).await?,
            Message::AuthenticationKerberosV5 => {
                return Err(AuthError::Unsupported("Kerberos V5").into());
            }
            Message::AuthenticationScmCredential => {
                return Err(AuthError::Unsupported("SCM credentials").into());
            }
            Message::AuthenticationGss | Message::AuthenticationGssContinue(_) => {
                return Err(AuthError::Unsupported("GSSAPI").into());
            }
            Message::AuthenticationSspi => return Err(AuthError::Unsupported("SSPI").into()),
            Message::NoticeResponse(_) => {}
            Message::ErrorResponse(body) => return Err(refusal(DbError::parse(body.fields())?)),
            _ => {
                return Err(PgError::Protocol(
                    "unexpected message during authentication",
                ));
            }
        }
    }
}

/// SCRAM-SHA-256 without channel binding.
async fn scram(
    conn: &mut PgConn,
    body: &AuthenticationSaslBody,
    password: &[u8],
) -> Result<(), PgError> {
    let mut offered = false;
    let mut mechanisms = body.mechanisms();
    while let Some(mechanism) = mechanisms.next().map_err(PgError::Malformed)? {
        offered |= mechanism == sasl::SCRAM_SHA_256;
    }
    if !offered {
        return Err(AuthError::Unsupported("SASL without SCRAM-SHA-256").into());
    }
    let mut scram = ScramSha256::new(password, ChannelBinding::unsupported());
    frontend::sasl_initial_response(sasl::SCRAM_SHA_256, scram.message(), &mut conn.write_buf)
        .map_err(PgError::Io)?;
    conn.flush().await?;

    match conn.read_message().await? {
        Message::AuthenticationSaslContinue(body) => {
            scram.update(body.data()).map_err(AuthError::Scram)?;
        }
        Message::ErrorResponse(body) => return Err(refusal(DbError::parse(body.fields())?)),
        _ => return Err(PgError::Protocol("expected SASLContinue")),
    }
    frontend::sasl_response(scram.message(), &mut conn.write_buf).map_err(PgError::Io)?;
    conn.flush().await?;

    match conn.read_message().await? {
        Message::AuthenticationSaslFinal(body) => {
            scram.finish(body.data()).map_err(AuthError::Scram)?;
            Ok(())
        }
        Message::ErrorResponse(body) => Err(refusal(DbError::parse(body.fields())?)),
        _ => Err(PgError::Protocol("expected SASLFinal")),
    }
}

/// Classifies an ErrorResponse received before the first ReadyForQuery.
fn refusal(e: DbError) -> PgError {
    if e.code.starts_with("28") {
        AuthError::Rejected(Box::new(e)).into()
    } else {
        PgError::Db(Box::new(e))
    }
}
