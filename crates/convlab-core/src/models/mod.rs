//! Layer-by-layer specs of whole models (the zoo), reproducing published totals.
//!
//! Pick a model ([`Zoo`]), its knobs ([`Knobs`], valid ranges from
//! [`Zoo::knobs`]) and a [`Convention`], and [`Zoo::build`] gives a
//! [`ModelTable`]: named stages of [`crate::LayerCost`] rows (type, input and
//! output shape, params, MACs, activation elements), stage totals and model totals.
//! Every row comes from the block specs of [`crate::blocks`], so a block in the
//! zoo is exactly the block of its lesson.
//!
//! **Standard twin** (`twin = true`): every compact block — Fire, depthwise-
//! separable block, inverted residual, ShuffleNet v1/v2 unit, Ghost bottleneck,
//! shift block — becomes one standard 3×3 conv (padding 1) with the block's
//! input channels, output channels and stride, followed by BatchNorm when the
//! convention has it and the block's activation (see [`crate::blocks::standard_twin`]).
//! Stems, pools, the last 1×1 convs and classifiers stay as they are; AlexNet
//! and VGG-16 have no compact blocks, so their twins are themselves.
//!
//! **Conventions.** Under [`Convention::TORCHVISION`] convs followed by BatchNorm
//! have no bias and BatchNorm counts 2 parameters per channel; under
//! [`Convention::LECTURE`] those convs have a bias and there is no BatchNorm.
//! Convs that no BatchNorm follows in the published model (all of SqueezeNet,
//! AlexNet and VGG-16, GhostNet's SE and head convs) and every linear layer
//! always have a bias. Published MAC counts are conv + linear multiply–adds:
//! [`ModelTable::conv_linear_macs`].
//!
//! ```
//! use convlab_core::models::{Knobs, Zoo};
//! use convlab_core::Convention;
//! let knobs = Knobs { width: 0.5, ..Zoo::MobileNetV1.default_knobs() };
//! let m = Zoo::MobileNetV1.build(&knobs, Convention::TORCHVISION, false).unwrap();
//! let twin = Zoo::MobileNetV1.build(&knobs, Convention::TORCHVISION, true).unwrap();
//! assert!(twin.totals().params > 5 * m.totals().params);
//! // MobileNet v2's twin is *smaller*: a 3×3 conv C → D has fewer weights than
//! // expand C → 6C, dw, project 6C → D when D is small.
//! let v2 = Zoo::MobileNetV2.default_knobs();
//! let a = Zoo::MobileNetV2.build(&v2, Convention::TORCHVISION, false).unwrap();
//! let b = Zoo::MobileNetV2.build(&v2, Convention::TORCHVISION, true).unwrap();
//! assert!(b.totals().params < a.totals().params);
//! let bad = Knobs { width: 7.0, ..knobs };
//! assert_eq!(
//!     Zoo::MobileNetV1.build(&bad, Convention::TORCHVISION, false).unwrap_err().to_string(),
//!     "MobileNet v1: width α = 7 is outside 0.25 … 1.4"
//! );
//! ```

mod nets;
mod table;

pub use table::{ModelTable, Stage};

use crate::cost::Convention;
use crate::error::{Error, Result};

/// The models of the zoo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zoo {
    /// SqueezeNet 1.0 (torchvision `squeezenet1_0`).
    SqueezeNet1_0,
    /// SqueezeNet 1.1 (torchvision `squeezenet1_1`).
    SqueezeNet1_1,
    /// MobileNet v1 (the paper's Table 1, width α and resolution ρ).
    MobileNetV1,
    /// MobileNet v2 (torchvision `mobilenet_v2`, width α).
    MobileNetV2,
    /// ShuffleNet v1 (the paper's Table 1, groups g and scale s).
    ShuffleNetV1,
    /// ShuffleNet v2 (torchvision `shufflenet_v2_x*`).
    ShuffleNetV2,
    /// GhostNet (the official implementation, width multiplier).
    GhostNet,
    /// ShiftResNet-20 (CIFAR-10, 32×32): ResNet-20 with every basic block a shift block.
    ShiftResNet20,
    /// AlexNet (torchvision `alexnet`), baseline.
    AlexNet,
    /// VGG-16 (torchvision `vgg16`, no BatchNorm), baseline.
    Vgg16,
}

/// The knobs of a model; each model reads the ones [`Zoo::knobs`] lists and ignores the rest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knobs {
    /// Width multiplier α (MobileNet, GhostNet) or scale s (ShuffleNet).
    pub width: f64,
    /// Input side in pixels (ρ·224 for MobileNet v1).
    pub resolution: usize,
    /// Groups g (ShuffleNet v1).
    pub groups: usize,
    /// Expansion ε (ShiftResNet-20).
    pub expansion: usize,
    /// Output classes of the classifier.
    pub classes: usize,
}

impl Default for Knobs {
    /// α = 1, 224×224, g = 3, ε = 1, 1000 classes.
    fn default() -> Self {
        Knobs {
            width: 1.0,
            resolution: 224,
            groups: 3,
            expansion: 1,
            classes: 1000,
        }
    }
}

