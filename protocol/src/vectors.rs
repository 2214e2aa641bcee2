//! The hex test vectors of `docs/protocol.md`, read from the document itself
//! so the tests and the spec cannot drift apart.
//!
//! A vector in the document is a fenced block right after a line
//! `<!-- vector: NAME -->`; whitespace and `|` separators are ignored.

const PROTOCOL_MD: &str = include_str!("../../docs/protocol.md");

/// The bytes of the vector called `name`; panics (failing the test) if the
/// document has no such vector or it is not valid hex.
pub(crate) fn get(name: &str) -> Vec<u8> {
    let marker = format!("<!-- vector: {name} -->");
    let start = PROTOCOL_MD
        .find(&marker)
        .unwrap_or_else(|| panic!("docs/protocol.md has no vector {name}"));
    let rest = &PROTOCOL_MD[start + marker.len()..];
    let open = rest.find("```").expect("vector block opens");
    let body = &rest[open + 3..];
    let body = &body[body.find('\n').expect("fence line ends") + 1..];
    let close = body.find("```").expect("vector block closes");
    let digits: String = body[..close]
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '|')
        .collect();
    assert!(
        digits.len().is_multiple_of(2),
        "vector {name} has an odd number of hex digits"
    );
    (0..digits.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&digits[i..i + 2], 16)
                .unwrap_or_else(|_| panic!("vector {name} is not hex at {i}"))
        })
        .collect()
}

/// The names of every vector in the document, in order.
pub(crate) fn names() -> Vec<&'static str> {
    PROTOCOL_MD
        .match_indices("<!-- vector: ")
        .filter_map(|(i, m)| {
            let rest = &PROTOCOL_MD[i + m.len()..];
            rest.find(" -->").map(|end| &rest[..end])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vector the document shows is compared with what the code
    /// produces by some test: the seed's (packet tests), the login's
    /// (handshake tests), the answers' and packets' (packet tests).
    #[test]
    fn every_vector_in_the_document_is_checked() {
        let mut checked: Vec<&str> = vec![
            "seed-result-head",
            "seed-result-row-2",
            "seed-result-rows",
            "row-with-null",
            "long-string-prefix",
        ];
        checked.extend(crate::packet::tests::document_vector_names());
        checked.extend(crate::handshake::tests::login_vector_names());
        let mut unchecked: Vec<&str> = names()
            .into_iter()
            .filter(|n| !checked.contains(n))
            .collect();
        unchecked.dedup();
        assert!(
            unchecked.is_empty(),
            "vectors no test checks: {unchecked:?}"
        );
        for name in names() {
            assert!(!get(name).is_empty(), "{name}");
        }
    }
}
