//! psql's large-object commands over cor4, which has no fast-path calls:
//! the data travels as a `bytea` parameter or result (`lo_from_bytea`,
//! `lo_get`), so a file moves in one statement.

use std::io::Write;

use crate::commands::{Cmd, CmdStatus};
use crate::scan::slash::ArgKind;

/// `\lo_import FILE [COMMENT]`: prints `lo_import OID`, sets `LASTOID`.
pub async fn import(cmd: &mut Cmd<'_>) -> CmdStatus {
    let file = cmd.arg(ArgKind::Normal, true);
    let comment = cmd.arg(ArgKind::Normal, false);
    let Some(file) = file else {
        return cmd.missing_argument();
    };
    let path = crate::files::expand_tilde(&file);
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            return cmd.fail(&format!(
                "could not open file \"{path}\": {}",
                crate::output::os_reason(&e)
            ));
        }
    };
    let row = cmd
        .shell
        .client
        .query_one(
            "SELECT pg_catalog.lo_from_bytea(0, $1)::pg_catalog.text",
            &[&data.as_slice()],
        )
        .await;
    let oid = match row.and_then(|r| r.try_get::<_, String>(0)) {
        Ok(oid) => oid,
        Err(e) => return failed(cmd, &e),
    };
    if let Some(comment) = comment {
        let sql = format!(
            "COMMENT ON LARGE OBJECT {oid} IS {}",
            cor4_protocol::client::escape_literal(&comment)
        );
        if let Err(e) = cmd.shell.client.batch_execute(&sql).await {
            return failed(cmd, &e);
        }
    }
    cmd.shell.vars.set_internal("LASTOID", oid.clone());
    print_result(cmd, &format!("lo_import {oid}"));
    CmdStatus::Skip
}

/// `\lo_export OID FILE`: prints `lo_export`.
pub async fn export(cmd: &mut Cmd<'_>) -> CmdStatus {
    let oid = cmd.arg(ArgKind::Normal, true);
    let file = cmd.arg(ArgKind::Normal, true);
    let (Some(oid), Some(file)) = (oid, file) else {
        return cmd.missing_argument();
    };
    let row = cmd
        .shell
        .client
        .query_one(
            "SELECT pg_catalog.lo_get($1::pg_catalog.text::pg_catalog.oid)",
            &[&oid.as_str()],
        )
        .await;
    let hex = match row.and_then(|r| r.try_get::<_, String>(0)) {
        Ok(h) => h,
        Err(e) => return failed(cmd, &e),
    };
    let Some(bytes) = decode_hex_bytea(&hex) else {
        return cmd
            .fail("lo_export: the server did not send bytea in hex (set bytea_output to hex)");
    };
    let path = crate::files::expand_tilde(&file);
    if let Err(e) = std::fs::write(&path, bytes) {
        return cmd.fail(&format!(
            "could not write file \"{path}\": {}",
            crate::output::os_reason(&e)
        ));
    }
    print_result(cmd, "lo_export");
    CmdStatus::Skip
}

/// `\lo_unlink OID`: prints `lo_unlink OID`.
pub async fn unlink(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(oid) = cmd.arg(ArgKind::Normal, true) else {
        return cmd.missing_argument();
    };
    let done = cmd
        .shell
        .client
        .query_one(
            "SELECT pg_catalog.lo_unlink($1::pg_catalog.text::pg_catalog.oid)",
            &[&oid.as_str()],
        )
        .await;
    if let Err(e) = done {
        return failed(cmd, &e);
    }
    print_result(cmd, &format!("lo_unlink {oid}"));
    CmdStatus::Skip
}

fn failed(cmd: &mut Cmd<'_>, e: &cor4_protocol::client::Error) -> CmdStatus {
    match e.as_db_error() {
        Some(db) => {
            crate::exec::results::report_error(cmd.shell, db, None);
            CmdStatus::Error
        }
        None => cmd.fail(&e.to_string()),
    }
}

/// psql's `print_lo_result`: plain, or a paragraph in HTML.
fn print_result(cmd: &mut Cmd<'_>, text: &str) {
    if cmd.shell.quiet() {
        return;
    }
    let line = if cmd.shell.popt.format == crate::print::Format::Html {
        format!("<p>{text}</p>\n")
    } else {
        format!("{text}\n")
    };
    let _ = cmd.shell.out.write_all(line.as_bytes());
    let _ = cmd.shell.out.flush();
}

/// `\x0a1b…` → bytes.
fn decode_hex_bytea(text: &str) -> Option<Vec<u8>> {
    let hex = text.strip_prefix("\\x")?;
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_bytea_decodes() {
        assert_eq!(decode_hex_bytea("\\x00ff41"), Some(vec![0, 255, 65]));
        assert_eq!(decode_hex_bytea("\\x0"), None);
        assert_eq!(decode_hex_bytea("abc"), None);
    }
}