/// Which knob, for [`KnobRange`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Knob {
    /// [`Knobs::width`].
    Width,
    /// [`Knobs::resolution`].
    Resolution,
    /// [`Knobs::groups`].
    Groups,
    /// [`Knobs::expansion`].
    Expansion,
    /// [`Knobs::classes`].
    Classes,
}

/// The valid values of one knob of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct KnobRange {
    /// Which field of [`Knobs`].
    pub knob: Knob,
    /// Label for the UI, with the paper's symbol, e.g. `"width α"`.
    pub label: &'static str,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// When not empty, only these values are valid (published configurations).
    pub allowed: &'static [f64],
    /// The published default.
    pub default: f64,
}

impl KnobRange {
    fn value(&self, k: &Knobs) -> f64 {
        match self.knob {
            Knob::Width => k.width,
            Knob::Resolution => k.resolution as f64,
            Knob::Groups => k.groups as f64,
            Knob::Expansion => k.expansion as f64,
            Knob::Classes => k.classes as f64,
        }
    }

    fn check(&self, model: &'static str, k: &Knobs) -> Result<()> {
        let v = self.value(k);
        let ok = if self.allowed.is_empty() {
            v.is_finite() && v >= self.min && v <= self.max
        } else {
            self.allowed.contains(&v)
        };
        if ok {
            return Ok(());
        }
        let valid = if self.allowed.is_empty() {
            format!("outside {} … {}", self.min, self.max)
        } else {
            let list: Vec<String> = self.allowed.iter().map(|a| a.to_string()).collect();
            format!("not one of {}", list.join(", "))
        };
        Err(Error::invalid(
            model,
            format!("{} = {v} is {valid}", self.label),
        ))
    }
}

const RES: KnobRange = KnobRange {
    knob: Knob::Resolution,
    label: "input side (pixels)",
    min: 32.0,
    max: 1024.0,
    allowed: &[],
    default: 224.0,
};

const CLASSES: KnobRange = KnobRange {
    knob: Knob::Classes,
    label: "classes",
    min: 1.0,
    max: 10_000.0,
    allowed: &[],
    default: 1000.0,
};

