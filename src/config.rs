//! Visual constants for the whole app: the palette (colour-blind safe),
//! theme inks, sizes and limits. Every figure takes its colours from here,
//! so the same group has the same colour everywhere.
//!
//! - magnitudes: [`viridis`] (perceptually uniform, readable in grey scale);
//! - signed values: [`diverging`], blue (negative) – neutral – orange (positive);
//! - groups and channels: [`CATEGORICAL`] (Okabe–Ito), via [`group_color`].

use plotters::style::RGBColor;

/// Anchors of the viridis map at t = 0, 1/8, …, 1.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Diverging map anchors: strong blue, light blue, neutral, light orange, strong orange.
const DIVERGING: [(u8, u8, u8); 5] = [
    (33, 102, 172),
    (146, 197, 222),
    (247, 247, 247),
    (253, 184, 99),
    (179, 88, 6),
];

/// The categorical set for groups and channels (Okabe–Ito, safe for the
/// common colour-vision deficiencies). Index with [`group_color`].
pub const CATEGORICAL: [RGBColor; 8] = [
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(240, 228, 66),  // yellow
    RGBColor(153, 153, 153), // grey
];

fn lerp_anchors(anchors: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let n = anchors.len() - 1;
    let pos = t * n as f64;
    let i = (pos.floor() as usize).min(n - 1);
    let f = pos - i as f64;
    let (a, b) = (anchors[i], anchors[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Viridis colour of `t` in `[0, 1]` (clamped; NaN maps to the middle).
pub fn viridis(t: f64) -> RGBColor {
    lerp_anchors(&VIRIDIS, t)
}

/// Diverging colour of a signed value `v` on the symmetric range
/// `[-max_abs, max_abs]`: blue below zero, neutral at zero, orange above.
/// A zero or non-finite `max_abs` maps everything to neutral.
pub fn diverging(v: f64, max_abs: f64) -> RGBColor {
    if !(max_abs.is_finite() && max_abs > 0.0) {
        return lerp_anchors(&DIVERGING, 0.5);
    }
    lerp_anchors(&DIVERGING, 0.5 + 0.5 * v / max_abs)
}

/// The fixed colour of group (or channel) `g`; cycles after eight.
pub fn group_color(g: usize) -> RGBColor {
    CATEGORICAL[g % CATEGORICAL.len()]
}

/// Relative luminance (sRGB, 0..1) of a colour.
pub fn luminance(c: RGBColor) -> f64 {
    let lin = |u: u8| {
        let s = u as f64 / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Black or white, whichever reads better on `background`.
pub fn text_on(background: RGBColor) -> RGBColor {
    // Contrast against black is (L+0.05)/0.05, against white 1.05/(L+0.05);
    // they are equal at L ≈ 0.179.
    if luminance(background) > 0.179 {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(255, 255, 255)
    }
}

/// `#rrggbb` for CSS.
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The page themes. The shell provides the current one as a
/// `Signal<Theme>` context; canvas widgets redraw when it changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on near-black.
    Dark,
    /// Maximum contrast and large type for a projector.
    Projector,
}

impl Theme {
    /// The theme named `light`, `dark` or `projector` (the `data-theme` names).
    pub fn from_name(name: &str) -> Option<Theme> {
        match name.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "projector" => Some(Theme::Projector),
            _ => None,
        }
    }

    /// Text scale factor for canvas drawing (the projector theme draws larger).
    pub fn font_scale(self) -> f64 {
        match self {
            Theme::Projector => 1.35,
            _ => 1.0,
        }
    }
}

/// Colours a canvas drawing needs besides the data palette.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    /// Background of the figure.
    pub background: RGBColor,
    /// Text and axes.
    pub text: RGBColor,
    /// Secondary text, grid lines, cell borders.
    pub muted: RGBColor,
    /// The cell under the cursor or pinned.
    pub focus: RGBColor,
}

/// The inks of `theme`.
pub fn ink(theme: Theme) -> Ink {
    match theme {
        Theme::Light => Ink {
            background: RGBColor(255, 255, 255),
            text: RGBColor(20, 20, 20),
            muted: RGBColor(120, 120, 120),
            focus: RGBColor(0, 0, 0),
        },
        Theme::Dark => Ink {
            background: RGBColor(18, 18, 20),
            text: RGBColor(235, 235, 235),
            muted: RGBColor(140, 140, 140),
            focus: RGBColor(255, 255, 255),
        },
        Theme::Projector => Ink {
            background: RGBColor(0, 0, 0),
            text: RGBColor(255, 255, 255),
            muted: RGBColor(190, 190, 190),
            focus: RGBColor(255, 255, 0),
        },
    }
}

/// Sizes, in CSS pixels unless stated.
pub mod sizes {
    /// Smallest touch target (WCAG 2.5.5).
    pub const TOUCH_TARGET: f64 = 44.0;
    /// Cells at least this large (CSS px) get their value printed inside.
    pub const MIN_CELL_FOR_NUMBERS: f64 = 26.0;
    /// Base font size for canvas text (scaled by theme and devicePixelRatio).
    pub const FONT: f64 = 13.0;
    /// Gap between channel tiles, as a fraction of a cell (at least 6 px).
    pub const TILE_GAP_MIN: f64 = 6.0;
    /// Height of the legend strip under a heat map.
    pub const LEGEND: f64 = 28.0;
    /// Height reserved above a tile for its channel label.
    pub const TILE_LABEL: f64 = 18.0;
    /// Default canvas height of a TensorView.
    pub const TENSOR_VIEW_HEIGHT: f64 = 320.0;
    /// Default canvas height of a Plot.
    pub const PLOT_HEIGHT: f64 = 260.0;
    /// Largest cell size of a heat map (so a 3×3 tensor does not fill a projector).
    pub const MAX_CELL: f64 = 64.0;
}

/// Limits of what the widgets accept from users and URLs.
pub mod limits {
    /// Side of the pixel editor grid (and of drawn inputs before resampling).
    pub const EDITOR_SIDE: usize = 16;
    /// Largest input side an InputPicker produces.
    pub const MAX_INPUT_SIDE: usize = 256;
    /// Largest channel count an InputPicker produces.
    pub const MAX_INPUT_CHANNELS: usize = 4;
    /// Longest URL parameter the InputPicker parses.
    pub const MAX_PARAM_LEN: usize = 256;
    /// Largest number of dot-product terms shown in full.
    pub const DOT_TERMS_SHOWN: usize = 12;
    /// Player speeds offered, in frames per second.
    pub const PLAYER_SPEEDS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_and_clamps() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.5));
    }

    #[test]
    fn viridis_luminance_increases() {
        let mut last = -1.0;
        for i in 0..=32 {
            let l = luminance(viridis(i as f64 / 32.0));
            assert!(l > last, "viridis not monotone in luminance at {i}");
            last = l;
        }
    }

    #[test]
    fn diverging_sign_and_symmetry() {
        let zero = diverging(0.0, 1.0);
        assert_eq!(zero, RGBColor(247, 247, 247));
        let neg = diverging(-1.0, 1.0);
        let pos = diverging(1.0, 1.0);
        assert!(neg.2 > neg.0, "negative is blue");
        assert!(pos.0 > pos.2, "positive is orange");
        // Saturates outside the range, neutral for a degenerate range.
        assert_eq!(diverging(-5.0, 1.0), neg);
        assert_eq!(diverging(3.0, 0.0), zero);
        assert_eq!(diverging(3.0, f64::NAN), zero);
        // Lightness falls symmetrically away from zero.
        let a = luminance(diverging(-0.5, 1.0));
        let b = luminance(diverging(0.5, 1.0));
        assert!(a < luminance(zero) && b < luminance(zero));
    }

    #[test]
    fn groups_cycle_and_are_distinct() {
        assert_eq!(group_color(0), group_color(8));
        for i in 0..8 {
            for j in 0..i {
                assert_ne!(group_color(i), group_color(j));
            }
        }
    }

    #[test]
    fn text_contrast_choice() {
        assert_eq!(text_on(RGBColor(253, 231, 37)), RGBColor(0, 0, 0));
        assert_eq!(text_on(RGBColor(68, 1, 84)), RGBColor(255, 255, 255));
        assert_eq!(css(RGBColor(255, 0, 16)), "#ff0010");
    }

    #[test]
    fn theme_names() {
        assert_eq!(Theme::from_name(" Projector"), Some(Theme::Projector));
        assert_eq!(Theme::from_name("dark"), Some(Theme::Dark));
        assert_eq!(Theme::from_name("sepia"), None);
    }
}
