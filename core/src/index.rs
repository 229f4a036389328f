//! `Index`: finds an item of a caller-owned table by key, for the type registry and the linker,
//! without a hash map (whose code and hasher cost about 5 KB of a firmware's flash).
//!
//! It holds item ids (positions in the caller's table), each with a 32-bit hash of its key, in
//! sorted runs whose lengths are distinct powers of two, longest first (the "logarithmic
//! method"): a lookup is a binary search in each run, O(log² n) comparisons; an insertion adds a
//! run of one and merges runs of equal length, O(log n) amortised. Runs are ordered by hash,
//! then (for equal hashes) by the caller's order of the keys themselves, so comparisons are
//! mostly integer compares in contiguous memory. The order is total either way: keys whose
//! hashes collide (even keys chosen to collide) cost a key comparison, never a longer search,
//! and n insertions never cost O(n²) as they would in one sorted array.

use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Item ids ordered by key (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Sorted runs of (key hash, id); lengths are distinct powers of two, decreasing.
    runs: Vec<Vec<(u32, u32)>>,
}

impl Index {
    /// The id of the item whose key has hash `hash` and equals the key sought (`same(id)`
    /// orders item `id`'s key relative to the key sought), if there is one.
    pub(crate) fn find(&self, hash: u32, same: &mut dyn FnMut(u32) -> Ordering) -> Option<u32> {
        self.runs.iter().find_map(|run| {
            let i = run
                .binary_search_by(|&(h, id)| h.cmp(&hash).then_with(|| same(id)))
                .ok()?;
            run.get(i).map(|&(_, id)| id)
        })
    }

    /// Adds item `id`, whose key has hash `hash`; `order` orders two items by their keys. The
    /// caller makes sure no item with an equal key is already indexed.
    pub(crate) fn insert(
        &mut self,
        hash: u32,
        id: u32,
        order: &mut dyn FnMut(u32, u32) -> Ordering,
    ) {
        let mut run = vec![(hash, id)];
        while let Some(last) = self.runs.pop_if(|last| last.len() == run.len()) {
            run = merge(&last, &run, order);
        }
        self.runs.push(run);
    }

    /// The number of ids.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }
}

/// The sorted merge of two sorted runs.
fn merge(
    a: &[(u32, u32)],
    b: &[(u32, u32)],
    order: &mut dyn FnMut(u32, u32) -> Ordering,
) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().copied().peekable(), b.iter().copied().peekable());
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        if x.0.cmp(&y.0).then_with(|| order(x.1, y.1)) == Ordering::Greater {
            out.push(y);
            b.next();
        } else {
            out.push(x);
            a.next();
        }
    }
    out.extend(a);
    out.extend(b);
    out
}

/// A 32-bit FNV-1a hash of `bytes`, continuing from `hash` (start with [`HASH_START`]).
pub(crate) fn hash(hash: u32, bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes
        .into_iter()
        .fold(hash, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// Where a [`hash`] starts.
pub(crate) const HASH_START: u32 = 0x811c_9dc5;

#[cfg(test)]
mod tests {
    use super::*;

    /// 1000 distinct keys in scrambled order.
    fn keys() -> Vec<u32> {
        (0..1000u32).map(|i| i * 7919 % 10_007).collect()
    }

    /// A deliberately poor hash (many collisions), to exercise the tie-breaking order.
    fn poor_hash(k: u32) -> u32 {
        k % 7
    }

    fn build(keys: &[u32], n: usize) -> Index {
        let mut index = Index::default();
        for (id, &k) in keys.iter().enumerate().take(n) {
            index.insert(poor_hash(k), id as u32, &mut |a, b| {
                keys[a as usize].cmp(&keys[b as usize])
            });
        }
        index
    }

    fn find(index: &Index, keys: &[u32], k: u32) -> Option<u32> {
        index.find(poor_hash(k), &mut |i| keys[i as usize].cmp(&k))
    }

    #[test]
    fn finds_every_inserted_key_and_nothing_else() {
        let keys = keys();
        let index = build(&keys, keys.len());
        assert_eq!(index.len(), keys.len());
        for (id, &k) in keys.iter().enumerate() {
            assert_eq!(find(&index, &keys, k), Some(id as u32));
        }
        for k in [10_007, 10_008, u32::MAX] {
            assert_eq!(find(&index, &keys, k), None);
        }
        let missing = (0..10_007).find(|k| !keys.contains(k)).unwrap();
        assert_eq!(find(&index, &keys, missing), None);
    }

    #[test]
    fn runs_stay_sorted_with_distinct_power_of_two_lengths() {
        let keys = keys();
        let index = build(&keys, 777);
        // 777 = 512 + 256 + 8 + 1.
        let lens: Vec<usize> = index.runs.iter().map(Vec::len).collect();
        assert_eq!(lens, [512, 256, 8, 1]);
        let key = |&(h, id): &(u32, u32)| (h, keys[id as usize]);
        for run in &index.runs {
            assert!(run.windows(2).all(|w| key(&w[0]) < key(&w[1])));
        }
    }

    #[test]
    fn hash_is_fnv_1a() {
        // Published FNV-1a 32 test vectors.
        assert_eq!(hash(HASH_START, *b""), 0x811c_9dc5);
        assert_eq!(hash(HASH_START, *b"a"), 0xe40c_292c);
        assert_eq!(hash(HASH_START, *b"foobar"), 0xbf9c_f968);
    }
}
