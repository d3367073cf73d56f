//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header, sequential};
use convlab_core::{Conv2dSpec, LayerCost};

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::BottleneckState::parse(q);
        let pw = |i, o| Conv2dSpec::pointwise(i, o).with_bias(st.bias);
        let side = 16.max(st.k);
        let a = LayerCost::conv("reduce 1x1", pw(st.n, st.m), [st.n, side, side]).map_err(e)?;
        let b = LayerCost::conv(
            "middle",
            Conv2dSpec::standard(st.m, st.m, st.k).with_bias(st.bias),
            a.output,
        )
        .map_err(e)?;
        let c = LayerCost::conv("expand 1x1", pw(st.m, st.n), b.output).map_err(e)?;
        format!(
            "{}{}standard = {}\n",
            header(&format!(
                "Bottleneck: N={} -> M={} -> N, K={}",
                st.n, st.m, st.k
            )),
            sequential("block", &[a, b, c]),
            conv2d(&Conv2dSpec::standard(st.n, st.n, st.k).with_bias(st.bias))
        )
    })
}
