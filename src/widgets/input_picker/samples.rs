//! The built-in samples, generated in code, and [`render`]: any
//! [`InputState`] as a tensor of a given shape.

use convlab_core::Tensor;

use super::{InputState, Sample, LEVELS};
use crate::config::limits;

fn smooth(edge0: f64, edge1: f64, x: f64) -> f64 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let (wx, wy) = (p.0 - a.0, p.1 - a.1);
    let l2 = vx * vx + vy * vy;
    let t = if l2 > 0.0 {
        ((wx * vx + wy * vy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (wx - t * vx, wy - t * vy);
    (dx * dx + dy * dy).sqrt()
}

/// The stroke of the "2", in unit coordinates (x right, y down).
const DIGIT: [(f64, f64); 13] = [
    (0.28, 0.32),
    (0.34, 0.2),
    (0.46, 0.14),
    (0.59, 0.16),
    (0.69, 0.24),
    (0.7, 0.37),
    (0.62, 0.49),
    (0.49, 0.61),
    (0.36, 0.72),
    (0.27, 0.84),
    (0.45, 0.82),
    (0.62, 0.83),
    (0.77, 0.8),
];

/// Gray value in `[0, 1]` of a gray sample at unit point `(u, v)`.
fn gray(sample: Sample, u: f64, v: f64, cell: f64) -> f64 {
    match sample {
        Sample::Digit => {
            // Stroke width varies a little along the stroke, like a pen.
            let mut best = f64::INFINITY;
            for (i, w) in DIGIT.windows(2).enumerate() {
                let d = seg_dist((u, v), w[0], w[1]) - 0.012 * ((i as f64) * 1.7).sin();
                best = best.min(d);
            }
            1.0 - smooth(0.055 - cell / 2.0, 0.055 + cell / 2.0, best)
        }
        Sample::Edges => {
            let square = (0.15..0.55).contains(&u) && (0.15..0.55).contains(&v);
            let diagonal = u + v > 1.35;
            if square || diagonal {
                1.0
            } else {
                0.0
            }
        }
        Sample::Checker => {
            let (i, j) = ((u * 8.0).floor() as i64, (v * 8.0).floor() as i64);
            ((i + j).rem_euclid(2)) as f64
        }
        Sample::Photo => {
            let (r, g, b) = photo(u, v);
            0.2126 * r + 0.7152 * g + 0.0722 * b
        }
    }
}

/// RGB in `[0, 1]` of the "photo" at unit point `(u, v)`.
fn photo(u: f64, v: f64) -> (f64, f64, f64) {
    let hill = 0.62 + 0.07 * (u * 9.0).sin() - 0.05 * u;
    let sun = ((u - 0.78).powi(2) + (v - 0.2).powi(2)).sqrt();
    let house = (0.18..0.4).contains(&u) && (0.52..0.72).contains(&v);
    let roof = v < 0.52 && v > 0.38 && (u - 0.29).abs() < (v - 0.38) * 0.85;
    let door = (0.26..0.32).contains(&u) && (0.62..0.72).contains(&v);
    if door {
        (0.25, 0.15, 0.1)
    } else if house {
        (0.85, 0.8, 0.7)
    } else if roof {
        (0.6, 0.2, 0.15)
    } else if v > hill {
        let shade = 0.75 - 0.35 * (v - hill);
        (0.2 * shade, 0.6 * shade, 0.25 * shade)
    } else if sun < 0.09 {
        (1.0, 0.85, 0.3)
    } else {
        let t = v / hill.max(0.01);
        (0.45 + 0.45 * t, 0.65 + 0.3 * t, 0.95)
    }
}

/// The tensor of `state` with `channels × height × width` (each clamped to
/// the picker's limits), values in `[0, 1]` (random: the kernel crate's range).
/// Gray samples vary per channel (original, transposed, inverted, mirrored)
/// so channels differ; the photo gives R, G, B (gray for one channel).
///
/// # Errors
/// Only what the kernel crate reports for a tensor (not expected within the limits).
pub fn render(
    state: &InputState,
    channels: usize,
    height: usize,
    width: usize,
) -> Result<Tensor, convlab_core::Error> {
    let c = channels.clamp(1, limits::MAX_INPUT_CHANNELS);
    let h = height.clamp(1, limits::MAX_INPUT_SIDE);
    let w = width.clamp(1, limits::MAX_INPUT_SIDE);
    let cell = 1.0 / h.max(w) as f64;
    let at = |i: usize, n: usize| (i as f64 + 0.5) / n as f64;
    match state {
        InputState::Random(seed) => Tensor::random(c, h, w, *seed),
        InputState::Sample(Sample::Photo) => Tensor::from_fn(c, h, w, |ch, y, x| {
            let (r, g, b) = photo(at(x, w), at(y, h));
            (if c == 1 {
                0.2126 * r + 0.7152 * g + 0.0722 * b
            } else {
                [r, g, b][ch % 3]
            }) as f32
        }),
        InputState::Sample(s) => Tensor::from_fn(c, h, w, |ch, y, x| {
            let (u, v) = (at(x, w), at(y, h));
            (match ch % 4 {
                0 => gray(*s, u, v, cell),
                1 => gray(*s, v, u, cell),
                2 => 1.0 - gray(*s, u, v, cell),
                _ => gray(*s, 1.0 - u, v, cell),
            }) as f32
        }),
        InputState::Drawn(b) => {
            let d = (LEVELS - 1) as f32;
            Tensor::from_fn(c, h, w, |ch, y, x| {
                let (sy, sx) = ((y * b.side()) / h, (x * b.side()) / w);
                let (sy, sx) = if ch % 2 == 1 { (sx, sy) } else { (sy, sx) };
                b.get(sy, sx) as f32 / d
            })
        }
    }
}
