//! The shell's statement splitter (`cli/src/scan`) on arbitrary text, line
//! by line as the shell feeds it, with variables that expand to SQL and to
//! themselves (recursion). Nothing may panic, every call must make
//! progress, and a statement it hands over must end with its `;`.
#![no_main]

use cor4_cli::{ScanResult, SqlScanner, Variables};
use libfuzzer_sys::fuzz_target;

struct Vars;

impl Variables for Vars {
    fn get(&self, name: &str) -> Option<String> {
        match name {
            "a" => Some("'x;y'".to_owned()),
            "b" => Some(":b".to_owned()),
            "c" => Some("$$ ; $$".to_owned()),
            _ => None,
        }
    }

    fn warn(&self, _message: &str) {}
}

fuzz_target!(|text: &str| {
    for std_strings in [true, false] {
        let mut scanner = SqlScanner::new();
        let mut buf = String::new();
        for line in text.split('\n') {
            scanner.setup(line, std_strings);
            // Each call consumes input; a line of n bytes ends within n + 1 calls
            // (variables add their values' lengths, bounded here).
            let mut calls = 0;
            loop {
                calls += 1;
                assert!(calls <= line.len() + 64, "no progress on {line:?}");
                match scanner.scan(&mut buf, &Vars) {
                    ScanResult::Semicolon => {
                        assert!(buf.trim_end().ends_with(';'), "{buf:?}");
                        buf.clear();
                    }
                    ScanResult::Backslash => {
                        // The meta-command and the rest of the line.
                        let rest = scanner.rest().len();
                        scanner.advance(rest);
                    }
                    ScanResult::Incomplete | ScanResult::Eol => break,
                }
            }
            buf.push('\n');
        }
    }
});
