//! Transaction pooling's check of client SQL (`proxy/src/pool/guard.rs`)
//! on arbitrary text: nothing may panic, the answer does not depend on
//! what follows a complete statement that is refused, and text without a
//! letter is never refused.
#![no_main]

use cor4_proxy::fuzz_hooks::session_state;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|sql: &str| {
    let why = session_state(sql);
    if !sql.chars().any(char::is_alphabetic) {
        assert_eq!(why, None, "{sql:?}");
    }
    // A refused statement stays refused whatever comes after it.
    if why.is_some() {
        let longer = format!("{sql}\n;SELECT 1");
        if session_state(&longer).is_none() {
            panic!("{sql:?} refused, but not with a statement after it");
        }
    }
});
