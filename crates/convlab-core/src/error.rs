//! The one error type of the crate.
//!
//! Every variant names the operation and the numbers involved, in words a
//! student can read, because the app shows these messages verbatim.

/// Everything that can go wrong in `convlab-core`.
///
/// ```
/// use convlab_core::{Conv2dSpec, Error};
/// let spec = Conv2dSpec { in_channels: 16, groups: 3, ..Conv2dSpec::default() };
/// let err = spec.validate().unwrap_err();
/// assert_eq!(err.to_string(), "conv2d: groups (3) must divide in_channels (16)");
/// assert!(matches!(err, Error::InvalidSpec { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A specification (sizes, strides, groups …) that cannot describe a valid op.
    #[error("{op}: {message}")]
    InvalidSpec {
        /// The operation, e.g. `conv2d`.
        op: &'static str,
        /// What is wrong, with the offending numbers.
        message: String,
    },
    /// A tensor or buffer whose shape or length does not fit the op.
    #[error("{op}: shape mismatch: expected {expected}, got {got}")]
    ShapeMismatch {
        /// The operation.
        op: &'static str,
        /// What the op needed, e.g. `16 channels` or `[3, 8, 8] = 192 values`.
        expected: String,
        /// What it was given.
        got: String,
    },
    /// A size beyond what the crate accepts (see [`crate::limits`]).
    #[error("{op}: {what} = {value} is over the limit of {limit}")]
    TooLarge {
        /// The operation.
        op: &'static str,
        /// The quantity, e.g. `tensor elements`.
        what: &'static str,
        /// Its value.
        value: u128,
        /// The limit.
        limit: u128,
    },
    /// NaN or infinity in input data or weights.
    #[error("{op}: {what} contains a non-finite value ({value}) at index {index}")]
    NonFinite {
        /// The operation.
        op: &'static str,
        /// Which buffer, e.g. `input` or `weight`.
        what: &'static str,
        /// Flat index of the first bad value.
        index: usize,
        /// The bad value, printed (`NaN`, `inf`, `-inf`).
        value: String,
    },
    /// An index outside a tensor, channel list or layer stack.
    #[error("{op}: {what} {index} is out of range (0..{len})")]
    OutOfRange {
        /// The operation.
        op: &'static str,
        /// What was indexed, e.g. `output channel`.
        what: &'static str,
        /// The index given.
        index: i64,
        /// The valid length.
        len: usize,
    },
}

/// Short-hand result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::InvalidSpec`].
    pub fn invalid(op: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidSpec {
            op,
            message: message.into(),
        }
    }

    /// Builds an [`Error::ShapeMismatch`].
    pub fn shape(op: &'static str, expected: impl Into<String>, got: impl Into<String>) -> Self {
        Error::ShapeMismatch {
            op,
            expected: expected.into(),
            got: got.into(),
        }
    }
}
