//! Conv2d throughput at the lesson sizes, measured the same way natively
//! and in wasm32 (in a headless browser): each case is run until at least
//! [`MIN_SECONDS`] have passed (and at least [`MIN_RUNS`] times) after a
//! warm-up, and the median run time gives GFLOP/s (FLOPs = 2 · multiply–adds).
//!
//! ```
//! let rows = convlab_bench::measure(&convlab_bench::cases()[..1], 0.0, 1, &mut convlab_bench::native_clock());
//! assert_eq!(rows.len(), 1);
//! assert!(rows[0].gflops > 0.0);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use convlab_core::{Conv2d, Conv2dSpec, Tensor};

/// Least total time per case, in seconds.
pub const MIN_SECONDS: f64 = 1.0;
/// Least number of timed runs per case.
pub const MIN_RUNS: usize = 20;

/// One benchmark shape.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Short name, `A` … `D`.
    pub name: &'static str,
    /// What it is, in words.
    pub label: &'static str,
    /// The convolution.
    pub spec: Conv2dSpec,
    /// Input side (square input).
    pub side: usize,
}

/// The four shapes of the speed table.
pub fn cases() -> Vec<Case> {
    let b = Conv2dSpec::standard(32, 32, 3);
    vec![
        Case {
            name: "A",
            label: "16×32×32 → 16, 3×3, pad 1",
            spec: Conv2dSpec::standard(16, 16, 3),
            side: 32,
        },
        Case {
            name: "B",
            label: "32×64×64 → 32, 3×3, pad 1",
            spec: b,
            side: 64,
        },
        Case {
            name: "C",
            label: "depthwise 32×64×64, 3×3, pad 1",
            spec: Conv2dSpec::depthwise(32, 1, 3),
            side: 64,
        },
        Case {
            name: "D",
            label: "B with dilation 4, pad 4",
            spec: b.with_dilation(4),
            side: 64,
        },
    ]
}

/// One measured case.
#[derive(Clone, Debug)]
pub struct Row {
    /// The case.
    pub case: Case,
    /// FLOPs of one forward (2 · multiply–adds).
    pub flops: u64,
    /// Timed runs.
    pub runs: usize,
    /// Median time of one forward, milliseconds.
    pub median_ms: f64,
    /// Throughput at the median, GFLOP/s.
    pub gflops: f64,
    /// Throughput of the fastest run, GFLOP/s (the least disturbed by other
    /// processes on a busy machine).
    pub best_gflops: f64,
}

/// A millisecond clock from `std::time::Instant` (not on wasm32).
#[cfg(not(target_arch = "wasm32"))]
pub fn native_clock() -> impl FnMut() -> f64 {
    let start = std::time::Instant::now();
    move || start.elapsed().as_secs_f64() * 1e3
}

/// `performance.now()` of the page, in milliseconds.
#[cfg(target_arch = "wasm32")]
pub fn browser_clock() -> Option<impl FnMut() -> f64> {
    let perf = web_sys::window()?.performance()?;
    Some(move || perf.now())
}

/// Measures `cases` with `clock` (milliseconds).
///
/// # Panics
/// If a case is not a valid convolution (the cases are fixed and valid).
pub fn measure(
    cases: &[Case],
    min_seconds: f64,
    min_runs: usize,
    clock: &mut impl FnMut() -> f64,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for &case in cases {
        let conv = Conv2d::random(case.spec, 1).expect("benchmark spec is valid");
        let x = Tensor::random(case.spec.in_channels, case.side, case.side, 2)
            .expect("benchmark input is valid");
        let flops = 2 * conv
            .macs(case.side, case.side)
            .expect("benchmark shape fits");
        for _ in 0..3 {
            std::hint::black_box(conv.forward(&x).expect("forward succeeds"));
        }
        let mut times = Vec::new();
        let begin = clock();
        while times.len() < min_runs || clock() - begin < min_seconds * 1e3 {
            let t0 = clock();
            std::hint::black_box(conv.forward(std::hint::black_box(&x)).expect("forward"));
            times.push(clock() - t0);
        }
        times.sort_by(f64::total_cmp);
        let median_ms = times[times.len() / 2].max(1e-6);
        let best_ms = times[0].max(1e-6);
        rows.push(Row {
            case,
            flops,
            runs: times.len(),
            median_ms,
            gflops: flops as f64 / (median_ms * 1e6),
            best_gflops: flops as f64 / (best_ms * 1e6),
        });
    }
    rows
}

/// The rows as a Markdown table.
pub fn table(title: &str, rows: &[Row]) -> String {
    let mut s = format!(
        "{title}\n\n| case | shape | MFLOP | median ms | GFLOP/s (median) | GFLOP/s (best) | runs |\n|---|---|---:|---:|---:|---:|---:|\n"
    );
    for r in rows {
        s += &format!(
            "| {} | {} | {:.1} | {:.3} | {:.2} | {:.2} | {} |\n",
            r.case.name,
            r.case.label,
            r.flops as f64 / 1e6,
            r.median_ms,
            r.gflops,
            r.best_gflops,
            r.runs
        );
    }
    s
}
