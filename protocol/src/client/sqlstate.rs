//! SQLSTATE codes as a type, with named constants for the codes
//! applications match on (PostgreSQL's Appendix A, classes 08, 0A, 22, 23,
//! 25, 28, 40, 42, 53, 54, 55, 57, 58, P0, XX).

use std::borrow::Cow;
use std::fmt;

/// A five-character SQLSTATE error code.
///
/// ```
/// use cor4_protocol::client::SqlState;
/// assert_eq!(SqlState::from_code("23505"), SqlState::UNIQUE_VIOLATION);
/// assert_eq!(SqlState::UNIQUE_VIOLATION.class(), "23");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SqlState(Cow<'static, str>);

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal;)*) => {
        impl SqlState {
            $(
                $(#[$doc])*
                pub const $name: SqlState = SqlState(Cow::Borrowed($code));
            )*
        }

        /// Every named constant, for lookups.
        const NAMED: &[&str] = &[$($code),*];
    };
}

codes! {
    /// 00000
    SUCCESSFUL_COMPLETION = "00000";
    /// 01000
    WARNING = "01000";
    /// 08000
    CONNECTION_EXCEPTION = "08000";
    /// 08003
    CONNECTION_DOES_NOT_EXIST = "08003";
    /// 08006
    CONNECTION_FAILURE = "08006";
    /// 08001
    SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION = "08001";
    /// 08004
    SQLSERVER_REJECTED_ESTABLISHMENT_OF_SQLCONNECTION = "08004";
    /// 08P01
    PROTOCOL_VIOLATION = "08P01";
    /// 0A000
    FEATURE_NOT_SUPPORTED = "0A000";
    /// 22000
    DATA_EXCEPTION = "22000";
    /// 22001
    STRING_DATA_RIGHT_TRUNCATION = "22001";
    /// 22003
    NUMERIC_VALUE_OUT_OF_RANGE = "22003";
    /// 22004
    NULL_VALUE_NOT_ALLOWED = "22004";
    /// 22007
    INVALID_DATETIME_FORMAT = "22007";
    /// 22008
    DATETIME_FIELD_OVERFLOW = "22008";
    /// 22012
    DIVISION_BY_ZERO = "22012";
    /// 22021
    CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /// 22023
    INVALID_PARAMETER_VALUE = "22023";
    /// 22P02
    INVALID_TEXT_REPRESENTATION = "22P02";
    /// 22P04
    BAD_COPY_FILE_FORMAT = "22P04";
    /// 22P05
    UNTRANSLATABLE_CHARACTER = "22P05";
    /// 23000
    INTEGRITY_CONSTRAINT_VIOLATION = "23000";
    /// 23001
    RESTRICT_VIOLATION = "23001";
    /// 23502
    NOT_NULL_VIOLATION = "23502";
    /// 23503
    FOREIGN_KEY_VIOLATION = "23503";
    /// 23505
    UNIQUE_VIOLATION = "23505";
    /// 23514
    CHECK_VIOLATION = "23514";
    /// 23P01
    EXCLUSION_VIOLATION = "23P01";
    /// 25000
    INVALID_TRANSACTION_STATE = "25000";
    /// 25001
    ACTIVE_SQL_TRANSACTION = "25001";
    /// 25P01
    NO_ACTIVE_SQL_TRANSACTION = "25P01";
    /// 25P02
    IN_FAILED_SQL_TRANSACTION = "25P02";
    /// 25006
    READ_ONLY_SQL_TRANSACTION = "25006";
    /// 26000
    INVALID_SQL_STATEMENT_NAME = "26000";
    /// 28000
    INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    /// 28P01
    INVALID_PASSWORD = "28P01";
    /// 40000
    TRANSACTION_ROLLBACK = "40000";
    /// 40001
    SERIALIZATION_FAILURE = "40001";
    /// 40002
    TRANSACTION_INTEGRITY_CONSTRAINT_VIOLATION = "40002";
    /// 40003
    STATEMENT_COMPLETION_UNKNOWN = "40003";
    /// 40P01
    DEADLOCK_DETECTED = "40P01";
    /// 42000
    SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42000";
    /// 42601
    SYNTAX_ERROR = "42601";
    /// 42501
    INSUFFICIENT_PRIVILEGE = "42501";
    /// 42703
    UNDEFINED_COLUMN = "42703";
    /// 42883
    UNDEFINED_FUNCTION = "42883";
    /// 42P01
    UNDEFINED_TABLE = "42P01";
    /// 42P02
    UNDEFINED_PARAMETER = "42P02";
    /// 42704
    UNDEFINED_OBJECT = "42704";
    /// 42701
    DUPLICATE_COLUMN = "42701";
    /// 42P03
    DUPLICATE_CURSOR = "42P03";
    /// 42P04
    DUPLICATE_DATABASE = "42P04";
    /// 42723
    DUPLICATE_FUNCTION = "42723";
    /// 42P05
    DUPLICATE_PREPARED_STATEMENT = "42P05";
    /// 42P06
    DUPLICATE_SCHEMA = "42P06";
    /// 42P07
    DUPLICATE_TABLE = "42P07";
    /// 42710
    DUPLICATE_OBJECT = "42710";
    /// 42702
    AMBIGUOUS_COLUMN = "42702";
    /// 42725
    AMBIGUOUS_FUNCTION = "42725";
    /// 42804
    DATATYPE_MISMATCH = "42804";
    /// 42P08
    AMBIGUOUS_PARAMETER = "42P08";
    /// 42P18
    INDETERMINATE_DATATYPE = "42P18";
    /// 42846
    CANNOT_COERCE = "42846";
    /// 42803
    GROUPING_ERROR = "42803";
    /// 42P10
    INVALID_COLUMN_REFERENCE = "42P10";
    /// 42611
    INVALID_COLUMN_DEFINITION = "42611";
    /// 42809
    WRONG_OBJECT_TYPE = "42809";
    /// 42939
    RESERVED_NAME = "42939";
    /// 53000
    INSUFFICIENT_RESOURCES = "53000";
    /// 53100
    DISK_FULL = "53100";
    /// 53200
    OUT_OF_MEMORY = "53200";
    /// 53300
    TOO_MANY_CONNECTIONS = "53300";
    /// 53400
    CONFIGURATION_LIMIT_EXCEEDED = "53400";
    /// 54000
    PROGRAM_LIMIT_EXCEEDED = "54000";
    /// 55000
    OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    /// 55P03
    LOCK_NOT_AVAILABLE = "55P03";
    /// 57000
    OPERATOR_INTERVENTION = "57000";
    /// 57014
    QUERY_CANCELED = "57014";
    /// 57P01
    ADMIN_SHUTDOWN = "57P01";
    /// 57P02
    CRASH_SHUTDOWN = "57P02";
    /// 57P03
    CANNOT_CONNECT_NOW = "57P03";
    /// 57P04
    DATABASE_DROPPED = "57P04";
    /// 57P05
    IDLE_SESSION_TIMEOUT = "57P05";
    /// 58000
    SYSTEM_ERROR = "58000";
    /// P0001
    RAISE_EXCEPTION = "P0001";
    /// XX000
    INTERNAL_ERROR = "XX000";
}

impl SqlState {
    /// The state for a code; a named constant's storage when there is one.
    pub fn from_code(code: &str) -> SqlState {
        match NAMED.iter().find(|&&c| c == code) {
            Some(&c) => SqlState(Cow::Borrowed(c)),
            None => SqlState(Cow::Owned(code.to_owned())),
        }
    }

    /// The five characters.
    pub fn code(&self) -> &str {
        &self.0
    }

    /// The class: the first two characters (`23` integrity violations, `40`
    /// transaction rollbacks, …).
    pub fn class(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }
}

impl fmt::Debug for SqlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SqlState({})", self.0)
    }
}

impl fmt::Display for SqlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_codes_compare_equal_to_parsed_ones() {
        assert_eq!(
            SqlState::from_code("40001"),
            SqlState::SERIALIZATION_FAILURE
        );
        assert_eq!(SqlState::from_code("XY123").code(), "XY123");
        assert_eq!(SqlState::QUERY_CANCELED.class(), "57");
        for code in NAMED {
            assert_eq!(code.len(), 5, "{code}");
        }
    }
}
