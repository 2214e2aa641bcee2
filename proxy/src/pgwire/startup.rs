//! Connection start-up: the StartupMessage, authentication (trust,
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
use tokio_postgres::config::{ChannelBinding as ConfigChannelBinding, Config, SslMode};

use super::error::{AuthError, PgError};
use super::message::{DbError, TransactionStatus};
use super::socket::Target;
use super::{PgConn, Phase, READ_CHUNK};

/// Opens the socket, logs in and waits for the first ReadyForQuery.
pub(super) async fn connect(
    config: &Config,
    extra: &[(&str, &str)],
    connect_timeout: Duration,
) -> Result<PgConn, PgError> {
    if matches!(config.get_ssl_mode(), SslMode::Require) {
        return Err(PgError::Config(
            "sslmode=require, but this frontend has no TLS",
        ));
    }
    if matches!(config.get_channel_binding(), ConfigChannelBinding::Require) {
        return Err(PgError::Config(
            "channel_binding=require, but this frontend has no TLS",
        ));
    }
    let user = config.get_user().ok_or(PgError::Config("no user name"))?;
    let target = Target::from_config(config)?;
    let socket = target.connect().await?;
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

/// SCRAM-SHA-256 without channel binding (there is no TLS to bind to).
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
