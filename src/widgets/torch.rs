//! PyTorch code for what a lesson shows: `nn.Conv2d(C, N, K, stride=,
//! padding=, dilation=, groups=, bias=)` for one layer, or the block as an
//! `nn.Sequential` built from the kernel crate's layer list (the same list
//! the cost tables count), so the snippet has exactly the page's shapes.

use convlab_core::{Conv2dSpec, Convention, LayerCost, LayerKind};

use crate::route::{Params, Query};

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// `3` for a square pair, `(3, 1)` otherwise.
fn pair(p: (usize, usize)) -> String {
    if p.0 == p.1 {
        p.0.to_string()
    } else {
        format!("({}, {})", p.0, p.1)
    }
}

/// `nn.Conv2d(C, N, K, stride=s, padding=p, dilation=d, groups=g, bias=b)`.
pub fn conv2d(s: &Conv2dSpec) -> String {
    format!(
        "nn.Conv2d({}, {}, {}, stride={}, padding={}, dilation={}, groups={}, bias={})",
        s.in_channels,
        s.out_channels,
        pair(s.kernel),
        pair(s.stride),
        pair(s.padding),
        pair(s.dilation),
        s.groups,
        py_bool(s.bias)
    )
}

/// The PyTorch module for a layer, or a comment for an operation that is
/// not a module (concat, add, split, shift: they live in `forward`).
pub fn module(l: &LayerCost) -> Result<String, String> {
    Ok(match &l.kind {
        LayerKind::Conv(s) => conv2d(s),
        LayerKind::Linear {
            inputs,
            outputs,
            bias,
        } => format!("nn.Linear({inputs}, {outputs}, bias={})", py_bool(*bias)),
        LayerKind::BatchNorm => format!("nn.BatchNorm2d({})", l.output[0]),
        LayerKind::Activation(a) => match *a {
            "ReLU" => "nn.ReLU(inplace=True)".into(),
            "ReLU6" => "nn.ReLU6(inplace=True)".into(),
            "h-swish" => "nn.Hardswish()".into(),
            "sigmoid" => "nn.Sigmoid()".into(),
            "h-sigmoid" => "nn.Hardsigmoid()".into(),
            other => return Err(format!("# {other}: no PyTorch module")),
        },
        LayerKind::Pool {
            kind,
            kernel,
            stride,
        } => match *kind {
            "max" => format!("nn.MaxPool2d({kernel}, stride={stride})"),
            "avg" => format!("nn.AvgPool2d({kernel}, stride={stride})"),
            _ => "nn.AdaptiveAvgPool2d(1)".into(),
        },
        LayerKind::Shuffle { groups } => format!("nn.ChannelShuffle({groups})"),
        LayerKind::Shift { kernel } => {
            return Err(format!(
                "# shift {kernel}x{kernel}: each channel group moves one pixel (no weights; torch.roll + zero fill in forward)"
            ))
        }
        LayerKind::Concat => return Err("# concat: torch.cat(branches, dim=1) in forward".into()),
        LayerKind::Add => return Err("# add: x + shortcut in forward".into()),
        LayerKind::Split => return Err("# split: x.chunk(2, dim=1) in forward".into()),
    })
}

/// `name = nn.Sequential(…)` with one line per layer (its name as a
/// comment); operations that are not modules appear as comments where they
/// happen, with a note that the branches are wired in `forward`.
pub fn sequential(var: &str, layers: &[LayerCost]) -> String {
    let mut body = String::new();
    let mut branches = false;
    for l in layers {
        let name = l.name.replace('\n', " ");
        match module(l) {
            Ok(m) => body.push_str(&format!("    {m},  # {name}\n")),
            Err(comment) => {
                if !matches!(l.kind, LayerKind::Shift { .. }) {
                    branches = true;
                }
                body.push_str(&format!("    {comment}\n"));
            }
        }
    }
    let note = if branches {
        "# The layers in order; the block branches, so the lines marked # are done in forward().\n"
    } else {
        ""
    };
    format!("{note}{var} = nn.Sequential(\n{body})\n")
}

/// The snippet's first lines: the import and what it is.
fn header(what: &str) -> String {
    format!("import torch\nimport torch.nn as nn\n\n# {what}\n")
}

