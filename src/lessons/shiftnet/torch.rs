//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{header, sequential};
use convlab_core::Convention;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::ShiftState::read(q);
        let spec = convlab_core::blocks::ShiftBlockSpec {
            in_channels: st.channels,
            out_channels: st.channels,
            kernel: st.k,
            ..Default::default()
        };
        let side = st.map_side.max(st.k);
        let rows = spec
            .layers([st.channels, side, side], Convention::LECTURE)
            .map_err(e)?;
        format!(
            "{}{}",
            header(&format!(
                "Shift block: C={}, shift {}x{}",
                st.channels, st.k, st.k
            )),
            sequential("block", &rows)
        )
    })
}
