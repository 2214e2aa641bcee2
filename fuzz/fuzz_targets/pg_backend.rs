//! The proxy's decoder of PostgreSQL backend messages, on bytes from the
//! network: `pgwire::message::decode` under a length limit, then what the
//! relay makes of each message (`DataRow::new`, `DbError::parse`,
//! `CopyStart::parse`, `parameter_types`, RowDescription's columns,
//! ReadyForQuery's status), through `cor4_proxy::fuzz_hooks`.
//!
//! Byte 0 picks the limit (256 B to 64 KiB: small, so that a header
//! announcing more than the input holds reserves little), byte 1 a chunk
//! size (0 taken as 1); the rest is the stream. Nothing may panic; fed in chunks, the
//! decoder must produce exactly what it produces from the whole stream at
//! once; and every value of every row must lie inside the row.
#![no_main]

use cor4_proxy::fuzz_hooks::backend_events;
use cor4_proxy::Event;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [limit, chunk, stream @ ..] = data else {
        return;
    };
    let max_len = (usize::from(*limit) + 1) << 8;
    let whole = backend_events(stream, 0, max_len);
    let chunked = backend_events(stream, usize::from(*chunk).max(1), max_len);
    assert_eq!(format!("{whole:?}"), format!("{chunked:?}"));

    for event in whole.iter().flatten() {
        let Event::DataRow(row) = event else {
            continue;
        };
        assert_eq!(row.iter().len(), row.len());
        for i in 0..row.len() {
            let value = row.get(i);
            assert_eq!(value.is_none(), row.is_null(i), "value {i} outside its row");
            assert_eq!(row.get_bytes(i).as_deref(), value);
            assert!(value.is_none_or(|v| v.len() < stream.len()));
        }
        assert_eq!(row.get(row.len()), None);
    }
});
