//! Prints the native Conv2d throughput table (`cargo run --release -p convlab-bench`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use convlab_bench::{cases, measure, native_clock, table, MIN_RUNS, MIN_SECONDS};
    let rows = measure(&cases(), MIN_SECONDS, MIN_RUNS, &mut native_clock());
    println!("{}", table("native, one thread", &rows));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
