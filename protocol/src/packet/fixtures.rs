//! The checked-in malformed inputs of the packet fuzz targets, each rejected
//! with the error it names.
//!
//! A fixture is a file under `fuzz/fixtures/packet/` or
//! `fuzz/fixtures/session_packets/`, laid out as that fuzz target reads its
//! input (see [`decode_fixture`]), so the same files seed the fuzzers. Every
//! file there must have a `rejects_…` test here.

use super::*;
use crate::error::{DecodeError, NonCanonical, RowMismatch};

/// Decodes a fixture the way its fuzz target does:
///
/// * `packet`: a column count (mod 16), that many type codes, then a frame
///   body (type byte onward);
/// * `session_packets`: a selector whose value mod 13 picks the type byte
///   14 + n, then the rest of the frame body.
fn decode_fixture(target: &str, input: &[u8]) -> Result<Packet, DecodeError> {
    match target {
        "packet" => {
            let (&ncols, rest) = input.split_first().expect("fixture has a column count");
            let (codes, body) = rest.split_at(usize::from(ncols % 16));
            let types = codes
                .iter()
                .map(|&c| Type::from_code(c))
                .collect::<Result<Vec<_>, _>>()
                .expect("fixture column types are valid");
            Packet::decode(body, Some(&types))
        }
        "session_packets" => {
            let (&selector, rest) = input.split_first().expect("fixture has a selector");
            let mut body = vec![kind::PARAMETER + selector % 13];
            body.extend_from_slice(rest);
            Packet::decode(&body, None)
        }
        other => panic!("no fixture layout for target {other}"),
    }
}

macro_rules! rejects {
    ($($test:ident: $target:literal / $file:literal => $err:expr;)*) => {
        $(
            #[test]
            fn $test() {
                let input = include_bytes!(concat!(
                    "../../../fuzz/fixtures/", $target, "/", $file
                ));
                assert_eq!(decode_fixture($target, input), Err($err));
            }
        )*

        /// `target/file` of every fixture tested above.
        const FIXTURES: &[&str] = &[$(concat!($target, "/", $file)),*];
    };
}

fn truncated(field: &'static str, needed: usize) -> DecodeError {
    DecodeError::Truncated { field, needed }
}

rejects! {
    rejects_empty_body: "packet" / "empty-body.bin" => truncated("packet type", 1);
    rejects_unknown_packet_type: "packet" / "unknown-packet-type.bin"
        => DecodeError::UnknownPacketType(29);
    rejects_trailing_bytes: "packet" / "trailing-bytes.bin" => DecodeError::TrailingBytes(1);
    rejects_truncated_string_length: "packet" / "truncated-string-length.bin"
        => truncated("query text", 7);
    rejects_bad_utf8: "packet" / "bad-utf8.bin" => DecodeError::InvalidUtf8;
    rejects_long_escape_for_short_string: "packet" / "long-escape-for-short-string.bin"
        => DecodeError::NonCanonical(NonCanonical::LongStringEscape);
    rejects_huge_count: "packet" / "huge-count.bin" => truncated("column names", 2);
    rejects_unknown_type_code: "packet" / "unknown-type-code.bin"
        => DecodeError::UnknownTypeCode(15);
    rejects_bitmap_past_columns: "packet" / "bitmap-past-columns.bin"
        => DecodeError::RowMismatch(RowMismatch::BitmapPastColumns);
    rejects_null_row_without_null: "packet" / "null-row-without-null.bin"
        => DecodeError::NonCanonical(NonCanonical::NullRowWithoutNull);
    rejects_row_with_too_few_values: "packet" / "row-with-too-few-values.bin"
        => truncated("integer value", 4);
    rejects_bad_bool: "packet" / "bad-bool.bin" => DecodeError::InvalidBool(2);
    rejects_bad_transaction_status: "packet" / "bad-transaction-status.bin"
        => DecodeError::InvalidTransactionStatus(b'X');
    rejects_empty_field_list: "packet" / "empty-field-list.bin"
        => DecodeError::NonCanonical(NonCanonical::EmptyFieldList);
    rejects_truncated_login_nonce: "packet" / "truncated-login-nonce.bin"
        => truncated("client nonce", 16);
    rejects_truncated_login_ke1: "packet" / "truncated-login-ke1.bin"
        => truncated("OPAQUE KE1", 56);
    rejects_truncated_login_response: "packet" / "truncated-login-response.bin"
        => truncated("OPAQUE KE2", 20);
    rejects_login_finish_trailing_byte: "packet" / "login-finish-trailing-byte.bin"
        => DecodeError::TrailingBytes(1);

    rejects_untyped_non_null_param: "session_packets" / "untyped-non-null-param.bin"
        => DecodeError::NonCanonical(NonCanonical::UntypedValue);
    rejects_bad_copy_format: "session_packets" / "bad-copy-format.bin"
        => DecodeError::InvalidCopyFormat(2);
    rejects_bad_copy_column_format: "session_packets" / "bad-copy-column-format.bin"
        => DecodeError::InvalidCopyFormat(7);
    rejects_param_bitmap_past_columns: "session_packets" / "param-bitmap-past-columns.bin"
        => DecodeError::RowMismatch(RowMismatch::BitmapPastColumns);
    rejects_huge_param_count: "session_packets" / "huge-param-count.bin"
        => truncated("parameter types", 65_535);
    rejects_huge_description_count: "session_packets" / "huge-description-count.bin"
        => truncated("parameter type", 1);
    rejects_huge_column_count: "session_packets" / "huge-column-count.bin"
        => truncated("column type oid", 4);
    rejects_unknown_param_type: "session_packets" / "unknown-param-type.bin"
        => DecodeError::UnknownTypeCode(15);
    rejects_truncated_options: "session_packets" / "truncated-options.bin"
        => truncated("option flags", 2);
    rejects_description_trailing_bytes: "session_packets" / "description-trailing-bytes.bin"
        => DecodeError::TrailingBytes(1);
    rejects_parameter_bad_utf8: "session_packets" / "parameter-bad-utf8.bin"
        => DecodeError::InvalidUtf8;
}

#[test]
fn every_packet_fixture_has_a_test() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/fixtures");
    let mut untested = Vec::new();
    for target in ["packet", "session_packets"] {
        for entry in std::fs::read_dir(root.join(target)).expect("fixture directory") {
            let name = entry.expect("fixture entry").file_name();
            let name = format!("{target}/{}", name.to_string_lossy());
            if !FIXTURES.contains(&name.as_str()) {
                untested.push(name);
            }
        }
    }
    assert!(untested.is_empty(), "fixtures without a test: {untested:?}");
}
