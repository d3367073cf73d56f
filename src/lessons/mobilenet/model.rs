//! What the MobileNet lesson computes from its state: the block, built by
//! the kernel crate and run on the picked input.

use convlab_core::blocks::{InvertedResidualSpec, SeparableSpec};

use super::state::{MobileState, Version};
use crate::lessons::blockdiagram::BlockRun;

/// The block of `st`, built and run on its picked input.
///
/// # Errors
/// The kernel crate's message.
pub fn run(st: &MobileState) -> Result<BlockRun, String> {
    match st.version {
        Version::V1 => BlockRun::new(&SeparableSpec::new(st.c, st.n, st.stride), st.bn, &st.input),
        Version::V2 => BlockRun::new(
            &InvertedResidualSpec::new(st.c, st.n, st.t, st.stride),
            st.bn,
            &st.input,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::blockdiagram::sig2;

    #[test]
    fn lecture_and_v2_counts() {
        let r = run(&MobileState::default()).unwrap();
        assert_eq!((r.params(), r.twin_params()), (17_792, 147_584));
        assert_eq!(sig2(r.ratio()), "0.12");
        let v2 = MobileState {
            version: Version::V2,
            c: 24,
            n: 24,
            t: 6,
            bn: true,
            ..Default::default()
        };
        let r = run(&v2).unwrap();
        assert_eq!(r.params(), 3456 + 288 + 1296 + 288 + 3456 + 48);
        assert_eq!(r.diagram.boxes.len(), 4);
        assert_eq!(r.diagram.boxes[3].kind, "add");
        let strided = MobileState { stride: 2, ..v2 };
        let r = run(&strided).unwrap();
        assert_eq!(r.diagram.boxes.len(), 3);
        assert_eq!(
            r.outputs.last().unwrap().1.height(),
            r.input.height().div_ceil(2)
        );
    }
}
