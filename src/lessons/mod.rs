//! The lessons, one module per lesson, and the registry that drives the
//! header's outline, the home page's cards and the router.
//!
//! # Adding a lesson (a 2-line change here)
//!
//! 1. In `src/lessons/<id>/mod.rs` define the page and a thumbnail, and export
//!    one [`Lesson`]:
//!    ```ignore
//!    pub const LESSON: Lesson = Lesson {
//!        id: "group",                 // the route: #/group?M=4&C=16
//!        section: 3,                  // number in the lecture outline
//!        part: Part::Compact,         // outline part (header grouping)
//!        title: "Group convolution",
//!        short: "Group conv",         // header link text
//!        blurb: "Split channels into M groups: 1/M of the weights.",
//!        page,                        // fn(&Query) -> AnyView
//!        thumb,                       // fn(&ThumbArea, &Style) -> ThumbResult
//!        torch: Some(torch::snippet), // the state as PyTorch code (torch.rs)
//!    };
//!    ```
//! 2. Here: add `pub mod group;` below, and `group::LESSON,` to [`LESSONS`].
//!
//! The page reads its URL state with [`crate::route::Params`], renders a
//! [`layout::LessonLayout`] (title and idea come from this registry), and
//! writes its state back with [`crate::route::write_lesson_state`]; see
//! `why/mod.rs` for the complete pattern.
//!
//! Route ids of the lecture, in order: `why` (1), `bottleneck` (2),
//! `group` (3), `depthwise` (4), `dilated` (5), `equivariant` (6), `ghost` (7),
//! `squeezenet` (8), `mobilenet` (9), `shufflenet` (10), `shiftnet` (11), `zoo` (12).

use crate::widgets::canvas_out::CanvasOut;
use leptos::prelude::AnyView;
use plotters::coord::Shift;
use plotters::prelude::DrawingArea;

use crate::draw::Style;
use crate::route::{Note, Query};

pub mod blockdiagram;
pub mod bottleneck;
pub mod depthwise;
pub mod dilated;
pub mod equivariant;
pub mod ghost;
pub mod group;
pub mod home;
pub mod layout;
pub mod mobilenet;
pub mod picture;
pub mod shiftnet;
pub mod shufflenet;
pub mod squeezenet;
pub mod why;
pub mod zoo;

/// Every lesson in this build (any order: the outline sorts by section).
pub static LESSONS: &[Lesson] = &[
    why::LESSON,
    bottleneck::LESSON,
    group::LESSON,
    depthwise::LESSON,
    dilated::LESSON,
    equivariant::LESSON,
    ghost::LESSON,
    shiftnet::LESSON,
    squeezenet::LESSON,
    mobilenet::LESSON,
    shufflenet::LESSON,
    zoo::LESSON,
];

/// The part of the lecture outline a lesson belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Review of convolution networks.
    Review,
    /// Compact filters: bottleneck, group, depthwise separable, dilated.
    Compact,
    /// Transferred filters: group equivariant, Ghost.
    Transferred,
    /// Classical compact models and the model zoo.
    Models,
}

impl Part {
    /// The parts in lecture order.
    pub const ALL: [Part; 4] = [Part::Review, Part::Compact, Part::Transferred, Part::Models];

    /// Heading in the header and on the home page.
    pub fn label(self) -> &'static str {
        match self {
            Part::Review => "Review",
            Part::Compact => "Compact filters",
            Part::Transferred => "Transferred filters",
            Part::Models => "Compact models",
        }
    }
}

/// A home-card thumbnail's drawing area (backing pixels; HiDPI is handled by the card).
pub type ThumbArea = DrawingArea<CanvasOut, Shift>;

/// What a thumbnail returns: any error is shown as a quiet caption on the card.
/// (`?` works on kernel-crate errors and on the draw module's `Result<(), String>`.)
pub type ThumbResult = Result<(), Box<dyn std::error::Error>>;

