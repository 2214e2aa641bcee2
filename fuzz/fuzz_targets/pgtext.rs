//! `pgtext::parse` on arbitrary bytes as each wire type.
//!
//! Nothing may panic, and whatever parses must render back to exactly the
//! input: `render(parse(t)) == t`, the module's promise for every text
//! PostgreSQL prints. Its two documented exceptions are checked at the
//! value level instead — the rendering parses back to the same value (floats
//! by their bits) and renders the same again:
//!
//! * bytea in `bytea_output = escape` form (any text not starting `\x`),
//!   which renders back as hex;
//! * `real` and `double precision`, which read any plain decimal so that
//!   output under every `extra_float_digits` reads back, and render in
//!   PostgreSQL's default shortest form.
#![no_main]

use cor4_protocol::{Type, pgtext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &[u8]| {
    for ty in Type::ALL {
        let Ok(value) = pgtext::parse(ty, text) else {
            continue;
        };
        assert_eq!(value.type_of(), Some(ty));
        let rendered = pgtext::to_text(&value).expect("a parsed value is not NULL");
        let exception = matches!(ty, Type::Float4 | Type::Float8)
            || (ty == Type::Bytea && !text.starts_with(b"\\x"));
        if exception {
            let again = pgtext::parse(ty, rendered.as_bytes()).unwrap_or_else(|e| {
                panic!("{ty:?}: {value:?} renders as {rendered:?}, which does not parse: {e}")
            });
            assert_eq!(again, value, "{ty:?}: {rendered:?} reads back differently");
            assert_eq!(
                pgtext::to_text(&again).as_deref(),
                Some(rendered.as_str()),
                "{ty:?}: rendering is not a fixed point"
            );
        } else {
            assert!(
                rendered.as_bytes() == text,
                "{ty:?}: {:?} parses as {value:?}, which renders as {rendered:?}",
                String::from_utf8_lossy(text)
            );
        }
    }
});
