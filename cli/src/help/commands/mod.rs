//! The SQL commands `\h` knows: the same 185 names as psql 15, in the same
//! (byte-wise sorted) order, each with the documentation page psql links
//! to, and a description and synopsis written for cor4.
//!
//! The table is split alphabetically across files; [`all`] chains the parts
//! in order.
//!
//! Synopsis notation: upper case is literal, lower case is a placeholder,
//! `[ ]` is optional, `{ a | b }` is one of, `...` repeats what precedes it.
//! After a blank line, `placeholder:` lines define the placeholders used
//! above, one alternative per indented line.

mod alter_a_f;
mod alter_g_r;
mod alter_s_z;
mod analyze_copy;
mod create_a_f;
mod create_g_r;
mod create_s_z;
mod deallocate_drop;
mod end_reset;
mod revoke_set;
mod show_with;

/// One SQL command's help.
#[derive(Debug)]
pub(super) struct Command {
    /// The name `\h` lists and matches, in upper case.
    pub(super) name: &'static str,
    /// Its page under `https://www.postgresql.org/docs/15/`, without `.html`.
    pub(super) page: &'static str,
    /// What it does, in one line.
    pub(super) about: &'static str,
    /// How to write it: lines separated by `\n`, no final newline.
    pub(super) syntax: &'static str,
}

/// The parts of the table, in order.
const PARTS: [&[Command]; 11] = [
    alter_a_f::COMMANDS,
    alter_g_r::COMMANDS,
    alter_s_z::COMMANDS,
    analyze_copy::COMMANDS,
    create_a_f::COMMANDS,
    create_g_r::COMMANDS,
    create_s_z::COMMANDS,
    deallocate_drop::COMMANDS,
    end_reset::COMMANDS,
    revoke_set::COMMANDS,
    show_with::COMMANDS,
];

/// Every command, in `\h` order.
pub(super) fn all() -> impl Iterator<Item = &'static Command> {
    PARTS.iter().flat_map(|part| part.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `psql -c '\h *'` filtered to its `Command:` and `URL:` lines.
    const PSQL_URLS: &str = include_str!("../testdata/urls.txt");

    #[test]
    fn names_and_pages_are_psql_15s() {
        let mut expected = PSQL_URLS.lines();
        for command in all() {
            assert_eq!(
                expected.next(),
                Some(format!("Command:     {}", command.name).as_str())
            );
            assert_eq!(
                expected.next(),
                Some(
                    format!(
                        "URL: https://www.postgresql.org/docs/15/{}.html",
                        command.page
                    )
                    .as_str()
                )
            );
        }
        assert_eq!(expected.next(), None);
        assert_eq!(all().count(), 185);
    }

    #[test]
    fn names_are_sorted_bytewise() {
        let names: Vec<&str> = all().map(|c| c.name).collect();
        assert!(names.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
    }

    #[test]
    fn texts_are_tidy() {
        for c in all() {
            assert!(!c.about.is_empty() && !c.about.contains('\n'), "{}", c.name);
            assert!(!c.about.ends_with('.'), "{}", c.name);
            assert!(
                !c.syntax.is_empty() && !c.syntax.ends_with('\n'),
                "{}",
                c.name
            );
            for line in c.syntax.lines() {
                assert!(
                    !line.ends_with(' ') && !line.contains('\t'),
                    "{}: {line:?}",
                    c.name
                );
            }
            for word in c.name.split(' ') {
                assert!(c.syntax.contains(word), "{} lacks {word}", c.name);
            }
        }
    }

    #[test]
    fn placeholders_used_are_defined_or_plain() {
        // Every `name:` definition is referred to somewhere above it.
        for c in all() {
            let (forms, defs) = c.syntax.split_once("\n\n").unwrap_or((c.syntax, ""));
            for def in defs.lines().filter(|l| !l.starts_with(' ')) {
                let head = def.split([':', ',']).next().unwrap_or(def);
                let head = head.split(' ').next().unwrap_or(head);
                assert!(
                    forms.contains(head) || defs.matches(head).count() > 1,
                    "{}: {head} is defined but not used",
                    c.name
                );
            }
        }
    }
}
