//! What the dilated lesson shows, computed by `convlab_core::receptive`:
//! the maps of a stack with the cells that feed the chosen output, the
//! recurrence's size/jump/start, the WaveNet tree and the cost series.
//! Nothing here walks taps itself; it only arranges what the crate returns.

use convlab_core::receptive::{feed_1d, feed_2d, map_lengths, receptive_field, RfInfo, RfLayer};
use convlab_core::Conv2dSpec;

use super::animator::level_label;
use super::draw::{MapView, TreeLevel, TreeView};
use super::state::{clamp_cell, Layer};
use crate::config;
use crate::draw::chart::{LineChart, Series};

/// The 2-D geometry of a stack: "same" padding `(K−1)/2·d`, the layer's stride.
pub fn rf_stack(layers: &[Layer]) -> Vec<RfLayer> {
    layers
        .iter()
        .map(|l| {
            RfLayer::conv(
                l.kernel,
                l.stride,
                l.dilation,
                (l.kernel.saturating_sub(1) / 2).saturating_mul(l.dilation),
            )
        })
        .collect()
}

/// The WaveNet geometry: causal convolutions (padding `(K−1)·d` before).
pub fn tree_stack(layers: &[Layer]) -> Vec<RfLayer> {
    layers
        .iter()
        .map(|l| RfLayer::causal(l.kernel, l.dilation))
        .collect()
}

/// Everything the grid figure shows.
#[derive(Clone, Debug, PartialEq)]
pub struct GridModel {
    /// Maps by level: 0 is the input, the last is the output.
    pub maps: Vec<MapView>,
    /// The recurrence: entry `l` is the field of a cell of map `l` on the input.
    pub info: Vec<RfInfo>,
    /// The chosen output cell (clamped to the output map).
    pub cell: (usize, usize),
    /// Output map `(rows, cols)`.
    pub out_shape: (usize, usize),
    /// Whether some path reached the zero padding (the field is cut by the border).
    pub clipped: bool,
    /// Cells inside the fed span of the input that are not fed (gridding holes).
    pub holes: usize,
    /// Notes on repairs (cell clamped).
    pub notes: Vec<String>,
}

impl GridModel {
    /// The recurrence's field of the whole stack.
    pub fn field(&self) -> RfInfo {
        self.info.last().copied().unwrap_or(RfInfo {
            size: 1,
            jump: 1,
            start: 0,
        })
    }
}

/// Computes the grid figure for `layers` on a `side × side` input, output cell `cell`.
///
/// # Errors
/// The kernel crate's message (a kernel wider than the padded map, …).
pub fn grid_model(
    layers: &[Layer],
    side: usize,
    cell: Option<(usize, usize)>,
) -> Result<GridModel, String> {
    let stack = rf_stack(layers);
    let lens = map_lengths(&stack, side).map_err(|e| e.to_string())?;
    let out_len = *lens.last().unwrap_or(&side);
    let c = clamp_cell(cell, out_len, out_len);
    let feed = feed_2d(&stack, (side, side), c.value).map_err(|e| e.to_string())?;
    let info = receptive_field(&stack).map_err(|e| e.to_string())?;
    let top = stack.len();
    let mut maps = Vec::with_capacity(top + 1);
    for level in 0..=top {
        // The field of the chosen cell on map `level`: the recurrence over the layers above it.
        let above = receptive_field(&stack[level..]).map_err(|e| e.to_string())?;
        let f = above.last().copied().unwrap_or(RfInfo {
            size: 1,
            jump: 1,
            start: 0,
        });
        let at = |i: usize| {
            f.start
                .saturating_add((i as i64).saturating_mul(f.jump as i64))
        };
        let size = usize::try_from(f.size).unwrap_or(usize::MAX);
        let (h, w) = feed.shape(level);
        let label = match level {
            0 => format!("input {h}\u{d7}{w}"),
            l if l == top => format!("output {h}\u{d7}{w}"),
            l => format!("{} {h}\u{d7}{w}", level_label(l, top)),
        };
        maps.push(MapView {
            label,
            h,
            w,
            paths: feed.grid(level).map_err(|e| e.to_string())?,
            extent: Some((at(c.value.0) as isize, at(c.value.1) as isize, size, size)),
        });
    }
    let holes = feed.rows.holes(0) * feed.cols.fed(0).len()
        + feed.cols.holes(0) * feed.rows.fed(0).len()
        + feed.rows.holes(0) * feed.cols.holes(0);
    Ok(GridModel {
        maps,
        info,
        cell: c.value,
        out_shape: (out_len, out_len),
        clipped: feed.clipped(),
        holes,
        notes: c.notes,
    })
}

