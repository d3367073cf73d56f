//! [`InputPicker`]: the input a lesson convolves — built-in samples
//! generated in code (a handwritten-looking digit, edges, a checkerboard, a
//! small "photo"), seeded random, or a drawing made in a pixel editor — and
//! its short URL form ([`InputState::to_param`] / [`InputState::from_param`]).

use convlab_core::Tensor;
use leptos::html;
use leptos::prelude::*;

use super::surface::{draw_on_canvas, fit_canvas, local_pos, use_theme};
use crate::config::{limits, sizes};
use crate::draw::heatmap::{draw_tensor, step_cell, Cell, HeatmapOptions, Palette, TensorLayout};
use crate::draw::Style;

/// A built-in sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sample {
    /// A handwritten-looking "2".
    Digit,
    /// Horizontal, vertical and diagonal edges.
    Edges,
    /// An 8 × 8 checkerboard.
    Checker,
    /// A small landscape: sky, sun, hills, a house (colour).
    Photo,
}

impl Sample {
    /// All samples, in the picker's order.
    pub const ALL: [Sample; 4] = [Sample::Digit, Sample::Edges, Sample::Checker, Sample::Photo];

    /// URL name.
    pub fn name(self) -> &'static str {
        match self {
            Sample::Digit => "digit",
            Sample::Edges => "edges",
            Sample::Checker => "checker",
            Sample::Photo => "photo",
        }
    }

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Sample::Digit => "Digit",
            Sample::Edges => "Edges",
            Sample::Checker => "Checkerboard",
            Sample::Photo => "Photo",
        }
    }
}

/// Gray levels of the pixel editor (0 = black … 3 = white).
pub const LEVELS: u8 = 4;

/// A square drawing of `side × side` gray levels `0..LEVELS`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bitmap {
    side: usize,
    levels: Vec<u8>,
}

impl Bitmap {
    /// An all-black drawing of [`limits::EDITOR_SIDE`] a side.
    pub fn blank() -> Self {
        let side = limits::EDITOR_SIDE;
        Bitmap {
            side,
            levels: vec![0; side * side],
        }
    }

    /// Side length.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Level at `(y, x)` (0 outside).
    pub fn get(&self, y: usize, x: usize) -> u8 {
        if y < self.side && x < self.side {
            self.levels[y * self.side + x]
        } else {
            0
        }
    }

    /// Sets `(y, x)` to `level` (clamped); outside is ignored.
    pub fn set(&mut self, y: usize, x: usize, level: u8) {
        if y < self.side && x < self.side {
            self.levels[y * self.side + x] = level.min(LEVELS - 1);
        }
    }

    /// The drawing as a `1 × side × side` tensor in `[0, 1]`.
    pub fn to_tensor(&self) -> Result<Tensor, String> {
        let d = (LEVELS - 1) as f32;
        Tensor::new(
            1,
            self.side,
            self.side,
            self.levels.iter().map(|&l| l as f32 / d).collect(),
        )
        .map_err(|e| e.to_string())
    }

