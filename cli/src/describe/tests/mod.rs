//! Development tests: every case runs through [`super::run`] against a
//! live PostgreSQL 15 and through psql 15 itself, and the two must agree.
//!
//! ```text
//!  COR4_DESCRIBE_TEST_URL="host=/tmp/pg port=5432 dbname=cor4"
//!  fixture.sql (as the superuser) ─▶ schema describe_test owned by the role
//!  cases: (user, "\dt+ q48_*") ─┬─▶ run() ─▶ PrintTables rendered unaligned
//!                               └─▶ psql -X -A -F US -R RS -P null=<NULL>
//!  compare stdout per case, and the error lines
//! ```
//!
//! psql's unaligned format shows a table's title, headers, every cell
//! (NULL as `<NULL>`), and its footers line by line, so comparing it
//! checks everything a [`PrintTable`](crate::print::PrintTable) holds but
//! the alignments. The tests are skipped, with a message, when the
//! variable is unset. They need `psql` on the `PATH` (or in
//! `COR4_DESCRIBE_TEST_PSQL`), a superuser `postgres`, and an ordinary role
//! (`COR4_DESCRIBE_TEST_ROLE`, default `corpus`). Optional:
//! `COR4_DESCRIBE_TEST_TABLESPACE` (a directory the server may use, to
//! test tablespace footers) and `COR4_DESCRIBE_TEST_DIFFS` (a file to write
//! the mismatches to). The fixture drops and recreates schema
//! `describe_test` and the `dt_*` roles, publications and wrappers: point it
//! at a throwaway cluster only.
//!
//! Every case runs three times: as the role, as the superuser, and as the
//! role with `-q -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on`; a few
//! more compare the exit status of `psql -c` with [`Outcome::failed`].
//!
//! [`Outcome::failed`]: super::Outcome::failed

mod cases;
mod harness;
