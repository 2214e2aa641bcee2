//! The record opener on arbitrary bytes, and the sealer and opener against
//! each other on arbitrary plaintext.
//!
//! First the whole input is a record stream for an opener with a fixed key
//! (client→server, counter 0): it must never panic and never open a record,
//! since nothing here can forge a tag. Then, from byte 3 on, the input is a
//! plaintext: sealed and opened again it must come back exactly; the same
//! record must not open in the other direction (a reflection), nor with one
//! byte flipped (position from bytes 0–1 modulo the record length, XOR mask
//! from byte 2, 0 taken as 1) — header, ciphertext and tag alike. An empty
//! plaintext seals to a record of length 16, below the 17 that
//! `docs/protocol.md` §5 requires: it must not open at all.
#![no_main]

use cor4_protocol::RecordError;
use cor4_protocol::crypto::{Direction, RECORD_HEADER_LEN, RecordOpener, RecordSealer, TAG_LEN};
use libfuzzer_sys::fuzz_target;

const KEY: [u8; 16] = [0x42; 16];
const MAX_PLAINTEXT: u32 = 1 << 20;

fn opener(direction: Direction) -> RecordOpener {
    RecordOpener::new(&KEY, direction, MAX_PLAINTEXT)
}

/// Whether `record` opens as a whole record for a fresh opener.
fn opens(direction: Direction, record: &[u8]) -> bool {
    let mut buf = record.to_vec();
    matches!(opener(direction).open_in_place(&mut buf), Ok(Some(_)))
}

fuzz_target!(|data: &[u8]| {
    assert!(
        !opens(Direction::ClientToServer, data),
        "forged record accepted"
    );

    let Some((&[lo, hi, mask], plaintext)) = data.split_first_chunk::<3>() else {
        return;
    };
    let mut record = Vec::new();
    RecordSealer::new(&KEY, Direction::ClientToServer)
        .seal(plaintext, &mut record)
        .expect("a plaintext of at most a few MiB seals");
    assert_eq!(record.len(), RECORD_HEADER_LEN + plaintext.len() + TAG_LEN);
    if plaintext.is_empty() {
        let mut buf = record.clone();
        assert!(
            matches!(
                opener(Direction::ClientToServer).open_in_place(&mut buf),
                Err(RecordError::BadLength { len: 16, .. })
            ),
            "an empty record opened"
        );
        return;
    }

    let mut opened = record.clone();
    let (range, total) = opener(Direction::ClientToServer)
        .open_in_place(&mut opened)
        .expect("a sealed record opens")
        .expect("the whole record is there");
    assert_eq!(total, record.len());
    assert_eq!(&opened[range], plaintext);

    assert!(
        !opens(Direction::ServerToClient, &record),
        "reflected record accepted"
    );

    let pos = usize::from(u16::from_le_bytes([lo, hi])) % record.len();
    let mut tampered = record;
    tampered[pos] ^= mask.max(1);
    assert!(
        !opens(Direction::ClientToServer, &tampered),
        "record with byte {pos} flipped accepted"
    );
});
