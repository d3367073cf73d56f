//! The dilated-convolution lesson's URL state, declared once: the layer
//! stack, the input size, the chosen output cell, the animation frame and the
//! WaveNet stack.
//!
//! A stack is written compactly, one layer per comma: `K` then `d` dilation
//! then optional `s` stride, e.g. `L=3d1,3d2,3d4` or `L=3d1s2,3d2`.
//! Parsing never panics: anything unreadable is dropped or clamped, and every
//! such repair is reported as a note the page shows.

use std::ops::{Deref, DerefMut};

use crate::route::{cap_at, Field, Note, Params, Query, Range, UrlValue, GLOBAL_KEYS};

/// One convolution layer of a stack: square kernel `K`, dilation `d`, stride `s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Layer {
    /// Kernel side `K`.
    pub kernel: usize,
    /// Dilation `d` (gap between taps).
    pub dilation: usize,
    /// Stride `s`.
    pub stride: usize,
}

impl Layer {
    /// A stride-1 layer.
    pub const fn new(kernel: usize, dilation: usize) -> Self {
        Layer {
            kernel,
            dilation,
            stride: 1,
        }
    }

    /// The span one kernel covers, `(K−1)·d + 1`.
    pub fn span(&self) -> usize {
        self.kernel.saturating_sub(1) * self.dilation + 1
    }

    /// Compact text: `3d2`, `3d1s2`.
    pub fn code(&self) -> String {
        if self.stride > 1 {
            format!("{}d{}s{}", self.kernel, self.dilation, self.stride)
        } else {
            format!("{}d{}", self.kernel, self.dilation)
        }
    }
}

/// Inclusive ranges a stack is clamped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Kernel side range.
    pub kernel: (usize, usize),
    /// Dilation range.
    pub dilation: (usize, usize),
    /// Stride range.
    pub stride: (usize, usize),
    /// Most layers.
    pub max_layers: usize,
}

/// Bounds of the 2-D grid stack (it must stay drawable on a projector).
pub const GRID_BOUNDS: Bounds = Bounds {
    kernel: (1, 7),
    dilation: (1, 16),
    stride: (1, 3),
    max_layers: 6,
};

/// Bounds of the WaveNet 1-D stack (causal, stride 1).
pub const TREE_BOUNDS: Bounds = Bounds {
    kernel: (2, 3),
    dilation: (1, 1024),
    stride: (1, 1),
    max_layers: 12,
};

/// Most input cells the 1-D tree will draw (its receptive field is clamped to this).
pub const TREE_MAX_FIELD: usize = 4096;

/// Input side range of the 2-D grid.
pub const GRID_SIDE: (usize, usize) = (5, 49);
/// Default input side: the 1,2,4,8 preset (receptive field 31) fits with room.
pub const DEFAULT_SIDE: usize = 35;

/// A named stack the page offers as a button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Button label.
    pub label: &'static str,
    /// What it shows.
    pub hint: &'static str,
    /// Its layers.
    pub layers: &'static [Layer],
}

/// The lesson's presets for the 2-D grid.
pub const PRESETS: [Preset; 4] = [
    Preset {
        label: "1,2,4,8",
        hint: "exponential dilations: a 31×31 field from 4 layers",
        layers: &[
            Layer::new(3, 1),
            Layer::new(3, 2),
            Layer::new(3, 4),
            Layer::new(3, 8),
        ],
    },
    Preset {
        label: "2,2,2",
        hint: "repeated equal dilation: gridding, holes in the field",
        layers: &[Layer::new(3, 2), Layer::new(3, 2), Layer::new(3, 2)],
    },
    Preset {
        label: "1,2,5",
        hint: "hybrid dilations: no holes",
        layers: &[Layer::new(3, 1), Layer::new(3, 2), Layer::new(3, 5)],
    },
    Preset {
        label: "1,1,1,1",
        hint: "plain 3×3 convs: the field grows by 2 per layer",
        layers: &[
            Layer::new(3, 1),
            Layer::new(3, 1),
            Layer::new(3, 1),
            Layer::new(3, 1),
        ],
    },
];

/// The WaveNet stack: kernel 2, dilations 1, 2, 4, …, 512 (receptive field 1024).
pub fn wavenet() -> Vec<Layer> {
    (0..10).map(|i| Layer::new(2, 1 << i)).collect()
}

