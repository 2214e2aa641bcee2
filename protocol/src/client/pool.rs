//! A connection pool manager for [deadpool](https://docs.rs/deadpool)
//! (feature `pool`), in the manner of deadpool-postgres.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cor4_protocol::client::Config;
//! use cor4_protocol::client::pool::{Manager, Pool, RecyclingMethod};
//!
//! let config = Config::new("127.0.0.1", 7654, "alice", "correct horse");
//! let pool = Pool::builder(Manager::new(config, RecyclingMethod::Verified))
//!     .max_size(8)
//!     .build()?;
//! let client = pool.get().await?;
//! let n: i64 = client.query_one("SELECT count(*) FROM pg_class", &[]).await?.get(0);
//! # let _ = n; Ok(()) }
//! ```

use super::{Client, Config, Error, TransactionStatus};

/// A pool of cor4 clients.
pub type Pool = deadpool::managed::Pool<Manager>;

/// How a client returned to the pool is checked before it is handed out
/// again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecyclingMethod {
    /// Only that the connection is still open and outside a transaction.
    Fast,
    /// Also a round trip (PING) to the proxy.
    #[default]
    Verified,
    /// Also `DISCARD ALL`: session settings, temporary tables, prepared
    /// statements and advisory locks of the previous user are gone.
    Clean,
}

/// Creates and recycles [`Client`]s for a [`Pool`].
#[derive(Debug)]
pub struct Manager {
    config: Config,
    method: RecyclingMethod,
}

impl Manager {
    /// A manager connecting with `config`.
    pub fn new(config: Config, method: RecyclingMethod) -> Self {
        Manager { config, method }
    }
}

impl deadpool::managed::Manager for Manager {
    type Type = Client;
    type Error = Error;

    async fn create(&self) -> Result<Client, Error> {
        Client::connect(&self.config).await
    }

    async fn recycle(
        &self,
        client: &mut Client,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<Error> {
        if client.is_closed() {
            return Err(deadpool::managed::RecycleError::message(
                "the connection is closed",
            ));
        }
        if client.transaction_status() != TransactionStatus::Idle {
            // A transaction left open by a dropped guard whose ROLLBACK is
            // still on its way, or one failed: start clean.
            client.batch_execute("ROLLBACK").await?;
        }
        match self.method {
            RecyclingMethod::Fast => {}
            RecyclingMethod::Verified => {
                client.ping().await?;
            }
            RecyclingMethod::Clean => client.batch_execute("DISCARD ALL").await?,
        }
        Ok(())
    }
}
