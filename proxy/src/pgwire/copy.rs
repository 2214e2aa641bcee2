//! `COPY … FROM STDIN` from our side: data chunks written through, then
//! CopyDone or CopyFail.

use postgres_protocol::message::frontend;

use super::{PgConn, PgError, Phase};

impl PgConn {
    /// Sends one chunk of `COPY … FROM STDIN` data; the bytes go out as they
    /// are, without being copied into a buffer first.
    pub async fn copy_data(&mut self, data: &[u8]) -> Result<(), PgError> {
        self.check_copy_in()?;
        let len = i32::try_from(data.len() + 4)
            .map_err(|_| PgError::Misuse("a COPY data chunk must be under 2 GiB"))?;
        self.write_buf.extend_from_slice(b"d");
        self.write_buf.extend_from_slice(&len.to_be_bytes());
        let result = self.flush().await;
        let result = match result {
            Ok(()) => self.write_through(data).await,
            Err(e) => Err(e),
        };
        result.inspect_err(|_| self.phase = Phase::Broken)
    }

    /// Ends `COPY … FROM STDIN` successfully; CommandComplete follows.
    pub async fn copy_done(&mut self) -> Result<(), PgError> {
        self.check_copy_in()?;
        frontend::copy_done(&mut self.write_buf);
        self.end_copy_in().await
    }

    /// Aborts `COPY … FROM STDIN`; PostgreSQL answers with an error naming
    /// `reason` and rolls the COPY back.
    pub async fn copy_fail(&mut self, reason: &str) -> Result<(), PgError> {
        self.check_copy_in()?;
        let reason = reason.replace('\0', " ");
        frontend::copy_fail(&reason, &mut self.write_buf).map_err(PgError::Io)?;
        self.end_copy_in().await
    }

    fn check_copy_in(&self) -> Result<(), PgError> {
        match self.phase {
            Phase::CopyIn => Ok(()),
            Phase::Broken => Err(PgError::Closed),
            _ => Err(PgError::Misuse("no COPY FROM STDIN is waiting for data")),
        }
    }

    async fn end_copy_in(&mut self) -> Result<(), PgError> {
        self.phase = Phase::Busy;
        self.flush()
            .await
            .inspect_err(|_| self.phase = Phase::Broken)
    }
}
