//! Documented size limits. Anything larger is an [`Error::TooLarge`], never
//! an allocation failure or a hang.
//!
//! The limits are far above what a lesson draws (a lesson input is at most a
//! few hundred pixels a side) and far below what would freeze a browser tab.

use crate::error::{Error, Result};

/// Largest number of elements in one tensor or weight buffer (2^24 = 16.7 M floats, 64 MiB).
pub const MAX_ELEMENTS: usize = 1 << 24;
/// Largest channel count, height, width, kernel side, stride, padding or dilation.
pub const MAX_DIM: usize = 1 << 14;
/// Largest number of multiply–adds one `forward` call may perform (4·10^9,
/// a couple of seconds in the browser).
pub const MAX_FORWARD_MACS: u128 = 4_000_000_000;

/// `Err(TooLarge)` when `value > limit`.
pub(crate) fn check(op: &'static str, what: &'static str, value: u128, limit: u128) -> Result<()> {
    if value > limit {
        Err(Error::TooLarge {
            op,
            what,
            value,
            limit,
        })
    } else {
        Ok(())
    }
}

/// Checked element count of a `c × h × w` buffer.
pub(crate) fn elements(op: &'static str, dims: &[usize]) -> Result<usize> {
    let mut n: u128 = 1;
    for &d in dims {
        check(op, "dimension", d as u128, MAX_DIM as u128)?;
        n = n.saturating_mul(d as u128);
    }
    check(op, "elements", n, MAX_ELEMENTS as u128)?;
    Ok(n as usize)
}

/// First non-finite value of `data`, as an error.
pub(crate) fn finite(op: &'static str, what: &'static str, data: &[f32]) -> Result<()> {
    match data.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(index) => Err(Error::NonFinite {
            op,
            what,
            index,
            value: format!("{}", data[index]),
        }),
    }
}
