//! A timing harness that owns no clock: [`measure`] takes the function to
//! time and a clock (milliseconds), so the page passes `performance.now`, a
//! native caller `Instant`, and a test a scripted fake.
//!
//! The procedure:
//!
//! 1. **Warm-up**: `warmup` calls, not sampled (first-call costs: page faults,
//!    lazy compilation in the browser, cold caches).
//! 2. **Batching**: while one batch of calls takes less than `min_sample_ms`,
//!    the batch doubles (up to `max_batch`), so that a fast block is not
//!    timed below the clock's resolution (browsers round `performance.now`
//!    to 5–100 µs). These calls are warm-up too.
//! 3. **Sampling**: each sample times one batch and records the time per call.
//!    After sample `n` the median `m_n` of all samples so far is taken. The
//!    run stops as soon as one of these holds, checked in this order:
//!    * **stable**: `n ≥ max(min_runs, stable_window)` and the last
//!      `stable_window` medians lie within `stable_tolerance · m_n` of each
//!      other (`max − min ≤ tol · m_n`);
//!    * **max runs**: `n = max_runs`;
//!    * **budget**: the time since the start (warm-up included) is at least
//!      `budget_ms`. At least one sample is always taken, even past the budget.

use crate::error::{Error, Result};

/// Largest `max_runs` and `warmup` accepted (each sample keeps the sorted
/// samples up to date, so the work grows with the square of the runs).
pub const MAX_TIMING_RUNS: usize = 10_000;
/// Largest `max_batch` accepted.
pub const MAX_TIMING_BATCH: usize = 1 << 20;

/// How long and how carefully to measure (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimingOptions {
    /// Calls before anything is timed for the statistics.
    pub warmup: usize,
    /// Samples before the stability rule may stop the run (≥ 1).
    pub min_runs: usize,
    /// Samples after which the run stops (≥ `min_runs`, ≤ [`MAX_TIMING_RUNS`]).
    pub max_runs: usize,
    /// Time after which the run stops, in ms, warm-up included (≥ 0).
    pub budget_ms: f64,
    /// `k`: how many consecutive medians must agree (≥ 1).
    pub stable_window: usize,
    /// `x`: how closely, as a fraction of the latest median (≥ 0; 0.02 = 2 %).
    pub stable_tolerance: f64,
    /// A batch is doubled while it takes less than this, in ms (0: one call per sample).
    pub min_sample_ms: f64,
    /// Most calls in one batch (≥ 1, ≤ [`MAX_TIMING_BATCH`]).
    pub max_batch: usize,
}

impl Default for TimingOptions {
    /// 2 warm-up calls, 5 to 200 samples of ≥ 1 ms, stable when the last 5
    /// medians agree to 2 %, at most 2 s.
    fn default() -> Self {
        TimingOptions {
            warmup: 2,
            min_runs: 5,
            max_runs: 200,
            budget_ms: 2000.0,
            stable_window: 5,
            stable_tolerance: 0.02,
            min_sample_ms: 1.0,
            max_batch: 1024,
        }
    }
}

impl TimingOptions {
    /// Checks the options.
    ///
    /// # Errors
    /// `InvalidSpec` for zero runs, window or batch, `min_runs > max_runs`, or a
    /// negative or non-finite time or tolerance; `TooLarge` past
    /// [`MAX_TIMING_RUNS`] or [`MAX_TIMING_BATCH`].
    pub fn validate(&self) -> Result<()> {
        let op = "timing";
        for (name, v) in [
            ("min_runs", self.min_runs),
            ("max_runs", self.max_runs),
            ("stable_window", self.stable_window),
            ("max_batch", self.max_batch),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be at least 1, got 0"),
                ));
            }
        }
        let limit = MAX_TIMING_RUNS as u128;
        crate::limits::check(op, "max_runs", self.max_runs as u128, limit)?;
        crate::limits::check(op, "warmup", self.warmup as u128, limit)?;
        crate::limits::check(
            op,
            "max_batch",
            self.max_batch as u128,
            MAX_TIMING_BATCH as u128,
        )?;
        if self.min_runs > self.max_runs {
            return Err(Error::invalid(
                op,
                format!(
                    "min_runs ({}) must not exceed max_runs ({})",
                    self.min_runs, self.max_runs
                ),
            ));
        }
        for (name, v) in [
            ("budget_ms", self.budget_ms),
            ("stable_tolerance", self.stable_tolerance),
            ("min_sample_ms", self.min_sample_ms),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::invalid(
                    op,
                    format!("{name} must be a finite number ≥ 0, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// Why a measurement stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stop {
    /// The last `stable_window` medians agreed.
    Stable,
    /// `max_runs` samples were taken.
    MaxRuns,
    /// The time budget ran out.
    Budget,
}

/// The result of [`measure`]: times per call, in ms.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    /// Samples taken (each the mean of one batch).
    pub runs: usize,
    /// Calls per sample.
    pub batch: usize,
    /// Calls made before sampling (warm-up and batch sizing).
    pub warmup_calls: usize,
    /// Every call made, warm-up included.
    pub calls: usize,
    /// Median time per call.
    pub median_ms: f64,
    /// 10th percentile (linear interpolation between ranks).
    pub p10_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// Fastest sample.
    pub min_ms: f64,
    /// Slowest sample.
    pub max_ms: f64,
    /// Mean of the samples.
    pub mean_ms: f64,
    /// Clock time from the start of warm-up to the last sample.
    pub total_ms: f64,
    /// Why it stopped.
    pub stop: Stop,
    /// The samples, in the order taken.
    pub samples_ms: Vec<f64>,
}

impl Timing {
    /// Relative spread `(p90 − p10) / median` (0 for a zero median).
    pub fn spread(&self) -> f64 {
        if self.median_ms > 0.0 {
            (self.p90_ms - self.p10_ms) / self.median_ms
        } else {
            0.0
        }
    }
}

/// The `p`-th quantile (`0 ≤ p ≤ 1`) of ascending `sorted` values, linear
/// between ranks (position `p·(n − 1)`, NumPy's default); `None` when empty.
///
/// ```
/// use convlab_core::speed::quantile;
/// assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
/// assert_eq!(quantile(&[10.0, 20.0], 0.1), Some(11.0));
/// assert_eq!(quantile(&[], 0.5), None);
/// ```
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = p.clamp(0.0, 1.0) * last as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (a, b) = (sorted[lo.min(last)], sorted[hi.min(last)]);
    Some(a + (pos - lo as f64) * (b - a))
}