impl Zoo {
    /// Every model, in menu order.
    pub const ALL: [Zoo; 10] = [
        Zoo::SqueezeNet1_0,
        Zoo::SqueezeNet1_1,
        Zoo::MobileNetV1,
        Zoo::MobileNetV2,
        Zoo::ShuffleNetV1,
        Zoo::ShuffleNetV2,
        Zoo::GhostNet,
        Zoo::ShiftResNet20,
        Zoo::AlexNet,
        Zoo::Vgg16,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Zoo::SqueezeNet1_0 => "SqueezeNet 1.0",
            Zoo::SqueezeNet1_1 => "SqueezeNet 1.1",
            Zoo::MobileNetV1 => "MobileNet v1",
            Zoo::MobileNetV2 => "MobileNet v2",
            Zoo::ShuffleNetV1 => "ShuffleNet v1",
            Zoo::ShuffleNetV2 => "ShuffleNet v2",
            Zoo::GhostNet => "GhostNet",
            Zoo::ShiftResNet20 => "ShiftResNet-20",
            Zoo::AlexNet => "AlexNet",
            Zoo::Vgg16 => "VGG-16",
        }
    }

    /// A short URL-safe id (`"mobilenet_v2"`), the inverse of [`Zoo::from_id`].
    pub fn id(self) -> &'static str {
        match self {
            Zoo::SqueezeNet1_0 => "squeezenet1_0",
            Zoo::SqueezeNet1_1 => "squeezenet1_1",
            Zoo::MobileNetV1 => "mobilenet_v1",
            Zoo::MobileNetV2 => "mobilenet_v2",
            Zoo::ShuffleNetV1 => "shufflenet_v1",
            Zoo::ShuffleNetV2 => "shufflenet_v2",
            Zoo::GhostNet => "ghostnet",
            Zoo::ShiftResNet20 => "shiftresnet20",
            Zoo::AlexNet => "alexnet",
            Zoo::Vgg16 => "vgg16",
        }
    }

    /// The model with id `id`.
    ///
    /// # Errors
    /// `InvalidSpec` naming the valid ids.
    ///
    /// ```
    /// use convlab_core::models::Zoo;
    /// assert_eq!(Zoo::from_id("ghostnet").unwrap(), Zoo::GhostNet);
    /// assert!(Zoo::from_id("resnet50").is_err());
    /// ```
    pub fn from_id(id: &str) -> Result<Zoo> {
        Zoo::ALL.into_iter().find(|z| z.id() == id).ok_or_else(|| {
            let ids: Vec<&str> = Zoo::ALL.iter().map(|z| z.id()).collect();
            Error::invalid(
                "model zoo",
                format!("no model \"{id}\"; known: {}", ids.join(", ")),
            )
        })
    }

    /// Where the layer list comes from, and what its published totals are.
    pub fn source(self) -> &'static str {
        match self {
            Zoo::SqueezeNet1_0 => "torchvision squeezenet1_0: 1,248,424 params (no BatchNorm, every conv with bias)",
            Zoo::SqueezeNet1_1 => "torchvision squeezenet1_1: 1,235,496 params (no BatchNorm, every conv with bias)",
            Zoo::MobileNetV1 => "MobileNet v1 paper, Table 1 (13th dw conv stride 1, as in every implementation): 4.2 M params, 569 M mult-adds at 224; 4,231,976 with BatchNorm",
            Zoo::MobileNetV2 => "torchvision mobilenet_v2: 3,504,872 params, 0.30 G mult-adds at 224",
            Zoo::ShuffleNetV1 => "ShuffleNet v1 paper, Table 1 (bottleneck = out/4, no group conv on the first 1×1 of stage 2, stem 24 channels at every scale; stage widths rounded to a multiple of 4g; classifier with bias)",
            Zoo::ShuffleNetV2 => "torchvision shufflenet_v2_x0_5 / x1_0 / x1_5 / x2_0: 1,366,792 / 2,278,604 / 3,503,624 / 7,393,996 params",
            Zoo::GhostNet => "GhostNet paper, Table 1 and its official implementation: 5.2 M params, 141 M mult-adds at 1.0×",
            Zoo::ShiftResNet20 => "ShiftNet paper's ShiftResNet-20 for CIFAR-10, as its reference implementation builds it: ResNet-20 (16/32/64 channels, 3 blocks a stage) with each basic block one shift block 1×1 (ε·D) → shift 3×3 → 1×1 (stride), 1×1 projection shortcut when the shape changes; 34,906 params at ε = 1",
            Zoo::AlexNet => "torchvision alexnet: 61,100,840 params",
            Zoo::Vgg16 => "torchvision vgg16 (no BatchNorm): 138,357,544 params",
        }
    }

    /// The knobs this model reads, with their valid ranges.
    pub fn knobs(self) -> Vec<KnobRange> {
        let width = |label, min, max, allowed: &'static [f64]| KnobRange {
            knob: Knob::Width,
            label,
            min,
            max,
            allowed,
            default: 1.0,
        };
        match self {
            Zoo::SqueezeNet1_0 | Zoo::SqueezeNet1_1 | Zoo::Vgg16 => vec![RES, CLASSES],
            // 11×11/4, then three 3×3/2 max pools: below 63 pixels nothing is left to pool.
            Zoo::AlexNet => vec![KnobRange { min: 63.0, ..RES }, CLASSES],
            Zoo::MobileNetV1 => vec![width("width α", 0.25, 1.4, &[]), RES, CLASSES],
            Zoo::MobileNetV2 => vec![width("width α", 0.35, 1.4, &[]), RES, CLASSES],
            Zoo::ShuffleNetV1 => vec![
                width("scale s", 0.5, 2.0, &[]),
                KnobRange {
                    knob: Knob::Groups,
                    label: "groups g",
                    min: 1.0,
                    max: 8.0,
                    allowed: &[1.0, 2.0, 3.0, 4.0, 8.0],
                    default: 3.0,
                },
                RES,
                CLASSES,
            ],
            Zoo::ShuffleNetV2 => vec![
                width("scale", 0.5, 2.0, &[0.5, 1.0, 1.5, 2.0]),
                RES,
                CLASSES,
            ],
            Zoo::GhostNet => vec![width("width", 0.5, 1.3, &[]), RES, CLASSES],
            Zoo::ShiftResNet20 => vec![
                KnobRange {
                    knob: Knob::Expansion,
                    label: "expansion ε",
                    min: 1.0,
                    max: 9.0,
                    allowed: &[],
                    default: 1.0,
                },
                KnobRange {
                    default: 32.0,
                    min: 8.0,
                    ..RES
                },
                KnobRange {
                    default: 10.0,
                    ..CLASSES
                },
            ],
        }
    }

    /// The published default knobs.
    pub fn default_knobs(self) -> Knobs {
        let mut k = Knobs::default();
        for r in self.knobs() {
            match r.knob {
                Knob::Width => k.width = r.default,
                Knob::Resolution => k.resolution = r.default as usize,
                Knob::Groups => k.groups = r.default as usize,
                Knob::Expansion => k.expansion = r.default as usize,
                Knob::Classes => k.classes = r.default as usize,
            }
        }
        k
    }

    /// Checks `knobs` against [`Zoo::knobs`].
    ///
    /// # Errors
    /// `InvalidSpec` naming the knob, its value and the valid range.
    pub fn validate(self, knobs: &Knobs) -> Result<()> {
        self.knobs()
            .iter()
            .try_for_each(|r| r.check(self.name(), knobs))
    }

    /// The model's cost table (or its standard twin's).
    ///
    /// # Errors
    /// Invalid knobs (see [`Zoo::validate`]); a resolution too small for the
    /// model's strides and kernels.
    pub fn build(self, knobs: &Knobs, convention: Convention, twin: bool) -> Result<ModelTable> {
        self.validate(knobs)?;
        nets::build(self, knobs, convention, twin)
    }
}
