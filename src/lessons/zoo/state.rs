//! The zoo page's URL state, declared once: the network, its knobs (only
//! those [`Zoo::knobs`] lists for it are read and written), the counting
//! convention, the unit, the table's sort and whether the standard twin is
//! shown.
//!
//! ```text
//!  #/zoo?model=mobilenet_v2&width=1&res=224&classes=1000&conv=torchvision&units=macs&sort=order&dir=asc&twin=0
//!  model    squeezenet1_0 … vgg16
//!  width g eps res classes   the network's own knobs (another network's are unknown keys)
//! ```

use convlab_core::models::{Knob, KnobRange, Knobs, ModelTable, Zoo};
use convlab_core::Convention;

use crate::route::{Field, Named, Params, Range, UrlValue};

/// Columns the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Network order.
    Order,
    /// Layer name.
    Name,
    /// Layer type.
    Type,
    /// Parameters.
    Params,
    /// MACs (or FLOPs).
    Macs,
    /// Output elements.
    Act,
}

impl SortKey {
    /// URL value.
    pub fn id(self) -> &'static str {
        match self {
            SortKey::Order => "order",
            SortKey::Name => "name",
            SortKey::Type => "type",
            SortKey::Params => "params",
            SortKey::Macs => "macs",
            SortKey::Act => "act",
        }
    }
}

/// Every key, in column order (`sort=params`).
impl Named for SortKey {
    const ALL: &'static [Self] = &[
        SortKey::Order,
        SortKey::Name,
        SortKey::Type,
        SortKey::Params,
        SortKey::Macs,
        SortKey::Act,
    ];
    fn name(self) -> &'static str {
        self.id()
    }
}

/// The networks by their URL id (`model=mobilenet_v2`), in menu order.
impl Named for Zoo {
    const ALL: &'static [Self] = &Zoo::ALL;
    fn name(self) -> &'static str {
        self.id()
    }
}

/// The URL ids of [`Zoo::ALL`], for the field's declaration.
pub const MODEL_IDS: [&str; 10] = [
    "squeezenet1_0",
    "squeezenet1_1",
    "mobilenet_v1",
    "mobilenet_v2",
    "shufflenet_v1",
    "shufflenet_v2",
    "ghostnet",
    "shiftresnet20",
    "alexnet",
    "vgg16",
];

/// How parameters are counted (`conv=torchvision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// No bias before BN, BN counted.
    Torchvision,
    /// The lecture's: every conv with a bias, no BN.
    Lecture,
}

impl Named for Counting {
    const ALL: &'static [Self] = &[Counting::Torchvision, Counting::Lecture];
    fn name(self) -> &'static str {
        match self {
            Counting::Torchvision => "torchvision",
            Counting::Lecture => "lecture",
        }
    }
}

/// What the operation columns count (`units=macs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    /// Multiply–adds.
    Macs,
    /// FLOPs = 2·MACs.
    Flops,
}

impl Named for Units {
    const ALL: &'static [Self] = &[Units::Macs, Units::Flops];
    fn name(self) -> &'static str {
        match self {
            Units::Macs => "macs",
            Units::Flops => "flops",
        }
    }
}

/// The order of the sorted column (`dir=desc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Biggest first.
    Desc,
}

impl Named for Direction {
    const ALL: &'static [Self] = &[Direction::Asc, Direction::Desc];
    fn name(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }
}

/// URL key of a knob.
pub fn knob_key(k: Knob) -> &'static str {
    match k {
        Knob::Width => "width",
        Knob::Resolution => "res",
        Knob::Groups => "g",
        Knob::Expansion => "eps",
        Knob::Classes => "classes",
    }
}

/// The knob's value in `knobs`.
pub fn knob_value(knobs: &Knobs, k: Knob) -> f64 {
    match k {
        Knob::Width => knobs.width,
        Knob::Resolution => knobs.resolution as f64,
        Knob::Groups => knobs.groups as f64,
        Knob::Expansion => knobs.expansion as f64,
        Knob::Classes => knobs.classes as f64,
    }
}

