//! Prints the native Conv2d throughput table (`cargo run --release -p convlab-bench`),
//! or with `--json` the rows as JSON for the benchmark page's table (`web/run.mjs`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use convlab_bench::{cases, measure, native_clock, table, MIN_RUNS, MIN_SECONDS};
    let rows = measure(&cases(), MIN_SECONDS, MIN_RUNS, &mut native_clock());
    if std::env::args().any(|a| a == "--json") {
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{{\"name\":\"{}\",\"median_ms\":{},\"best_ms\":{},\"runs\":{}}}",
                    r.case.name, r.median_ms, r.best_ms, r.runs
                )
            })
            .collect();
        println!("[{}]", items.join(","));
    } else {
        println!("{}", table("native, one thread", &rows));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
