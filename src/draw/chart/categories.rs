//! Category names under bars: fitted to the bar width (whole, on two lines,
//! shortened, or numbered) and drawn centred under each bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::draw::{err, text_style, DrawResult, Style};

/// Category names that fit under bars `slot_px` wide, `width(text)` being a
/// label's drawn width: the names themselves, on two lines ("a\nb", broken at
/// a space or hyphen) or shortened with "…" when they are too long (keeping
/// at least 60% of each name), or, when that does not fit, the
/// categories' numbers (1, 2, …), every k-th one so that no two overlap. An
/// empty string draws nothing. Labels keep a 4 px gap to their neighbours.
pub(crate) fn fit_categories(
    names: &[String],
    slot_px: f64,
    width: impl Fn(&str) -> f64,
) -> Vec<String> {
    let room = slot_px - 4.0;
    let shorten = |n: &String| -> Option<String> {
        if width(n) <= room {
            return Some(n.clone());
        }
        // Two lines, broken at a space or after a hyphen, when both fit.
        let two = n
            .char_indices()
            .filter_map(|(i, c)| match c {
                ' ' => Some((n[..i].to_string(), n[i + 1..].to_string())),
                '-' => Some((n[..=i].to_string(), n[i + 1..].to_string())),
                _ => None,
            })
            .filter(|(a, b)| !a.is_empty() && !b.is_empty() && width(a) <= room && width(b) <= room)
            .min_by(|x, y| {
                width(&x.0)
                    .max(width(&x.1))
                    .total_cmp(&width(&y.0).max(width(&y.1)))
            });
        if let Some((a, b)) = two {
            return Some(format!("{a}\n{b}"));
        }
        let chars: Vec<char> = n.chars().collect();
        // Cut, but keeping at least 60% of the name (and 3 characters).
        let least = (chars.len() * 3).div_ceil(5).max(3);
        (least..chars.len()).rev().find_map(|k| {
            let mut t: String = chars[..k].iter().collect();
            t.push('\u{2026}');
            (width(&t) <= room).then_some(t)
        })
    };
    if let Some(all) = names.iter().map(shorten).collect::<Option<Vec<_>>>() {
        return all;
    }
    let need = width(&names.len().to_string()) + 4.0;
    let every = (need / slot_px.max(1e-6)).ceil().max(1.0) as usize;
    (0..names.len())
        .map(|i| {
            if i % every == 0 {
                (i + 1).to_string()
            } else {
                String::new()
            }
        })
        .collect()
}

/// Draws category names centred under bars: `centre(i)` is the backend
/// pixel of bar `i`'s centre on the x axis. Names are fitted to the bar width
/// by [`fit_categories`] so they never run into each other.
pub(crate) fn draw_categories<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    font: f64,
    style: &Style,
    centre: impl Fn(usize) -> (i32, i32),
) -> DrawResult {
    if names.is_empty() {
        return Ok(());
    }
    let slot = if names.len() > 1 {
        f64::from(centre(1).0 - centre(0).0).abs()
    } else {
        f64::from(area.dim_in_pixel().0)
    };
    let base = area.get_base_pixel();
    let below_axis = style.px(4.0).round() as i32;
    let cat_style = text_style(font, style.ink.text, Pos::new(HPos::Center, VPos::Top));
    let width = |t: &str| {
        area.estimate_text_size(t, &cat_style)
            .map(|(w, _)| f64::from(w))
            .unwrap_or(t.chars().count() as f64 * font * 0.6)
    };
    for (i, name) in fit_categories(names, slot, width)
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
    {
        let (px, py) = centre(i);
        for (line, text) in name.split('\n').enumerate() {
            let dy = (line as f64 * font * 1.15).round() as i32;
            area.draw_text(
                text,
                &cat_style,
                (px - base.0, py - base.1 + below_axis + dy),
            )
            .map_err(err)?;
        }
    }
    Ok(())
}
