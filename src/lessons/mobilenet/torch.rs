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
        let (st, _) = super::state::MobileState::read(q);
        let conv = Convention::for_batchnorm(st.bn);
        let input = [st.c, 32, 32];
        let (what, rows) = match st.version {
            super::state::Version::V1 => (
                "MobileNet v1 block",
                convlab_core::blocks::SeparableSpec::new(st.c, st.n, st.stride)
                    .layers(input, conv)
                    .map_err(e)?,
            ),
            super::state::Version::V2 => (
                "MobileNet v2 inverted residual",
                convlab_core::blocks::InvertedResidualSpec::new(st.c, st.n, st.t, st.stride)
                    .layers(input, conv)
                    .map_err(e)?,
            ),
        };
        format!(
            "{}{}",
            header(&format!(
                "{what}: C={}, N={}, stride {}",
                st.c, st.n, st.stride
            )),
            sequential("block", &rows)
        )
    })
}
