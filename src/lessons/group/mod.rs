//! Lesson 3 (curriculum §3): group convolution.
//!
//! A groups slider that only stops at divisors of C and N morphs standard →
//! group → depthwise convolution (weight blocks and the connectivity graph,
//! coloured by group); the real grouped conv runs on the picked input, and
//! editing one input channel proves, by comparing real outputs bit for bit,
//! that the other groups' outputs do not change.
//!
//! Files: `state.rs` (the URL state, declared once), `model.rs` (what the
//! kernel crate computes), `panels.rs` (one component per figure panel),
//! `cost.rs` (the cost panel), `draw.rs`, `animator.rs`, `torch.rs`.
//!
//! URL: `#/group?C=8&N=8&K=3&M=2&bias=1&edit=0&input=digit`.

pub mod animator;
pub mod cost;
pub mod draw;
pub mod model;
pub mod panels;
pub mod state;
pub mod torch;

use leptos::prelude::*;

use self::animator::MorphAnimator;
use self::cost::{slide_ratio_sentence, GroupCostPanel};
use self::draw::{draw_connectivity, Morph};
use self::model::{params_by_groups, run, Edit, GroupModel};
use self::panels::{GroupControls, InvalidGroupsNote, IsolationPanel, MorphPanel};
use self::state::{invalid_groups, valid_groups, GroupSignals, GroupState};
use super::layout::{Controls, Cost, Figure, LessonLayout, SlideSays};
use super::picture::{feature_memo, picture_memo};
use super::{Lesson, Part, ThumbArea, ThumbResult};
use crate::draw::heatmap::Cell;
use crate::draw::Style;
use crate::route::{Note, Query};

/// The registry entry.
pub const LESSON: Lesson = Lesson {
    id: "group",
    section: 3,
    part: Part::Compact,
    title: "Group convolution",
    short: "Group conv",
    blurb: "M groups: each output reads only C/M input channels \u{2014} K\u{b7}K\u{b7}C\u{b7}N/M weights, 1/M of a standard conv.",
    page,
    notes: |q| GroupState::read(q).1,
    thumb,
    torch: Some(torch::snippet),
};

/// The page for a URL query.
pub fn page(q: &Query) -> AnyView {
    let (st, notes) = GroupState::read(q);
    let invalid = invalid_groups(q, &st);
    view! { <GroupConv initial=st notes=notes invalid=invalid query=q.clone() /> }.into_any()
}

/// The home card: the connectivity graph of 8 → 8 channels in 4 groups.
fn thumb(area: &ThumbArea, style: &Style) -> ThumbResult {
    draw_connectivity(area, &Morph::still(8, 8, 4), style, None, None)?;
    Ok(())
}

#[component]
fn GroupConv(
    initial: GroupState,
    notes: Vec<Note>,
    invalid: Option<state::InvalidGroups>,
    query: Query,
) -> impl IntoView {
    let s = GroupSignals::new(&initial);
    let valid = Memo::new(move |_| valid_groups(s.c.get(), s.n.get()));
    // The slider stops only at valid M; after C or N change, M snaps to the
    // largest valid value not above the one asked for (asking again restores it).
    let m = Memo::new(move |_| {
        let want = s.m.get();
        valid.with(|v| v.iter().copied().filter(|&g| g <= want).max().unwrap_or(1))
    });
    let state = Memo::new(move |_| GroupState {
        m: m.get(),
        ..s.get()
    });
    GroupSignals::write_back(state, "group");

    // A pinned input cell is edited (not kept in the link); randomising a channel is.
    let pinned = RwSignal::new(None::<Cell>);
    let edit = Memo::new(move |_| match (pinned.get(), s.edit.get()) {
        (Some(cell), _) => Edit::Cell(cell),
        (None, Some(ch)) => Edit::Randomise(ch),
        (None, None) => Edit::None,
    });
    Effect::new(move |_| {
        if pinned.get().is_some() {
            s.edit.set(None);
        }
    });
    // Drop an edit that no longer fits the channels.
    Effect::new(move |_| {
        let cc = s.c.get();
        if edit.get_untracked().channel().is_some_and(|ch| ch >= cc) {
            s.edit.set(None);
            pinned.set(None);
        }
    });

    // The link's impossible M is explained until the reader changes C, N or M.
    let invalid = RwSignal::new(invalid);
    Effect::new(move |first: Option<()>| {
        let _ = (s.c.get(), s.n.get(), m.get());
        if first.is_some() {
            invalid.set(None);
        }
    });

    // The layer, without what only the figure's input depends on.
    let layer = Memo::new(move |_| GroupState {
        edit: None,
        input: Default::default(),
        ..state.get()
    });
    let model = Memo::new(move |_| GroupModel::new(&layer.get()));
    let picture = picture_memo(s.input);
    let x = feature_memo(picture, move || s.c.get());
    let result = Memo::new(move |_| run(&model.get()?, &x.get()?, edit.get()));
    let cost = Memo::new(move |_| {
        let [_, h, w] = x.get()?.shape();
        model.get()?.cost(h, w)
    });
    let points = Memo::new(move |_| params_by_groups(&layer.get()));
    let edited_channel = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|r| r.isolation.as_ref().map(|i| i.edited))
        })
    });
    let unchanged = Signal::derive(move || {
        result.with(|r| {
            r.as_ref().ok().and_then(|r| {
                r.isolation
                    .as_ref()
                    .map(|i| i.changes.iter().map(|ch| ch.identical).collect::<Vec<_>>())
            })
        })
    });

    // The morph: frames written by the animator, drawn by both figures.
    let frame = RwSignal::new(Morph::still(initial.c, initial.n, initial.m));
    let target = Memo::new(move |_| (s.c.get(), s.n.get(), m.get()));
    MorphAnimator::start(target, frame);

    let idea = "Split the C input channels and the N filters into M groups; each filter reads only \
                the C/M channels of its own group, so the layer has K\u{b7}K\u{b7}C\u{b7}N/M weights \u{2014} \
                1/M of a standard convolution. M = 1 is a standard conv, M = C is depthwise; the price \
                is that groups never exchange information, which you can check below.";

    view! {
        <LessonLayout id="group" idea=idea notes=notes>
            <Figure slot>
                <InvalidGroupsNote invalid=invalid state=state query=query />
                <MorphPanel state=state frame=frame edited_channel=edited_channel unchanged=unchanged />
                <IsolationPanel state=state signals=s result=result pinned=pinned
                    edited_channel=edited_channel unchanged=unchanged />
            </Figure>
            <Controls slot>
                <GroupControls signals=s valid=valid />
            </Controls>
            <Cost slot>
                <GroupCostPanel state=state cost=cost points=points />
            </Cost>
            <SlideSays slot>
                <p data-testid="slide-note">
                    "K\u{d7}K\u{d7}(C/M)\u{d7}(N/M)\u{d7}M = K\u{d7}K\u{d7}C\u{d7}N/M and the ratio 1/M are exact for the weights. "
                    {move || cost.get().ok().map(|c| slide_ratio_sentence(s.bias.get(), &c))}
                    " \u{201c}Different group will not communicate\u{201d} is checked above on the real outputs."
                </p>
            </SlideSays>
        </LessonLayout>
    }
}
