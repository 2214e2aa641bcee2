//! The proxy's admission budgets, each changeable while running (SIGHUP):
//!
//! - [`PendingLogins`]: connections not yet logged in, bounded in total and
//!   per source address. A new connection over an address's cap is
//!   refused; one over the total cap evicts the oldest pending connection of
//!   the address holding the most, so a flood of silent connections from a
//!   few places cannot keep anyone else from logging in.
//! - [`Slots`]: sessions (`--max-sessions`) and PostgreSQL connections
//!   (`--max-backends`), taken only after a login succeeded.
//! - [`ByteBudget`]: bytes all sessions together may hold for large
//!   packets in flight (`--max-buffered`); a session whose next packet is
//!   large waits for its share before reading it.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// Connections that have not logged in yet.
#[derive(Debug)]
pub struct PendingLogins {
    max_total: AtomicUsize,
    max_per_address: AtomicUsize,
    inner: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    next: u64,
    /// By age: the smallest key is the oldest connection.
    entries: BTreeMap<u64, (IpAddr, Arc<Notify>)>,
    per_address: HashMap<IpAddr, usize>,
}

impl Pending {
    fn remove(&mut self, id: u64) -> Option<(IpAddr, Arc<Notify>)> {
        let (ip, evicted) = self.entries.remove(&id)?;
        if let Some(n) = self.per_address.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                self.per_address.remove(&ip);
            }
        }
        Some((ip, evicted))
    }

    /// The oldest connection of the address with the most.
    fn victim(&self) -> Option<u64> {
        let busiest = self
            .per_address
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(ip, _)| *ip)?;
        self.entries
            .iter()
            .find(|(_, (ip, _))| *ip == busiest)
            .map(|(id, _)| *id)
    }
}

/// Why a connection was not let in to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressFull {
    /// The per-address cap in force.
    pub cap: usize,
}

/// A connection's place among the pending logins; leaving it (drop) frees
/// the place.
#[derive(Debug)]
pub struct PendingTicket {
    owner: Arc<PendingLogins>,
    id: u64,
    evicted: Arc<Notify>,
}

impl PendingTicket {
    /// Completes when a newer connection took this one's place.
    pub async fn evicted(&self) {
        self.evicted.notified().await;
    }
}

impl Drop for PendingTicket {
    fn drop(&mut self) {
        self.owner.lock().remove(self.id);
    }
}

impl PendingLogins {
    /// At most `max_total` pending connections, `max_per_address` from one
    /// address.
    pub fn new(max_total: usize, max_per_address: usize) -> Arc<Self> {
        Arc::new(PendingLogins {
            max_total: AtomicUsize::new(max_total),
            max_per_address: AtomicUsize::new(max_per_address),
            inner: Mutex::default(),
        })
    }

    /// Changes the caps; connections over them stay until they finish.
    pub fn set_limits(&self, max_total: usize, max_per_address: usize) {
        self.max_total.store(max_total, Ordering::Relaxed);
        self.max_per_address
            .store(max_per_address, Ordering::Relaxed);
    }

    /// Pending connections now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    fn lock(&self) -> MutexGuard<'_, Pending> {
        // Every update keeps the maps consistent before it could panic.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A place for a connection from `ip`, evicting the oldest connection
    /// of the busiest address when the total is reached; refused when `ip`
    /// has its cap of pending connections already.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<PendingTicket, AddressFull> {
        let max_total = self.max_total.load(Ordering::Relaxed).max(1);
        let cap = self.max_per_address.load(Ordering::Relaxed).max(1);
        let mut pending = self.lock();
        if pending.per_address.get(&ip).copied().unwrap_or(0) >= cap {
            return Err(AddressFull { cap });
        }
        while pending.entries.len() >= max_total {
            let Some(victim) = pending.victim() else {
                break;
            };
            if let Some((_, evicted)) = pending.remove(victim) {
                evicted.notify_one();
            }
        }
        let id = pending.next;
        pending.next += 1;
        let evicted = Arc::new(Notify::new());
        pending.entries.insert(id, (ip, Arc::clone(&evicted)));
        *pending.per_address.entry(ip).or_insert(0) += 1;
        Ok(PendingTicket {
            owner: Arc::clone(self),
            id,
            evicted,
        })
    }
}

/// A counted resource with a limit that may change while running.
#[derive(Debug)]
pub struct Slots {
    limit: AtomicUsize,
    in_use: AtomicUsize,
}

