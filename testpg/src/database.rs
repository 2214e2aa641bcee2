//! The PostgreSQL a whole test process shares.
//!
//! Every `#[tokio::test]` has its own runtime, so the database is started
//! synchronously, once per process, by the first test that asks for it.

use std::process::Command;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::{TempCluster, psql_program};

/// The environment variable naming an existing server to test against.
pub const DATABASE_URL_VAR: &str = "COR4_TEST_DATABASE_URL";

/// The PostgreSQL a test run uses, with superuser rights.
#[derive(Debug)]
pub struct TestDatabase {
    config: tokio_postgres::Config,
    url: String,
    /// The throwaway cluster of this process; `None` for a server named by
    /// [`DATABASE_URL_VAR`], which tests must not stop.
    cluster: Option<TempCluster>,
}

/// The PostgreSQL the whole test run shares: `COR4_TEST_DATABASE_URL` when
/// set (a superuser URL), else a [`TempCluster`] started once per test
/// process, which stops and disappears when the process ends, even by a
/// panic or `kill -9`.
///
/// # Panics
///
/// When the URL does not parse or the cluster cannot start; every later call
/// panics with the same message.
pub fn test_database() -> &'static TestDatabase {
    static DATABASE: OnceLock<Result<TestDatabase, String>> = OnceLock::new();
    match DATABASE.get_or_init(TestDatabase::from_environment) {
        Ok(database) => database,
        Err(message) => panic!("no test database: {message}"),
    }
}

impl TestDatabase {
    fn from_environment() -> Result<Self, String> {
        match std::env::var(DATABASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => Self::external(url),
            _ => Self::embedded(),
        }
    }

    fn external(url: String) -> Result<Self, String> {
        let config = tokio_postgres::Config::from_str(&url)
            .map_err(|err| format!("{DATABASE_URL_VAR} is not a PostgreSQL URL: {err}"))?;
        Ok(Self {
            config,
            url,
            cluster: None,
        })
    }

    fn embedded() -> Result<Self, String> {
        let cluster = TempCluster::start()?;
        let config = cluster.admin_config();
        let embedded = cluster.cluster();
        let url = format!(
            "host={} port={} user={} password={} dbname=postgres",
            conninfo_value(&embedded.socket_dir().display().to_string()),
            embedded.port(),
            cor4_pg_embedded::SUPERUSER,
            conninfo_value(embedded.superuser_password()),
        );
        Ok(Self {
            config,
            url,
            cluster: Some(cluster),
        })
    }

    /// Settings for connecting as the superuser to the maintenance database.
    pub fn admin_config(&self) -> tokio_postgres::Config {
        self.config.clone()
    }

    /// A connection string for the superuser that `tokio_postgres::Config`,
    /// `cor4-proxy --database-url` and `psql` all accept: the URL from
    /// `COR4_TEST_DATABASE_URL`, or a libpq `key=value` string for the
    /// embedded cluster.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The embedded cluster, when the run uses one.
    pub fn cluster(&self) -> Option<&cor4_pg_embedded::EmbeddedCluster> {
        self.cluster.as_ref().map(TempCluster::cluster)
    }

    /// A `psql` command connected as the superuser, with `-X` (no `.psqlrc`)
    /// and `-w` (never prompt); add `-c`, `-f`, `-At` and the like.
    pub fn psql_command(&self) -> Command {
        let mut command = Command::new(psql_program());
        command.args(["-X", "-w", "-d"]).arg(&self.url);
        command
    }
}

/// A libpq `key=value` value, quoted when it needs to be.
fn conninfo_value(value: &str) -> String {
    if !value.is_empty() && !value.contains([' ', '\'', '\\', '=']) {
        return value.to_owned();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connects_and_selects_one() {
        let database = test_database();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let one: i32 = runtime.block_on(async {
            let (client, connection) = database
                .admin_config()
                .connect(tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client.query_one("SELECT 1", &[]).await.unwrap().get(0)
        });
        assert_eq!(one, 1);
    }

    #[test]
    fn url_parses_as_the_same_config() {
        let database = test_database();
        let parsed = tokio_postgres::Config::from_str(&database.url()).unwrap();
        assert_eq!(parsed.get_hosts(), database.admin_config().get_hosts());
        assert_eq!(parsed.get_ports(), database.admin_config().get_ports());
        assert_eq!(parsed.get_user(), database.admin_config().get_user());
    }

    #[test]
    fn psql_runs_against_it() {
        let output = test_database()
            .psql_command()
            .args(["-At", "-c", "SELECT 40 + 2"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "42");
    }

    #[test]
    fn quotes_conninfo_values() {
        assert_eq!(conninfo_value("/tmp/x"), "/tmp/x");
        assert_eq!(conninfo_value("a b"), "'a b'");
        assert_eq!(conninfo_value("it's"), r"'it\'s'");
        assert_eq!(conninfo_value(""), "''");
    }
}
