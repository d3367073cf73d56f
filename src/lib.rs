//! ConvLab, the app: a Leptos (client-side) page per lesson, drawing what
//! `convlab-core` computes.
//!
//! Data flows one way: URL → typed lesson state (signals) → kernel crate →
//! draw functions → canvas/SVG.

pub mod app;
pub mod config;
pub mod draw;
pub mod lessons;
pub mod route;
pub mod widgets;