/// The sentence under the heat map, read off the input map's path counts: how many cells feed
/// the output, by how many paths, which cells have the most and whether the centre is one of
/// them, and how many cells inside the field are never reached (the gridding holes).
pub fn contribution_caption(m: &GridModel) -> Option<String> {
    let input = m.maps.first()?;
    let (lo, hi) = input.path_range()?;
    let fed = input.fed();
    let plural = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut s = if lo == hi {
        format!(
            "{fed} input cells feed it, by {} each: every input contributes equally.",
            plural(lo, "path", "paths")
        )
    } else {
        let (_, top) = input.maxima()?;
        let centre = input.centre();
        let at_centre = centre.map(|(r, c)| input.at(r, c));
        let most = if top.len() == 1 {
            let (r, c) = top[0];
            if Some((r, c)) == centre {
                format!("the centre cell has the most, {hi}")
            } else {
                format!("the most, {hi}, reach one cell (row {r}, column {c})")
            }
        } else {
            format!("the most, {hi}, reach {} cells", top.len())
        };
        let centre_note = match (centre, at_centre) {
            (Some(c), _) if top.len() == 1 && top[0] == c => String::new(),
            (Some(c), _) if top.contains(&c) => ", the centre among them".into(),
            (Some(_), Some(p)) => format!("; the centre gets {}", plural(p, "path", "paths")),
            _ => String::new(),
        };
        format!(
            "{fed} input cells feed it, by {lo} to {hi} paths (brighter = more): {most}{centre_note}."
        )
    };
    if m.holes > 0 {
        s.push_str(&format!(
            " {} inside the field {} never reached: the gridding effect.",
            plural(m.holes as u64, "cell", "cells"),
            if m.holes == 1 { "is" } else { "are" }
        ));
    }
    Some(s)
}

/// Everything the WaveNet figure shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeModel {
    /// The tree to draw.
    pub view: TreeView,
    /// Receptive field of the output from the recurrence.
    pub size: u64,
    /// Input cells that feed the last output.
    pub fed: usize,
    /// Smallest and largest number of paths from an input cell.
    pub paths: (u64, u64),
}

/// Computes the tree of the last output of a causal stack on an input as long as its field.
///
/// # Errors
/// The kernel crate's message.
pub fn tree_model(layers: &[Layer]) -> Result<TreeModel, String> {
    let stack = tree_stack(layers);
    let info = receptive_field(&stack).map_err(|e| e.to_string())?;
    let size = info.last().map_or(1, |i| i.size);
    let len = usize::try_from(size).map_err(|_| "the receptive field is too large".to_string())?;
    let feed = feed_1d(&stack, len, len - 1).map_err(|e| e.to_string())?;
    let top = stack.len();
    let mut levels = Vec::with_capacity(top + 1);
    let mut edges = Vec::new();
    for level in 0..=top {
        let counts = feed.counts(level);
        let nodes: Vec<(usize, u64)> = feed
            .fed(level)
            .into_iter()
            .map(|t| (t, counts[t]))
            .collect();
        if level > 0 {
            let layer = &stack[level - 1];
            for &(t, _) in &nodes {
                for from in layer.taps(t, feed.len(level - 1)) {
                    edges.push((level, from, t));
                }
            }
        }
        let label = if level == 0 {
            "input".to_string()
        } else {
            format!("d = {}", stack[level - 1].dilation)
        };
        levels.push(TreeLevel { label, nodes });
    }
    let input = feed.counts(0);
    let nonzero = input.iter().copied().filter(|&p| p > 0);
    let lo = nonzero.clone().min().unwrap_or(0);
    let hi = nonzero.max().unwrap_or(0);
    Ok(TreeModel {
        fed: feed.fed(0).len(),
        view: TreeView { len, levels, edges },
        size,
        paths: (lo, hi),
    })
}

