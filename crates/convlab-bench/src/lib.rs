//! Conv2d throughput at the lesson sizes, measured the same way natively
//! and in wasm32 (in a headless browser): after a warm-up, each case is timed
//! in samples of back-to-back calls (at least [`SAMPLE_MS`] each) until at
//! least [`MIN_SECONDS`] have passed and [`MIN_RUNS`] samples were taken; the
//! median per-call time gives GFLOP/s (FLOPs = 2 · multiply–adds).
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
/// Least number of timed samples per case.
pub const MIN_RUNS: usize = 20;
/// Least duration of one sample, milliseconds: a sample is as many
/// back-to-back forward calls as take this long, timed together, so that a
/// coarse clock (a browser's `performance.now()` may tick in 100 µs) does not
/// matter.
pub const SAMPLE_MS: f64 = 2.0;

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
    /// Timed forward calls (all samples).
    pub runs: usize,
    /// Median over the samples of the time of one forward, milliseconds.
    pub median_ms: f64,
    /// Per-call time of the fastest sample, milliseconds.
    pub best_ms: f64,
    /// Throughput at the median, GFLOP/s.
    pub gflops: f64,
    /// Throughput of the fastest sample, GFLOP/s (the least disturbed by other
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
        let w0 = clock();
        for _ in 0..3 {
            std::hint::black_box(conv.forward(&x).expect("forward succeeds"));
        }
        let batch = (SAMPLE_MS / ((clock() - w0) / 3.0).max(1e-3))
            .ceil()
            .max(1.0) as usize;
        let mut times = Vec::new();
        let begin = clock();
        while times.len() < min_runs || clock() - begin < min_seconds * 1e3 {
            let t0 = clock();
            for _ in 0..batch {
                std::hint::black_box(conv.forward(std::hint::black_box(&x)).expect("forward"));
            }
            times.push((clock() - t0) / batch as f64);
        }
        times.sort_by(f64::total_cmp);
        let median_ms = times[times.len() / 2].max(1e-6);
        let best_ms = times[0].max(1e-6);
        rows.push(Row {
            case,
            flops,
            runs: times.len() * batch,
            median_ms,
            best_ms,
            gflops: flops as f64 / (median_ms * 1e6),
            best_gflops: flops as f64 / (best_ms * 1e6),
        });
    }
    rows
}

/// What the benchmark page needs from the wasm build: the cases, their
/// data (so TensorFlow.js runs on the same numbers), our output and our
/// timings (`web/bench.mjs`, run by `scripts/bench-kernels-wasm`).
#[cfg(target_arch = "wasm32")]
pub mod web {
    use super::{cases, Case};
    use convlab_core::{Conv2d, Tensor};
    use wasm_bindgen::prelude::wasm_bindgen;

    fn case(i: usize) -> Result<Case, String> {
        cases()
            .get(i)
            .copied()
            .ok_or_else(|| format!("no case {i}"))
    }

    fn data(i: usize) -> Result<(Conv2d, Tensor), String> {
        let c = case(i)?;
        let conv = Conv2d::random(c.spec, 1).map_err(|e| e.to_string())?;
        let x = Tensor::random(c.spec.in_channels, c.side, c.side, 2).map_err(|e| e.to_string())?;
        Ok((conv, x))
    }

    /// Number of cases.
    #[wasm_bindgen]
    pub fn case_count() -> usize {
        cases().len()
    }

    /// Case `i` as JSON: name, label, channels, kernel, padding, dilation,
    /// groups, input side and FLOPs of one forward.
    #[wasm_bindgen]
    pub fn case_json(i: usize) -> Result<String, String> {
        let c = case(i)?;
        let s = c.spec;
        let flops = 2 * s.macs(c.side, c.side).map_err(|e| e.to_string())?;
        Ok(format!(
            "{{\"name\":\"{}\",\"label\":\"{}\",\"in\":{},\"out\":{},\"kernel\":[{},{}],\"stride\":[{},{}],\"padding\":[{},{}],\"dilation\":[{},{}],\"groups\":{},\"side\":{},\"flops\":{}}}",
            c.name,
            c.label,
            s.in_channels,
            s.out_channels,
            s.kernel.0,
            s.kernel.1,
            s.stride.0,
            s.stride.1,
            s.padding.0,
            s.padding.1,
            s.dilation.0,
            s.dilation.1,
            s.groups,
            c.side,
            flops
        ))
    }

    /// The input of case `i`, CHW.
    #[wasm_bindgen]
    pub fn case_input(i: usize) -> Result<Vec<f32>, String> {
        Ok(data(i)?.1.data().to_vec())
    }

    /// The weights of case `i`, `[out, in/groups, kh, kw]`.
    #[wasm_bindgen]
    pub fn case_weight(i: usize) -> Result<Vec<f32>, String> {
        Ok(data(i)?.0.weight().to_vec())
    }

    /// The bias of case `i` (empty when the case has none).
    #[wasm_bindgen]
    pub fn case_bias(i: usize) -> Result<Vec<f32>, String> {
        Ok(data(i)?.0.bias().map(<[f32]>::to_vec).unwrap_or_default())
    }

    /// Our output of case `i`, CHW.
    #[wasm_bindgen]
    pub fn case_output(i: usize) -> Result<Vec<f32>, String> {
        let (conv, x) = data(i)?;
        Ok(conv.forward(&x).map_err(|e| e.to_string())?.data().to_vec())
    }

    /// Case `i`, ready to run: the page times [`Runner::run`] in rounds
    /// interleaved with TensorFlow.js, so that all engines share the same
    /// moments of a busy machine.
    #[wasm_bindgen]
    pub struct Runner {
        conv: Conv2d,
        x: Tensor,
    }

    #[wasm_bindgen]
    impl Runner {
        /// The convolution and input of case `i`.
        #[wasm_bindgen(constructor)]
        pub fn new(i: usize) -> Result<Runner, String> {
            let (conv, x) = data(i)?;
            Ok(Runner { conv, x })
        }

        /// `n` forward calls (each allocates and returns its output, as a
        /// lesson's call does); the output of the last one is dropped here.
        pub fn run(&self, n: usize) -> Result<(), String> {
            for _ in 0..n {
                std::hint::black_box(
                    self.conv
                        .forward(std::hint::black_box(&self.x))
                        .map_err(|e| e.to_string())?,
                );
            }
            Ok(())
        }
    }
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
