//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header, sequential};

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    let (st, _) = super::state::BottleneckState::read(q);
    let spec = st.spec();
    let side = 16.max(st.k);
    let layers = spec.layers([st.n, side, side]).map_err(e)?;
    Ok(format!(
        "{}{}standard = {}\n",
        header(&format!(
            "Bottleneck: N={} -> M={} -> N, K={}",
            st.n, st.m, st.k
        )),
        sequential("block", &layers),
        conv2d(&spec.standard_spec())
    ))
}