/// A value read from the URL plus the repairs made to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The usable value.
    pub value: T,
    /// One sentence per repair, for the page's note.
    pub notes: Vec<String>,
}

fn clamp_note(what: &str, v: usize, (lo, hi): (usize, usize), notes: &mut Vec<String>) -> usize {
    let c = v.clamp(lo, hi);
    if c != v {
        notes.push(format!("{what} {v} is outside {lo}…{hi}; using {c}"));
    }
    c
}

/// Reads one unsigned number with at most 6 digits (longer is unreadable, not clamped).
fn number(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses one layer token: `K`, `KdD`, `KdDsS`, `KsS` (case-insensitive).
fn layer_token(tok: &str) -> Option<(usize, usize, usize)> {
    let t = tok.trim().to_ascii_lowercase();
    let k_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let kernel = number(&t[..k_end])?;
    let mut dilation = 1;
    let mut stride = 1;
    let mut rest = &t[k_end..];
    let mut seen_d = false;
    let mut seen_s = false;
    while let Some(tag) = rest.chars().next() {
        if tag != 'd' && tag != 's' {
            return None;
        }
        let body = &rest[tag.len_utf8()..];
        let end = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        let v = number(&body[..end])?;
        match tag {
            'd' if !seen_d => {
                dilation = v;
                seen_d = true;
            }
            's' if !seen_s => {
                stride = v;
                seen_s = true;
            }
            _ => return None,
        }
        rest = &body[end..];
    }
    Some((kernel, dilation, stride))
}

/// Parses a stack such as `3d1,3d2,3d4`. Never panics: unreadable layers are
/// dropped, numbers are clamped to `bounds`, extra layers are cut, and an empty
/// result falls back to `default` — each with a note.
///
/// ```
/// use convlab::lessons::dilated::state::{parse_stack, Layer, GRID_BOUNDS};
/// let p = parse_stack("3d1,3d2s2", &GRID_BOUNDS, &[]);
/// assert_eq!(p.value, vec![Layer::new(3, 1), Layer { kernel: 3, dilation: 2, stride: 2 }]);
/// assert!(p.notes.is_empty());
/// ```
pub fn parse_stack(text: &str, bounds: &Bounds, default: &[Layer]) -> Parsed<Vec<Layer>> {
    let mut notes = Vec::new();
    let mut layers = Vec::new();
    let tokens: Vec<&str> = text.split(',').filter(|t| !t.trim().is_empty()).collect();
    for (i, tok) in tokens.iter().enumerate() {
        if layers.len() == bounds.max_layers {
            notes.push(format!(
                "only {} layers fit; dropped the last {}",
                bounds.max_layers,
                tokens.len() - i
            ));
            break;
        }
        match layer_token(tok) {
            Some((k, d, s)) => {
                let n = i + 1;
                layers.push(Layer {
                    kernel: clamp_note(&format!("layer {n}: kernel"), k, bounds.kernel, &mut notes),
                    dilation: clamp_note(
                        &format!("layer {n}: dilation"),
                        d,
                        bounds.dilation,
                        &mut notes,
                    ),
                    stride: clamp_note(&format!("layer {n}: stride"), s, bounds.stride, &mut notes),
                });
            }
            None => {
                let shown: String = tok.chars().take(12).collect();
                notes.push(format!(
                    "layer {} “{shown}” is not of the form 3d2 or 3d1s2; dropped",
                    i + 1
                ));
            }
        }
    }
    if layers.is_empty() {
        if !text.trim().is_empty() {
            notes.push("no usable layer; showing the default stack".into());
        }
        layers = default.to_vec();
    }
    Parsed {
        value: layers,
        notes,
    }
}

/// Writes a stack in the form [`parse_stack`] reads.
pub fn format_stack(layers: &[Layer]) -> String {
    layers.iter().map(Layer::code).collect::<Vec<_>>().join(",")
}

/// Parses an unsigned number and clamps it to `range`, with a note on repair;
/// `None` text gives `default` silently.
pub fn parse_number(
    what: &str,
    text: Option<&str>,
    range: (usize, usize),
    default: usize,
) -> Parsed<usize> {
    let mut notes = Vec::new();
    let value = match text.map(str::trim) {
        None | Some("") => default,
        Some(t) => match number(t) {
            Some(v) => clamp_note(what, v, range, &mut notes),
            None => {
                let shown: String = t.chars().take(12).collect();
                notes.push(format!("{what} “{shown}” is not a number; using {default}"));
                default
            }
        },
    };
    Parsed { value, notes }
}

/// Parses a cell `row.col` (e.g. `17.17`). `None` when absent or unreadable
/// (with a note when unreadable); clamping to the map is done by the caller,
/// which knows the map's size.
pub fn parse_cell(text: Option<&str>) -> Parsed<Option<(usize, usize)>> {
    let mut notes = Vec::new();
    let value = match text.map(str::trim) {
        None | Some("") => None,
        Some(t) => {
            let mut it = t.split(['.', ',', '_']);
            match (
                it.next().and_then(number),
                it.next().and_then(number),
                it.next(),
            ) {
                (Some(r), Some(c), None) => Some((r, c)),
                _ => {
                    let shown: String = t.chars().take(12).collect();
                    notes.push(format!(
                        "cell “{shown}” is not of the form row.col; using the centre"
                    ));
                    None
                }
            }
        }
    };
    Parsed { value, notes }
}

/// Clamps a cell to an `h × w` map, noting any change. An absent cell is the centre.
pub fn clamp_cell(cell: Option<(usize, usize)>, h: usize, w: usize) -> Parsed<(usize, usize)> {
    let mut notes = Vec::new();
    let centre = (h.saturating_sub(1) / 2, w.saturating_sub(1) / 2);
    let value = match cell {
        None => centre,
        Some((r, c)) => {
            let rr = r.min(h.saturating_sub(1));
            let cc = c.min(w.saturating_sub(1));
            if (rr, cc) != (r, c) {
                notes.push(format!(
                    "cell {r}.{c} is outside the {h}×{w} output; using {rr}.{cc}"
                ));
            }
            (rr, cc)
        }
    };
    Parsed { value, notes }
}

/// The frame a stack opens on: the map under the top layer (frame 1), where its taps stand
/// `d` cells apart — the point of the lesson on the first screen. The last frame (the whole
/// receptive field on the input) is one step of the player away.
pub fn opening_frame(layers: usize) -> usize {
    layers.min(1)
}

/// A stack of layers as the URL writes it (`3d1,3d2s2`), read within `bounds`.
fn read_stack(
    p: &mut Params<'_>,
    field: &Field,
    bounds: &Bounds,
    default: &[Layer],
) -> Option<Vec<Layer>> {
    let raw = p.raw_value(field.key)?;
    let parsed = parse_stack(raw, bounds, default);
    for m in parsed.notes {
        p.push_note(field.key, sentence(m));
    }
    Some(parsed.value)
}

/// The 2-D grid stack (`L`), read within [`GRID_BOUNDS`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Stack(pub Vec<Layer>);

/// The WaveNet 1-D stack (`T`), read within [`TREE_BOUNDS`] and cut to
/// [`TREE_MAX_FIELD`] inputs ([`clamp_tree`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tree(pub Vec<Layer>);

macro_rules! layers_newtype {
    ($t:ident) => {
        impl Deref for $t {
            type Target = Vec<Layer>;
            fn deref(&self) -> &Vec<Layer> {
                &self.0
            }
        }

        impl DerefMut for $t {
            fn deref_mut(&mut self) -> &mut Vec<Layer> {
                &mut self.0
            }
        }
    };
}
layers_newtype!(Stack);
layers_newtype!(Tree);

impl UrlValue for Stack {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        match read_stack(p, field, &GRID_BOUNDS, &default) {
            Some(layers) => Stack(layers),
            None => default,
        }
    }
    fn write(&self) -> Option<String> {
        Some(format_stack(self))
    }
}