/// `knobs` with knob `k` set to `v` (integers rounded).
pub fn with_knob(mut knobs: Knobs, k: Knob, v: f64) -> Knobs {
    let u = v.round().max(0.0) as usize;
    match k {
        Knob::Width => knobs.width = v,
        Knob::Resolution => knobs.resolution = u,
        Knob::Groups => knobs.groups = u,
        Knob::Expansion => knobs.expansion = u,
        Knob::Classes => knobs.classes = u,
    }
    knobs
}

/// Step of a knob's slider.
pub fn knob_step(r: &KnobRange) -> f64 {
    match r.knob {
        Knob::Width => 0.05,
        Knob::Resolution => 8.0,
        _ => 1.0,
    }
}

/// A knob value as the link writes it: at most three decimals, no trailing zeros.
pub fn show(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One knob's setting in the link: `None` when the network has no such knob
/// (its key is then neither read nor written). Which knobs a network has is
/// the network's, so [`ZooState`]'s rule between fields reads them.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct KnobValue(pub Option<f64>);

impl KnobValue {
    /// Knob `k`'s published default on `model`, `None` when it has no such knob.
    pub fn default_of(model: Zoo, k: Knob) -> KnobValue {
        KnobValue(
            model
                .knobs()
                .iter()
                .find(|r| r.knob == k)
                .map(|r| knob_value(&with_knob(model.default_knobs(), k, r.default), k)),
        )
    }

    /// `v` as knob `k` holds it (integer knobs rounded).
    pub fn of(k: Knob, v: f64) -> KnobValue {
        KnobValue(Some(knob_value(&with_knob(Knobs::default(), k, v), k)))
    }
}

/// Read by [`ZooState`]'s rule between fields, which knows the network's
/// knobs: reading the field alone takes nothing from the link.
impl UrlValue for KnobValue {
    fn read(_: &mut Params<'_>, _: &Field, default: Self) -> Self {
        default
    }
    fn write(&self) -> Option<String> {
        self.0.map(show)
    }
}

crate::lesson_state! {
    /// Everything the page shows, as the URL stores it. A knob's declared
    /// range holds every network's range of it (a test checks); the network
    /// reads its own.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct ZooState, signals ZooSignals {
        /// The network.
        model: Zoo = Zoo::MobileNetV2; "model", "model", "the network", Range::Names(&MODEL_IDS),
        /// Width multiplier α or scale s.
        width: KnobValue = KnobValue::default_of(Zoo::MobileNetV2, Knob::Width);
            "width", "\u{3b1}", "width multiplier", Range::Reals(0.25, 2.0),
        /// Groups g (ShuffleNet v1).
        groups: KnobValue = KnobValue::default_of(Zoo::MobileNetV2, Knob::Groups);
            "g", "g", "groups", Range::Reals(1.0, 8.0),
        /// Expansion ε (ShiftResNet-20).
        expansion: KnobValue = KnobValue::default_of(Zoo::MobileNetV2, Knob::Expansion);
            "eps", "\u{3b5}", "expansion", Range::Reals(1.0, 9.0),
        /// Input side in pixels.
        resolution: KnobValue = KnobValue::default_of(Zoo::MobileNetV2, Knob::Resolution);
            "res", "res", "input side (pixels)", Range::Reals(8.0, 1024.0),
        /// Output classes.
        classes: KnobValue = KnobValue::default_of(Zoo::MobileNetV2, Knob::Classes);
            "classes", "classes", "classes", Range::Reals(1.0, 10_000.0),
        /// torchvision's counting (no bias before BN, BN counted) or the lecture's (bias, no BN).
        conv: Counting = Counting::Torchvision; "conv", "conv", "counting convention", Range::Names(&["torchvision", "lecture"]),
        /// MACs, or FLOPs (= 2·MACs).
        units: Units = Units::Macs; "units", "units", "what the operations count", Range::Names(&["macs", "flops"]),
        /// Sort column.
        sort: SortKey = SortKey::Order; "sort", "sort", "sort column", Range::Names(&["order", "name", "type", "params", "macs", "act"]),
        /// Sort order.
        dir: Direction = Direction::Asc; "dir", "dir", "sort order", Range::Names(&["asc", "desc"]),
        /// The table shows the standard twin.
        twin: bool = false; "twin", "twin", "show the standard twin", Range::Flag,
    }
    fix = ZooState::fix;
}

