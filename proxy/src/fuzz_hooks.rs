//! Entry points for the fuzz targets in `fuzz/`: thin wrappers that expose
//! the crate-private parsers of untrusted bytes. Hidden from the docs and
//! not part of the API; signatures follow the fuzz targets.
//!
//! ```text
//!   fuzz/fuzz_targets/pg_backend.rs ──► backend_events ──► pgwire::message
//!   fuzz/fuzz_targets/config.rs     ──► parse_config / resolve_config ──► config
//! ```

pub use crate::pool::guard::session_state;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::BytesMut;
use postgres_protocol::message::backend::Message;

use crate::config::{CommonArgs, Config, ConfigError, FileConfig, ServeArgs};
use crate::pgwire::message;
use crate::pgwire::{CopyStart, DataRow, DbError, Event, PgError, TransactionStatus};

/// Decodes every whole PostgreSQL backend message in `stream`, fed to the
/// decoder `chunk` bytes at a time (0: all at once) the way socket reads
/// fill the relay's buffer, refusing messages longer than `max_len`.
///
/// Each message becomes the [`Event`] `PgConn` makes of it, without the
/// phase checks (any message is accepted at any point); messages the relay
/// only meets during start-up or ignores yield no event. A trailing partial
/// message is left undecoded, as the relay would wait for the rest.
pub fn backend_events(stream: &[u8], chunk: usize, max_len: usize) -> Result<Vec<Event>, PgError> {
    let chunk = if chunk == 0 {
        stream.len().max(1)
    } else {
        chunk
    };
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    for piece in stream.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(msg) = message::decode(&mut buf, max_len)? {
            events.extend(event(msg)?);
        }
    }
    Ok(events)
}

/// What `PgConn::on_message` makes of one backend message.
fn event(msg: Message) -> Result<Option<Event>, PgError> {
    Ok(Some(match msg {
        Message::RowDescription(body) => Event::RowDescription(message::columns(&body)?),
        Message::DataRow(body) => Event::DataRow(DataRow::new(&body)?),
        Message::CommandComplete(body) => {
            Event::CommandComplete(body.tag().map_err(PgError::Malformed)?.to_owned())
        }
        Message::EmptyQueryResponse => Event::EmptyQuery,
        Message::ReadyForQuery(body) => Event::Ready(TransactionStatus::from_byte(body.status())?),
        Message::ParameterDescription(body) => {
            Event::ParameterDescription(message::parameter_types(&body)?)
        }
        Message::NoData => Event::NoData,
        Message::CopyInResponse(body) => {
            Event::CopyIn(CopyStart::parse(body.format(), body.column_formats())?)
        }
        Message::CopyOutResponse(body) => {
            Event::CopyOut(CopyStart::parse(body.format(), body.column_formats())?)
        }
        Message::CopyData(body) => Event::CopyData(body.into_bytes()),
        Message::CopyDone => Event::CopyDone,
        Message::ErrorResponse(body) => Event::Error(Box::new(DbError::parse(body.fields())?)),
        Message::NoticeResponse(body) => Event::Notice(Box::new(DbError::parse(body.fields())?)),
        Message::ParameterStatus(body) => Event::Parameter {
            name: body.name().map_err(PgError::Malformed)?.to_owned(),
            value: body.value().map_err(PgError::Malformed)?.to_owned(),
        },
        _ => return Ok(None),
    }))
}

/// Deserialises a config file's text as `--config` does.
pub fn parse_config(text: &str) -> Result<FileConfig, toml::de::Error> {
    toml::from_str(text)
}

/// Reads `text` as the `--config` file and validates it with no flags or
/// environment: exactly what the proxy does at start-up.
///
/// [`Config::resolve`] reads the file itself, so the text goes through a
/// file in the temporary directory, removed again (one per call, so that
/// parallel tests do not share it).
pub fn resolve_config(text: &str) -> Result<Config, ConfigError> {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let path =
        std::env::temp_dir().join(format!("cor4-fuzz-config-{}-{n}.toml", std::process::id()));
    std::fs::write(&path, text).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let common = CommonArgs {
        config: Some(PathBuf::from(&path)),
        ..CommonArgs::default()
    };
    let config = Config::resolve(&common, &ServeArgs::default());
    let _ = std::fs::remove_file(&path);
    config
}

#[cfg(test)]
mod tests {
    //! The checked-in malformed inputs of the `pg_backend` and `config` fuzz
    //! targets (`fuzz/fixtures/`), each rejected as its name says. Every
    //! file there must have a `rejects_…` test here.

    use super::*;

    /// Runs a `pg_backend` fixture as the fuzz target does: byte 0 picks the
    /// length limit, byte 1 the chunk size, the rest is the stream.
    fn backend(input: &[u8]) -> Result<Vec<Event>, PgError> {
        let [limit, chunk, stream @ ..] = input else {
            panic!("fixture too short");
        };
        backend_events(stream, usize::from(*chunk), backend_limit(*limit))
    }

