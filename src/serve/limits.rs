//! How many connections `chronicle serve` holds of each kind.
//!
//! A connection is first *waiting* (its request head is being read), then
//! either answering a page request or streaming reload events. Each kind
//! has its own bound, so that one kind can never crowd out another:
//!
//! - waiting connections and event streams live in a [`Pool`]: when it is
//!   full, a newcomer makes room by cutting off the oldest member (the
//!   most likely to be idle: a client that never finishes its head, a tab
//!   closed long ago), so a new client is always let in;
//! - page requests take one of a fixed number of [`Slots`] while they are
//!   answered; when none is free they get 503 at once.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
    stream: Arc<TcpStream>,
    cut: Arc<AtomicBool>,
}

/// A connection's membership of a [`Pool`]; dropping it leaves the pool.
pub struct Place {
    pool: Arc<Pool>,
    id: u64,
    cut: Arc<AtomicBool>,
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

    /// Adds `stream`. When the pool is full, the oldest member is cut off
    /// first: marked (see [`Place::is_cut`]) and its socket shut down, which
    /// ends any read or write its thread is blocked in. Returns the new
    /// member's place, and whether a member was cut off.
    pub fn join(self: &Arc<Self>, stream: Arc<TcpStream>) -> (Place, bool) {
        let mut members = self.members.lock().unwrap_or_else(|e| e.into_inner());
        let mut cut_off = false;
        while members.queue.len() >= self.cap {
            let Some(oldest) = members.queue.pop_front() else {
                break;
            };
            oldest.cut.store(true, Ordering::SeqCst);
            let _ = oldest.stream.shutdown(Shutdown::Both);
            cut_off = true;
        }
        let id = members.next_id;
        members.next_id += 1;
        let cut = Arc::new(AtomicBool::new(false));
        members.queue.push_back(Member {
            id,
            stream,
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
    /// Whether the connection was cut off to make room for a newer one.
    pub fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }

    /// The flag [`Place::is_cut`] reads, to keep after the place is left.
    pub fn cut_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cut)
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
pub struct Slot<'a>(&'a AtomicUsize);

impl Slots {
    /// `cap` free slots.
    pub fn new(cap: usize) -> Slots {
        Slots {
            cap,
            used: AtomicUsize::new(0),
        }
    }

    /// A free slot, if there is one.
    pub fn take(&self) -> Option<Slot<'_>> {
        if self.used.fetch_add(1, Ordering::SeqCst) >= self.cap {
            self.used.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(&self.used))
    }

    /// How many slots are taken.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::SeqCst)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair: the server's end and the client's.
    fn pair(listener: &TcpListener) -> (Arc<TcpStream>, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (Arc::new(server), client)
    }

    #[test]
    fn a_full_pool_cuts_off_its_oldest_member() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let pool = Pool::new(2);
        let (a, mut client_a) = pair(&listener);
        let (b, _client_b) = pair(&listener);
        let (c, _client_c) = pair(&listener);
        let (place_a, cut) = pool.join(a);
        assert!(!cut);
        let (place_b, cut) = pool.join(b);
        assert!(!cut);
        assert_eq!(pool.len(), 2);
        let (place_c, cut) = pool.join(c);
        assert!(cut);
        assert!(place_a.is_cut());
        assert!(!place_b.is_cut() && !place_c.is_cut());
        assert_eq!(pool.len(), 2);
        // The client of the one cut off sees its connection end.
        client_a
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        assert_eq!(client_a.read(&mut [0u8; 16]).unwrap(), 0);
        // Leaving frees a place; leaving after being cut off changes nothing.
        drop(place_b);
        drop(place_a);
        assert_eq!(pool.len(), 1);
        drop(place_c);
        assert!(pool.is_empty());
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
