//! The lesson's state as PyTorch code (the Export menu's "PyTorch" item).

use crate::route::Query;
use crate::widgets::torch::header;

/// The PyTorch code for this lesson in the state of URL query `q`, read the
/// same way the page reads it.
///
/// # Errors
/// The kernel crate's message for a state it cannot build.
pub fn snippet(q: &Query) -> Result<String, String> {
    let e = |e: convlab_core::Error| e.to_string();
    Ok({
        let (st, _) = super::state::EquivState::read(q);
        let lift = st.lifting().map_err(e)?;
        let n = lift.group().order();
        let k = st.k;
        let flips = if n == 8 {
            "    ws += [torch.flip(v, dims=(3,)) for v in ws]  # the mirrored four\n"
        } else {
            ""
        };
        format!(
                "{}w = nn.Parameter(torch.randn(1, 1, {k}, {k}))  # {} weights, shared by all {n} maps\n\n\
                 def lifted(w):\n    ws = [torch.rot90(w, r, dims=(2, 3)) for r in range(4)]\n{flips}    return torch.cat(ws, dim=0)  # [{n}, 1, {k}, {k}]\n\n\
                 x = torch.randn(1, 1, 28, 28)\ny = nn.functional.conv2d(x, lifted(w), padding={})  # {n} maps\n",
                header(&format!(
                    "Lifting conv over {}: one {k}x{k} filter in its {n} transformed copies",
                    if n == 8 { "p4m" } else { "p4" }
                )),
                k * k,
                k / 2
            )
    })
}