impl UrlValue for Tree {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let tree = read_stack(p, field, &TREE_BOUNDS, &default).unwrap_or(default.0);
        let mut notes = Vec::new();
        let tree = clamp_tree(tree, &mut notes);
        for m in notes {
            p.push_note(field.key, sentence(m));
        }
        Tree(tree)
    }
    fn write(&self) -> Option<String> {
        Some(format_stack(self))
    }
}

/// The chosen output cell `row.col`; `None` (absent from the link) is the centre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct OutputCell(pub Option<(usize, usize)>);

impl UrlValue for OutputCell {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let Some(raw) = p.raw_value(field.key) else {
            return default;
        };
        let parsed = parse_cell(Some(raw));
        for m in parsed.notes {
            p.push_note(field.key, sentence(m));
        }
        parsed.value.map_or(default, |c| OutputCell(Some(c)))
    }
    fn write(&self) -> Option<String> {
        self.0.map(|(r, c)| format!("{r}.{c}"))
    }
}

crate::lesson_state! {
    /// Everything the dilated lesson keeps in its URL:
    /// `#/dilated?L=3d1,3d2,3d4,3d8&n=35&c=17.17&f=1&T=2d1,2d2,…,2d512`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DilatedState, signals DilatedSignals {
        /// The 2-D stack (`L`).
        stack: Stack = Stack(PRESETS[0].layers.to_vec()); "L", "L", "the layer stack (KdD or KdDsS, one per comma)", Range::Text,
        /// Input side `n` of the square grid.
        side: usize = DEFAULT_SIDE; "n", "n", "input side (cells)", Range::Ints(GRID_SIDE.0 as i64, GRID_SIDE.1 as i64),
        /// Chosen output cell `c=row.col`; absent is the centre.
        cell: OutputCell = OutputCell(None); "c", "c", "output cell (row.col)", Range::Text,
        /// Animation frame `f`: 0 shows the output cell, the stack's length reaches the input.
        frame: usize = opening_frame(PRESETS[0].layers.len()); "f", "f", "animation frame", Range::Ints(0, GRID_BOUNDS.max_layers as i64),
        /// The 1-D WaveNet stack (`T`).
        tree: Tree = Tree(wavenet()); "T", "T", "the WaveNet stack (KdD, one per comma)", Range::Text,
    }
    fix = DilatedState::fix;
}

