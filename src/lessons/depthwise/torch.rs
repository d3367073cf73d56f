//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header, sequential};
use convlab_core::LayerCost;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::DepthwiseState::read(q);
        let dw = LayerCost::conv(
            "depthwise",
            st.depthwise_spec(),
            [st.c, 16.max(st.k), 16.max(st.k)],
        )
        .map_err(e)?;
        let pw = LayerCost::conv("pointwise 1x1", st.pointwise_spec(), dw.output).map_err(e)?;
        format!(
            "{}{}standard = {}\n",
            header(&format!(
                "Depthwise separable: C={}, N={}, K={}, multiplier {}",
                st.c, st.n, st.k, st.mult
            )),
            sequential("block", &[dw, pw]),
            conv2d(&st.standard_spec())
        )
    })
}
