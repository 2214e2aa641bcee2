//! The rules the store enforces: which names may become users and roles,
//! which passwords are accepted, how generated passwords look, and how
//! failed logins lock an account for a while.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Duration;

use cor4_protocol::crypto::PasswordKey;
use rand::RngExt;

use super::UserError;

/// Longest identifier PostgreSQL keeps without truncating (NAMEDATALEN - 1).
pub const MAX_NAME_LEN: usize = 63;
/// Length of [`generate_password`]'s passwords.
pub const GENERATED_PASSWORD_LEN: usize = 20;

/// Unambiguous characters: no `0 O o 1 l I`. 56 symbols, so a generated
/// password carries 20 · log2(56) ≈ 116 bits.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Names no cor4 user or role may take: PostgreSQL's own and the proxy's.
const RESERVED: &[&str] = &[
    "cor4",
    "cor4_admin",
    "postgres",
    "public",
    "none",
    "all",
    "user",
    "current_user",
    "current_role",
    "session_user",
    "information_schema",
];

/// Passwords so common that accepting them would be negligent. Checked on
/// `user add/passwd` and, as MD5 digests, on CHPASS.
/// The common-password list shipped in the binary (`common-passwords.txt`:
/// 10,000 entries, most common first).
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

/// The list's entries, lower-case.
fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    &SET
}

/// K = MD5 of each entry, as typed and capitalised, and of the empty
/// password: what CHPASS can be checked against.
fn common_keys() -> &'static HashSet<[u8; 16]> {
    static SET: LazyLock<HashSet<[u8; 16]>> = LazyLock::new(|| {
        let key = |p: &str| *PasswordKey::from_password(p).as_bytes();
        let mut keys: HashSet<[u8; 16]> = common_passwords()
            .iter()
            .flat_map(|p| {
                let mut capitalised = p.to_string();
                if let Some(first) = capitalised.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                [key(p), key(&capitalised), key(&p.to_ascii_uppercase())]
            })
            .collect();
        keys.insert(key(""));
        keys
    });
    &SET
}

/// Checks that `name` is a safe identifier (`[a-z_][a-z0-9_]{0,62}`) and not
/// reserved (see the list above, plus every `pg_*` name). Such names never
/// need quoting in SQL, though the store quotes them anyway.
pub fn validate_name(name: &str) -> Result<(), UserError> {
    let bytes = name.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err(UserError::InvalidName("is empty"));
    };
    if bytes.len() > MAX_NAME_LEN {
        return Err(UserError::InvalidName("is longer than 63 characters"));
    }
    if !(first.is_ascii_lowercase() || first == b'_') {
        return Err(UserError::InvalidName(
            "must start with a lower-case letter or '_'",
        ));
    }
    if !bytes
        .iter()
        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(UserError::InvalidName(
            "may hold only lower-case letters, digits and '_'",
        ));
    }
    if name.starts_with("pg_") || RESERVED.contains(&name) {
        return Err(UserError::InvalidName("is reserved"));
    }
    Ok(())
}

/// The policy for passwords the proxy sees in clear (`user add`, `user
/// passwd`): the rules the shell checks too
/// ([`cor4_protocol::password_fault`]: length, not the user name), and not
/// a very common password.
pub fn check_password(name: &str, password: &str) -> Result<(), UserError> {
    if let Some(fault) = cor4_protocol::password_fault(name, password) {
        return Err(UserError::PasswordRejected(fault.reason()));
    }
    if common_passwords().contains(password.to_lowercase().as_str()) {
        return Err(UserError::PasswordRejected("too common"));
    }
    Ok(())
}

/// What is left of the policy when only K = MD5(password) is known (CHPASS
/// carries nothing else): K must not be the digest of the empty password, of
/// the user name, or of a very common password. Length cannot be checked.
pub fn check_key(name: &str, key: &PasswordKey) -> Result<(), UserError> {
    let same = |candidate: &str| PasswordKey::from_password(candidate).as_bytes() == key.as_bytes();
    if same(name) || same(&name.to_ascii_uppercase()) {
        return Err(UserError::PasswordRejected("equal to the user name"));
    }
    if common_keys().contains(key.as_bytes()) {
        return Err(UserError::PasswordRejected("too common"));
    }
    Ok(())
}

/// A fresh random password of [`GENERATED_PASSWORD_LEN`] characters from an
/// alphabet without look-alikes, from the thread-local CSPRNG.
pub fn generate_password() -> String {
    let mut rng = rand::rng();
    (0..GENERATED_PASSWORD_LEN)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// How failed logins lock an account.
///
/// Each failure increments the user's counter. When it reaches
/// `max_failures`, the account is locked for `base_lockout`; every further
/// failure after that lockout expires doubles the time, up to `max_lockout`.
/// Failures reported while a lockout is running neither count nor extend
/// it. A successful login (or `user unlock`) resets the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures before the first lockout (default 5).
    pub max_failures: u32,
    /// The first lockout (default 60 s).
    pub base_lockout: Duration,
    /// The longest lockout (default 1 h).
    pub max_lockout: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            base_lockout: Duration::from_secs(60),
            max_lockout: Duration::from_secs(3600),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_safe_identifiers() {
        for name in ["alice", "_x", "a1_b2", &"a".repeat(63)] {
            assert!(validate_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn rejects_unsafe_or_reserved_names() {
        for name in [
            "",
            "Alice",
            "1abc",
            "a-b",
            "a b",
            "a\"b",
            "ünï",
            &"a".repeat(64),
            "pg_monitor",
            "postgres",
            "cor4_admin",
            "public",
            "current_user",
        ] {
            assert!(
                matches!(validate_name(name), Err(UserError::InvalidName(_))),
                "{name:?}"
            );
        }
    }

    #[test]
    fn password_policy() {
        assert!(check_password("alice", "correct horse").is_ok());
        assert!(check_password("alice", "short").is_err());
        assert!(check_password("alicealice", "AliceAlice").is_err());
        assert!(check_password("bob", "Password").is_err());
        assert!(check_password("bob", &"x".repeat(1025)).is_err());
        // From the shipped list, in any case.
        assert!(check_password("bob", "FOOTBALL").is_err());
        assert!(check_password("bob", "1qaz2wsx").is_err());
    }

    #[test]
    fn the_common_list_has_ten_thousand_entries() {
        assert!(
            common_passwords().len() >= 10_000,
            "{}",
            common_passwords().len()
        );
    }

    #[test]
    fn key_policy_sees_only_digests() {
        let key = |p: &str| PasswordKey::from_password(p);
        assert!(check_key("alice", &key("correct horse")).is_ok());
        assert!(check_key("alice", &key("alice")).is_err());
        assert!(check_key("alice", &key("")).is_err());
        assert!(check_key("alice", &key("password")).is_err());
        // The same list as user add, as typed or capitalised: CHPASS
        // refuses 123456 and abc123, as user add does.
        assert!(check_key("alice", &key("123456")).is_err());
        assert!(check_key("alice", &key("abc123")).is_err());
        assert!(check_key("alice", &key("Football")).is_err());
        // Length is invisible in a digest.
        assert!(check_key("alice", &key("zq7")).is_ok());
    }

    #[test]
    fn generated_passwords_are_long_unambiguous_and_pass_the_policy() {
        let a = generate_password();
        let b = generate_password();
        assert_ne!(a, b);
        assert_eq!(a.len(), GENERATED_PASSWORD_LEN);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert!(!a.contains(['0', 'O', 'o', '1', 'l', 'I']));
        assert!(check_password("alice", &a).is_ok());
    }
}
