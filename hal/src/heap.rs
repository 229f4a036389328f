//! A heap over a fixed memory region, usable as the `#[global_allocator]` of a firmware.
//!
//! First fit over a free list kept sorted by address; freed blocks merge with their
//! neighbours. Every block is a multiple of [`UNIT`] bytes and aligned to it, so a free block
//! can always hold its own list node and splitting never leaves a fragment too small to track.
//! Rust hands the layout back on `dealloc`, so used blocks carry no header. Allocation is
//! O(free blocks), which suits the few long-lived allocations of an interpreter.
//!
//! It counts bytes in use and their peak, for RAM reports.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::{self, null_mut};

/// A free block's list node, stored in the block itself.
#[repr(C)]
struct Node {
    /// Size of this free block in bytes (a multiple of `UNIT`).
    size: usize,
    /// The next free block (higher address), or null.
    next: *mut Node,
}

/// Granule of every block: big enough for a `Node` and for the alignment of ordinary types.
pub const UNIT: usize = {
    let n = core::mem::size_of::<Node>();
    if n < 8 { 8 } else { n }
};

struct Inner {
    /// First free block (lowest address).
    free: *mut Node,
    used: usize,
    peak: usize,
}

/// A heap over one memory region. Create it with [`Heap::empty`] (a `const fn`, for a
/// `static`), then give it its region once with [`Heap::init`].
///
/// It takes no lock: it is for single-threaded programs whose interrupt handlers do not
/// allocate (the [`Heap::init`] contract), which is how Ember runs on a microcontroller.
pub struct Heap {
    inner: UnsafeCell<Inner>,
}

// SAFETY: `Heap::init`'s contract makes every use single-threaded and never re-entrant (no
// allocation from interrupt handlers), so the `UnsafeCell` is never accessed concurrently.
unsafe impl Sync for Heap {}

impl Default for Heap {
    fn default() -> Self {
        Heap::empty()
    }
}

impl Heap {
    /// A heap with no memory yet (every allocation fails until [`Heap::init`]).
    pub const fn empty() -> Heap {
        Heap {
            inner: UnsafeCell::new(Inner {
                free: null_mut(),
                used: 0,
                peak: 0,
            }),
        }
    }

    /// Gives the heap the region `start .. start + size` (trimmed to whole [`UNIT`]s).
    ///
    /// # Safety
    /// The region must be valid for reads and writes, used by nothing else for as long as the
    /// heap is, and `init` must be called once, before any allocation. The heap must only be
    /// used from one thread and never from an interrupt handler.
    pub unsafe fn init(&self, start: *mut u8, size: usize) {
        let addr = start as usize;
        let aligned = addr.next_multiple_of(UNIT);
        let size = size.saturating_sub(aligned - addr) / UNIT * UNIT;
        // SAFETY: single-threaded use (contract); no reference into `inner` is live.
        let inner = unsafe { &mut *self.inner.get() };
        if size < UNIT {
            return;
        }
        let node = start.wrapping_add(aligned - addr).cast::<Node>();
        // SAFETY: `node` is `UNIT`-aligned and the region holds at least `UNIT` bytes there.
        unsafe {
            node.write(Node {
                size,
                next: null_mut(),
            })
        };
        inner.free = node;
    }

    /// Bytes in use now.
    pub fn used(&self) -> usize {
        // SAFETY: single-threaded use (contract of `init`).
        unsafe { (*self.inner.get()).used }
    }

    /// The most bytes ever in use at once.
    pub fn peak(&self) -> usize {
        // SAFETY: single-threaded use (contract of `init`).
        unsafe { (*self.inner.get()).peak }
    }

    /// Bytes a block for `layout` takes.
    fn block_size(layout: Layout) -> usize {
        layout.size().max(1).next_multiple_of(UNIT)
    }
}

