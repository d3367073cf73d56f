//! [`Slider`] and [`Stepper`]: one lesson parameter, labelled with the
//! lecture's symbol and meaning ("K — kernel size"), value always shown.

use leptos::prelude::*;

use crate::config::sizes;

/// A number a slider can hold.
pub trait SliderValue: Copy + PartialEq + Default + Send + Sync + 'static {
    /// As `f64` (for the range input).
    fn to_f64(self) -> f64;
    /// From the range input's `f64` (rounded for integers, clamped at zero for unsigned).
    fn from_f64(v: f64) -> Self;
    /// How the value is shown.
    fn show(self) -> String;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl SliderValue for $t {
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn from_f64(v: f64) -> Self {
                if v.is_finite() {
                    v.round().clamp(<$t>::MIN as f64, <$t>::MAX as f64) as $t
                } else {
                    <$t>::default()
                }
            }
            fn show(self) -> String {
                self.to_string()
            }
        }
    )*};
}
int_value!(usize, u32, u64, i32, i64);

impl SliderValue for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(v: f64) -> Self {
        if v.is_finite() {
            v
        } else {
            0.0
        }
    }
    fn show(self) -> String {
        let s = format!("{self:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Index of the allowed value nearest to `v` (0 for an empty list).
pub fn nearest_index<T: SliderValue>(allowed: &[T], v: T) -> usize {
    let x = v.to_f64();
    allowed
        .iter()
        .enumerate()
        .min_by(|a, b| {
            let da = (a.1.to_f64() - x).abs();
            let db = (b.1.to_f64() - x).abs();
            da.total_cmp(&db)
        })
        .map_or(0, |(i, _)| i)
}

/// The value one step from `v` (`dir` = ±1): the neighbouring allowed
/// value when a list is given, else `v ± step` clamped to `[min, max]`.
pub fn step_value<T: SliderValue>(
    v: T,
    dir: i32,
    min: T,
    max: T,
    step: T,
    allowed: Option<&[T]>,
) -> T {
    match allowed {
        Some(list) if !list.is_empty() => {
            let i = nearest_index(list, v) as i64 + dir.signum() as i64;
            list[i.clamp(0, list.len() as i64 - 1) as usize]
        }
        _ => {
            let s = step.to_f64().abs();
            let s = if s > 0.0 { s } else { 1.0 };
            let (lo, hi) = (min.to_f64(), max.to_f64().max(min.to_f64()));
            let raw = v.to_f64() + dir.signum() as f64 * s;
            // Snap to the step grid from min.
            let snapped = lo + ((raw - lo) / s).round() * s;
            T::from_f64(snapped.clamp(lo, hi))
        }
    }
}

/// The label text "K — kernel size" (just the symbol when there is no meaning).
pub fn label_text(symbol: &str, meaning: &str) -> String {
    if meaning.is_empty() {
        symbol.to_string()
    } else {
        format!("{symbol} \u{2014} {meaning}")
    }
}

/// A labelled range slider bound to `value`.
///
/// With `allowed` the slider moves through that list (e.g. only the
/// divisors of C); a value not in the list shows as its nearest entry.
#[component]
pub fn Slider<T: SliderValue>(
    /// The parameter.
    value: RwSignal<T>,
    /// The lecture's symbol ("K").
    #[prop(into)]
    symbol: String,
    /// What it means ("kernel size").
    #[prop(optional, into)]
    meaning: String,
    /// Smallest value.
    #[prop(optional, into)]
    min: Signal<T>,
    /// Largest value.
    #[prop(into)]
    max: Signal<T>,
    /// Step (default 1).
    #[prop(optional, into)]
    step: Option<Signal<T>>,
    /// The only values allowed, ascending (overrides min/max/step).
    #[prop(optional, into)]
    allowed: Option<Signal<Vec<T>>>,
    /// Unit shown after the value ("px").
    #[prop(optional, into)]
    unit: String,
    /// `data-testid` of the input.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let text = label_text(&symbol, &meaning);
    let list = move || allowed.map(|a| a.get()).filter(|l| !l.is_empty());
    let range_min = move || {
        if list().is_some() {
            0.0
        } else {
            min.get().to_f64()
        }
    };
    let range_max = move || match list() {
        Some(l) => (l.len() - 1) as f64,
        None => max.get().to_f64(),
    };
    let range_step = move || match list() {
        Some(_) => "1".to_string(),
        None => step.map(|s| s.get().to_f64()).unwrap_or(1.0).to_string(),
    };
    let position = move || match list() {
        Some(l) => nearest_index(&l, value.get()) as f64,
        None => value.get().to_f64(),
    };
    let shown = move || match list() {
        Some(l) => l[nearest_index(&l, value.get())].show(),
        None => value.get().show(),
    };
    let on_input = move |ev: web_sys::Event| {
        let raw = event_target_value(&ev).parse::<f64>().unwrap_or(0.0);
        let v = match list() {
            Some(l) => l[(raw.round().max(0.0) as usize).min(l.len() - 1)],
            None => T::from_f64(raw),
        };
        if value.get_untracked() != v {
            value.set(v);
        }
    };
    let sym = symbol.clone();
    let unit2 = unit.clone();
    let valuetext = move || format!("{sym} = {}{}", shown(), unit2);
    // `hide=K` in the URL hides this control (see `hide.rs`).
    let hidden = super::hide::use_hidden(&symbol, test_id);
    view! {
        <label class="cl-slider" style="display:flex;flex-wrap:wrap;align-items:center;gap:0.25em 0.75em"
            style:display=move || if hidden.get() { "none" } else { "flex" }>
            <span class="cl-slider-label" style="flex:1 1 12em">{text}</span>
            <output class="cl-slider-value" style="min-width:4ch;text-align:right;font-variant-numeric:tabular-nums;font-weight:600">
                {shown}{unit.clone()}
            </output>
            <input
                type="range"
                data-testid=test_id
                style=format!("flex:1 1 100%;min-height:{}px;margin:0", sizes::TOUCH_TARGET)
                prop:min=range_min
                prop:max=range_max
                prop:step=range_step
                prop:value=position
                aria-valuetext=valuetext
                on:input=on_input
            />
        </label>
    }
}

/// −/+ buttons around the value, for parameters with few values; the same
/// props as [`Slider`].
#[component]
pub fn Stepper<T: SliderValue>(
    /// The parameter.
    value: RwSignal<T>,
    /// The lecture's symbol.
    #[prop(into)]
    symbol: String,
    /// What it means.
    #[prop(optional, into)]
    meaning: String,
    /// Smallest value.
    #[prop(optional, into)]
    min: Signal<T>,
    /// Largest value.
    #[prop(into)]
    max: Signal<T>,
    /// Step (default 1).
    #[prop(optional, into)]
    step: Option<Signal<T>>,
    /// The only values allowed, ascending.
    #[prop(optional, into)]
    allowed: Option<Signal<Vec<T>>>,
    /// Unit shown after the value.
    #[prop(optional, into)]
    unit: String,
    /// `data-testid` of the group.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let text = label_text(&symbol, &meaning);
    let one = T::from_f64(1.0);
    let go = move |dir: i32| {
        let list = allowed.map(|a| a.get_untracked());
        let v = step_value(
            value.get_untracked(),
            dir,
            min.get_untracked(),
            max.get_untracked(),
            step.map(|s| s.get_untracked()).unwrap_or(one),
            list.as_deref(),
        );
        if value.get_untracked() != v {
            value.set(v);
        }
    };
    let at = move |dir: i32| {
        let list = allowed.map(|a| a.get());
        let v = value.get();
        step_value(
            v,
            dir,
            min.get(),
            max.get(),
            step.map(|s| s.get()).unwrap_or(one),
            list.as_deref(),
        ) == v
    };
    let btn = format!(
        "min-width:{0}px;min-height:{0}px;font-size:1.2em;line-height:1",
        sizes::TOUCH_TARGET
    );
    let group_label = text.clone();
    let sym_dec = format!("decrease {symbol}");
    let sym_inc = format!("increase {symbol}");
    let hidden = super::hide::use_hidden(&symbol, test_id);
    view! {
        <div class="cl-stepper" role="group" aria-label=group_label data-testid=test_id
            style="display:flex;flex-wrap:wrap;align-items:center;gap:0.5em"
            style:display=move || if hidden.get() { "none" } else { "flex" }>
            <span class="cl-slider-label" style="flex:1 1 12em">{text}</span>
            <button type="button" style=btn.clone() aria-label=sym_dec disabled=move || at(-1)
                on:click=move |_| go(-1)>"\u{2212}"</button>
            <output aria-live="polite" style="min-width:4ch;text-align:center;font-variant-numeric:tabular-nums;font-weight:600">
                {move || value.get().show()}{unit}
            </output>
            <button type="button" style=btn aria-label=sym_inc disabled=move || at(1)
                on:click=move |_| go(1)>"+"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_and_steps_through_allowed() {
        let divisors = [1usize, 2, 4, 8, 16];
        assert_eq!(nearest_index(&divisors, 5), 2);
        assert_eq!(nearest_index(&divisors, 100), 4);
        assert_eq!(step_value(4usize, 1, 0, 0, 1, Some(&divisors)), 8);
        assert_eq!(step_value(4usize, -1, 0, 0, 1, Some(&divisors)), 2);
        assert_eq!(step_value(16usize, 1, 0, 0, 1, Some(&divisors)), 16);
        assert_eq!(step_value(1usize, -1, 0, 0, 1, Some(&divisors)), 1);
        // Not in the list: moves from the nearest entry.
        assert_eq!(step_value(5usize, 1, 0, 0, 1, Some(&divisors)), 8);
    }

    #[test]
    fn steps_clamp_and_snap() {
        assert_eq!(step_value(3usize, 1, 1, 7, 2, None), 5);
        assert_eq!(step_value(7usize, 1, 1, 7, 2, None), 7);
        assert_eq!(step_value(1usize, -1, 1, 7, 2, None), 1);
        assert_eq!(step_value(0usize, -1, 0, 5, 1, None), 0);
        assert_eq!(step_value(0.5f64, 1, 0.25, 1.0, 0.25, None), 0.75);
        // A zero step counts as one.
        assert_eq!(step_value(2i32, 1, 0, 5, 0, None), 3);
    }

    #[test]
    fn conversions_never_panic() {
        assert_eq!(usize::from_f64(-3.0), 0);
        assert_eq!(usize::from_f64(f64::NAN), 0);
        assert_eq!(u32::from_f64(1e20), u32::MAX);
        assert_eq!(i32::from_f64(2.6), 3);
        assert_eq!(0.75f64.show(), "0.75");
        assert_eq!(2.0f64.show(), "2");
        assert_eq!(label_text("K", "kernel size"), "K \u{2014} kernel size");
        assert_eq!(label_text("s", ""), "s");
    }
}
