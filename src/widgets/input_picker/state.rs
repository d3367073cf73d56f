//! What the picker has chosen ([`InputState`]: a sample, a seed or a
//! drawing), the drawing itself ([`Bitmap`]) and their short URL forms.

use convlab_core::Tensor;

use crate::config::limits;

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
