//! The throughput table in wasm32 (simd128) in a headless browser:
//! `scripts/bench-kernels-wasm`.
#![cfg(target_arch = "wasm32")]

use convlab_bench::{browser_clock, cases, measure, table, MIN_RUNS, MIN_SECONDS};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn conv2d_throughput() {
    let mut clock = browser_clock().expect("a page with performance.now()");
    let rows = measure(&cases(), MIN_SECONDS, MIN_RUNS, &mut clock);
    console_log!(
        "{}",
        table("wasm32 + simd128, headless Chromium, one thread", &rows)
    );
    assert!(rows.iter().all(|r| r.gflops > 0.0));
}
