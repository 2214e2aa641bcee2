//! psql's prompts: `PROMPT1` for a new statement, `PROMPT2` for a
//! statement going on, `PROMPT3` for COPY data, with psql's `%` escapes.
//!
//! | escape | meaning |
//! | --- | --- |
//! | `%/` `%~` | database (`~` when it is named after the user) |
//! | `%n` `%M` `%m` `%>` | user, host, host up to the first dot, port |
//! | `%R` | `=` ready, `^` single-line, `@` in a skipped `\if` branch, `!` disconnected; `-` `*` `'` `"` `$` `(` while a statement goes on |
//! | `%x` | `*` in a transaction, `!` in a failed one |
//! | `%#` | `#` for a superuser, else `>` |
//! | `%l` `%w` | line of the statement; spaces as wide as PROMPT1 |
//! | `%NNN` `%:name:` `` %`cmd` `` `%[ %]` `%%` | octal byte, variable, command output, invisible markers, `%` |

use cor4_protocol::packet::TransactionStatus;

use crate::cond::CondStack;
use crate::scan::PromptStatus;
use crate::shell::Shell;

/// Which prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// A new statement, or one going on.
    Query(PromptStatus),
    /// COPY data.
    Copy,
}

/// The prompt for `status`.
pub fn prompt(shell: &Shell, status: PromptStatus, cond: &CondStack) -> String {
    let which = Which::Query(status);
    let template = template(shell, which);
    expand(shell, &template, which, cond, 1)
}

/// `PROMPT3`, shown before each line of COPY data typed at the terminal.
pub fn copy_prompt(shell: &Shell) -> String {
    let template = template(shell, Which::Copy);
    expand(shell, &template, Which::Copy, &CondStack::default(), 1)
}

fn template(shell: &Shell, which: Which) -> String {
    let name = match which {
        Which::Query(PromptStatus::Ready) => "PROMPT1",
        Which::Query(_) => "PROMPT2",
        Which::Copy => "PROMPT3",
    };
    shell.vars.get(name).unwrap_or_default().to_owned()
}

/// Expands a prompt template.
pub fn expand(
    shell: &Shell,
    template: &str,
    which: Which,
    cond: &CondStack,
    line: usize,
) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            break;
        };
        match e {
            '/' => out.push_str(&shell.info.dbname),
            '~' => {
                if shell.info.dbname == shell.info.user {
                    out.push('~');
                } else {
                    out.push_str(&shell.info.dbname);
                }
            }
            'n' => out.push_str(&shell.info.user),
            'M' => out.push_str(&shell.info.host),
            'm' => out.push_str(shell.info.host.split('.').next().unwrap_or_default()),
            '>' => out.push_str(&shell.info.port.to_string()),
            'p' => {}
            'R' => match which {
                Which::Query(PromptStatus::Ready) => out.push(if !cond.active() {
                    '@'
                } else if shell.lost {
                    '!'
                } else if shell.vars.singleline() {
                    '^'
                } else {
                    '='
                }),
                Which::Query(PromptStatus::Continue) => out.push('-'),
                Which::Query(PromptStatus::Comment) => out.push('*'),
                Which::Query(PromptStatus::SingleQuote) => out.push('\''),
                Which::Query(PromptStatus::DoubleQuote) => out.push('"'),
                Which::Query(PromptStatus::DollarQuote) => out.push('$'),
                Which::Query(PromptStatus::Paren) => out.push('('),
                Which::Copy => {}
            },
            'x' => match shell.client.transaction_status() {
                TransactionStatus::InTransaction => out.push('*'),
                TransactionStatus::Failed => out.push('!'),
                _ => {}
            },
            '#' => out.push(if shell.parameter("is_superuser") == Some("on") {
                '#'
            } else {
                '>'
            }),
            'l' => out.push_str(&line.to_string()),
            'w' => {
                let first = expand(
                    shell,
                    &template_of(shell, "PROMPT1"),
                    Which::Query(PromptStatus::Ready),
                    cond,
                    line,
                );
                out.extend(std::iter::repeat_n(' ', visible_width(&first)));
            }
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if let Some(ch) = char::from_u32(value) {
                    out.push(ch);
                }
            }
            ':' => {
                let name: String = chars.by_ref().take_while(|&ch| ch != ':').collect();
                if let Some(v) = shell.vars.get(&name) {
                    out.push_str(v);
                }
            }
            '`' => {
                let command: String = chars.by_ref().take_while(|&ch| ch != '`').collect();
                if let Ok(o) = crate::environment::shell_command(&command).output() {
                    let text = String::from_utf8_lossy(&o.stdout);
                    out.push_str(text.strip_suffix('\n').unwrap_or(&text));
                }
            }
            '[' | ']' => {}
            other => out.push(other),
        }
    }
    out
}

fn template_of(shell: &Shell, name: &str) -> String {
    shell.vars.get(name).unwrap_or_default().to_owned()
}

/// Display width, skipping ANSI escape sequences.
fn visible_width(s: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in s.chars() {
        if in_escape {
            if c.is_ascii_alphabetic() {
                in_escape = false;
            }
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            width += crate::print::char_width(c).unwrap_or(0);
        }
    }
    width
}
