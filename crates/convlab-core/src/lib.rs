//! # convlab-core
//!
//! The real kernels behind ConvLab: convolution with PyTorch semantics
//! (stride, padding, dilation, groups, bias), the compact and transferred
//! filters of the lecture (group, depthwise-separable, dilated, p4m
//! equivariant, Ghost, shuffle, shift), their blocks, their exact costs and
//! receptive fields, and layer-by-layer specs of whole models.
//!
//! Pure Rust, no web dependency, no `unsafe`. Every function that a user or
//! a URL can reach returns a [`Result`] with a message a student can read.
//!
//! ```
//! use convlab_core::{Conv2d, Conv2dSpec, Tensor};
//! let conv = Conv2d::random(Conv2dSpec::grouped(4, 8, 3, 2), 42)?;
//! let y = conv.forward(&Tensor::random(4, 6, 6, 1)?)?;
//! assert_eq!(y.shape(), [8, 6, 6]);
//! assert_eq!(conv.param_count(), 3 * 3 * 4 * 8 / 2 + 8);
//! # Ok::<(), convlab_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod blocks;
pub mod conv;
pub mod cost;
pub mod error;
mod kernels;
pub mod limits;
pub mod models;
pub mod ops;
pub mod picture;
pub mod receptive;
pub mod speed;
pub mod tensor;

pub use blocks::{BlockSpec, Graph, Net};
pub use conv::{Conv2d, Conv2dSpec, Trace, TraceTerm};
pub use cost::{elements, Convention, CostSummary, LayerCost, LayerKind};
pub use error::{Error, Result};
pub use models::{Knobs, ModelTable, Zoo};
pub use ops::equivariant::Lifting;
pub use ops::ghost::{GhostModule, GhostSpec};
pub use ops::shift::{shift, shift_by};
pub use ops::shuffle::{channel_shuffle, channel_unshuffle};
pub use receptive::{feed_1d, feed_2d, receptive_field, RfInfo, RfKind, RfLayer};
pub use tensor::{Tensor, D4};
