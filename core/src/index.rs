//! `Index`: finds an item of a caller-owned table by key, for the type registry and the linker,
//! without a hash map (whose code and hasher cost about 5 KB of a firmware's flash).
//!
//! It holds item ids (positions in the caller's table) in sorted runs whose lengths are
//! distinct powers of two, longest first (the "logarithmic method"): a lookup is a binary
//! search in each run, O(log² n) comparisons; an insertion adds a run of one and merges runs of
//! equal length, O(log n) amortised. Unlike one sorted array, n insertions never cost O(n²),
//! and unlike a hash table, no keys (e.g. names chosen by a module) can make lookups slow.

use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Item ids ordered by the caller's key order (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Sorted runs of ids; lengths are distinct powers of two, decreasing.
    runs: Vec<Vec<u32>>,
}

impl Index {
    /// The id whose item `probe` finds equal to the key sought (`probe(id)` orders item `id`
    /// relative to that key), if there is one.
    pub(crate) fn find(&self, probe: &mut dyn FnMut(u32) -> Ordering) -> Option<u32> {
        self.runs.iter().find_map(|run| {
            run.binary_search_by(|&id| probe(id))
                .ok()
                .and_then(|i| run.get(i).copied())
        })
    }

    /// Adds `id`, ordered by `cmp` (which orders two ids by their items' keys). The caller
    /// makes sure no item with an equal key is already indexed.
    pub(crate) fn insert(&mut self, id: u32, cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
        let mut run = vec![id];
        while let Some(last) = self.runs.pop_if(|last| last.len() == run.len()) {
            run = merge(&last, &run, cmp);
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
fn merge(a: &[u32], b: &[u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().copied().peekable(), b.iter().copied().peekable());
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        if cmp(x, y) == Ordering::Greater {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// 1000 distinct keys in scrambled order.
    fn keys() -> Vec<u32> {
        (0..1000u32).map(|i| i * 7919 % 10_007).collect()
    }

    #[test]
    fn finds_every_inserted_key_and_nothing_else() {
        let keys = keys();
        let mut index = Index::default();
        for (id, _) in keys.iter().enumerate() {
            index.insert(id as u32, &mut |a, b| {
                keys[a as usize].cmp(&keys[b as usize])
            });
        }
        assert_eq!(index.len(), keys.len());
        for (id, &k) in keys.iter().enumerate() {
            assert_eq!(
                index.find(&mut |i| keys[i as usize].cmp(&k)),
                Some(id as u32)
            );
        }
        for k in [10_007, 10_008, u32::MAX] {
            assert_eq!(index.find(&mut |i| keys[i as usize].cmp(&k)), None);
        }
        let missing = (0..10_007).find(|k| !keys.contains(k)).unwrap();
        assert_eq!(index.find(&mut |i| keys[i as usize].cmp(&missing)), None);
    }

    #[test]
    fn runs_stay_sorted_with_distinct_power_of_two_lengths() {
        let keys = keys();
        let mut index = Index::default();
        for (id, _) in keys.iter().enumerate().take(777) {
            index.insert(id as u32, &mut |a, b| {
                keys[a as usize].cmp(&keys[b as usize])
            });
        }
        // 777 = 512 + 256 + 8 + 1.
        let lens: Vec<usize> = index.runs.iter().map(Vec::len).collect();
        assert_eq!(lens, [512, 256, 8, 1]);
        for run in &index.runs {
            assert!(
                run.windows(2)
                    .all(|w| keys[w[0] as usize] < keys[w[1] as usize])
            );
        }
    }
}
