//! The rules for a password in clear, the same at both ends: the shell
//! checks a new password before it sends it (`\password`), the proxy when
//! it is given one (`user add`, `user passwd`). The proxy also refuses very
//! common passwords, from a list only it carries.

/// The fewest characters a password may have.
pub const MIN_PASSWORD_LEN: usize = 8;

/// The most bytes a password may have.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// What is wrong with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordFault {
    /// Fewer than [`MIN_PASSWORD_LEN`] characters.
    TooShort,
    /// More than [`MAX_PASSWORD_LEN`] bytes.
    TooLong,
    /// The user's own name, in any case.
    UserName,
}

impl PasswordFault {
    /// What the password is, as the end of "password rejected: …".
    pub fn reason(self) -> &'static str {
        match self {
            PasswordFault::TooShort => "shorter than 8 characters",
            PasswordFault::TooLong => "longer than 1024 bytes",
            PasswordFault::UserName => "equal to the user name",
        }
    }
}

/// The first rule `password` breaks as `user`'s password, if any.
pub fn password_fault(user: &str, password: &str) -> Option<PasswordFault> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        Some(PasswordFault::TooShort)
    } else if password.len() > MAX_PASSWORD_LEN {
        Some(PasswordFault::TooLong)
    } else if password.eq_ignore_ascii_case(user) {
        Some(PasswordFault::UserName)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_length_in_characters_and_bytes_and_the_name() {
        assert_eq!(
            password_fault("bob", "seven77"),
            Some(PasswordFault::TooShort)
        );
        // Eight characters, sixteen bytes.
        assert_eq!(password_fault("bob", "éééééééé"), None);
        let long = "x".repeat(MAX_PASSWORD_LEN + 1);
        assert_eq!(password_fault("bob", &long), Some(PasswordFault::TooLong));
        assert_eq!(
            password_fault("alice_01", "ALICE_01"),
            Some(PasswordFault::UserName)
        );
        assert_eq!(password_fault("alice", "correct horse"), None);
    }
}
