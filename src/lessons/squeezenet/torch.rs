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
        let (st, _) = super::state::FireState::read(q);
        let rows = st
            .spec()
            .layers([st.c, 32, 32], Convention::for_batchnorm(st.bn))
            .map_err(e)?;
        format!(
            "{}{}",
            header(&format!("Fire module: C={}, s1x1={}", st.c, st.s)),
            sequential("fire", &rows)
        )
    })
}