impl ZooState {
    /// The rule between fields: the network's own knobs are read (each in
    /// its range, a knob with published values snapped to the nearest, with
    /// a note); the others are not, so the link's values for them are noted
    /// as unknown keys.
    fn fix(&mut self, p: &mut Params<'_>) {
        let model = self.model;
        let mut st = self.with_model(model);
        for r in model.knobs() {
            let key = knob_key(r.knob);
            let v = p.float(key, r.default, r.min, r.max);
            let v = if r.allowed.is_empty() || r.allowed.contains(&v) {
                v
            } else {
                let best = r
                    .allowed
                    .iter()
                    .copied()
                    .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
                    .unwrap_or(r.default);
                let list: Vec<String> = r.allowed.iter().map(|a| show(*a)).collect();
                p.push_note(
                    key,
                    format!(
                        "{key}={} is not one of {}; using {}.",
                        show(v),
                        list.join(", "),
                        show(best)
                    ),
                );
                best
            };
            st.set_knob(r.knob, KnobValue::of(r.knob, v));
        }
        *self = st;
    }

    /// This state with `model` and its published knobs.
    pub fn with_model(self, model: Zoo) -> ZooState {
        let d = |k| KnobValue::default_of(model, k);
        ZooState {
            model,
            width: d(Knob::Width),
            groups: d(Knob::Groups),
            expansion: d(Knob::Expansion),
            resolution: d(Knob::Resolution),
            classes: d(Knob::Classes),
            ..self
        }
    }

    /// The setting of knob `k`.
    pub fn knob(&self, k: Knob) -> KnobValue {
        match k {
            Knob::Width => self.width,
            Knob::Resolution => self.resolution,
            Knob::Groups => self.groups,
            Knob::Expansion => self.expansion,
            Knob::Classes => self.classes,
        }
    }

    /// Sets knob `k`.
    pub fn set_knob(&mut self, k: Knob, v: KnobValue) {
        match k {
            Knob::Width => self.width = v,
            Knob::Resolution => self.resolution = v,
            Knob::Groups => self.groups = v,
            Knob::Expansion => self.expansion = v,
            Knob::Classes => self.classes = v,
        }
    }

    /// The network's knobs, as the kernel crate builds it (published values
    /// for any it has no setting of).
    pub fn knobs(&self) -> Knobs {
        self.model
            .knobs()
            .iter()
            .fold(self.model.default_knobs(), |k, r| {
                match self.knob(r.knob).0 {
                    Some(v) => with_knob(k, r.knob, v),
                    None => k,
                }
            })
    }

    /// torchvision's counting convention (else the lecture's).
    pub fn torchvision(&self) -> bool {
        self.conv == Counting::Torchvision
    }

    /// Operations shown as FLOPs (= 2·MACs) instead of MACs.
    pub fn flops(&self) -> bool {
        self.units == Units::Flops
    }

    /// The sorted column biggest first.
    pub fn desc(&self) -> bool {
        self.dir == Direction::Desc
    }

    /// The counting convention.
    pub fn convention(&self) -> Convention {
        if self.torchvision() {
            Convention::TORCHVISION
        } else {
            Convention::LECTURE
        }
    }

    /// Builds the model (`twin = false`) or its standard twin.
    ///
    /// # Errors
    /// The kernel crate's message (invalid knobs, resolution too small).
    pub fn build(&self, twin: bool) -> Result<ModelTable, String> {
        self.model
            .build(&self.knobs(), self.convention(), twin)
            .map_err(|e| e.to_string())
    }

