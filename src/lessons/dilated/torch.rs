//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::{conv2d, header};
use convlab_core::Conv2dSpec;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    Ok({
        let (st, _) = super::state::DilatedState::read(q);
        let layers: Vec<String> = st
            .stack
            .iter()
            .map(|ly| {
                conv2d(&Conv2dSpec {
                    in_channels: 64,
                    out_channels: 64,
                    kernel: (ly.kernel, ly.kernel),
                    stride: (ly.stride, ly.stride),
                    padding: (
                        (ly.kernel - 1) / 2 * ly.dilation,
                        (ly.kernel - 1) / 2 * ly.dilation,
                    ),
                    dilation: (ly.dilation, ly.dilation),
                    groups: 1,
                    bias: true,
                })
            })
            .map(|m| format!("    {m},\n"))
            .collect();
        format!(
                "{}# (64 channels stand for any width: the receptive field does not depend on it)\nstack = nn.Sequential(\n{})\n",
                header(&format!(
                    "Dilated stack {} (\"same\" padding (K-1)/2*d)",
                    super::state::format_stack(&st.stack)
                )),
                layers.concat()
            )
    })
}