/// One lesson: everything the router, header and home page need.
#[derive(Clone, Copy)]
pub struct Lesson {
    /// Route id, lower case: `#/<id>?…`.
    pub id: &'static str,
    /// Section number in the lecture outline (1 = review).
    pub section: u8,
    /// Outline part.
    pub part: Part,
    /// Full title (page heading, card).
    pub title: &'static str,
    /// Short title for the header link.
    pub short: &'static str,
    /// One line for the home card.
    pub blurb: &'static str,
    /// The page, built from the URL query (it must never panic on any query).
    pub page: fn(&Query) -> AnyView,
    /// The notes the page shows for a URL query, from the same reader `page`
    /// starts with (checked against thousands of hostile queries in the tests).
    pub notes: fn(&Query) -> Vec<Note>,
    /// Draws the home card's live thumbnail (computed by the kernel crate) in
    /// the page theme's inks, at the canvas's devicePixelRatio (`style.scale`).
    pub thumb: fn(&ThumbArea, &Style) -> ThumbResult,
    /// The lesson's state as PyTorch code, read from a URL query as the page
    /// reads it (its `torch.rs`; `None` for a page without layers).
    pub torch: Option<crate::widgets::torch::Snippet>,
}

/// All lessons, sorted by section.
pub fn all() -> Vec<&'static Lesson> {
    let mut v: Vec<&'static Lesson> = LESSONS.iter().collect();
    v.sort_by_key(|l| l.section);
    v
}

/// The lesson with route id `id`.
pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_lowercase_and_sections_distinct() {
        let all = all();
        for (i, a) in all.iter().enumerate() {
            assert!(!a.id.is_empty());
            assert!(
                a.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                a.id
            );
            for b in &all[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.section, b.section, "{} and {}", a.id, b.id);
            }
            assert_eq!(find(a.id).map(|l| l.id), Some(a.id));
        }
        assert!(find("nope").is_none());
    }

    fn snippet(id: &str, q: &str) -> String {
        let torch = find(id)
            .and_then(|l| l.torch)
            .expect("a lesson with layers");
        torch(&Query::parse(q)).unwrap_or_else(|e| panic!("{id}: {e}"))
    }

    #[test]
    fn lessons_write_their_settings_as_pytorch() {
        let why = snippet("why", "M=8&N=8&C=3&K=3&D=4&s=2&p=1&bias=0");
        assert!(
            why.contains(
                "layer = nn.Conv2d(3, 4, 3, stride=2, padding=1, dilation=1, groups=1, bias=False)"
            ),
            "{why}"
        );
        assert!(why.contains("torch.randn(1, 3, 8, 8)"));
        let g = snippet("group", "C=16&N=32&K=3&M=4");
        assert!(g.contains("groups=4"), "{g}");
        assert!(g.contains("standard = nn.Conv2d(16, 32, 3,"), "{g}");
        let dw = snippet("depthwise", "C=8&N=16&K=3");
        assert!(
            dw.contains("nn.Conv2d(8, 8, 3,") && dw.contains("groups=8"),
            "{dw}"
        );
        assert!(dw.contains("nn.Conv2d(8, 16, 1,"), "{dw}");
        let dil = snippet("dilated", "");
        assert!(dil.contains("dilation="), "{dil}");
        let fire = snippet("squeezenet", "");
        assert!(fire.contains("fire = nn.Sequential("), "{fire}");
        assert!(fire.contains("# concat"), "{fire}");
        // Every lesson with layers writes importable code from its defaults.
        let mut written = 0;
        for l in all() {
            if l.torch.is_some() {
                let s = snippet(l.id, "");
                assert!(
                    s.starts_with("import torch\nimport torch.nn as nn\n"),
                    "{}",
                    l.id
                );
                assert!(s.contains("nn."), "{}", l.id);
                written += 1;
            }
        }
        assert!(written >= 12, "{written} lessons write PyTorch");
    }
}
