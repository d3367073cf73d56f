//! The zoom and pan state of the WaveNet tree: which positions are in view.

/// The visible range of positions, `[t0, t1)` in continuous units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Left edge.
    pub t0: f64,
    /// Right edge.
    pub t1: f64,
}

/// Narrowest view, in positions.
pub const MIN_SPAN: f64 = 8.0;

impl Viewport {
    /// The whole sequence of `len` positions.
    pub fn all(len: usize) -> Self {
        Viewport {
            t0: 0.0,
            t1: len.max(1) as f64,
        }
    }

    /// Width in positions.
    pub fn span(&self) -> f64 {
        self.t1 - self.t0
    }

    /// Kept inside `[0, len]` and at least [`MIN_SPAN`] wide (or the whole sequence if shorter).
    pub fn clamped(self, len: usize) -> Self {
        let full = len.max(1) as f64;
        let min = MIN_SPAN.min(full);
        let span = if self.span().is_finite() {
            self.span().clamp(min, full)
        } else {
            full
        };
        let t0 = if self.t0.is_finite() { self.t0 } else { 0.0 };
        let t0 = t0.clamp(0.0, full - span);
        Viewport { t0, t1: t0 + span }
    }

    /// Zoomed by `factor` (> 1 zooms in) keeping position `at` fixed on screen.
    pub fn zoom(self, at: f64, factor: f64, len: usize) -> Self {
        let f = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let at = if at.is_finite() {
            at.max(self.t0).min(self.t1)
        } else {
            (self.t0 + self.t1) / 2.0
        };
        Viewport {
            t0: at - (at - self.t0) / f,
            t1: at + (self.t1 - at) / f,
        }
        .clamped(len)
    }

    /// Moved by `dt` positions.
    pub fn pan(self, dt: f64, len: usize) -> Self {
        let dt = if dt.is_finite() { dt } else { 0.0 };
        Viewport {
            t0: self.t0 + dt,
            t1: self.t1 + dt,
        }
        .clamped(len)
    }
}
