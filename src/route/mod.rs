//! Typed URL state: every lesson's parameters live in the location hash,
//! `#/<lesson>?<key>=<value>&…`, so any view can be shared as a link and
//! restored exactly, from any sub-path of any static host and inside an iframe.
//!
//! Parsing never panics and never silently changes a value: every value that
//! is clamped, rounded, replaced or ignored produces a [`Note`] the page shows
//! ("K=0 is below the minimum 1; using 1").
//!
//! - [`query`]: [`Query`] and [`Route`], decoding and percent-encoding;
//! - [`params`]: [`Params`], the reader of typed values with its notes;
//! - [`state`]: [`lesson_state!`](crate::lesson_state), a lesson's state
//!   declared once (reader, writer, signals and write-back derived from it);
//! - [`browser`]: the location, and the debounced write-back.
//!
//! ```
//! use convlab::route::{Params, Query};
//! let q = Query::parse("M=7&K=0&K=5&s=two&zzz=1");
//! let mut p = Params::new(&q);
//! let m = p.usize("M", 8, 1, 32);
//! let k = p.usize("K", 3, 1, 7);
//! let s = p.usize("s", 1, 1, 4);
//! let notes = p.finish();
//! assert_eq!((m, k, s), (7, 1, 1));
//! assert_eq!(notes.len(), 4); // K repeated, K=0 clamped, s not a number, zzz unknown
//! ```

pub mod browser;
pub mod params;
pub mod query;
pub mod state;

pub use browser::*;
pub use params::{neighbour_divisors, Params};
pub use query::*;
pub use state::{cap_at, notes_about, Field, Named, Range, UrlValue};

#[cfg(test)]
mod tests;