/// GFLOP/s of `macs` multiply–adds done in `ms` milliseconds, counting one
/// multiply–add as 2 FLOPs (a multiply and an add): `2·macs / (ms·10⁶)`.
/// `None` unless `ms` is finite and positive.
///
/// ```
/// use convlab_core::speed::gflops;
/// assert_eq!(gflops(1_000_000, 1.0), Some(2.0)); // 2·10⁶ FLOPs in 1 ms
/// assert_eq!(gflops(5, 0.0), None);
/// ```
pub fn gflops(macs: u64, ms: f64) -> Option<f64> {
    (ms.is_finite() && ms > 0.0).then(|| 2.0 * macs as f64 / (ms * 1e6))
}

/// Times `run` with `clock` (milliseconds, non-decreasing) as the module docs describe.
///
/// # Errors
/// As [`TimingOptions::validate`]; `InvalidSpec` if the clock returns a
/// non-finite time or goes backwards.
///
/// ```
/// use convlab_core::speed::{measure, Stop, TimingOptions};
/// use std::cell::Cell;
/// let now = Cell::new(0.0);
/// let opts = TimingOptions { min_sample_ms: 0.0, ..TimingOptions::default() };
/// let t = measure(|| now.set(now.get() + 3.0), || now.get(), &opts)?;
/// assert_eq!((t.median_ms, t.runs, t.stop), (3.0, 5, Stop::Stable));
/// # Ok::<(), convlab_core::Error>(())
/// ```
pub fn measure(
    mut run: impl FnMut(),
    mut clock: impl FnMut() -> f64,
    opts: &TimingOptions,
) -> Result<Timing> {
    opts.validate()?;
    let mut read = || -> Result<f64> {
        let t = clock();
        if t.is_finite() {
            Ok(t)
        } else {
            Err(Error::invalid(
                "timing",
                format!("the clock returned {t}, not a time"),
            ))
        }
    };
    let start = read()?;
    let mut last = start;
    let mut warmup_calls = 0usize;
    // Times `n` calls; returns their duration and keeps `last` up to date.
    let mut timed = |n: usize, last: &mut f64| -> Result<f64> {
        let t0 = read()?;
        for _ in 0..n {
            run();
        }
        let t1 = read()?;
        if t0 < *last || t1 < t0 {
            return Err(Error::invalid(
                "timing",
                format!("the clock went backwards ({} → {t0} → {t1} ms)", *last),
            ));
        }
        *last = t1;
        Ok(t1 - t0)
    };
    for _ in 0..opts.warmup {
        timed(1, &mut last)?;
        warmup_calls += 1;
    }
    let mut batch = 1usize;
    if opts.min_sample_ms > 0.0 {
        while batch < opts.max_batch && last - start < opts.budget_ms {
            let d = timed(batch, &mut last)?;
            warmup_calls += batch;
            if d >= opts.min_sample_ms {
                break;
            }
            batch = batch.saturating_mul(2).min(opts.max_batch);
        }
    }
    let mut samples = Vec::new();
    let mut sorted: Vec<f64> = Vec::new();
    let mut medians = Vec::new();
    let stop = loop {
        let per_call = timed(batch, &mut last)? / batch as f64;
        samples.push(per_call);
        let at = sorted.partition_point(|&v| v <= per_call);
        sorted.insert(at, per_call);
        let m = quantile(&sorted, 0.5).unwrap_or(per_call);
        medians.push(m);
        let n = samples.len();
        let k = opts.stable_window;
        if n >= opts.min_runs.max(k) {
            let recent = &medians[n - k..];
            let hi = recent.iter().copied().fold(f64::MIN, f64::max);
            let lo = recent.iter().copied().fold(f64::MAX, f64::min);
            if hi - lo <= opts.stable_tolerance * m {
                break Stop::Stable;
            }
        }
        if n >= opts.max_runs {
            break Stop::MaxRuns;
        }
        if last - start >= opts.budget_ms {
            break Stop::Budget;
        }
    };
    let q = |p| quantile(&sorted, p).unwrap_or(0.0);
    Ok(Timing {
        runs: samples.len(),
        batch,
        warmup_calls,
        calls: warmup_calls + samples.len() * batch,
        median_ms: q(0.5),
        p10_ms: q(0.1),
        p90_ms: q(0.9),
        min_ms: sorted.first().copied().unwrap_or(0.0),
        max_ms: sorted.last().copied().unwrap_or(0.0),
        mean_ms: samples.iter().sum::<f64>() / samples.len().max(1) as f64,
        total_ms: last - start,
        stop,
        samples_ms: samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A clock that only moves when `run` is called, by the next scripted
    /// duration (the last one repeats); returns the timing and the calls made.
    fn scripted(durations: &[f64], opts: &TimingOptions) -> (Result<Timing>, usize) {
        let now = Cell::new(1000.0);
        let i = Cell::new(0usize);
        let run = || {
            let k = i.get();
            now.set(now.get() + durations[k.min(durations.len() - 1)]);
            i.set(k + 1);
        };
        let t = measure(run, || now.get(), opts);
        (t, i.get())
    }

    fn plain() -> TimingOptions {
        TimingOptions {
            warmup: 0,
            min_sample_ms: 0.0,
            ..TimingOptions::default()
        }
    }

    #[test]
    fn median_percentiles_and_spread_of_scripted_samples() {
        let opts = TimingOptions {
            max_runs: 5,
            stable_tolerance: 0.0,
            ..plain()
        };
        let (t, calls) = scripted(&[5.0, 1.0, 4.0, 2.0, 3.0], &opts);
        let t = t.unwrap();
        // medians 5, 3, 4, 3, 3 never agree over 5 samples: the cap stops it.
        assert_eq!((t.runs, t.stop, calls, t.calls), (5, Stop::MaxRuns, 5, 5));
        assert_eq!(t.samples_ms, vec![5.0, 1.0, 4.0, 2.0, 3.0]);
        assert_eq!(
            (t.median_ms, t.min_ms, t.max_ms, t.mean_ms),
            (3.0, 1.0, 5.0, 3.0)
        );
        // sorted 1..5: p10 at rank 0.4, p90 at rank 3.6
        assert!((t.p10_ms - 1.4).abs() < 1e-12 && (t.p90_ms - 4.6).abs() < 1e-12);
        assert!((t.spread() - 3.2 / 3.0).abs() < 1e-12);
        assert_eq!(t.total_ms, 15.0);
    }

    #[test]
    fn stops_when_the_last_k_medians_agree() {
        let opts = TimingOptions {
            min_runs: 1,
            stable_window: 3,
            stable_tolerance: 0.0,
            ..plain()
        };
        // medians 10, 5.5, 1, 1, 1: the last three agree after sample 5.
        let (t, _) = scripted(&[10.0, 1.0, 1.0, 1.0, 1.0, 1.0, 99.0], &opts);
        let t = t.unwrap();
        assert_eq!((t.runs, t.stop, t.median_ms), (5, Stop::Stable, 1.0));
        // min_runs holds it back even when the medians agree earlier.
        let late = TimingOptions {
            min_runs: 7,
            ..opts
        };
        let (t, _) = scripted(&[1.0], &late);
        assert_eq!(t.unwrap().runs, 7);
    }

    #[test]
    fn tolerance_decides_what_stable_means() {
        // Alternating 1.0 / 1.1: the medians swing between 1.0 and 1.05.
        let script: Vec<f64> = (0..400)
            .map(|i| if i % 2 == 0 { 1.0 } else { 1.1 })
            .collect();
        let loose = TimingOptions {
            stable_tolerance: 0.06,
            ..plain()
        };
        let (t, _) = scripted(&script, &loose);
        assert_eq!(t.unwrap().stop, Stop::Stable);
        let strict = TimingOptions {
            stable_tolerance: 0.01,
            max_runs: 40,
            ..plain()
        };
        let (t, _) = scripted(&script, &strict);
        let t = t.unwrap();
        assert_eq!((t.stop, t.runs), (Stop::MaxRuns, 40));
        assert!((t.median_ms - 1.05).abs() < 1e-12);
    }

    #[test]
    fn the_budget_counts_warm_up_and_stops_at_the_first_sample_past_it() {
        let opts = TimingOptions {
            warmup: 1,
            min_runs: 10,
            stable_window: 10,
            budget_ms: 350.0,
            ..plain()
        };
        // warm-up ends at 100 ms, samples at 200, 300, 400 ≥ 350.
        let (t, calls) = scripted(&[100.0], &opts);
        let t = t.unwrap();
        assert_eq!(
            (t.stop, t.runs, t.warmup_calls, calls),
            (Stop::Budget, 3, 1, 4)
        );
        assert_eq!(t.total_ms, 400.0);
        // A budget spent in warm-up still gives one sample.
        let tiny = TimingOptions {
            warmup: 5,
            budget_ms: 50.0,
            ..opts
        };
        let (t, calls) = scripted(&[100.0], &tiny);
        let t = t.unwrap();
        assert_eq!(
            (t.stop, t.runs, calls, t.median_ms),
            (Stop::Budget, 1, 6, 100.0)
        );
    }

    #[test]
    fn fast_calls_are_batched_until_a_sample_is_long_enough() {
        let opts = TimingOptions {
            warmup: 1,
            min_sample_ms: 1.0,
            ..TimingOptions::default()
        };
        // 0.3 ms a call: batches of 1 (0.3) and 2 (0.6) are too short, 4 (1.2) is not.
        let (t, calls) = scripted(&[0.3], &opts);
        let t = t.unwrap();
        assert_eq!((t.batch, t.warmup_calls), (4, 1 + 1 + 2 + 4));
        assert!((t.median_ms - 0.3).abs() < 1e-12);
        assert_eq!(calls, t.calls);
        assert_eq!(t.calls, t.warmup_calls + 4 * t.runs);
        // A clock that never moves: the batch stops at its cap.
        let capped = TimingOptions {
            max_batch: 16,
            ..opts
        };
        let (t, _) = scripted(&[0.0], &capped);
        let t = t.unwrap();
        assert_eq!((t.batch, t.median_ms, t.spread()), (16, 0.0, 0.0));
    }

    #[test]
    fn bad_clocks_and_bad_options_are_errors() {
        let nan = measure(|| {}, || f64::NAN, &plain());
        assert!(nan.unwrap_err().to_string().contains("NaN"));
        let t = Cell::new(10.0);
        let back = measure(|| t.set(t.get() - 1.0), || t.get(), &plain());
        assert!(back.unwrap_err().to_string().contains("backwards"));
        let bad = [
            TimingOptions {
                min_runs: 0,
                ..plain()
            },
            TimingOptions {
                max_runs: 0,
                ..plain()
            },
            TimingOptions {
                min_runs: 9,
                max_runs: 8,
                ..plain()
            },
            TimingOptions {
                stable_window: 0,
                ..plain()
            },
            TimingOptions {
                max_batch: 0,
                ..plain()
            },
            TimingOptions {
                max_runs: MAX_TIMING_RUNS + 1,
                ..plain()
            },
            TimingOptions {
                warmup: usize::MAX,
                ..plain()
            },
            TimingOptions {
                max_batch: usize::MAX,
                ..plain()
            },
            TimingOptions {
                budget_ms: f64::NAN,
                ..plain()
            },
            TimingOptions {
                budget_ms: -1.0,
                ..plain()
            },
            TimingOptions {
                stable_tolerance: f64::INFINITY,
                ..plain()
            },
            TimingOptions {
                min_sample_ms: -0.5,
                ..plain()
            },
        ];
        for o in bad {
            let calls = Cell::new(0);
            assert!(
                measure(|| calls.set(calls.get() + 1), || 0.0, &o).is_err(),
                "{o:?}"
            );
            assert_eq!(calls.get(), 0, "nothing runs with bad options: {o:?}");
        }
    }

    #[test]
    fn gflops_counts_two_flops_per_multiply_add() {
        assert_eq!(gflops(115_605_504, 10.0), Some(2.0 * 115_605_504.0 / 1e7));
        assert_eq!(gflops(500_000_000, 1000.0), Some(1.0));
        for ms in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(gflops(1, ms), None);
        }
    }

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let s = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile(&s, 0.0), Some(1.0));
        assert_eq!(quantile(&s, 1.0), Some(8.0));
        assert_eq!(quantile(&s, 0.5), Some(3.0));
        assert_eq!(quantile(&s, 2.0), Some(8.0)); // clamped
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
    }
}
