//! Prints the speed lesson's tables with native timings of each forward pass:
//!
//! ```sh
//! cargo run -p convlab-core --release --example speed            # blocks and G1–G4
//! cargo run -p convlab-core --release --example speed -- blocks   # blocks only
//! ```

use convlab_core::speed::{
    gflops, Guideline, GuidelineSetup, SpeedBlock, SpeedCase, SpeedSetup, TimingOptions,
};
use std::time::Instant;

fn row(c: &SpeedCase, opts: &TimingOptions) -> String {
    let x = c.input_tensor(1).expect("input");
    let t0 = Instant::now();
    let clock = || t0.elapsed().as_secs_f64() * 1e3;
    let t = c.time_forward(&x, clock, opts).expect("timing");
    format!(
        "| {:<18} | {:>8} | {:>11} | {:>11} | {:>6.2} | {:>8.3} | {:>6.3}–{:<6.3} | {:>5} | {:>6.2} |",
        c.id(),
        c.params(),
        c.macs(),
        c.bytes(),
        c.intensity(),
        t.median_ms,
        t.p10_ms,
        t.p90_ms,
        t.runs,
        gflops(c.macs(), t.median_ms).unwrap_or(0.0),
    )
}

fn header(title: &str) {
    println!("\n{title}\n");
    println!("| case | params | MACs | bytes | MAC/B | median ms | p10–p90 ms | runs | GFLOP/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
}

fn main() {
    let opts = TimingOptions {
        budget_ms: 1500.0,
        ..TimingOptions::default()
    };
    let setup = SpeedSetup::default();
    header("Blocks at 64×56×56 → 64, groups 4 (bias on every conv, no BatchNorm)");
    for b in SpeedBlock::ALL {
        match b.build(&setup, 7) {
            Ok(c) => println!("{}", row(&c, &opts)),
            Err(e) => println!("| {} | {e} |", b.id()),
        }
    }
    if std::env::args().nth(1).as_deref() == Some("blocks") {
        return;
    }
    for g in Guideline::ALL {
        header(&format!("{} ({}, base 128, 56×56)", g.title(), g.table()));
        for c in g.cases(&GuidelineSetup::default(), 0).expect("cases") {
            println!("{}", row(&c, &opts));
        }
    }
}
