//! A throwaway embedded cluster: the proxy's own launcher in a [`TempDir`].

use std::path::Path;

use cor4_pg_embedded::{EmbeddedCluster, PgBinaries};

use crate::TempDir;

/// An [`EmbeddedCluster`] of its own (superuser `cor4_admin`, Unix socket,
/// SCRAM), for a test that needs a whole server to itself; stopped and
/// removed on drop, and by the watchdog if the process dies first.
#[derive(Debug)]
pub struct TempCluster {
    // Field order is drop order: the cluster stops before its directory goes.
    cluster: EmbeddedCluster,
    dir: TempDir,
}

impl TempCluster {
    /// Starts one with the machine's binaries ([`PgBinaries::locate`], as
    /// the proxy finds them).
    ///
    /// # Errors
    ///
    /// A message saying what failed: no binaries, no directory, initdb or
    /// the server start.
    pub fn start() -> Result<TempCluster, String> {
        let binaries = PgBinaries::locate(None).map_err(|err| err.to_string())?;
        let dir = TempDir::new()?;
        let cluster =
            EmbeddedCluster::start(dir.path(), &binaries).map_err(|err| err.to_string())?;
        Ok(TempCluster { cluster, dir })
    }

    /// Like [`start`](Self::start), from async code (on a blocking thread).
    ///
    /// # Panics
    ///
    /// When the cluster cannot start: a test cannot go on without it.
    pub async fn start_async() -> TempCluster {
        match tokio::task::spawn_blocking(TempCluster::start).await {
            Ok(Ok(cluster)) => cluster,
            Ok(Err(message)) => panic!("no test cluster: {message}"),
            Err(join) => panic!("the test cluster's start panicked: {join}"),
        }
    }

    /// The cluster.
    pub fn cluster(&self) -> &EmbeddedCluster {
        &self.cluster
    }

    /// Settings for the superuser on database `postgres`.
    pub fn admin_config(&self) -> tokio_postgres::Config {
        self.cluster.admin_config()
    }

    /// Its directory (the cluster's data directory).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        // A failed stop leaves the postmaster to the directory's cleanup.
        let _ = self.cluster.stop();
    }
}
