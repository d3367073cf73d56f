//! Where the boxes of a block diagram go: rows, lanes, skips and arrow heads, in diagram units.

use super::*;

/// A rectangle in diagram units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    fn top(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }
    fn bottom(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }
    /// Whether `(x, y)` is inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// Where everything goes, in diagram units (the SVG viewBox).
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// Width of the viewBox.
    pub width: f64,
    /// Height of the viewBox.
    pub height: f64,
    /// The input box.
    pub input: Rect,
    /// One rectangle per box.
    pub boxes: Vec<Rect>,
    /// Arrows as polylines (ending at the box they feed).
    pub edges: Vec<Vec<(f64, f64)>>,
}

/// Width of the diagram's viewBox.
pub const VIEW_W: f64 = 460.0;
/// Height of one box.
pub const BOX_H: f64 = 52.0;
/// Vertical distance between rows.
pub const ROW_H: f64 = 78.0;
/// Space on the right for skip connections.
pub const SKIP_LANE: f64 = 28.0;

/// Lays `d` out top to bottom: the input on top, one row per depth, boxes
/// of a row side by side, skip connections on the right.
pub fn geometry(d: &Diagram) -> Geometry {
    let inner = VIEW_W - SKIP_LANE;
    let margin = 6.0;
    let row_rect = |depth: usize, lane: usize, lanes: usize| {
        let lanes = lanes.max(1) as f64;
        let slot = (inner - margin) / lanes;
        let w = (slot - 12.0).min(300.0);
        Rect {
            x: margin + slot * lane as f64 + (slot - w) / 2.0,
            y: margin + ROW_H * depth as f64,
            w,
            h: BOX_H,
        }
    };
    let input = row_rect(0, 0, 1);
    let boxes: Vec<Rect> = d
        .boxes
        .iter()
        .map(|b| row_rect(b.depth, b.lane, b.lanes))
        .collect();
    let mut edges = Vec::new();
    for (i, b) in d.boxes.iter().enumerate() {
        let to = boxes[i];
        for s in &b.sources {
            let (from, from_depth) = match s {
                Some(s) => (boxes[*s], d.boxes[*s].depth),
                None => (input, 0),
            };
            if b.depth > from_depth + 1 {
                let x = VIEW_W - SKIP_LANE / 2.0;
                let y0 = from.y + from.h / 2.0;
                let y1 = to.y + to.h / 2.0;
                edges.push(vec![
                    (from.x + from.w, y0),
                    (x, y0),
                    (x, y1),
                    (to.x + to.w, y1),
                ]);
            } else {
                edges.push(vec![from.bottom(), to.top()]);
            }
        }
    }
    Geometry {
        width: VIEW_W,
        height: margin * 2.0 + ROW_H * d.depth as f64 + BOX_H,
        input,
        boxes,
        edges,
    }
}

/// The arrow head at the end of a polyline: three points.
pub fn arrow_head(line: &[(f64, f64)], size: f64) -> Vec<(f64, f64)> {
    let n = line.len();
    if n < 2 {
        return Vec::new();
    }
    let (a, b) = (line[n - 2], line[n - 1]);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return Vec::new();
    }
    let (ux, uy) = (dx / len, dy / len);
    let base = (b.0 - ux * size, b.1 - uy * size);
    vec![
        b,
        (base.0 - uy * size * 0.5, base.1 + ux * size * 0.5),
        (base.0 + uy * size * 0.5, base.1 - ux * size * 0.5),
    ]
}