impl DilatedState {
    /// The rule between fields: the frame is one the stack has (without `f`
    /// the stack's opening frame).
    fn fix(&mut self, p: &mut Params<'_>) {
        let layers = self.stack.len();
        if !p.has("f") {
            self.frame = opening_frame(layers);
        }
        self.frame = cap_at(
            p,
            "f",
            self.frame,
            layers,
            &format!("the last frame {layers}"),
        );
    }
}

/// Capitalised, with a full stop: notes are shown as sentences.
pub fn sentence(m: String) -> String {
    let mut c = m.chars();
    let mut out = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>(),
        None => return m,
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// One note per key of `q` that is neither in `known` nor a global key, and one per
/// key of `known` given more than once (the first value is the one read).
pub fn unknown_keys(q: &Query, known: &[&str]) -> Vec<Note> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (k, _) in q.pairs() {
        let k = k.as_str();
        if seen.contains(&k) || GLOBAL_KEYS.contains(&k) {
            continue;
        }
        seen.push(k);
        if known.contains(&k) {
            let n = q.count(k);
            if n > 1 {
                let first: String = q.get(k).unwrap_or_default().chars().take(24).collect();
                out.push(Note::new(
                    k,
                    format!("{k} is given {n} times; using the first ({k}={first})."),
                ));
            }
            continue;
        }
        let shown: String = k.chars().take(24).collect();
        out.push(Note::new(
            k,
            format!("This page has no parameter \u{201c}{shown}\u{201d}; it is ignored."),
        ));
    }
    out
}

/// Drops trailing tree layers until the 1-D field `1 + Σ (K−1)·d` fits
/// [`TREE_MAX_FIELD`] (so the tree stays drawable), with a note.
pub fn clamp_tree(mut tree: Vec<Layer>, notes: &mut Vec<String>) -> Vec<Layer> {
    let field = |t: &[Layer]| 1 + t.iter().map(|l| l.span() - 1).sum::<usize>();
    let before = tree.len();
    while tree.len() > 1 && field(&tree) > TREE_MAX_FIELD {
        tree.pop();
    }
    if tree.len() < before {
        notes.push(format!(
            "the WaveNet stack would see more than {TREE_MAX_FIELD} inputs; kept its first {} layers",
            tree.len()
        ));
    }
    tree
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