    /// The fuzz target's length limit for selector `b`: 256 B to 64 KiB.
    fn backend_limit(b: u8) -> usize {
        (usize::from(b) + 1) << 8
    }

    fn config(text: &[u8]) -> (bool, Result<Config, ConfigError>) {
        let text = std::str::from_utf8(text).expect("config fixtures are UTF-8");
        (parse_config(text).is_ok(), resolve_config(text))
    }

    macro_rules! rejects {
        ($($test:ident: $run:ident($dir:literal / $file:literal) => $expected:pat,)*) => {
            $(
                #[test]
                fn $test() {
                    let r = $run(include_bytes!(concat!(
                        "../../fuzz/fixtures/", $dir, "/", $file
                    )));
                    assert!(matches!(r, $expected), "{r:?}");
                }
            )*

            /// `dir/file` of every fixture tested above.
            const FIXTURES: &[&str] = &[$(concat!($dir, "/", $file)),*];
        };
    }

    rejects! {
        rejects_absurd_length: backend("pg_backend" / "absurd-length.bin")
            => Err(PgError::MessageTooLarge { len: 0x7fff_ffff, max: 256 }),
        rejects_length_below_four: backend("pg_backend" / "length-below-four.bin")
            => Err(PgError::Malformed(_)),
        rejects_unknown_tag: backend("pg_backend" / "unknown-tag.bin")
            => Err(PgError::Malformed(_)),
        rejects_truncated_data_row: backend("pg_backend" / "truncated-data-row.bin")
            => Err(PgError::Malformed(_)),
        rejects_data_row_trailing_bytes: backend("pg_backend" / "data-row-trailing-bytes.bin")
            => Err(PgError::Malformed(_)),
        rejects_huge_count: backend("pg_backend" / "huge-count.bin")
            => Err(PgError::Malformed(_)),
        rejects_huge_parameter_count: backend("pg_backend" / "huge-parameter-count.bin")
            => Err(PgError::Malformed(_)),
        rejects_bad_copy_format: backend("pg_backend" / "bad-copy-format.bin")
            => Err(PgError::Protocol("unknown COPY format")),
        rejects_bad_copy_column_format: backend("pg_backend" / "bad-copy-column-format.bin")
            => Err(PgError::Protocol("unknown COPY column format")),
        rejects_bad_transaction_status: backend("pg_backend" / "bad-transaction-status.bin")
            => Err(PgError::Protocol("unknown transaction status in ReadyForQuery")),
        rejects_error_without_code: backend("pg_backend" / "error-without-code.bin")
            => Err(PgError::Protocol("error message without severity, code or message")),
        rejects_non_numeric_position: backend("pg_backend" / "non-numeric-position.bin")
            => Err(PgError::Protocol("non-numeric error position or line")),

        rejects_unknown_key: config("config" / "unknown-key.toml")
            => (false, Err(ConfigError::Parse { .. })),
        rejects_wrong_type: config("config" / "wrong-type.toml")
            => (false, Err(ConfigError::Parse { .. })),
        rejects_bad_listen_address: config("config" / "bad-listen-address.toml")
            => (false, Err(ConfigError::Parse { .. })),
        rejects_max_record_out_of_range: config("config" / "max-record-out-of-range.toml")
            => (true, Err(ConfigError::OutOfRange { option: "max-record", value: 10, .. })),
    }

    #[test]
    fn accepts_seed_config() {
        let text = include_str!("../../fuzz/corpus-seed/config/full.toml");
        assert!(parse_config(text).is_ok());
        let c = resolve_config(text).expect("the seed config is valid");
        assert_eq!(c.max_record, 65_536);
    }

    #[test]
    fn accepts_seed_backend_stream_in_any_chunking() {
        let input = include_bytes!("../../fuzz/corpus-seed/pg_backend/simple-query.bin");
        let [limit, _, stream @ ..] = &input[..] else {
            panic!("seed too short");
        };
        let whole = format!("{:?}", backend_events(stream, 0, backend_limit(*limit)));
        assert!(whole.starts_with("Ok([RowDescription("), "{whole}");
        for chunk in 1..8 {
            let chunked = backend_events(stream, chunk, backend_limit(*limit));
            assert_eq!(format!("{chunked:?}"), whole);
        }
    }

    #[test]
    fn every_fixture_has_a_test() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/fixtures");
        let mut untested = Vec::new();
        for dir in ["pg_backend", "config"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("fixture directory") {
                let name = entry.expect("fixture entry").file_name();
                let name = format!("{dir}/{}", name.to_string_lossy());
                if !FIXTURES.contains(&name.as_str()) {
                    untested.push(name);
                }
            }
        }
        assert!(untested.is_empty(), "fixtures without a test: {untested:?}");
    }
}
