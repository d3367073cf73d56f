//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{header, sequential};
use convlab_core::LayerCost;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    Ok({
        let (st, _) = super::state::ZooState::read(q);
        let t = st.build(st.twin)?;
        let rows: Vec<LayerCost> = t.layers().cloned().collect();
        format!(
            "{}{}",
            header(&format!(
                "{}{} ({})",
                t.name,
                if st.twin { ", standard twin" } else { "" },
                st.convention_label()
            )),
            sequential("net", &rows)
        )
    })
}
