//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header};

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    Ok({
        let (st, _) = super::state::GroupState::read(q);
        format!(
            "{}layer = {}\nstandard = {}\n",
            header(&format!(
                "Group conv: C={}, N={}, K={}, M={} groups, and the standard conv it replaces",
                st.c, st.n, st.k, st.m
            )),
            conv2d(&st.spec()),
            conv2d(&st.standard_spec())
        )
    })
}
