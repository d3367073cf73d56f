//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header, sequential};
use convlab_core::Conv2dSpec;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::GhostState::read(q);
        let side = 16.max(st.k).max(st.d);
        let rows = st.spec().layers([st.c, side, side]).map_err(e)?;
        format!(
            "{}{}standard = {}\n",
            header(&format!(
                "Ghost module: c={}, n={}, k={}, s={}, d={}",
                st.c, st.n, st.k, st.s, st.d
            )),
            sequential("ghost", &rows),
            conv2d(&Conv2dSpec::standard(st.c, st.n, st.k).with_bias(st.bias))
        )
    })
}
