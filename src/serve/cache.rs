//! The rendered pages `chronicle serve` keeps, within a budget of bytes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How many bytes of rendered pages serve keeps, unless told otherwise:
/// all of a site of 10,000 articles (about 700 MB), a part of larger ones.
/// A page not kept is rendered again when asked for.
pub const PAGE_CACHE_BYTES: usize = 1 << 30;

/// Rendered pages, at most a budget of bytes of them; when full, the page
/// asked for least recently goes first.
#[derive(Debug, Default)]
pub struct PageCache {
    /// Each page, and when it was last put or asked for.
    files: HashMap<String, (Arc<[u8]>, u64)>,
    /// The pages by when they were last put or asked for.
    by_use: BTreeMap<u64, String>,
    clock: u64,
    bytes: usize,
    budget: usize,
}

impl PageCache {
    pub(super) fn new(budget: usize) -> PageCache {
        PageCache {
            budget,
            ..PageCache::default()
        }
    }

    /// The page at `path`, marked as just used.
    pub(super) fn get(&mut self, path: &str) -> Option<Arc<[u8]>> {
        let tick = self.tick();
        let (bytes, used) = self.files.get_mut(path)?;
        let path = self.by_use.remove(used).expect("indexed");
        *used = tick;
        let bytes = Arc::clone(bytes);
        self.by_use.insert(tick, path);
        Some(bytes)
    }

    /// The page at `path`, leaving when it was used as it was.
    pub(super) fn peek(&self, path: &str) -> Option<Arc<[u8]>> {
        self.files.get(path).map(|(bytes, _)| Arc::clone(bytes))
    }

    /// Keeps a page if it fits in what is left of the budget.
    pub(super) fn insert_if_room(&mut self, path: String, bytes: Arc<[u8]>) {
        if self.bytes + bytes.len() <= self.budget {
            self.put(path, bytes);
        }
    }

    /// Keeps a page, dropping the least recently used others to stay
    /// within the budget.
    pub(super) fn insert(&mut self, path: String, bytes: Arc<[u8]>) {
        if bytes.len() > self.budget {
            return;
        }
        self.remove(&path);
        while self.bytes + bytes.len() > self.budget {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((old, _)) = self.files.remove(&oldest) {
                self.bytes -= old.len();
            }
        }
        self.put(path, bytes);
    }

    fn put(&mut self, path: String, bytes: Arc<[u8]>) {
        self.remove(&path);
        let tick = self.tick();
        self.bytes += bytes.len();
        self.by_use.insert(tick, path.clone());
        self.files.insert(path, (bytes, tick));
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    pub(super) fn remove(&mut self, path: &str) -> Option<Arc<[u8]>> {
        let (bytes, used) = self.files.remove(path)?;
        self.by_use.remove(&used);
        self.bytes -= bytes.len();
        Some(bytes)
    }

    /// Takes every page out.
    pub(super) fn drain(&mut self) -> Vec<(String, Arc<[u8]>)> {
        self.bytes = 0;
        self.by_use.clear();
        self.files
            .drain()
            .map(|(path, (bytes, _))| (path, bytes))
            .collect()
    }

    /// The paths of the pages kept.
    pub(super) fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }

    /// How many pages are kept.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Arc<[u8]> {
        vec![b'x'; n].into()
    }

    #[test]
    fn the_first_build_keeps_what_fits() {
        let mut cache = PageCache::new(100);
        cache.insert_if_room("a".into(), page(60));
        cache.insert_if_room("b".into(), page(60));
        assert!(cache.get("a").is_some());
        assert!(cache.get("b").is_none(), "no room for b");
    }

    #[test]
    fn the_least_recently_used_page_goes_first() {
        let mut cache = PageCache::new(100);
        for name in ["a", "b", "c"] {
            cache.insert(name.into(), page(30));
        }
        cache.get("a");
        cache.insert("d".into(), page(30));
        assert!(cache.get("b").is_none(), "b was the least recently used");
        for name in ["a", "c", "d"] {
            assert!(cache.get(name).is_some(), "{name} kept");
        }
        assert_eq!(cache.bytes, 90);
    }

    #[test]
    fn sizes_are_counted_as_pages_come_and_go() {
        let mut cache = PageCache::new(100);
        cache.insert("a".into(), page(60));
        // Replacing a page counts its new size only.
        cache.insert("a".into(), page(30));
        assert_eq!((cache.bytes, cache.len()), (30, 1));
        // A page larger than the whole budget is never kept.
        cache.insert("big".into(), page(101));
        assert!(cache.get("big").is_none() && cache.get("a").is_some());
        assert_eq!(cache.remove("a").map(|b| b.len()), Some(30));
        assert_eq!(cache.bytes, 0);
        cache.insert("b".into(), page(10));
        cache.insert("c".into(), page(10));
        assert_eq!(cache.drain().len(), 2);
        assert_eq!((cache.bytes, cache.len()), (0, 0));
    }
}
