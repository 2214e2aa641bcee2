//! `Packet::decode` on arbitrary bytes, with the column types for row
//! packets taken from the input. Whatever decodes must re-encode to the
//! same bytes (one encoding per packet).
#![no_main]

use cor4_protocol::{Packet, Type};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&ncols, rest)) = data.split_first() else {
        return;
    };
    let ncols = usize::from(ncols % 16);
    if rest.len() < ncols {
        return;
    }
    let (codes, body) = rest.split_at(ncols);
    let Ok(types) = codes
        .iter()
        .map(|&c| Type::from_code(c))
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    if let Ok(packet) = Packet::decode(body, Some(&types)) {
        let frame = packet.to_frame();
        assert_eq!(&frame[4..], body);
    }
});
