//! A lesson's URL state, declared once.
//!
//! [`lesson_state!`](crate::lesson_state) takes one declaration per field — its
//! name, type, default, URL key, lecture symbol, meaning and [`Range`] — and
//! derives from it everything the page needs:
//!
//! - the state struct and its `Default`;
//! - `read(&Query) -> (State, Vec<Note>)` (and `read_from(&mut Params)` to
//!   compose), every value it could not use noted, then the lesson's own
//!   cross-field rule (`fix`) for values that depend on each other;
//! - `to_query()`, the pairs a link holds, in declaration order;
//! - `FIELDS`, the table of [`Field`]s a control, a tour or a test can read;
//! - a `…Signals` struct with one `RwSignal` per field, `get()` (the whole state,
//!   tracked), `set()` (only the fields that changed) and `write_back(id)` (the
//!   effect that keeps the URL following the signals).
//!
//! ```
//! use convlab::lesson_state;
//! use convlab::route::{Params, Query, Range};
//!
//! lesson_state! {
//!     /// An example lesson's state.
//!     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
//!     pub struct Demo, signals DemoSignals {
//!         /// Kernel size.
//!         k: usize = 3; "K", "K", "kernel size", Range::OneOf(&[1, 3, 5, 7]),
//!         /// Channels.
//!         c: usize = 8; "C", "C", "input channels", Range::Ints(1, 64),
//!         /// Count a bias.
//!         bias: bool = true; "bias", "bias", "one bias per filter", Range::Flag,
//!     }
//! }
//!
//! let (st, notes) = Demo::read(&Query::parse("K=4&C=99&zzz=1"));
//! assert_eq!((st.k, st.c, st.bias), (3, 64, true));
//! assert_eq!(notes.len(), 3); // K snapped, C clamped, zzz unknown
//! assert_eq!(Demo::default().to_query()[0], ("K", "3".to_string()));
//! assert_eq!(Demo::FIELDS[1].meaning, "input channels");
//! ```

use super::params::Params;
use super::query::{quote, Note};

/// What values a field may take: what the reader accepts and what the page's
/// control offers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Range {
    /// A whole number in `min..=max`.
    Ints(i64, i64),
    /// One of these whole numbers.
    OneOf(&'static [i64]),
    /// A real number in `min..=max`.
    Reals(f64, f64),
    /// Yes or no (`1`/`0`, `true`/`false`, …).
    Flag,
    /// One of these names.
    Names(&'static [&'static str]),
    /// A value with its own syntax (a picture, a list of layers, a cell).
    Text,
}

impl Range {
    /// The bounds of a numeric range (the smallest and largest member).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match *self {
            Range::Ints(a, b) => Some((a as f64, b as f64)),
            Range::OneOf(list) => Some((
                list.iter().copied().min()? as f64,
                list.iter().copied().max()? as f64,
            )),
            Range::Reals(a, b) => Some((a, b)),
            _ => None,
        }
    }
}

/// One URL field of a lesson: the single declaration its reader, writer,
/// control and tour read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// The URL key (`K`).
    pub key: &'static str,
    /// The lecture's symbol (`K`), as the control's label shows it.
    pub symbol: &'static str,
    /// What it means ("kernel size").
    pub meaning: &'static str,
    /// The values it may take.
    pub range: Range,
}

impl Field {
    /// The field with URL key `key` in `fields`.
    pub fn find(fields: &'static [Field], key: &str) -> Option<&'static Field> {
        fields.iter().find(|f| f.key == key)
    }

    /// The range's whole-number bounds as `usize` (0 and `usize::MAX` for non-numeric ranges).
    pub fn usize_bounds(&self) -> (usize, usize) {
        match self.range.bounds() {
            Some((a, b)) => (a.max(0.0) as usize, b.max(0.0) as usize),
            None => (0, usize::MAX),
        }
    }
}

/// A type a URL field can hold: how it is read (every repair noted) and written.
pub trait UrlValue: Sized {
    /// Reads `field` from `p`, `default` when the key is absent.
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self;
    /// The value as URL text; `None` leaves the key out of the link.
    fn write(&self) -> Option<String>;
}

/// An enumeration written in the URL by name (`w=edges`).
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in the order the page offers them.
    const ALL: &'static [Self];
    /// The URL name.
    fn name(self) -> &'static str;
}

