//! How many connections `chronicle serve` holds of each kind.
//!
//! A connection is *waiting* while it has no request being answered (its
//! first request head, or the next one on a kept-alive connection, is being
//! read), then either answering a page request or streaming reload events.
//! Each kind has its own bound, so that one kind can never crowd out
//! another:
//!
//! - waiting connections and event streams live in a [`Pool`]: when it is
//!   full, a newcomer makes room by cutting off the oldest member (the
//!   most likely to be idle: a client that never finishes its head, a tab
//!   closed long ago), so a new client is always let in;
//! - page requests take one of a fixed number of [`Slots`] while they are
//!   answered; when none is free they get 503 at once.
//!
//! A connection is cut off through its [`Cut`]: the task serving it waits
//! on [`Cut::signal`] and closes the connection once [`Cut::is_cut`].

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// How a connection is told to close at once.
#[derive(Debug, Default)]
pub struct Cut {
    cut: AtomicBool,
    signal: Notify,
}

impl Cut {
    /// A connection not cut off.
    pub fn new() -> Arc<Cut> {
        Arc::new(Cut::default())
    }

    /// Cuts the connection off: marks it, and wakes whoever waits on
    /// [`Cut::signal`].
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.signal.notify_one();
    }

    /// Whether the connection was cut off.
    pub fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }

    /// Notified when the connection is cut off; the connection's other
    /// changes of state may notify it too (a notification sent while no
    /// one waits is kept for the next wait).
    pub fn signal(&self) -> &Notify {
        &self.signal
    }
}

/// Connections of one kind, at most `cap` of them; making room for one
/// more cuts off the oldest.
pub struct Pool {
    cap: usize,
    members: Mutex<Members>,
}

struct Members {
    next_id: u64,
    /// Oldest first.
    queue: VecDeque<Member>,
}

struct Member {
    id: u64,
    cut: Arc<Cut>,
}

/// A connection's membership of a [`Pool`]; dropping it leaves the pool.
pub struct Place {
    pool: Arc<Pool>,
    id: u64,
    cut: Arc<Cut>,
}

impl Pool {
    /// An empty pool holding at most `cap` connections (at least one).
    pub fn new(cap: usize) -> Arc<Pool> {
        Arc::new(Pool {
            cap: cap.max(1),
            members: Mutex::new(Members {
                next_id: 0,
                queue: VecDeque::new(),
            }),
        })
    }

    /// Adds the connection `cut` cuts off. When the pool is full, the
    /// oldest member is cut off first (and leaves). Returns the new
    /// member's place, and whether a member was cut off.
    pub fn join(self: &Arc<Self>, cut: Arc<Cut>) -> (Place, bool) {
        let mut members = self.members.lock().unwrap_or_else(|e| e.into_inner());
        let mut cut_off = false;
        while members.queue.len() >= self.cap {
            let Some(oldest) = members.queue.pop_front() else {
                break;
            };
            oldest.cut.cut();
            cut_off = true;
        }
        let id = members.next_id;
        members.next_id += 1;
        members.queue.push_back(Member {
            id,
            cut: Arc::clone(&cut),
        });
        let place = Place {
            pool: Arc::clone(self),
            id,
            cut,
        };
        (place, cut_off)
    }

    /// How many connections the pool holds.
    pub fn len(&self) -> usize {
        self.members
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .queue
            .len()
    }

    /// Whether the pool holds no connection.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Place {
    /// Whether the connection was cut off (to make room for a newer one,
    /// or otherwise).
    pub fn is_cut(&self) -> bool {
        self.cut.is_cut()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut members = self.pool.members.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = members.queue.iter().position(|m| m.id == self.id) {
            members.queue.remove(i);
        }
    }
}

/// A fixed number of slots for work in progress.
pub struct Slots {
    cap: usize,
    used: AtomicUsize,
}

/// A slot taken from [`Slots`]; dropping it (even in a panic) frees it.
pub struct Slot(Arc<Slots>);

impl Slots {
    /// `cap` free slots.
    pub fn new(cap: usize) -> Arc<Slots> {
        Arc::new(Slots {
            cap,
            used: AtomicUsize::new(0),
        })
    }

    /// A free slot, if there is one.
    pub fn take(self: &Arc<Self>) -> Option<Slot> {
        if self.used.fetch_add(1, Ordering::SeqCst) >= self.cap {
            self.used.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(self)))
    }

    /// How many slots are taken.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::SeqCst)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.used.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_pool_cuts_off_its_oldest_member() {
        let pool = Pool::new(2);
        let (a, b, c) = (Cut::new(), Cut::new(), Cut::new());
        let (place_a, cut) = pool.join(Arc::clone(&a));
        assert!(!cut);
        let (place_b, cut) = pool.join(Arc::clone(&b));
        assert!(!cut);
        assert_eq!(pool.len(), 2);
        let (place_c, cut) = pool.join(Arc::clone(&c));
        assert!(cut);
        assert!(place_a.is_cut() && a.is_cut());
        assert!(!place_b.is_cut() && !place_c.is_cut());
        assert_eq!(pool.len(), 2);
        // Leaving frees a place; leaving after being cut off changes nothing.
        drop(place_b);
        drop(place_a);
        assert_eq!(pool.len(), 1);
        drop(place_c);
        assert!(pool.is_empty());
    }

    #[test]
    fn a_cut_wakes_whoever_waits_for_it() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let cut = Cut::new();
        // Cut before anyone waits: the next wait returns at once.
        cut.cut();
        runtime.block_on(cut.signal().notified());
        assert!(cut.is_cut());
    }

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = Slots::new(2);
        let one = slots.take().unwrap();
        let two = slots.take().unwrap();
        assert!(slots.take().is_none());
        assert_eq!(slots.used(), 2);
        drop(one);
        let three = slots.take();
        assert!(three.is_some());
        drop((two, three));
        assert_eq!(slots.used(), 0);
    }
}
