//! The frame assembler fed arbitrary bytes in arbitrary chunks: it must
//! never panic, and every complete frame it returns must be exactly the
//! bytes that were pushed.
#![no_main]

use cor4_protocol::packet::{FrameAssembler, FrameEvent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk).max(1);
    let mut asm = FrameAssembler::new(4096);
    let mut consumed = 0usize;
    let mut frames = Vec::new();
    for piece in stream.chunks(chunk) {
        asm.push(piece);
        loop {
            match asm.next_frame() {
                Ok(Some(FrameEvent::Frame(body))) => {
                    consumed += 4 + body.len();
                    frames.push(body.to_vec());
                }
                Ok(Some(FrameEvent::Oversized { .. })) => return,
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    // Re-encoding the frames reproduces the prefix of the input they came from.
    let mut again = Vec::new();
    for body in &frames {
        again.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        again.extend_from_slice(body);
    }
    assert_eq!(&again[..], &stream[..consumed]);
});