// SAFETY: blocks handed out lie inside the region given to `init`, are aligned to
// `max(layout.align(), UNIT)`, are at least `layout.size()` bytes, and never overlap a free
// block or another used block (they are cut out of the free list and only returned to it by
// `dealloc` with the same layout).
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let size = Heap::block_size(layout);
        let align = layout.align().max(UNIT);
        // SAFETY: single-threaded use (contract of `init`).
        let inner = unsafe { &mut *self.inner.get() };
        let mut link: *mut *mut Node = &mut inner.free;
        // SAFETY: every node in the list is a valid free block written by this heap.
        unsafe {
            while !(*link).is_null() {
                let node = *link;
                let start = node as usize;
                let end = start + (*node).size;
                let at = start.next_multiple_of(align);
                if at.checked_add(size).is_some_and(|e| e <= end) {
                    let next = (*node).next;
                    // The part after the block stays free (a multiple of UNIT).
                    let tail = end - (at + size);
                    let after = if tail > 0 {
                        let t = (at + size) as *mut Node;
                        t.write(Node { size: tail, next });
                        t
                    } else {
                        next
                    };
                    // So does the part before it (alignment padding, also whole UNITs).
                    if at > start {
                        (*node).size = at - start;
                        (*node).next = after;
                    } else {
                        *link = after;
                    }
                    inner.used += size;
                    inner.peak = inner.peak.max(inner.used);
                    return at as *mut u8;
                }
                link = &mut (*node).next;
            }
        }
        null_mut()
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        let size = Heap::block_size(layout);
        let start = p as usize;
        // SAFETY: single-threaded use (contract of `init`).
        let inner = unsafe { &mut *self.inner.get() };
        inner.used -= size;
        // Find the free blocks around `p` (the list is sorted by address).
        let mut prev: *mut Node = null_mut();
        let mut next = inner.free;
        // SAFETY: list nodes are valid free blocks; `p..p + size` was handed out by `alloc`
        // with this layout, so it is `UNIT`-aligned, inside the region and not in the list.
        unsafe {
            while !next.is_null() && (next as usize) < start {
                prev = next;
                next = (*next).next;
            }
            let node = p.cast::<Node>();
            node.write(Node { size, next });
            // Merge with the following block.
            if !next.is_null() && start + size == next as usize {
                (*node).size += (*next).size;
                (*node).next = (*next).next;
            }
            // Merge with the preceding block, or link after it.
            if prev.is_null() {
                inner.free = node;
            } else if prev as usize + (*prev).size == start {
                (*prev).size += (*node).size;
                (*prev).next = (*node).next;
            } else {
                (*prev).next = node;
            }
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Same block size: nothing to move.
        // SAFETY: `layout.align()` is a valid alignment and `new_size` was checked by the
        // caller not to overflow when rounded to it (`GlobalAlloc::realloc` contract).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if Heap::block_size(new_layout) == Heap::block_size(layout) {
            return p;
        }
        // SAFETY: as for `alloc` / `dealloc`; the old block stays valid until it is freed.
        unsafe {
            let q = self.alloc(new_layout);
            if !q.is_null() {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
            q
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::boxed::Box;
    use std::vec;
    use std::vec::Vec;

    /// A 64 KiB region for one test.
    #[repr(align(64))]
    struct Region([u8; 65536]);

    fn heap(region: &mut Region) -> Heap {
        let h = Heap::empty();
        // SAFETY: the region outlives the heap in each test, which is single-threaded.
        unsafe { h.init(region.0.as_mut_ptr(), region.0.len()) };
        h
    }

    /// Free blocks as (offset, size), in list order.
    fn free_blocks(h: &Heap, base: usize) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        // SAFETY: test-only walk of the list of a heap used by this thread only.
        unsafe {
            let mut n = (*h.inner.get()).free;
            while !n.is_null() {
                v.push((n as usize - base, (*n).size));
                n = (*n).next;
            }
        }
        v
    }

    #[test]
    fn allocations_are_disjoint_aligned_and_everything_merges_back() {
        let mut region = Box::new(Region([0; 65536]));
        let base = region.0.as_ptr() as usize;
        let h = heap(&mut region);
        let mut live: Vec<(*mut u8, Layout)> = Vec::new();
        let mut seed = 0x1234_5678_u64;
        let mut rand = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..4000 {
            if live.len() < 40 && rand() % 3 != 0 {
                let size = (rand() % 700) as usize + 1;
                let align = 1 << (rand() % 7);
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero size; freed below with the same layout.
                let p = unsafe { h.alloc(layout) };
                assert!(
                    !p.is_null(),
                    "round {round}: out of memory with {} live",
                    live.len()
                );
                assert_eq!(p as usize % align, 0);
                let (a, b) = (p as usize, p as usize + size);
                assert!(a >= base && b <= base + 65536);
                for &(q, l) in &live {
                    let (c, d) = (q as usize, q as usize + l.size());
                    assert!(b <= c || d <= a, "overlap");
                }
                // SAFETY: `p` has `size` writable bytes.
                unsafe { p.write_bytes(0xAB, size) };
                live.push((p, layout));
            } else if !live.is_empty() {
                let k = (rand() as usize) % live.len();
                let (p, l) = live.swap_remove(k);
                // SAFETY: `p` came from `alloc(l)` and is freed once.
                unsafe { h.dealloc(p, l) };
            }
        }
        assert!(h.peak() > 0);
        for (p, l) in live.drain(..) {
            // SAFETY: as above.
            unsafe { h.dealloc(p, l) };
        }
        assert_eq!(h.used(), 0);
        assert_eq!(
            free_blocks(&h, base),
            vec![(0, 65536)],
            "free blocks must merge back"
        );
    }

    #[test]
    fn exhaustion_gives_null_and_realloc_keeps_contents() {
        let mut region = Box::new(Region([0; 65536]));
        let h = heap(&mut region);
        let big = Layout::from_size_align(60_000, 8).unwrap();
        // SAFETY: valid layouts; everything is freed with the layout it was allocated with.
        unsafe {
            let p = h.alloc(big);
            assert!(!p.is_null());
            assert!(
                h.alloc(Layout::from_size_align(10_000, 8).unwrap())
                    .is_null()
            );
            p.write_bytes(7, 100);
            let small = Layout::from_size_align(100, 8).unwrap();
            h.dealloc(p, big);
            let q = h.alloc(small);
            q.write_bytes(9, 100);
            let r = h.realloc(q, small, 5000);
            assert!(!r.is_null());
            assert!(core::slice::from_raw_parts(r, 100).iter().all(|&b| b == 9));
            h.dealloc(r, Layout::from_size_align(5000, 8).unwrap());
        }
        assert_eq!(h.used(), 0);
    }
}
