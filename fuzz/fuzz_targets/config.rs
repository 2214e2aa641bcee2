//! The proxy's config file parser on arbitrary text: `toml` into
//! `FileConfig`, then the validation the proxy runs at start-up
//! (`Config::resolve` with the text as `--config`), through
//! `cor4_proxy::fuzz_hooks`.
//!
//! Nothing may panic; the two must agree on which texts parse; and a config
//! that validates has every limit within its documented range.
#![no_main]

use cor4_proxy::ConfigError;
use cor4_proxy::fuzz_hooks::{parse_config, resolve_config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_config(text);
    match resolve_config(text) {
        Err(ConfigError::Parse { .. }) => assert!(parsed.is_err()),
        Err(ConfigError::Read { path, source }) => {
            panic!("could not write or read {}: {source}", path.display())
        }
        Err(_) => assert!(parsed.is_ok()),
        Ok(c) => {
            assert!(parsed.is_ok());
            assert!((1024..=16 << 20).contains(&c.max_record));
            assert!((1024..=1 << 30).contains(&c.max_packet));
            assert!(c.kdf.check().is_ok());
            assert!((1..=300).contains(&c.login_timeout.as_secs()));
            assert!((1..=100_000).contains(&c.max_sessions));
        }
    }
});