/// Parameters of a stack of `C → C` convs with bias, from the kernel crate's spec.
pub fn stack_params(layers: &[Layer], channels: usize) -> u64 {
    layers
        .iter()
        .map(|l| {
            Conv2dSpec::standard(channels, channels, l.kernel)
                .with_dilation(l.dilation)
                .param_count()
        })
        .sum()
}

/// Receptive field of a stack, from the recurrence.
pub fn stack_field(layers: &[Layer]) -> u64 {
    receptive_field(&rf_stack(layers))
        .ok()
        .and_then(|v| v.last().map(|i| i.size))
        .unwrap_or(1)
}

/// Channels assumed by the cost chart.
pub const COST_CHANNELS: usize = 64;
/// Depths plotted.
pub const COST_DEPTH: usize = 6;

/// Receptive field vs parameters for stacks of depth 1…6 of plain 3×3,
/// dilated 3×3 (d = 1, 2, 4, …) and plain 5×5 convs, `C → C` with bias; the
/// current stack is marked.
pub fn cost_chart(current: &[Layer], channels: usize) -> LineChart {
    let series = |name: &str, color: usize, layer: &dyn Fn(usize) -> Layer| {
        let points = (1..=COST_DEPTH)
            .map(|n| {
                let s: Vec<Layer> = (0..n).map(layer).collect();
                (stack_params(&s, channels) as f64, stack_field(&s) as f64)
            })
            .collect();
        Series {
            name: name.into(),
            color: config::group_color(color),
            points,
            dots: false,
        }
    };
    LineChart {
        title: String::new(),
        x_label: format!("parameters (C = {channels} \u{2192} {channels}, with bias)"),
        y_label: "receptive field (cells)".into(),
        series: vec![
            series("3\u{d7}3, d = 1", 1, &|_| Layer::new(3, 1)),
            series("3\u{d7}3, d = 1, 2, 4, \u{2026}", 0, &|i| {
                Layer::new(3, 1 << i)
            }),
            series("5\u{d7}5, d = 1", 2, &|_| Layer::new(5, 1)),
        ],
        marks: vec![(
            stack_params(current, channels) as f64,
            stack_field(current) as f64,
            config::group_color(4),
        )],
        log_y: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::dilated::state::{wavenet, PRESETS};

    #[test]
    fn highlighted_extent_equals_the_recurrence() {
        for p in PRESETS {
            let m = grid_model(p.layers, 35, None).unwrap();
            let r = m.field().size as usize;
            let input = &m.maps[0];
            let (_, _, h, w) = input.bbox().unwrap();
            assert_eq!((h, w), (r, r), "{}", p.label);
            assert_eq!(input.extent.map(|e| (e.2, e.3)), Some((r, r)));
            assert!(!m.clipped, "{}", p.label);
            // The output map shows just the chosen cell.
            assert_eq!(m.maps.last().unwrap().fed(), 1);
        }
    }

    #[test]
    fn preset_numbers() {
        let f = |i: usize| grid_model(PRESETS[i].layers, 35, None).unwrap();
        // 1,2,4,8: r = 31, every cell of the 31×31 field is fed.
        assert_eq!(f(0).field().size, 31);
        assert_eq!(f(0).maps[0].fed(), 31 * 31);
        // 2,2,2: r = 13 but gridding: only 7×7 cells.
        assert_eq!(f(1).field().size, 13);
        assert_eq!(f(1).maps[0].fed(), 49);
        assert!(f(1).holes > 0);
        // 1,2,5 (hybrid): r = 17 and no holes.
        assert_eq!(f(2).field().size, 17);
        assert_eq!(f(2).maps[0].fed(), 17 * 17);
        assert_eq!(f(2).holes, 0);
    }

    #[test]
    fn extents_on_intermediate_maps_match_their_fed_cells() {
        let m = grid_model(PRESETS[0].layers, 35, Some((17, 17))).unwrap();
        for map in &m.maps {
            let (r0, c0, h, w) = map.bbox().unwrap();
            assert_eq!(
                map.extent,
                Some((r0 as isize, c0 as isize, h, w)),
                "{}",
                map.label
            );
        }
    }

    #[test]
    fn strides_shrink_maps_and_cells_clamp() {
        let layers = [
            Layer {
                kernel: 3,
                dilation: 1,
                stride: 2,
            },
            Layer::new(3, 1),
        ];
        let m = grid_model(&layers, 9, Some((40, 0))).unwrap();
        assert_eq!(m.out_shape, (5, 5));
        assert_eq!(m.cell, (4, 0));
        assert_eq!(m.notes.len(), 1);
        assert_eq!(m.field().jump, 2);
        assert!(m.clipped);
    }

    #[test]
    fn too_wide_a_kernel_is_an_error_not_a_panic() {
        assert!(grid_model(
            &[Layer {
                kernel: 4,
                dilation: 16,
                stride: 1
            }],
            5,
            None
        )
        .is_err());
    }

    #[test]
    fn wavenet_tree_sees_1024_inputs_once_each() {
        let t = tree_model(&wavenet()).unwrap();
        assert_eq!(t.size, 1024);
        assert_eq!(t.fed, 1024);
        assert_eq!(t.paths, (1, 1));
        assert_eq!(t.view.levels.len(), 11);
        // A binary tree: 2046 edges, 2047 nodes.
        assert_eq!(t.view.edges.len(), 2046);
        assert_eq!(
            t.view.levels.iter().map(|l| l.nodes.len()).sum::<usize>(),
            2047
        );
    }

    #[test]
    fn repeated_dilations_break_equal_contributions() {
        let t = tree_model(&[Layer::new(2, 1), Layer::new(2, 1), Layer::new(2, 1)]).unwrap();
        assert_eq!(t.size, 4);
        assert_eq!(t.paths, (1, 3));
    }

    #[test]
    fn cost_series_grow_as_expected() {
        let c = cost_chart(PRESETS[0].layers, 64);
        let per3 = (9 * 64 * 64 + 64) as f64;
        assert_eq!(c.series[0].points[0], (per3, 3.0));
        assert_eq!(c.series[1].points[3], (4.0 * per3, 31.0));
        assert_eq!(c.series[2].points[1].1, 9.0);
        assert_eq!(c.marks[0].0, 4.0 * per3);
        assert_eq!(c.marks[0].1, 31.0);
    }

    #[test]
    fn the_heat_map_caption_says_what_the_counts_show() {
        for p in PRESETS {
            let m = grid_model(p.layers, 35, None).unwrap();
            let caption = contribution_caption(&m).unwrap();
            let input = &m.maps[0];
            let (lo, hi) = input.path_range().unwrap();
            let (_, top) = input.maxima().unwrap();
            assert!(top.iter().all(|&(r, c)| input.at(r, c) == hi));
            let cells = input.paths.iter().filter(|&&x| x == hi).count();
            assert_eq!(top.len(), cells, "{}", p.label);
            assert!(
                caption.starts_with(&format!("{} input cells", input.fed())),
                "{caption}"
            );
            if lo == hi {
                assert!(caption.contains("equally"), "{caption}");
            } else {
                assert!(
                    caption.contains(&format!("{lo} to {hi} paths")),
                    "{caption}"
                );
                let centre = input.centre().unwrap();
                let claims_centre = caption.contains("centre cell has the most")
                    || caption.contains("the centre among them");
                assert_eq!(
                    claims_centre,
                    top.contains(&centre),
                    "{}: {caption}",
                    p.label
                );
                if !top.contains(&centre) {
                    let at = input.at(centre.0, centre.1);
                    assert!(
                        caption.contains(&format!("the centre gets {at} path")),
                        "{caption}"
                    );
                }
            }
            assert_eq!(caption.contains("gridding"), m.holes > 0, "{caption}");
        }
    }

    #[test]
    fn the_exponential_stack_reaches_its_centre_by_one_path_and_peaks_elsewhere() {
        // 1, 2, 4, 8: a1 + 2 a2 + 4 a3 + 8 a4 = 0 (each a in -1..=1) has one solution.
        let m = grid_model(PRESETS[0].layers, 35, None).unwrap();
        let input = &m.maps[0];
        let centre = input.centre().unwrap();
        assert_eq!(input.at(centre.0, centre.1), 1);
        let (hi, top) = input.maxima().unwrap();
        assert!(hi > 1 && !top.contains(&centre));
        let caption = contribution_caption(&m).unwrap();
        assert!(
            caption.contains("the centre gets 1 path;")
                || caption.contains("the centre gets 1 path."),
            "{caption}"
        );
    }
}