fn int_read(p: &mut Params<'_>, field: &Field, default: i64) -> i64 {
    match field.range {
        Range::OneOf(list) => p.int_in(field.key, default, list),
        Range::Ints(lo, hi) => p.int(field.key, default, lo, hi),
        _ => p.int(field.key, default, i64::MIN, i64::MAX),
    }
}

impl UrlValue for usize {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let d = default.min(i64::MAX as usize) as i64;
        int_read(p, field, d).max(0) as usize
    }
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl UrlValue for i64 {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        int_read(p, field, default)
    }
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl UrlValue for f64 {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let (lo, hi) = field.range.bounds().unwrap_or((f64::MIN, f64::MAX));
        p.float(field.key, default, lo, hi)
    }
    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl UrlValue for bool {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        p.flag(field.key, default)
    }
    fn write(&self) -> Option<String> {
        Some(u8::from(*self).to_string())
    }
}

/// Present only when the link has the key (`edit=3`); absent means `None`.
impl UrlValue for Option<usize> {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        if p.has(field.key) {
            Some(usize::read(p, field, default.unwrap_or_default()))
        } else {
            default
        }
    }
    fn write(&self) -> Option<String> {
        self.map(|v| v.to_string())
    }
}

impl<T: Named> UrlValue for T {
    fn read(p: &mut Params<'_>, field: &Field, default: Self) -> Self {
        let names: Vec<&'static str> = T::ALL.iter().map(|v| v.name()).collect();
        let name = p.choice(field.key, default.name(), &names);
        T::ALL
            .iter()
            .copied()
            .find(|v| v.name() == name)
            .unwrap_or(default)
    }
    fn write(&self) -> Option<String> {
        Some(self.name().to_string())
    }
}

/// Keeps only the notes about `keys` (for a reader composed of several).
pub fn notes_about(notes: Vec<Note>, keys: &[&str]) -> Vec<Note> {
    notes
        .into_iter()
        .filter(|n| keys.contains(&n.key.as_str()))
        .collect()
}

/// Caps `value`, already read from `key` (its repairs noted), at `max`, a bound
/// that depends on another field (`bound` says which, e.g. `"N = 8"`), for a
/// lesson's `fix`. A link without `key` follows the bound silently (its default
/// did not fit); a number the link gave is noted as the reader notes a clamp,
/// and a value the reader had already repaired as a second repair.
///
/// ```
/// use convlab::route::{cap_at, Params, Query};
/// let q = Query::parse("M=40&K=999");
/// let mut p = Params::new(&q);
/// let m = p.usize("M", 4, 1, 128);
/// let k = p.usize("K", 4, 1, 128);
/// assert_eq!(cap_at(&mut p, "M", m, 8, "N = 8"), 8);
/// assert_eq!(cap_at(&mut p, "K", k, 8, "N = 8"), 8);
/// assert_eq!(cap_at(&mut p, "s", 4, 2, "N = 2"), 2); // absent: silent
/// let notes: Vec<String> = p.finish().into_iter().map(|n| n.message).collect();
/// assert_eq!(notes, [
///     "K=999 is above the maximum 128; using 128.",
///     "M=40 is above the maximum 8; using 8.",
///     "K=128 is more than N = 8; using 8.",
/// ]);
/// ```
pub fn cap_at(p: &mut Params<'_>, key: &str, value: usize, max: usize, bound: &str) -> usize {
    if value <= max {
        return value;
    }
    let Some(raw) = p.query().get(key) else {
        return max;
    };
    let as_given = raw.trim().parse::<i128>().is_ok_and(|v| v == value as i128);
    let message = if as_given {
        format!(
            "{key}={} is above the maximum {max}; using {max}.",
            quote(raw)
        )
    } else {
        format!("{key}={value} is more than {bound}; using {max}.")
    };
    p.push_note(key, message);
    max
}

