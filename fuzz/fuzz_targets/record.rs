//! The record opener and the handshake's clear parsers on arbitrary bytes:
//! never a panic, never an accepted forgery.
#![no_main]

use cor4_protocol::crypto::{Direction, RecordOpener};
use cor4_protocol::handshake::ServerHandshake;
use cor4_protocol::pgtext;
use cor4_protocol::Type;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut opener = RecordOpener::new(&[0x42; 16], Direction::ClientToServer, 4096);
    let mut buf = data.to_vec();
    // A forged record must never open: the fuzzer cannot produce a valid tag.
    if let Ok(Some(_)) = opener.open_in_place(&mut buf) {
        panic!("forged record accepted");
    }
    let _ = ServerHandshake::on_login(data);
    for ty in Type::ALL {
        let _ = pgtext::parse(ty, data);
    }
});
