//! The picture the compact-filter lessons convolve (bottleneck, group,
//! depthwise, Ghost, the block lessons): the picker's choice rendered at a
//! fixed side, averaged down to what the figures can show, and turned into C
//! feature maps by one fixed seeded stem. The numerics are convlab-core's
//! ([`convlab_core::picture`]); this module holds the lessons' shared choices.

use convlab_core::{picture, Error, Tensor};
use leptos::prelude::*;

use crate::widgets::input_picker::render;
use crate::widgets::InputState;

/// Side of the picture the compact-filter lessons convolve; the picker's
/// choice is rendered at this size.
pub const PICTURE_SIDE: usize = 16;

/// Largest side of a picture these lessons run on; larger pictures are
/// averaged down (the kernels stay within one frame).
pub const MAX_SIDE: usize = 24;

/// Most channels a figure of these lessons draws as tiles.
pub const MAX_SHOWN: usize = 32;

/// Seed of the fixed 3×3 stem that turns the picture into C feature maps
/// (one seed for every lesson, so the same C shows the same maps everywhere).
pub const STEM_SEED: u64 = 29;

/// Seed of the "randomise this channel" edit.
pub const EDIT_SEED: u64 = 17;

/// The built-in picture: a ring and a bar on 16×16 (until one is picked).
///
/// # Errors
/// Never for this fixed shape; typed as the kernel crate's constructor.
pub fn sample_picture() -> Result<Tensor, Error> {
    Tensor::from_fn(1, 16, 16, |_, y, x| {
        let (cy, cx) = (y as f32 - 6.5, x as f32 - 6.5);
        let r = (cy * cy + cx * cx).sqrt();
        if (2.5..5.0).contains(&r) || ((12..=13).contains(&y) && x >= 2) {
            1.0
        } else {
            0.0
        }
    })
}

/// `picture` averaged down so both sides are at most [`MAX_SIDE`].
///
/// # Errors
/// The kernel crate's constructor error (not expected for a valid tensor).
pub fn fit_picture(picture: &Tensor) -> Result<Tensor, Error> {
    picture::average_down(picture, MAX_SIDE)
}

/// `channels` feature maps of `picture` (fitted first) by the lessons' stem.
///
/// # Errors
/// The kernel crate's message (e.g. zero channels).
pub fn feature_input(picture: &Tensor, channels: usize) -> Result<Tensor, Error> {
    picture::feature_maps(&fit_picture(picture)?, channels, STEM_SEED)
}

/// The first [`MAX_SHOWN`] channels of `t`.
///
/// # Errors
/// The kernel crate's error (not expected).
pub fn shown_channels(t: &Tensor) -> Result<Tensor, Error> {
    picture::first_channels(t, MAX_SHOWN)
}

/// The picked picture (one channel, [`PICTURE_SIDE`] a side).
pub fn picture_memo(input: RwSignal<InputState>) -> Memo<Result<Tensor, Error>> {
    Memo::new(move |_| input.with(|s| render(s, 1, PICTURE_SIDE, PICTURE_SIDE)))
}

/// The feature maps the layer of a picture lesson convolves: the picked
/// picture through the stem, `channels` of them.
pub fn feature_memo(
    picture: Memo<Result<Tensor, Error>>,
    channels: impl Fn() -> usize + Send + Sync + 'static,
) -> Memo<Result<Tensor, Error>> {
    Memo::new(move |_| feature_input(&picture.get()?, channels()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_fits_and_the_stem_makes_the_channels_asked_for() {
        let p = sample_picture().unwrap();
        assert_eq!(fit_picture(&p).unwrap(), p);
        let x = feature_input(&p, 12).unwrap();
        assert_eq!(x.shape(), [12, 16, 16]);
        assert_eq!(shown_channels(&x).unwrap().channels(), 12);
        let big = Tensor::random(1, 60, 60, 1).unwrap();
        assert_eq!(feature_input(&big, 40).unwrap().shape(), [40, 20, 20]);
        assert_eq!(
            shown_channels(&feature_input(&big, 40).unwrap())
                .unwrap()
                .channels(),
            MAX_SHOWN
        );
    }
}