/// The convention a lesson's `bn` flag stands for.
fn convention(bn: bool) -> Convention {
    if bn {
        Convention::TORCHVISION
    } else {
        Convention::LECTURE
    }
}

/// The PyTorch code for lesson `id` in the state of URL query `q` (read the
/// same way the page reads it).
///
/// # Errors
/// A lesson without layers, or the kernel crate's message for an invalid state.
pub fn lesson_snippet(id: &str, q: &Query) -> Result<String, String> {
    use crate::lessons as l;
    let e = |e: convlab_core::Error| e.to_string();
    Ok(match id {
        "why" => {
            let st = l::why::model::WhyState::read(&mut Params::new(q));
            let s = st.spec();
            format!(
                "{}layer = {}\nx = torch.randn(1, {}, {}, {})\nprint(layer(x).shape)  # output {:?}\n",
                header(&format!(
                    "Conv layer: C={}, D={}, K={}, s={}, p={}",
                    s.in_channels, s.out_channels, st.k, st.s, st.p
                )),
                conv2d(&s),
                s.in_channels,
                st.m,
                st.n,
                st.output_shape().map_err(e)?
            )
        }
        "group" => {
            let (st, _, _) = l::group::state::GroupState::parse(q);
            format!(
                "{}layer = {}\nstandard = {}\n",
                header(&format!(
                    "Group conv: C={}, N={}, K={}, M={} groups, and the standard conv it replaces",
                    st.c, st.n, st.k, st.m
                )),
                conv2d(&st.spec()),
                conv2d(&st.standard_spec())
            )
        }
        "depthwise" => {
            let (st, _) = l::depthwise::state::DepthwiseState::parse(q);
            let dw = LayerCost::conv(
                "depthwise",
                st.depthwise_spec(),
                [st.c, 16.max(st.k), 16.max(st.k)],
            )
            .map_err(e)?;
            let pw = LayerCost::conv("pointwise 1x1", st.pointwise_spec(), dw.output).map_err(e)?;
            format!(
                "{}{}standard = {}\n",
                header(&format!(
                    "Depthwise separable: C={}, N={}, K={}, multiplier {}",
                    st.c, st.n, st.k, st.mult
                )),
                sequential("block", &[dw, pw]),
                conv2d(&st.standard_spec())
            )
        }
        "bottleneck" => {
            let (st, _) = l::bottleneck::state::BottleneckState::parse(q);
            let pw = |i, o| Conv2dSpec::pointwise(i, o).with_bias(st.bias);
            let side = 16.max(st.k);
            let a = LayerCost::conv("reduce 1x1", pw(st.n, st.m), [st.n, side, side]).map_err(e)?;
            let b = LayerCost::conv(
                "middle",
                Conv2dSpec::standard(st.m, st.m, st.k).with_bias(st.bias),
                a.output,
            )
            .map_err(e)?;
            let c = LayerCost::conv("expand 1x1", pw(st.m, st.n), b.output).map_err(e)?;
            format!(
                "{}{}standard = {}\n",
                header(&format!(
                    "Bottleneck: N={} -> M={} -> N, K={}",
                    st.n, st.m, st.k
                )),
                sequential("block", &[a, b, c]),
                conv2d(&Conv2dSpec::standard(st.n, st.n, st.k).with_bias(st.bias))
            )
        }
        "dilated" => {
            let (st, _) = l::dilated::state::DilatedState::from_query(q);
            let layers: Vec<String> = st
                .stack
                .iter()
                .map(|ly| {
                    conv2d(&Conv2dSpec {
                        in_channels: 64,
                        out_channels: 64,
                        kernel: (ly.kernel, ly.kernel),
                        stride: (ly.stride, ly.stride),
                        padding: (
                            (ly.kernel - 1) / 2 * ly.dilation,
                            (ly.kernel - 1) / 2 * ly.dilation,
                        ),
                        dilation: (ly.dilation, ly.dilation),
                        groups: 1,
                        bias: true,
                    })
                })
                .map(|m| format!("    {m},\n"))
                .collect();
            format!(
                "{}# (64 channels stand for any width: the receptive field does not depend on it)\nstack = nn.Sequential(\n{})\n",
                header(&format!(
                    "Dilated stack {} (\"same\" padding (K-1)/2*d)",
                    l::dilated::state::format_stack(&st.stack)
                )),
                layers.concat()
            )
        }
        "equivariant" => {
            let (st, _) = l::equivariant::state::EquivState::parse(q);
            let lift = st.lifting().map_err(e)?;
            let n = lift.group().order();
            let k = st.k;
            let flips = if n == 8 {
                "    ws += [torch.flip(v, dims=(3,)) for v in ws]  # the mirrored four\n"
            } else {
                ""
            };
            format!(
                "{}w = nn.Parameter(torch.randn(1, 1, {k}, {k}))  # {} weights, shared by all {n} maps\n\n\
                 def lifted(w):\n    ws = [torch.rot90(w, r, dims=(2, 3)) for r in range(4)]\n{flips}    return torch.cat(ws, dim=0)  # [{n}, 1, {k}, {k}]\n\n\
                 x = torch.randn(1, 1, 28, 28)\ny = nn.functional.conv2d(x, lifted(w), padding={})  # {n} maps\n",
                header(&format!(
                    "Lifting conv over {}: one {k}x{k} filter in its {n} transformed copies",
                    if n == 8 { "p4m" } else { "p4" }
                )),
                k * k,
                k / 2
            )
        }
        "ghost" => {
            let (st, _) = l::ghost::state::GhostState::parse(q);
            let side = 16.max(st.k).max(st.d);
            let rows = st.spec().layers([st.c, side, side]).map_err(e)?;
            format!(
                "{}{}standard = {}\n",
                header(&format!(
                    "Ghost module: c={}, n={}, k={}, s={}, d={}",
                    st.c, st.n, st.k, st.s, st.d
                )),
                sequential("ghost", &rows),
                conv2d(&Conv2dSpec::standard(st.c, st.n, st.k).with_bias(st.bias))
            )
        }
        "shiftnet" => {
            let (st, _) = l::shiftnet::state::ShiftState::from_query(q);
            let spec = convlab_core::blocks::ShiftBlockSpec {
                in_channels: st.channels,
                out_channels: st.channels,
                kernel: st.k,
                ..Default::default()
            };
            let side = st.map_side.max(st.k);
            let rows = spec
                .layers([st.channels, side, side], Convention::LECTURE)
                .map_err(e)?;
            format!(
                "{}{}",
                header(&format!(
                    "Shift block: C={}, shift {}x{}",
                    st.channels, st.k, st.k
                )),
                sequential("block", &rows)
            )
        }
        "squeezenet" => {
            let (st, _) = l::squeezenet::FireState::parse(q);
            let rows = st
                .spec()
                .layers([st.c, 32, 32], convention(st.bn))
                .map_err(e)?;
            format!(
                "{}{}",
                header(&format!("Fire module: C={}, s1x1={}", st.c, st.s)),
                sequential("fire", &rows)
            )
        }
        "mobilenet" => {
            let (st, _) = l::mobilenet::MobileState::parse(q);
            let conv = convention(st.bn);
            let input = [st.c, 32, 32];
            let (what, rows) = match st.version {
                l::mobilenet::Version::V1 => (
                    "MobileNet v1 block",
                    convlab_core::blocks::SeparableSpec::new(st.c, st.n, st.stride)
                        .layers(input, conv)
                        .map_err(e)?,
                ),
                l::mobilenet::Version::V2 => (
                    "MobileNet v2 inverted residual",
                    convlab_core::blocks::InvertedResidualSpec::new(st.c, st.n, st.t, st.stride)
                        .layers(input, conv)
                        .map_err(e)?,
                ),
            };
            format!(
                "{}{}",
                header(&format!(
                    "{what}: C={}, N={}, stride {}",
                    st.c, st.n, st.stride
                )),
                sequential("block", &rows)
            )
        }
        "shufflenet" => {
            let (st, _) = l::shufflenet::ShuffleState::parse(q);
            let rows = st
                .spec()
                .layers([st.c, 28, 28], convention(st.bn))
                .map_err(e)?;
            format!(
                "{}{}",
                header(&format!(
                    "ShuffleNet unit: C={}, bottleneck {}, g={}",
                    st.c, st.b, st.g
                )),
                sequential("unit", &rows)
            )
        }
        "zoo" => {
            let st = l::zoo::model::ZooState::read(&mut Params::new(q));
            let t = st.build(st.twin)?;
            let rows: Vec<LayerCost> = t.layers().cloned().collect();
            format!(
                "{}{}",
                header(&format!(
                    "{}{} ({})",
                    t.name,
                    if st.twin { ", standard twin" } else { "" },
                    st.convention_label()
                )),
                sequential("net", &rows)
            )
        }
        _ => return Err("this page has no layers to write as PyTorch".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conv2d_prints_every_argument() {
        // The lecture's group conv example: 16 → 32 channels, 3×3, 4 groups.
        let g = Conv2dSpec::grouped(16, 32, 3, 4);
        assert_eq!(
            conv2d(&g),
            "nn.Conv2d(16, 32, 3, stride=1, padding=1, dilation=1, groups=4, bias=True)"
        );
        let d = Conv2dSpec {
            kernel: (3, 1),
            padding: (2, 0),
            dilation: (2, 1),
            bias: false,
            ..Conv2dSpec::standard(8, 8, 3)
        };
        assert_eq!(
            conv2d(&d),
            "nn.Conv2d(8, 8, (3, 1), stride=1, padding=(2, 0), dilation=(2, 1), groups=1, bias=False)"
        );
    }

    #[test]
    fn lessons_write_their_settings() {
        let q = |s: &str| Query::parse(s);
        let why = lesson_snippet("why", &q("M=8&N=8&C=3&K=3&D=4&s=2&p=1&bias=0")).unwrap();
        assert!(
            why.contains(
                "layer = nn.Conv2d(3, 4, 3, stride=2, padding=1, dilation=1, groups=1, bias=False)"
            ),
            "{why}"
        );
        assert!(why.contains("torch.randn(1, 3, 8, 8)"));
        let g = lesson_snippet("group", &q("C=16&N=32&K=3&M=4")).unwrap();
        assert!(g.contains("groups=4"), "{g}");
        assert!(g.contains("standard = nn.Conv2d(16, 32, 3,"), "{g}");
        let dw = lesson_snippet("depthwise", &q("C=8&N=16&K=3")).unwrap();
        assert!(
            dw.contains("nn.Conv2d(8, 8, 3,") && dw.contains("groups=8"),
            "{dw}"
        );
        assert!(dw.contains("nn.Conv2d(8, 16, 1,"), "{dw}");
        let dil = lesson_snippet("dilated", &q("")).unwrap();
        assert!(dil.contains("dilation="), "{dil}");
        for id in [
            "bottleneck",
            "equivariant",
            "ghost",
            "shiftnet",
            "squeezenet",
            "mobilenet",
            "shufflenet",
            "zoo",
        ] {
            let s = lesson_snippet(id, &q("")).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(
                s.starts_with("import torch\nimport torch.nn as nn\n"),
                "{id}"
            );
            assert!(s.contains("nn."), "{id}");
        }
        let fire = lesson_snippet("squeezenet", &q("")).unwrap();
        assert!(fire.contains("fire = nn.Sequential("), "{fire}");
        assert!(fire.contains("# concat"), "{fire}");
        assert!(lesson_snippet("nope", &q("")).is_err());
    }

    #[test]
    fn sequential_marks_non_modules() {
        let a = LayerCost::conv("a", Conv2dSpec::pointwise(4, 8), [4, 5, 5]).unwrap();
        let s = sequential("b", std::slice::from_ref(&a));
        assert_eq!(
            s,
            "b = nn.Sequential(\n    nn.Conv2d(4, 8, 1, stride=1, padding=0, dilation=1, groups=1, bias=True),  # a\n)\n"
        );
        let cat = LayerCost::concat("cat", [8, 5, 5], [16, 5, 5]);
        let s = sequential("b", &[a, cat]);
        assert!(s.starts_with("# The layers in order"));
        assert!(s.contains("    # concat"));
    }
}
