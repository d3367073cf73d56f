//! Live heap accounting: the global allocator of the browser build counts the
//! bytes it has handed out and not yet taken back, so a test can tell a leak
//! (live bytes that keep growing) from the allocator's high-water mark (the
//! wasm memory, which never shrinks).

#[cfg(target_arch = "wasm32")]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
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

    /// The system allocator with a running count of live bytes.
    pub struct Counting;

    // SAFETY: every call is forwarded unchanged to `System`; the counter only
    // follows the sizes of the blocks that `System` handed out or took back.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                added(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                added(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            removed(layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
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
