//! The rendered pages `chronicle serve` keeps, within a budget of bytes.

use std::sync::Arc;

use super::site::Files;

/// How many bytes of rendered pages serve keeps, unless told otherwise:
/// all of a site of 10,000 articles (about 700 MB), a part of larger ones.
/// A page not kept is rendered again when asked for.
pub const PAGE_CACHE_BYTES: usize = 1 << 30;

/// Rendered pages, at most a budget of bytes of them.
#[derive(Debug, Default)]
pub struct PageCache {
    pub(super) files: Files,
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

    pub(super) fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    /// Keeps a page if it fits in what is left of the budget.
    pub(super) fn insert_if_room(&mut self, path: String, bytes: Arc<[u8]>) {
        if self.bytes + bytes.len() <= self.budget {
            self.put(path, bytes);
        }
    }

    /// Keeps a page, dropping others (any) to stay within the budget.
    pub(super) fn insert(&mut self, path: String, bytes: Arc<[u8]>) {
        if bytes.len() > self.budget {
            return;
        }
        while self.bytes + bytes.len() > self.budget {
            let Some(other) = self.files.keys().next().cloned() else {
                break;
            };
            self.remove(&other);
        }
        self.put(path, bytes);
    }

    fn put(&mut self, path: String, bytes: Arc<[u8]>) {
        self.bytes += bytes.len();
        if let Some(old) = self.files.insert(path, bytes) {
            self.bytes -= old.len();
        }
    }

    pub(super) fn remove(&mut self, path: &str) -> Option<Arc<[u8]>> {
        let bytes = self.files.remove(path)?;
        self.bytes -= bytes.len();
        Some(bytes)
    }

    pub(super) fn clear(&mut self) -> Vec<Arc<[u8]>> {
        self.bytes = 0;
        self.files.drain().map(|(_, bytes)| bytes).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Arc<[u8]> {
        vec![b'x'; n].into()
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let mut cache = PageCache::new(100);
        cache.insert_if_room("a".into(), page(60));
        cache.insert_if_room("b".into(), page(60));
        assert!(
            cache.get("a").is_some() && cache.get("b").is_none(),
            "no room for b"
        );

        // Inserting makes room by dropping others.
        cache.insert("b".into(), page(60));
        assert!(cache.get("b").is_some() && cache.get("a").is_none());
        assert_eq!(cache.bytes, 60);

        // Replacing a page counts its new size only.
        cache.insert("b".into(), page(30));
        assert_eq!(cache.bytes, 30);

        // A page larger than the whole budget is never kept.
        cache.insert("c".into(), page(101));
        assert!(cache.get("c").is_none() && cache.get("b").is_some());

        assert_eq!(cache.remove("b").map(|b| b.len()), Some(30));
        assert_eq!(cache.bytes, 0);
        cache.insert("d".into(), page(10));
        assert_eq!(cache.clear().len(), 1);
        assert_eq!(cache.bytes, 0);
    }
}
