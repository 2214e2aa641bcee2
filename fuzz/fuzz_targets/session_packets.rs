//! `Packet::decode` on the session packets, types 14 to 26: PARAMETER,
//! RESULT_COLUMNS, COPY_IN, COPY_OUT, COPY_DATA, COPY_DONE, COPY_FAIL,
//! QUERY_PARAMS, PREPARE, DESCRIPTION, EXECUTE, CLOSE and OPTIONS.
//!
//! The first byte picks the type byte (14 + byte mod 13), so every input
//! reaches one of their decoders instead of the 1 in 20 that `packet`
//! spends on them; the rest is the body after the type byte. Whatever
//! decodes must be of that type and re-encode to exactly the body (one
//! encoding per packet).
#![no_main]

use cor4_protocol::Packet;
use cor4_protocol::packet::kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut body = Vec::with_capacity(data.len());
    body.push(kind::PARAMETER + selector % 13);
    body.extend_from_slice(rest);
    if let Ok(packet) = Packet::decode(&body, None) {
        assert_eq!(packet.kind(), body[0]);
        assert_eq!(&packet.to_frame()[4..], &body[..]);
    }
});
