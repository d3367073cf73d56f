//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header};

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::WhyState::read(q);
        let s = st.spec();
        format!(
            "{}layer = {}\nx = torch.randn(1, {}, {}, {})\nprint(layer(x).shape)  # output {:?}\n",
            header(&format!(
                "Conv layer: C={}, D={}, K={}, s={}, p={}",
                s.in_channels, s.out_channels, st.k, st.s, st.p
            )),
            conv2d(&s),
            s.in_channels,
            st.m,
            st.n,
            st.output_shape().map_err(e)?
        )
    })
}
