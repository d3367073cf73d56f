//! Live heap accounting: the global allocator of the browser build counts the
//! bytes it has handed out and not yet taken back, so a test can tell a leak
//! (live bytes that keep growing) from the allocator's high-water mark (the
//! wasm memory, which never shrinks).

#[cfg(target_arch = "wasm32")]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub static LIVE: AtomicUsize = AtomicUsize::new(0);

    /// The system allocator with a running count of live bytes.
    pub struct Counting;

    // SAFETY: every call is forwarded unchanged to `System`; the counter only
    // follows the sizes of the blocks that `System` handed out or took back.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                LIVE.fetch_add(layout.size(), Ordering::Relaxed);
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                LIVE.fetch_add(layout.size(), Ordering::Relaxed);
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                LIVE.fetch_add(new_size, Ordering::Relaxed);
                LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            }
            p
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;
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