/// Declares a lesson's URL state once; see the [module docs](crate::route::state).
///
/// ```ignore
/// lesson_state! {
///     /// Docs of the struct.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq)]
///     pub struct GroupState, signals GroupSignals {
///         /// `C` — input channels.
///         c: usize = 8; "C", "C", "input channels", Range::Ints(1, 64),
///         …
///     }
///     fix = GroupState::fix;   // optional: fn(&mut GroupState, &mut Params)
/// }
/// ```
#[macro_export]
macro_rules! lesson_state {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident, signals $signals:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty = $default:expr ;
                    $key:literal, $symbol:literal, $meaning:literal, $range:expr
            ),* $(,)?
        }
        $(fix = $fix:path;)?
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl ::core::default::Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )* }
            }
        }

        impl $name {
            /// The URL fields, in link order.
            pub const FIELDS: &'static [$crate::route::Field] = &[
                $( $crate::route::Field { key: $key, symbol: $symbol, meaning: $meaning, range: $range }, )*
            ];

            /// The URL keys this state reads.
            pub const KEYS: &'static [&'static str] = &[ $( $key, )* ];

            /// The field with URL key `key`.
            pub fn field(key: &str) -> ::core::option::Option<&'static $crate::route::Field> {
                $crate::route::Field::find(Self::FIELDS, key)
            }

            /// Reads every field from `p` (each repair noted), then applies the
            /// lesson's rules between fields.
            #[allow(unused_mut)]
            pub fn read_from(p: &mut $crate::route::Params<'_>) -> Self {
                let d = <Self as ::core::default::Default>::default();
                let mut st = $name {
                    $( $field: {
                        const F: $crate::route::Field = $crate::route::Field {
                            key: $key, symbol: $symbol, meaning: $meaning, range: $range,
                        };
                        <$ty as $crate::route::UrlValue>::read(p, &F, d.$field)
                    }, )*
                };
                $( $fix(&mut st, p); )?
                st
            }

            /// Reads the state of a link, with the notes about it (unknown keys included).
            pub fn read(q: &$crate::route::Query) -> (Self, ::std::vec::Vec<$crate::route::Note>) {
                let mut p = $crate::route::Params::new(q);
                let st = Self::read_from(&mut p);
                (st, p.finish())
            }

            /// The pairs a link to this state holds, in declaration order.
            #[allow(clippy::wrong_self_convention)]
            pub fn to_query(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                let mut out = ::std::vec::Vec::with_capacity(Self::FIELDS.len());
                $(
                    if let ::core::option::Option::Some(v) = $crate::route::UrlValue::write(&self.$field) {
                        out.push(($key, v));
                    }
                )*
                out
            }
        }

        /// One signal per URL field of
        #[doc = concat!("[`", stringify!($name), "`]")]
        /// (widgets bind to them; the whole state is read back with `get`).
        #[derive(Clone, Copy)]
        $vis struct $signals {
            $( #[doc = concat!("`", $key, "`: ", $meaning, ".")] pub $field: ::leptos::prelude::RwSignal<$ty>, )*
        }

        impl $signals {
            /// Signals holding `st`.
            #[allow(clippy::clone_on_copy)]
            pub fn new(st: &$name) -> Self {
                $signals { $( $field: ::leptos::prelude::RwSignal::new(st.$field.clone()), )* }
            }

            /// The whole state (tracked: a memo or effect reading it follows every field).
            pub fn get(&self) -> $name {
                use ::leptos::prelude::Get;
                $name { $( $field: self.$field.get(), )* }
            }

            /// The whole state, untracked.
            pub fn get_untracked(&self) -> $name {
                use ::leptos::prelude::GetUntracked;
                $name { $( $field: self.$field.get_untracked(), )* }
            }

            /// Sets the fields of `st` that differ (the others notify nobody).
            #[allow(clippy::clone_on_copy)]
            pub fn set(&self, st: &$name) {
                use ::leptos::prelude::{GetUntracked, Set};
                $(
                    if self.$field.get_untracked() != st.$field {
                        self.$field.set(st.$field.clone());
                    }
                )*
            }

            /// A memo of the whole state.
            pub fn memo(&self) -> ::leptos::prelude::Memo<$name> {
                let me = *self;
                ::leptos::prelude::Memo::new(move |_| me.get())
            }

            /// Keeps lesson `id`'s link following `state` (debounced replaceState).
            pub fn write_back(state: ::leptos::prelude::Memo<$name>, id: &'static str) {
                use ::leptos::prelude::With;
                ::leptos::prelude::Effect::new(move |_| {
                    state.with(|st| $crate::route::write_lesson_state(id, &st.to_query()));
                });
            }
        }
    };
}
