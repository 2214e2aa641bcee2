//! The server's clear LOGIN parser, `ServerHandshake::on_login`, on
//! arbitrary bytes (a LOGIN frame body, type byte onward).
//!
//! Nothing may panic. What it accepts must be a LOGIN that `Packet::decode`
//! reads the same way: version 3.x with a record limit in 1024..=16 MiB and
//! a KE1 whose points decode, re-encoding to exactly the input.
#![no_main]

use cor4_protocol::Packet;
use cor4_protocol::crypto::{MAX_RECORD_LIMIT, MIN_RECORD_LIMIT};
use cor4_protocol::handshake::ServerHandshake;
use cor4_protocol::packet::LoginFields;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(lookup) = ServerHandshake::on_login(data) else {
        return;
    };
    let Ok(Packet::Login(login)) = Packet::decode(data, None) else {
        panic!("on_login accepted what Packet::decode does not read as LOGIN");
    };
    assert_eq!(lookup.user(), login.user);
    assert_eq!(lookup.client_version(), login.version);
    assert_eq!(login.version[0], 3);
    let LoginFields::V3(v3) = login.fields else {
        panic!("an accepted LOGIN has v3 fields");
    };
    assert!((MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&v3.max_record));
    assert_eq!(&Packet::Login(login).to_frame()[4..], data);
});
