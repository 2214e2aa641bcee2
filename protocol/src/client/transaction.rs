//! A transaction guard: BEGIN on creation, COMMIT or ROLLBACK at the end,
//! ROLLBACK when dropped without either.

use std::ops::Deref;

use tokio::sync::mpsc;

use super::Client;
use super::connection::{End, Request};
use super::error::Error;
use crate::packet::Packet;

/// A transaction on a [`Client`], from [`Client::transaction`].
///
/// Run statements through it as through the client (it dereferences to
/// it); end it with [`commit`](Self::commit) or
/// [`rollback`](Self::rollback). Dropped without either, it is rolled back.
#[derive(Debug)]
pub struct Transaction<'a> {
    client: &'a mut Client,
    done: bool,
}

impl<'a> Transaction<'a> {
    pub(crate) fn new(client: &'a mut Client) -> Self {
        Transaction {
            client,
            done: false,
        }
    }

    /// Commits. If a statement of the transaction failed, PostgreSQL rolls
    /// back instead and this returns an error saying so.
    pub async fn commit(mut self) -> Result<(), Error> {
        self.done = true;
        let mut rows = self.client.simple_query("COMMIT").await?;
        let mut tag = String::new();
        while let Some(message) = rows.next().await {
            match message? {
                super::Message::Command { tag: t, .. } => tag = t,
                super::Message::Error(e) => return Err(Error::db(e)),
                _ => {}
            }
        }
        if tag == "ROLLBACK" {
            return Err(Error::usage(
                "the transaction was rolled back: one of its statements had failed",
            ));
        }
        Ok(())
    }

    /// Rolls back.
    pub async fn rollback(mut self) -> Result<(), Error> {
        self.done = true;
        self.client.batch_execute("ROLLBACK").await
    }
}

impl Deref for Transaction<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Nobody waits for the answer; the connection discards it.
        let (answers, _) = mpsc::channel(1);
        let _ = self.client.handles.requests.send(Request {
            frames: Packet::Query("ROLLBACK".to_owned()).to_frame(),
            end: End::Ready,
            answers,
            exclusive: false,
        });
    }
}
