//! Reusable widgets. Every lesson builds its page from these:
//!
//! - [`TensorView`]: a CHW tensor as heat-map tiles; hover/tap/keyboard pick a cell.
//! - [`DotProduct`]: a traced output cell's dot product with its numbers.
//! - [`KernelView`]: a Conv2d's weights as blocks, coloured by group.
//! - [`Slider`] / [`Stepper`]: a lesson parameter, labelled with the lecture's symbol.
//! - [`Formula`]: MathML with live numbers (see [`formula::Math`]).
//! - [`Plot`]: a plotters chart on a canvas that follows its box.
//! - [`Player`]: play / pause / step / scrub / speed over a frame signal.
//! - [`InputPicker`]: built-in samples, a pixel editor, seeded random.
//! - [`ExportMenu`]: PNG / SVG of any figure, GIF of an animation, CSV of a table, PyTorch code.
//! - [`EmbedCode`]: the `<iframe>` snippet of the current view; [`hide`]: `hide=K,s`;
//!   [`presenter`]: presenter keys and the host-page message API.
//!
//! Canvas widgets draw through [`surface::draw_on_canvas`] and ask a [`defer`] gate first:
//! a figure away from the view waits while a control moves and is drawn when it comes near
//! or the controls rest.
//!
//! Canvas widgets follow the page theme: the shell provides a
//! [`ThemeContext`]; without one they read `data-theme` on `<html>` when drawing.

pub mod canvas_out;
pub mod csv;
pub mod defer;
pub mod dot_product;
pub mod embed;
pub mod export;
pub mod formula;
pub mod gif;
pub mod hide;
pub mod input_picker;
pub mod kernel_view;
pub mod playback;
pub mod player;
pub mod plot;
pub mod presenter;
pub mod record;
pub mod slider;
pub mod surface;
pub mod tensor_view;
pub mod torch;

pub use crate::draw::heatmap::{Cell, Highlight, Palette};
pub use crate::draw::kernel::Tap;
pub use dot_product::DotProduct;
pub use embed::EmbedCode;
pub use export::{ExportMenu, Exports};
pub use formula::{Formula, Math};
pub use input_picker::{input_tensor, InputPicker, InputState};
pub use kernel_view::KernelView;
pub use player::Player;
pub use plot::Plot;
pub use slider::{Slider, Stepper};
pub use surface::ThemeContext;
pub use tensor_view::TensorView;
