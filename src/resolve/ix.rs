//! Typed indices into the chronicle's collections: an [`EntryIx`] indexes
//! only `Chronicle::entries`, an [`ActorIx`] only `Chronicle::actors`, and
//! so on, so that a cross-reference cannot be looked up in the wrong list.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use serde::Serialize;

use super::{Actor, Article, Entry, Thread, Topic};
use crate::load::RegistryKind;

macro_rules! typed_indices {
    ($($(#[$doc:meta])* $name:ident => $item:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The index of the `i`-th item.
            ///
            /// # Panics
            /// Past `u32::MAX` items, far beyond what fits in memory.
            pub fn new(i: usize) -> Self {
                Self(u32::try_from(i).expect("fewer than 2^32 items"))
            }

            /// The position in its collection.
            pub fn get(self) -> usize {
                self.0 as usize
            }

            /// Every index of a collection of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator {
                (0..len).map(Self::new)
            }
        }

        impl TypedIndex for $name {
            fn new(i: usize) -> Self {
                $name::new(i)
            }
            fn get(self) -> usize {
                $name::get(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl Index<$name> for [$item] {
            type Output = $item;
            fn index(&self, i: $name) -> &$item {
                &self[i.get()]
            }
        }

        impl IndexMut<$name> for [$item] {
            fn index_mut(&mut self, i: $name) -> &mut $item {
                &mut self[i.get()]
            }
        }

        impl Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, i: $name) -> &$item {
                &self[i.get()]
            }
        }

        impl IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, i: $name) -> &mut $item {
                &mut self[i.get()]
            }
        }
    )*};
}

typed_indices! {
    /// An entry's place in `Chronicle::entries` (time order).
    EntryIx => Entry;
    /// An article's place in `Chronicle::articles`.
    ArticleIx => Article;
    /// An actor's place in `Chronicle::actors`.
    ActorIx => Actor;
    /// A thread's place in `Chronicle::threads`.
    ThreadIx => Thread;
    /// A topic's place in `Chronicle::topics`.
    TopicIx => Topic;
}

/// What the typed indices have in common, for code generic over them.
pub trait TypedIndex: Copy {
    fn new(i: usize) -> Self;
    fn get(self) -> usize;
}

/// The index of a registry's items, and which registry that is.
pub trait RegistryIx: TypedIndex {
    const KIND: RegistryKind;
}

impl RegistryIx for ActorIx {
    const KIND: RegistryKind = RegistryKind::Actor;
}

impl RegistryIx for TopicIx {
    const KIND: RegistryKind = RegistryKind::Topic;
}

impl RegistryIx for ThreadIx {
    const KIND: RegistryKind = RegistryKind::Thread;
}

/// A side table: one `T` for each item of a collection, indexed by that
/// collection's typed index `I` (the URL of each entry, the link to each
/// actor).
#[derive(Debug, Clone)]
pub struct PerItem<I, T> {
    items: Vec<T>,
    of: PhantomData<fn(I)>,
}

impl<I: TypedIndex, T> PerItem<I, T> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The item at `i`, if there is one.
    pub fn get(&self, i: I) -> Option<&T> {
        self.items.get(i.get())
    }

    /// Adds the item of the next index.
    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// Each item with its index.
    pub fn enumerated(&self) -> impl Iterator<Item = (I, &T)> {
        self.items.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }
}

impl<I, T> Default for PerItem<I, T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            of: PhantomData,
        }
    }
}

impl<I, T> From<Vec<T>> for PerItem<I, T> {
    fn from(items: Vec<T>) -> Self {
        Self {
            items,
            of: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for PerItem<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<'a, I, T> IntoIterator for &'a PerItem<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I: TypedIndex, T> Index<I> for PerItem<I, T> {
    type Output = T;
    fn index(&self, i: I) -> &T {
        &self.items[i.get()]
    }
}

impl<I: TypedIndex, T> IndexMut<I> for PerItem<I, T> {
    fn index_mut(&mut self, i: I) -> &mut T {
        &mut self.items[i.get()]
    }
}