    /// Quantises channel 0 of `t` (values in `[0, 1]`) resampled to the editor side.
    pub fn from_tensor(t: &Tensor) -> Self {
        let mut b = Bitmap::blank();
        let s = b.side;
        for y in 0..s {
            for x in 0..s {
                let sy = (y * t.height()) / s;
                let sx = (x * t.width()) / s;
                let v = t.get(0, sy, sx).unwrap_or(0.0).clamp(0.0, 1.0);
                b.set(y, x, (v * (LEVELS - 1) as f32).round() as u8);
            }
        }
        b
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes a drawing as URL-safe base64 of its 2-bit levels, row-major,
/// four pixels per byte (86 characters for 16 × 16).
pub fn encode_bitmap(b: &Bitmap) -> String {
    let bytes: Vec<u8> = b
        .levels
        .chunks(4)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |acc, (i, &l)| acc | ((l & 3) << (6 - 2 * i)))
        })
        .collect();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (chunk.get(1).copied().unwrap_or(0) as u32) << 8
            | chunk.get(2).copied().unwrap_or(0) as u32;
        for i in 0..=n {
            out.push(B64[((v >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes [`encode_bitmap`]'s output.
///
/// # Errors
/// A character outside URL-safe base64 or the wrong length, as a sentence.
pub fn decode_bitmap(s: &str) -> Result<Bitmap, String> {
    let side = limits::EDITOR_SIDE;
    let n_bytes = side * side / 4;
    let expect = n_bytes / 3 * 4
        + if n_bytes.is_multiple_of(3) {
            0
        } else {
            n_bytes % 3 + 1
        };
    if s.len() != expect {
        return Err(format!(
            "a drawing has {expect} characters, this one has {}",
            s.len()
        ));
    }
    let mut bits: Vec<u8> = Vec::with_capacity(n_bytes + 2);
    for chunk in s.as_bytes().chunks(4) {
        let mut v = 0u32;
        for (i, &ch) in chunk.iter().enumerate() {
            let d = B64
                .iter()
                .position(|&c| c == ch)
                .ok_or_else(|| format!("'{}' is not allowed in a drawing", ch as char))?;
            v |= (d as u32) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            bits.push((v >> (16 - 8 * i)) as u8);
        }
    }
    let mut b = Bitmap::blank();
    for (i, level) in b.levels.iter_mut().enumerate() {
        let byte = bits.get(i / 4).copied().unwrap_or(0);
        *level = (byte >> (6 - 2 * (i % 4))) & 3;
    }
    Ok(b)
}

/// What the picker has chosen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InputState {
    /// A built-in sample.
    Sample(Sample),
    /// Seeded uniform random values.
    Random(u64),
    /// A drawing from the pixel editor.
    Drawn(Bitmap),
}

impl Default for InputState {
    fn default() -> Self {
        InputState::Sample(Sample::Digit)
    }
}

impl InputState {
    /// The short URL form: `digit`, `edges`, `checker`, `photo`, `random-42`,
    /// `draw-<86 characters>`.
    pub fn to_param(&self) -> String {
        match self {
            InputState::Sample(s) => s.name().to_string(),
            InputState::Random(seed) => format!("random-{seed}"),
            InputState::Drawn(b) => format!("draw-{}", encode_bitmap(b)),
        }
    }

    /// Parses [`InputState::to_param`]'s output; never panics.
    ///
    /// # Errors
    /// A sentence naming what is wrong, for the page's note.
    pub fn from_param(s: &str) -> Result<InputState, String> {
        if s.len() > limits::MAX_PARAM_LEN {
            return Err(format!(
                "the input is {} characters long, at most {} are read",
                s.len(),
                limits::MAX_PARAM_LEN
            ));
        }
        let t = s.trim();
        if let Some(sample) = Sample::ALL
            .into_iter()
            .find(|x| x.name().eq_ignore_ascii_case(t))
        {
            return Ok(InputState::Sample(sample));
        }
        if let Some(seed) = t.strip_prefix("random-") {
            return seed
                .parse::<u64>()
                .map(InputState::Random)
                .map_err(|_| format!("random seed '{seed}' is not a whole number"));
        }
        if let Some(code) = t.strip_prefix("draw-") {
            return decode_bitmap(code).map(InputState::Drawn);
        }
        Err(format!(
            "unknown input '{t}': use digit, edges, checker, photo, random-<seed> or draw-<code>"
        ))
    }
}

/// The picture in a lesson's URL (`input=edges`): one reader for every lesson,
/// so a link that cannot be read says the same thing everywhere.
impl crate::route::UrlValue for InputState {
    fn read(p: &mut crate::route::Params<'_>, field: &crate::route::Field, default: Self) -> Self {
        let Some(raw) = p.raw_value(field.key) else {
            return default;
        };
        match InputState::from_param(raw) {
            Ok(s) => s,
            Err(e) => {
                p.push_note(
                    field.key,
                    format!(
                        "{}: {e}; using the default picture ({}).",
                        field.key,
                        default.to_param()
                    ),
                );
                default
            }
        }
    }
    fn write(&self) -> Option<String> {
        Some(self.to_param())
    }
}

fn smooth(edge0: f64, edge1: f64, x: f64) -> f64 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let (wx, wy) = (p.0 - a.0, p.1 - a.1);
    let l2 = vx * vx + vy * vy;
    let t = if l2 > 0.0 {
        ((wx * vx + wy * vy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (wx - t * vx, wy - t * vy);
    (dx * dx + dy * dy).sqrt()
}

/// The stroke of the "2", in unit coordinates (x right, y down).
const DIGIT: [(f64, f64); 13] = [
    (0.28, 0.32),
    (0.34, 0.2),
    (0.46, 0.14),
    (0.59, 0.16),
    (0.69, 0.24),
    (0.7, 0.37),
    (0.62, 0.49),
    (0.49, 0.61),
    (0.36, 0.72),
    (0.27, 0.84),
    (0.45, 0.82),
    (0.62, 0.83),
    (0.77, 0.8),
];

/// Gray value in `[0, 1]` of a gray sample at unit point `(u, v)`.
fn gray(sample: Sample, u: f64, v: f64, cell: f64) -> f64 {
    match sample {
        Sample::Digit => {
            // Stroke width varies a little along the stroke, like a pen.
            let mut best = f64::INFINITY;
            for (i, w) in DIGIT.windows(2).enumerate() {
                let d = seg_dist((u, v), w[0], w[1]) - 0.012 * ((i as f64) * 1.7).sin();
                best = best.min(d);
            }
            1.0 - smooth(0.055 - cell / 2.0, 0.055 + cell / 2.0, best)
        }
        Sample::Edges => {
            let square = (0.15..0.55).contains(&u) && (0.15..0.55).contains(&v);
            let diagonal = u + v > 1.35;
            if square || diagonal {
                1.0
            } else {
                0.0
            }
        }
        Sample::Checker => {
            let (i, j) = ((u * 8.0).floor() as i64, (v * 8.0).floor() as i64);
            ((i + j).rem_euclid(2)) as f64
        }
        Sample::Photo => {
            let (r, g, b) = photo(u, v);
            0.2126 * r + 0.7152 * g + 0.0722 * b
        }
    }
}

/// RGB in `[0, 1]` of the "photo" at unit point `(u, v)`.
fn photo(u: f64, v: f64) -> (f64, f64, f64) {
    let hill = 0.62 + 0.07 * (u * 9.0).sin() - 0.05 * u;
    let sun = ((u - 0.78).powi(2) + (v - 0.2).powi(2)).sqrt();
    let house = (0.18..0.4).contains(&u) && (0.52..0.72).contains(&v);
    let roof = v < 0.52 && v > 0.38 && (u - 0.29).abs() < (v - 0.38) * 0.85;
    let door = (0.26..0.32).contains(&u) && (0.62..0.72).contains(&v);
    if door {
        (0.25, 0.15, 0.1)
    } else if house {
        (0.85, 0.8, 0.7)
    } else if roof {
        (0.6, 0.2, 0.15)
    } else if v > hill {
        let shade = 0.75 - 0.35 * (v - hill);
        (0.2 * shade, 0.6 * shade, 0.25 * shade)
    } else if sun < 0.09 {
        (1.0, 0.85, 0.3)
    } else {
        let t = v / hill.max(0.01);
        (0.45 + 0.45 * t, 0.65 + 0.3 * t, 0.95)
    }
}

/// The tensor of `state` with `channels × height × width` (each clamped to
/// the picker's limits), values in `[0, 1]` (random: the kernel crate's range).
/// Gray samples vary per channel (original, transposed, inverted, mirrored)
/// so channels differ; the photo gives R, G, B (gray for one channel).
///
/// # Errors
/// Only what the kernel crate reports for a tensor (not expected within the limits).
pub fn render(
    state: &InputState,
    channels: usize,
    height: usize,
    width: usize,
) -> Result<Tensor, convlab_core::Error> {
    let c = channels.clamp(1, limits::MAX_INPUT_CHANNELS);
    let h = height.clamp(1, limits::MAX_INPUT_SIDE);
    let w = width.clamp(1, limits::MAX_INPUT_SIDE);
    let cell = 1.0 / h.max(w) as f64;
    let at = |i: usize, n: usize| (i as f64 + 0.5) / n as f64;
    match state {
        InputState::Random(seed) => Tensor::random(c, h, w, *seed),
        InputState::Sample(Sample::Photo) => Tensor::from_fn(c, h, w, |ch, y, x| {
            let (r, g, b) = photo(at(x, w), at(y, h));
            (if c == 1 {
                0.2126 * r + 0.7152 * g + 0.0722 * b
            } else {
                [r, g, b][ch % 3]
            }) as f32
        }),
        InputState::Sample(s) => Tensor::from_fn(c, h, w, |ch, y, x| {
            let (u, v) = (at(x, w), at(y, h));
            (match ch % 4 {
                0 => gray(*s, u, v, cell),
                1 => gray(*s, v, u, cell),
                2 => 1.0 - gray(*s, u, v, cell),
                _ => gray(*s, 1.0 - u, v, cell),
            }) as f32
        }),
        InputState::Drawn(b) => {
            let d = (LEVELS - 1) as f32;
            Tensor::from_fn(c, h, w, |ch, y, x| {
                let (sy, sx) = ((y * b.side) / h, (x * b.side) / w);
                let (sy, sx) = if ch % 2 == 1 { (sx, sy) } else { (sy, sx) };
                b.get(sy, sx) as f32 / d
            })
        }
    }
}

/// A memo of the picked input at `shape` (`[channels, height, width]`),
/// recomputed only when the state or the shape changes.
pub fn input_tensor(
    state: impl Into<Signal<InputState>>,
    shape: impl Into<Signal<[usize; 3]>>,
) -> Memo<Result<Tensor, convlab_core::Error>> {
    let state = state.into();
    let shape = shape.into();
    Memo::new(move |_| {
        let [c, h, w] = shape.get();
        state.with(|s| render(s, c, h, w))
    })
}

/// Buttons for the built-in samples, seeded random (with its seed) and a
/// 16 × 16 pixel editor (pen / eraser / clear; drag to draw, or arrow keys
/// and Space). The choice lives in `state`; use [`input_tensor`] for the
/// tensor and [`InputState::to_param`] for the URL.
#[component]
pub fn InputPicker(
    /// The chosen input.
    state: RwSignal<InputState>,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let btn = format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET);
    let random = Memo::new(move |_| matches!(state.get(), InputState::Random(_)));
    let is_random = move || random.get();
    // Memos, so painting a pixel does not rebuild the editor.
    let drawing = Memo::new(move |_| matches!(state.get(), InputState::Drawn(_)));
    let is_drawn = move || drawing.get();
    let samples = Sample::ALL
        .into_iter()
        .map(|s| {
            let btn = btn.clone();
            view! {
                <button type="button" style=btn
                    aria-pressed=move || (state.get() == InputState::Sample(s)).to_string()
                    on:click=move |_| state.set(InputState::Sample(s))>
                    {s.label()}
                </button>
            }
        })
        .collect_view();
    let seed = move || match state.get() {
        InputState::Random(s) => s,
        _ => 0,
    };
    let to_draw = move |_| {
        if !drawing.get_untracked() {
            let start = render(
                &state.get_untracked(),
                1,
                limits::EDITOR_SIDE,
                limits::EDITOR_SIDE,
            )
            .map(|t| Bitmap::from_tensor(&t))
            .unwrap_or_else(|_| Bitmap::blank());
            state.set(InputState::Drawn(start));
        }
    };
    view! {
        <div class="cl-input-picker" data-testid=test_id role="group" aria-label="input"
            style="display:flex;flex-direction:column;gap:0.5em">
            <div style="display:flex;flex-wrap:wrap;gap:0.4em">
                {samples}
                <button type="button" style=btn.clone()
                    aria-pressed=move || is_random().to_string()
                    on:click=move |_| {
                        let next = match state.get_untracked() {
                            InputState::Random(s) => s.wrapping_add(1),
                            _ => 1,
                        };
                        state.set(InputState::Random(next));
                    }>
                    {move || if is_random() { format!("Random (seed {}) \u{21bb}", seed()) } else { "Random".to_string() }}
                </button>
                <button type="button" style=btn.clone() aria-pressed=move || is_drawn().to_string() on:click=to_draw>
                    "Draw"
                </button>
            </div>
            {move || is_drawn().then(|| view! { <PixelEditor state=state /> })}
        </div>
    }
}

/// The pixel editor of an [`InputPicker`] in drawing mode.
#[component]
fn PixelEditor(state: RwSignal<InputState>) -> impl IntoView {
    let theme = use_theme();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let pen = RwSignal::new(LEVELS - 1);
    let painting = StoredValue::new(false);
    let cursor = RwSignal::new(None::<Cell>);
    let focused = RwSignal::new(false);
    let layout = StoredValue::new(None::<(TensorLayout, f64)>);
    let side_css = 16.0 * 18.0;
    Effect::new(move |_| {
        let theme = theme.get();
        let cur = cursor.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let InputState::Drawn(b) = state.get() else {
            return;
        };
        let Ok(t) = b.to_tensor() else { return };
        let dpr = fit_canvas(&canvas, side_css, side_css);
        let style = Style::new(theme, dpr);
        let l = TensorLayout::new(
            t.shape(),
            0,
            side_css * dpr,
            side_css * dpr,
            dpr,
            false,
            false,
        );
        layout.set_value(Some((l, dpr)));
        let opts = HeatmapOptions {
            palette: Palette::Sequential(Some((0.0, 1.0))),
            pinned: if focused.get() { cur } else { None },
            ..Default::default()
        };
        let _ = draw_on_canvas(&canvas, |area| draw_tensor(area, &t, &l, &opts, &style));
    });
    let paint = move |cell: Cell, level: u8| {
        state.update(|s| {
            if let InputState::Drawn(b) = s {
                b.set(cell.y, cell.x, level);
            }
        });
    };
    let hit = move |ev: &web_sys::MouseEvent| -> Option<Cell> {
        let canvas = canvas_ref.get_untracked()?;
        let (x, y) = local_pos(ev, &canvas);
        let (l, dpr) = layout.get_value()?;
        // The canvas may be shown narrower than its layout (max-width on a phone).
        let shown = canvas.get_bounding_client_rect().width();
        let k = if shown > 0.0 { side_css / shown } else { 1.0 };
        l.hit(x * k * dpr, y * k * dpr)
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if let Some(canvas) = canvas_ref.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
        }
        painting.set_value(true);
        if let Some(c) = hit(&ev) {
            paint(c, pen.get_untracked());
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if painting.get_value() {
            if let Some(c) = hit(&ev) {
                paint(c, pen.get_untracked());
            }
        }
    };
    let on_up = move |_: web_sys::PointerEvent| painting.set_value(false);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let shape = [1, limits::EDITOR_SIDE, limits::EDITOR_SIDE];
        let c = cursor.get_untracked().unwrap_or(Cell::new(0, 0, 0));
        let next = match ev.key().as_str() {
            "ArrowUp" => step_cell(c, shape, 0, -1, 0),
            "ArrowDown" => step_cell(c, shape, 0, 1, 0),
            "ArrowLeft" => step_cell(c, shape, 0, 0, -1),
            "ArrowRight" => step_cell(c, shape, 0, 0, 1),
            " " | "Enter" => {
                paint(c, pen.get_untracked());
                c
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
    };
    let tool = |name: &'static str, level: u8| {
        view! {
            <button type="button" style=format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET)
                aria-pressed=move || (pen.get() == level).to_string()
                on:click=move |_| pen.set(level)>{name}</button>
        }
    };
    view! {
        <div class="cl-pixel-editor" style="display:flex;flex-wrap:wrap;gap:0.75em;align-items:flex-start">
            <canvas
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                aria-label="pixel editor, 16 by 16: drag to draw, or arrow keys and Space"
                style:width=format!("{side_css}px")
                style:height=format!("{side_css}px")
                style:max-width="100%"
                style:touch-action="none"
                style:cursor="crosshair"
                style:outline=move || if focused.get() { "3px solid currentColor" } else { "none" }
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:keydown=on_key
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
            ></canvas>
            <div role="group" aria-label="drawing tools" style="display:flex;flex-wrap:wrap;gap:0.4em">
                {tool("Pen", LEVELS - 1)}
                {tool("Gray", 1)}
                {tool("Eraser", 0)}
                <button type="button" style=format!("min-height:{}px;padding:0 0.8em", sizes::TOUCH_TARGET)
                    on:click=move |_| state.set(InputState::Drawn(Bitmap::blank()))>"Clear"</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_bitmap() -> Bitmap {
        let mut b = Bitmap::blank();
        for i in 0..16 {
            b.set(i, i, 3);
            b.set(i, 15 - i, (i % 4) as u8);
        }
        b
    }

    #[test]
    fn bitmap_round_trip() {
        for b in [Bitmap::blank(), sample_bitmap()] {
            let s = encode_bitmap(&b);
            assert_eq!(s.len(), 86);
            assert!(s
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(decode_bitmap(&s).unwrap(), b);
        }
    }

    #[test]
    fn bad_drawings_are_rejected_with_a_reason() {
        assert!(decode_bitmap("").unwrap_err().contains("86"));
        let mut s = encode_bitmap(&sample_bitmap());
        s.replace_range(3..4, "*");
        assert!(decode_bitmap(&s).unwrap_err().contains("'*'"));
        // Multi-byte characters never panic.
        assert!(decode_bitmap(&"é".repeat(43)).is_err());
    }

    #[test]
    fn params_round_trip_and_never_panic() {
        let states = [
            InputState::Sample(Sample::Digit),
            InputState::Sample(Sample::Photo),
            InputState::Random(0),
            InputState::Random(u64::MAX),
            InputState::Drawn(sample_bitmap()),
        ];
        for s in states {
            assert_eq!(InputState::from_param(&s.to_param()).unwrap(), s);
        }
        assert_eq!(
            InputState::from_param(" Checker ").unwrap(),
            InputState::Sample(Sample::Checker)
        );
        for bad in [
            "",
            "random-",
            "random--1",
            "random-1e3",
            "draw-",
            "draw-%%",
            "cat",
            &"x".repeat(10_000),
            "draw-ééé",
        ] {
            assert!(InputState::from_param(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn renders_every_state_at_any_size_within_limits() {
        let states = [
            InputState::Sample(Sample::Digit),
            InputState::Sample(Sample::Edges),
            InputState::Sample(Sample::Checker),
            InputState::Sample(Sample::Photo),
            InputState::Random(7),
            InputState::Drawn(sample_bitmap()),
        ];
        for s in &states {
            for (c, h, w) in [(1, 1, 1), (3, 8, 12), (2, 28, 28), (0, 0, 0), (99, 9999, 3)] {
                let t = render(s, c, h, w).unwrap();
                let [tc, th, tw] = t.shape();
                assert_eq!(tc, c.clamp(1, limits::MAX_INPUT_CHANNELS));
                assert_eq!(th, h.clamp(1, limits::MAX_INPUT_SIDE));
                assert_eq!(tw, w.clamp(1, limits::MAX_INPUT_SIDE));
            }
        }
    }

    #[test]
    fn samples_look_like_what_they_claim() {
        // The digit has ink but is mostly background.
        let d = render(&InputState::Sample(Sample::Digit), 1, 28, 28).unwrap();
        let ink = d.data().iter().filter(|v| **v > 0.5).count();
        assert!(ink > 40 && ink < 28 * 28 / 3, "ink pixels {ink}");
        // The checkerboard alternates.
        let c = render(&InputState::Sample(Sample::Checker), 1, 16, 16).unwrap();
        assert_ne!(c.get(0, 0, 0), c.get(0, 0, 2));
        assert_eq!(c.get(0, 0, 0), c.get(0, 2, 2));
        // The photo is colour: channels differ.
        let p = render(&InputState::Sample(Sample::Photo), 3, 16, 16).unwrap();
        assert!(p.channel(0).unwrap() != p.channel(2).unwrap());
        // Seeded random is reproducible and seed-dependent.
        let r1 = render(&InputState::Random(5), 1, 8, 8).unwrap();
        assert_eq!(r1, render(&InputState::Random(5), 1, 8, 8).unwrap());
        assert_ne!(r1, render(&InputState::Random(6), 1, 8, 8).unwrap());
        // Channels of a gray sample differ from each other.
        let e = render(&InputState::Sample(Sample::Edges), 3, 16, 16).unwrap();
        assert!(e.channel(0).unwrap() != e.channel(2).unwrap());
    }

    #[test]
    fn drawing_survives_the_tensor_round_trip() {
        let b = sample_bitmap();
        let t = b.to_tensor().unwrap();
        assert_eq!(Bitmap::from_tensor(&t), b);
        let r = render(&InputState::Drawn(b.clone()), 1, 16, 16).unwrap();
        assert_eq!(r, t);
    }
}
