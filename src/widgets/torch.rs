//! PyTorch code for what a lesson shows: `nn.Conv2d(C, N, K, stride=,
//! padding=, dilation=, groups=, bias=)` for one layer, or the block as an
//! `nn.Sequential` built from the kernel crate's layer list (the same list
//! the cost tables count), so the snippet has exactly the page's shapes.

use convlab_core::{Conv2dSpec, LayerCost, LayerKind};

/// A lesson's PyTorch writer: the code for the state of a URL query, or why
/// it cannot be written (each lesson keeps its own in its `torch.rs`).
pub type Snippet = fn(&crate::route::Query) -> Result<String, String>;

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
pub fn header(what: &str) -> String {
    format!("import torch\nimport torch.nn as nn\n\n# {what}\n")
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