    /// Name of the operation column: "MACs" or "FLOPs".
    pub fn unit(&self) -> &'static str {
        if self.flops() {
            "FLOPs"
        } else {
            "MACs"
        }
    }

    /// MACs shown in the current unit.
    pub fn ops(&self, macs: u64) -> u64 {
        if self.flops() {
            macs.saturating_mul(2)
        } else {
            macs
        }
    }

    /// The convention in words, said next to every number.
    pub fn convention_label(&self) -> String {
        let c = if self.torchvision() {
            "torchvision: convs before BatchNorm have no bias, BatchNorm counts 2 per channel"
        } else {
            "lecture: every conv has a bias, no BatchNorm"
        };
        let u = if self.flops() {
            "FLOPs = 2\u{b7}MACs"
        } else {
            "MACs = multiply\u{2013}adds"
        };
        format!("{c}; {u}")
    }
}

impl ZooSignals {
    /// The signal of knob `k`.
    pub fn knob(&self, k: Knob) -> leptos::prelude::RwSignal<KnobValue> {
        match k {
            Knob::Width => self.width,
            Knob::Resolution => self.resolution,
            Knob::Groups => self.groups,
            Knob::Expansion => self.expansion,
            Knob::Classes => self.classes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Query;

    fn state(q: &str) -> (ZooState, Vec<String>) {
        let (s, notes) = ZooState::read(&Query::parse(q));
        (s, notes.into_iter().map(|n| n.message).collect())
    }

    #[test]
    fn url_round_trip_and_notes() {
        let (s, notes) = state(
            "model=shufflenet_v1&g=8&width=0.5&conv=lecture&units=flops&sort=macs&dir=desc&twin=1",
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.knobs().groups, 8);
        assert!(!s.torchvision() && s.flops() && s.desc() && s.twin);
        assert_eq!(s.sort, SortKey::Macs);
        let q: String = s
            .to_query()
            .iter()
            .map(|(k, v)| format!("{k}={v}&"))
            .collect();
        assert_eq!(state(&q).0, s);

        let (s, notes) = state("model=resnet50&width=9");
        assert_eq!(s.model, Zoo::MobileNetV2);
        assert_eq!(s.knobs().width, 1.4);
        assert_eq!(notes.len(), 2, "{notes:?}");
        let (s, notes) = state("model=shufflenet_v1&g=5");
        assert_eq!(s.knobs().groups, 4);
        assert_eq!(notes, ["g=5 is not one of 1, 2, 3, 4, 8; using 4."]);
        assert!(s.build(false).is_ok());
        // A knob of another model is not read: noted as unknown.
        let (_, notes) = state("model=squeezenet1_0&g=3");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn the_link_holds_the_networks_own_knobs_in_the_old_order() {
        for z in Zoo::ALL {
            let st = ZooState::default().with_model(z);
            let keys: Vec<&str> = st.to_query().iter().map(|(k, _)| *k).collect();
            let knobs: Vec<&str> = z.knobs().iter().map(|r| knob_key(r.knob)).collect();
            let mut want = vec!["model"];
            want.extend(knobs);
            want.extend(["conv", "units", "sort", "dir", "twin"]);
            assert_eq!(keys, want, "{}", z.name());
            assert_eq!(st.knobs(), z.default_knobs(), "{}", z.name());
            assert_eq!(
                ZooState::read(&Query::from_pairs(st.to_query())),
                (st, vec![])
            );
        }
        assert_eq!(
            ZooState::default().knobs(),
            Zoo::MobileNetV2.default_knobs()
        );
    }

    #[test]
    fn the_declared_ranges_hold_every_networks_knobs() {
        let ids: Vec<&str> = Zoo::ALL.iter().map(|z| z.id()).collect();
        assert_eq!(ids, MODEL_IDS);
        for z in Zoo::ALL {
            for r in z.knobs() {
                let f = ZooState::field(knob_key(r.knob)).unwrap();
                let (lo, hi) = f.range.bounds().unwrap();
                assert!(lo <= r.min && r.max <= hi, "{} {:?}", z.name(), r.knob);
            }
        }
        // An integer knob is written as the network uses it.
        let (s, notes) = state("model=mobilenet_v2&res=100.6");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.resolution, KnobValue(Some(101.0)));
        assert_eq!(show(0.35), "0.35");
        assert_eq!(show(224.0), "224");
    }
}
