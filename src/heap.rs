//! Live heap accounting: the global allocator of the browser build counts the
//! bytes it has handed out and not yet taken back, so a test can tell a leak
//! (live bytes that keep growing) from the allocator's high-water mark (the
//! wasm memory, which never shrinks).
//!
//! It also keeps freed large blocks for reuse ([`Pooled`]): a lesson's feature
//! maps (80–240 KiB each on ShuffleNet) are freed when the page is left, and
//! the system allocator then cut long-lived small blocks out of the space
//! they left; the next visit's maps no longer fitted and the wasm memory grew
//! a little every few dozen route changes, with no more bytes live.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Smallest block [`Pooled`] keeps.
pub const LARGE: usize = 16 << 10;
/// Large blocks are rounded up to a multiple of this, so that a block freed by
/// one tensor fits the next of about its size.
const GRAIN: usize = 16 << 10;
/// Alignment of every large block (any request of at most this can reuse one).
const BLOCK_ALIGN: usize = 16;
/// Most blocks kept.
const SLOTS: usize = 512;
/// Most bytes kept; past it the oldest blocks go back to the system.
const MAX_HELD: usize = 8 << 20;

/// The block a large request gets: its size rounded up to [`GRAIN`], aligned
/// to [`BLOCK_ALIGN`]; `None` for small or over-aligned requests.
fn block(layout: Layout) -> Option<Layout> {
    if layout.size() < LARGE || layout.align() > BLOCK_ALIGN {
        return None;
    }
    let size = layout.size().checked_next_multiple_of(GRAIN)?;
    Layout::from_size_align(size, BLOCK_ALIGN).ok()
}

/// The kept blocks: `(size, pointer, when freed)`, a null pointer for a free slot.
struct Slots {
    held: usize,
    clock: u64,
    blocks: [(usize, *mut u8, u64); SLOTS],
}

impl Slots {
    /// A kept block of exactly `size` bytes, taken out.
    fn take(&mut self, size: usize) -> Option<*mut u8> {
        let slot = self
            .blocks
            .iter_mut()
            .filter(|b| !b.1.is_null() && b.0 == size)
            .max_by_key(|b| b.2)?;
        let ptr = std::mem::replace(slot, (0, std::ptr::null_mut(), 0)).1;
        self.held -= size;
        Some(ptr)
    }

    /// Keeps `ptr` (a block of `size` bytes) if there is room; if not, takes
    /// out the oldest kept block to make some (the caller frees it and asks again).
    fn put(&mut self, ptr: *mut u8, size: usize) -> Put {
        if size > MAX_HELD {
            return Put::Refused;
        }
        match self.blocks.iter().position(|b| b.1.is_null()) {
            Some(i) if self.held + size <= MAX_HELD => {
                self.clock += 1;
                self.blocks[i] = (size, ptr, self.clock);
                self.held += size;
                Put::Kept
            }
            _ => {
                let Some(old) = self
                    .blocks
                    .iter_mut()
                    .filter(|b| !b.1.is_null())
                    .min_by_key(|b| b.2)
                else {
                    return Put::Refused;
                };
                let (n, p, _) = std::mem::replace(old, (0, std::ptr::null_mut(), 0));
                self.held -= n;
                Put::Evicted(p, n)
            }
        }
    }
}

/// What [`Slots::put`] did.
enum Put {
    Kept,
    /// Not kept: no room, and nothing to make room with.
    Refused,
    /// Not kept yet: this older block (pointer, size) was taken out for room.
    Evicted(*mut u8, usize),
}

/// An allocator that keeps up to [`MAX_HELD`] bytes of freed blocks of
/// [`LARGE`] bytes or more and hands them out again to requests of the same
/// rounded size, instead of returning them to `A` where small blocks would
/// be cut out of them.
pub struct Pooled<A> {
    inner: A,
    lock: AtomicBool,
    slots: UnsafeCell<Slots>,
}

// SAFETY: `slots` is only touched while `lock` is held (see `with_slots`).
unsafe impl<A: Sync> Sync for Pooled<A> {}

impl<A: GlobalAlloc> Pooled<A> {
    /// A pool in front of `inner`, empty.
    pub const fn new(inner: A) -> Self {
        Pooled {
            inner,
            lock: AtomicBool::new(false),
            slots: UnsafeCell::new(Slots {
                held: 0,
                clock: 0,
                blocks: [(0, std::ptr::null_mut(), 0); SLOTS],
            }),
        }
    }