/// One taken slot, given back on drop.
#[derive(Debug)]
pub struct Slot {
    owner: Arc<Slots>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.owner.in_use.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Slots {
    /// `limit` slots.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Slots {
            limit: AtomicUsize::new(limit),
            in_use: AtomicUsize::new(0),
        })
    }

    /// Changes the limit; slots taken over it stay until given back.
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    /// The limit in force.
    pub fn limit(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// Slots taken now.
    #[cfg(test)]
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }

    /// A slot, or `None` when all are taken.
    pub fn try_take(self: &Arc<Self>) -> Option<Slot> {
        let limit = self.limit();
        self.in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot {
                owner: Arc::clone(self),
            })
    }
}

/// Bytes buffered for large packets, shared by every session.
#[derive(Debug)]
pub struct ByteBudget {
    semaphore: Arc<Semaphore>,
    total: usize,
}

/// Packets up to this size need no share of the budget: the sessions'
/// ordinary buffers hold them (`MAX_DEFERRED_BYTES`, records).
pub const SMALL_PACKET: usize = 1 << 20;

impl ByteBudget {
    /// `total` bytes to share (at least one packet's worth).
    pub fn new(total: usize) -> Arc<Self> {
        let total = total.clamp(SMALL_PACKET, Semaphore::MAX_PERMITS);
        Arc::new(ByteBudget {
            semaphore: Arc::new(Semaphore::new(total)),
            total,
        })
    }

    /// The whole budget.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Bytes not taken now.
    pub fn available(&self) -> usize {
        self.semaphore.available_permits()
    }

    /// Waits for `bytes` (at most the whole budget, so one packet larger
    /// than the budget still goes through, alone) and holds them until the
    /// permit is dropped.
    pub async fn take(&self, bytes: usize) -> OwnedSemaphorePermit {
        let wanted = u32::try_from(bytes.min(self.total)).unwrap_or(u32::MAX);
        match Arc::clone(&self.semaphore).acquire_many_owned(wanted).await {
            Ok(permit) => permit,
            // The semaphore is never closed.
            Err(_) => unreachable!("the byte budget's semaphore is never closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn an_address_at_its_cap_is_refused_and_others_are_not() {
        let pending = PendingLogins::new(100, 2);
        let _a = pending.admit(ip(2)).unwrap();
        let b = pending.admit(ip(2)).unwrap();
        assert_eq!(pending.admit(ip(2)).unwrap_err(), AddressFull { cap: 2 });
        let _c = pending.admit(ip(3)).unwrap();
        drop(b);
        let _d = pending.admit(ip(2)).expect("a freed place is reusable");
        assert_eq!(pending.len(), 3);
    }

    #[tokio::test]
    async fn the_total_cap_evicts_the_busiest_addresss_oldest() {
        let pending = PendingLogins::new(3, 10);
        let oldest_of_busiest = pending.admit(ip(2)).unwrap();
        let lone = pending.admit(ip(3)).unwrap();
        let _second = pending.admit(ip(2)).unwrap();
        let newcomer = pending.admit(ip(4)).unwrap();
        // The eviction is remembered even before anyone waits for it.
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            oldest_of_busiest.evicted(),
        )
        .await
        .expect("the busiest address's oldest connection was evicted");
        assert_eq!(pending.len(), 3);
        drop(oldest_of_busiest);
        assert_eq!(pending.len(), 3, "an evicted ticket frees nothing twice");
        drop((lone, newcomer));
        assert_eq!(pending.len(), 1);
    }

    #[tokio::test]
    async fn a_large_packet_waits_until_the_budget_has_room() {
        let budget = ByteBudget::new(3 << 20);
        let first = budget.take(2 << 20).await;
        let mut second = Box::pin(budget.take(2 << 20));
        let waits = std::future::poll_fn(|cx| {
            std::task::Poll::Ready(second.as_mut().poll(cx).is_pending())
        })
        .await;
        assert!(waits, "over the budget: waits");
        drop(first);
        let second = second.await;
        assert_eq!(budget.available(), 1 << 20);
        drop(second);
        let whole = budget.take(100 << 20).await;
        assert_eq!(
            budget.available(),
            0,
            "a packet over the budget takes all of it"
        );
        drop(whole);
    }

    #[test]
    fn slots_follow_their_limit_as_it_changes() {
        let slots = Slots::new(1);
        let one = slots.try_take().unwrap();
        assert!(slots.try_take().is_none());
        slots.set_limit(2);
        let two = slots.try_take().unwrap();
        slots.set_limit(1);
        drop(one);
        assert!(slots.try_take().is_none(), "still at the lowered limit");
        drop(two);
        assert!(slots.try_take().is_some());
        assert_eq!(slots.in_use(), 0);
    }
}
