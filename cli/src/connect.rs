//! Who and where to connect: flags, then `COR4_*` environment variables,
//! then defaults; the password from `COR4_PASSWORD` or a prompt without
//! echo; and psql's wording when it fails.

use std::collections::HashMap;
use std::io::IsTerminal;

use cor4_protocol::client::{Client, Config, DEFAULT_PORT};

use crate::args::Args;

/// The host when neither `-h` nor `COR4_HOST` names one.
pub const DEFAULT_HOST: &str = "127.0.0.1";

/// Where to connect, resolved from the flags and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// User name.
    pub user: String,
}

/// Why the shell could not log in; printed as
/// `cor4: error: connection to server at "HOST", port PORT failed: REASON`.
#[derive(Debug)]
pub struct ConnectError {
    /// Where it tried.
    pub target: Target,
    /// Why it failed.
    pub reason: String,
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "connection to server at \"{}\", port {} failed: {}",
            self.target.host, self.target.port, self.reason
        )
    }
}

impl std::error::Error for ConnectError {}

/// A variable of the environment, through `lookup` (tests pass their own).
type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Target {
    /// `-h`/`COR4_HOST`/127.0.0.1, `-p`/`COR4_PORT`/7654,
    /// `-U`/`COR4_USER`/`$USER`.
    pub fn resolve(args: &Args, env: Lookup<'_>) -> Result<Target, String> {
        let host = args
            .host
            .clone()
            .or_else(|| env("COR4_HOST").filter(|h| !h.is_empty()))
            .unwrap_or_else(|| DEFAULT_HOST.to_owned());
        let port = match args.port {
            Some(p) => p,
            None => match env("COR4_PORT").filter(|p| !p.is_empty()) {
                Some(p) => p
                    .trim()
                    .parse()
                    .map_err(|_| format!("invalid port number: \"{p}\""))?,
                None => DEFAULT_PORT,
            },
        };
        let user = args
            .user
            .clone()
            .or_else(|| env("COR4_USER").filter(|u| !u.is_empty()))
            .or_else(|| env("USER").filter(|u| !u.is_empty()))
            .or_else(|| env("LOGNAME").filter(|u| !u.is_empty()))
            .ok_or("no user name: use -U or COR4_USER")?;
        Ok(Target { host, port, user })
    }
}

/// The password: `COR4_PASSWORD` (unless `-W`), else a prompt on the
/// terminal without echo (unless `-w`). `None` when there is neither.
pub fn password(args: &Args, target: &Target, env: Lookup<'_>) -> Option<String> {
    if !args.force_password
        && let Some(p) = env("COR4_PASSWORD")
    {
        return Some(p);
    }
    if args.no_password || !can_prompt() {
        return None;
    }
    rpassword::prompt_password(format!("Password for user {}: ", target.user)).ok()
}

/// Asks for `user`'s password on the terminal (`\c` as another user);
/// `None` when there is no terminal.
pub fn ask_password(user: &str) -> Option<String> {
    if !can_prompt() {
        return None;
    }
    rpassword::prompt_password(format!("Password for user {user}: ")).ok()
}

/// Whether a terminal is there to ask on (rpassword reads `/dev/tty`).
fn can_prompt() -> bool {
    std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok()
}

/// Logs in; the error says why as psql would.
pub async fn connect(
    target: &Target,
    password: Option<&str>,
) -> Result<(Client, Config, HashMap<String, String>), ConnectError> {
    let fail = |reason: String| ConnectError {
        target: target.clone(),
        reason,
    };
    let Some(password) = password else {
        return Err(fail("no password supplied".into()));
    };
    let config = Config::new(&target.host, target.port, &target.user, password);
    match login(&config).await {
        Ok((client, parameters)) => Ok((client, config, parameters)),
        Err(e) => Err(fail(reason(&e))),
    }
}

/// Logs in and asks for what the shell prints: every value in
/// PostgreSQL's own text, column types, every field of errors and
/// notices, and PostgreSQL's parameter reports. Returns the client and
/// the parameters' current values.
pub async fn login(
    config: &Config,
) -> Result<(Client, HashMap<String, String>), cor4_protocol::client::Error> {
    use cor4_protocol::packet::option;
    let client = Client::connect(config).await?;
    let parameters = client
        .set_options(
            option::TEXT_RESULTS
                | option::ERROR_FIELDS
                | option::PARAMETER_STATUS
                | option::COLUMN_TYPES,
        )
        .await?;
    Ok((client, parameters.into_iter().collect()))
}

/// The reason part of the message: the OS's words for socket errors
/// (`Connection refused`), the client's otherwise.
pub fn reason(e: &cor4_protocol::client::Error) -> String {
    use std::error::Error as _;
    if let Some(io) = e.source().and_then(|s| s.downcast_ref::<std::io::Error>()) {
        let text = io.to_string();
        return match text.find(" (os error") {
            Some(i) => text[..i].to_owned(),
            None => text,
        };
    }
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn flags_win_over_environment_over_defaults() {
        let args = Args::parse_from(["cor4", "-p", "7000"]);
        let e = env(&[("COR4_HOST", "db"), ("COR4_PORT", "1"), ("USER", "me")]);
        let t = Target::resolve(&args, &e).expect("resolves");
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str()),
            ("db", 7000, "me")
        );
        let t = Target::resolve(&Args::parse_from(["cor4"]), &env(&[("USER", "me")]))
            .expect("resolves");
        assert_eq!((t.host.as_str(), t.port), (DEFAULT_HOST, DEFAULT_PORT));
    }

    #[test]
    fn rejects_a_bad_port_variable() {
        let e = env(&[("COR4_PORT", "x"), ("USER", "me")]);
        assert!(Target::resolve(&Args::parse_from(["cor4"]), &e).is_err());
    }

    #[test]
    fn password_comes_from_the_environment() {
        let args = Args::parse_from(["cor4", "-w"]);
        let t = Target::resolve(&args, &env(&[("USER", "me")])).expect("resolves");
        let e = env(&[("COR4_PASSWORD", "pw")]);
        assert_eq!(password(&args, &t, &e).as_deref(), Some("pw"));
        assert_eq!(password(&args, &t, &env(&[])), None);
    }

    #[test]
    fn message_reads_like_psql() {
        let e = ConnectError {
            target: Target {
                host: "127.0.0.1".into(),
                port: 7654,
                user: "u".into(),
            },
            reason: "login failed: wrong user name or password".into(),
        };
        assert_eq!(
            e.to_string(),
            "connection to server at \"127.0.0.1\", port 7654 failed: login failed: wrong user name or password"
        );
    }
}