    /// Runs `f` on the kept blocks; `None` (and `f` not run) if another
    /// thread holds them: the caller then goes to `inner` directly.
    fn with_slots<R>(&self, f: impl FnOnce(&mut Slots) -> R) -> Option<R> {
        if self
            .lock
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return None;
        }
        // SAFETY: the lock is held, so no other reference to the slots exists.
        let r = f(unsafe { &mut *self.slots.get() });
        self.lock.store(false, Ordering::Release);
        Some(r)
    }

    /// Bytes kept for reuse now.
    pub fn held(&self) -> usize {
        self.with_slots(|s| s.held).unwrap_or(0)
    }
}

// SAFETY: every block handed out comes from `inner`, small ones with the
// caller's layout, large ones with their `block` layout (also what they are
// given back to `inner` with); a kept block is owned by the pool alone until
// it is handed out again, to a request whose `block` layout is the same.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Pooled<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(b) = block(layout) else {
            return unsafe { self.inner.alloc(layout) };
        };
        match self.with_slots(|s| s.take(b.size())).flatten() {
            Some(p) => p,
            None => unsafe { self.inner.alloc(b) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let Some(b) = block(layout) else {
            return unsafe { self.inner.alloc_zeroed(layout) };
        };
        match self.with_slots(|s| s.take(b.size())).flatten() {
            Some(p) => {
                // SAFETY: `p` is a block of `b.size() >= layout.size()` bytes.
                unsafe { std::ptr::write_bytes(p, 0, layout.size()) };
                p
            }
            None => unsafe { self.inner.alloc_zeroed(b) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(b) = block(layout) else {
            return unsafe { self.inner.dealloc(ptr, layout) };
        };
        loop {
            match self.with_slots(|s| s.put(ptr, b.size())) {
                Some(Put::Kept) => return,
                Some(Put::Evicted(p, n)) => {
                    // SAFETY: a kept block, allocated from `inner` as the
                    // `block` layout of `n` bytes (valid: it was made once).
                    unsafe {
                        self.inner
                            .dealloc(p, Layout::from_size_align_unchecked(n, BLOCK_ALIGN))
                    }
                }
                Some(Put::Refused) | None => return unsafe { self.inner.dealloc(ptr, b) },
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        match (block(layout), block(new)) {
            (None, None) => unsafe { self.inner.realloc(ptr, layout, new_size) },
            (Some(a), Some(b)) if a.size() == b.size() => ptr,
            _ => {
                let p = unsafe { self.alloc(new) };
                if !p.is_null() {
                    // SAFETY: both blocks hold at least the smaller size and are distinct.
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                p
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};

    use super::Pooled;
    use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

    pub static LIVE: AtomicUsize = AtomicUsize::new(0);

    /// Live blocks by size class: `size / 16`, the last class for every
    /// block of 1 KiB or more (what kind of object a leak is made of).
    pub static BLOCKS: [AtomicIsize; super::CLASSES] =
        [const { AtomicIsize::new(0) }; super::CLASSES];

    fn class(size: usize) -> usize {
        (size / 16).min(super::CLASSES - 1)
    }

    fn added(size: usize) {
        LIVE.fetch_add(size, Ordering::Relaxed);
        BLOCKS[class(size)].fetch_add(1, Ordering::Relaxed);
    }

    fn removed(size: usize) {
        LIVE.fetch_sub(size, Ordering::Relaxed);
        BLOCKS[class(size)].fetch_sub(1, Ordering::Relaxed);
    }

    /// The system allocator, behind a pool of large blocks.
    static POOL: Pooled<System> = Pooled::new(System);

    /// Bytes the pool keeps for reuse now.
    pub fn pooled() -> usize {
        POOL.held()
    }

    /// The pooled system allocator with a running count of live bytes.
    pub struct Counting;

    // SAFETY: every call is forwarded unchanged to `POOL`; the counter only
    // follows the sizes of the blocks that it handed out or took back.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { POOL.alloc(layout) };
            if !p.is_null() {
                added(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { POOL.alloc_zeroed(layout) };
            if !p.is_null() {
                added(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { POOL.dealloc(ptr, layout) };
            removed(layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { POOL.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                added(new_size);
                removed(layout.size());
            }
            p
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;
}

/// Number of size classes of [`live_blocks`].
pub const CLASSES: usize = 65;

/// Live blocks per size class now: entry `i` counts blocks of `16·i` to
/// `16·i + 15` bytes, the last one every block of 1 KiB or more (all zero
/// outside the browser build).
pub fn live_blocks() -> Vec<i32> {
    #[cfg(target_arch = "wasm32")]
    {
        counting::BLOCKS
            .iter()
            .map(|b| b.load(std::sync::atomic::Ordering::Relaxed) as i32)
            .collect()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        vec![0; CLASSES]
    }
}

/// [`live_blocks`] for the browser tests: comparing two snapshots shows the
/// size of what a leak keeps.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = convlabHeapBlocks)]
pub fn heap_blocks() -> Vec<i32> {
    live_blocks()
}

/// Bytes of Rust heap in use now (0 outside the browser build, which keeps
/// the system allocator uncounted).
pub fn live_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        counting::LIVE.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// [`live_bytes`] for the browser tests and benchmarks (trunk exposes the
/// module's exports as `window.wasmBindings`): the memory soak test compares
/// it after rounds of route changes.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = convlabHeapBytes)]
pub fn heap_bytes() -> f64 {
    live_bytes() as f64
}

/// Bytes of freed large blocks kept for reuse now (0 outside the browser build).
pub fn pooled_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        counting::pooled()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// [`pooled_bytes`] for the memory soak test's report.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = convlabHeapPooled)]
pub fn heap_pooled() -> f64 {
    pooled_bytes() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    fn layout(n: usize) -> Layout {
        Layout::from_size_align(n, 8).unwrap()
    }

    #[test]
    fn a_freed_large_block_is_handed_to_the_next_request_of_its_rounded_size() {
        let pool = Pooled::new(System);
        unsafe {
            let a = pool.alloc(layout(245_760));
            assert!(!a.is_null());
            a.write_bytes(7, 245_760);
            pool.dealloc(a, layout(245_760));
            assert_eq!(pool.held(), 245_760);
            // A little smaller: the same 240 KiB block.
            let b = pool.alloc(layout(240_000));
            assert_eq!(b, a);
            assert_eq!(pool.held(), 0);
            // Zeroed when asked, though the block was used.
            pool.dealloc(b, layout(240_000));
            let z = pool.alloc_zeroed(layout(245_760));
            assert_eq!(z, a);
            assert!(std::slice::from_raw_parts(z, 245_760)
                .iter()
                .all(|&v| v == 0));
            // Another size class does not take it.
            pool.dealloc(z, layout(245_760));
            let c = pool.alloc(layout(300_000));
            assert_ne!(c, a);
            pool.dealloc(c, layout(300_000));
            assert_eq!(pool.held(), 245_760 + 311_296);
        }
    }

    #[test]
    fn small_and_over_aligned_blocks_are_not_kept() {
        let pool = Pooled::new(System);
        unsafe {
            let s = pool.alloc(layout(1000));
            pool.dealloc(s, layout(1000));
            let big = Layout::from_size_align(1 << 16, 64).unwrap();
            let o = pool.alloc(big);
            assert_eq!(o as usize % 64, 0);
            pool.dealloc(o, big);
            assert_eq!(pool.held(), 0);
        }
    }

    #[test]
    fn the_pool_keeps_at_most_its_bytes_and_gives_back_the_oldest() {
        let pool = Pooled::new(System);
        let n = 1 << 20;
        unsafe {
            let blocks: Vec<*mut u8> = (0..12).map(|_| pool.alloc(layout(n))).collect();
            for &p in &blocks {
                pool.dealloc(p, layout(n));
                assert!(pool.held() <= MAX_HELD);
            }
            assert_eq!(pool.held(), MAX_HELD);
            // The newest are kept: the last one freed comes back first.
            assert_eq!(pool.alloc(layout(n)), blocks[11]);
            pool.dealloc(blocks[11], layout(n));
            // Larger than the pool: never kept.
            let huge = pool.alloc(layout(MAX_HELD + GRAIN));
            pool.dealloc(huge, layout(MAX_HELD + GRAIN));
            assert_eq!(pool.held(), MAX_HELD);
        }
    }

    #[test]
    fn realloc_keeps_the_bytes_across_small_and_large_blocks() {
        let pool = Pooled::new(System);
        unsafe {
            let mut p = pool.alloc(layout(100));
            let mut n = 100;
            for i in 0..100u8 {
                *p.add(i as usize) = i;
            }
            for next in [40_000, 40_001, 200_000, 50_000, 64] {
                p = pool.realloc(p, layout(n), next);
                assert!(!p.is_null());
                let kept = n.min(next).min(100);
                let got = std::slice::from_raw_parts(p, kept);
                assert!(
                    got.iter().enumerate().all(|(i, &v)| v == i as u8),
                    "{n} -> {next}"
                );
                n = next;
            }
            pool.dealloc(p, layout(n));
        }
    }
}
