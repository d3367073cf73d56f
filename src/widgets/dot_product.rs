//! [`DotProduct`]: the actual dot product behind one output cell, with numbers.

use convlab_core::Trace;
use leptos::prelude::*;

use crate::config::{self, limits};
use crate::draw::short_value;

/// One shown piece of a dot product.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// `weight × input`; `padded` marks an input read from the zero padding.
    Term {
        /// The weight.
        weight: f32,
        /// The input value.
        input: f32,
        /// Whether the input lies in the zero padding.
        padded: bool,
        /// The input channel (for its group colour).
        channel: usize,
    },
    /// `count` terms left out, summing to `sum`.
    Hidden {
        /// How many terms.
        count: usize,
        /// Their sum.
        sum: f32,
    },
}

/// The parts of `trace`'s sum: all terms when there are at most `max_terms`,
/// else the first `max_terms − 2`, one [`Part::Hidden`] and the last two.
pub fn parts(trace: &Trace, max_terms: usize) -> Vec<Part> {
    let term = |t: &convlab_core::TraceTerm| Part::Term {
        weight: t.weight,
        input: t.input,
        padded: t.padded,
        channel: t.in_channel,
    };
    let n = trace.terms.len();
    let max_terms = max_terms.max(3);
    if n <= max_terms {
        return trace.terms.iter().map(term).collect();
    }
    let head = max_terms - 2;
    let tail = 2;
    let hidden = &trace.terms[head..n - tail];
    let mut out: Vec<Part> = trace.terms[..head].iter().map(term).collect();
    out.push(Part::Hidden {
        count: hidden.len(),
        sum: hidden.iter().map(|t| t.weight * t.input).sum(),
    });
    out.extend(trace.terms[n - tail..].iter().map(term));
    out
}

/// A one-line plain-text form: `0.5×1 + 0.25×0 [pad] + … + b 0.1 = 0.6`.
pub fn plain_text(trace: &Trace, max_terms: usize) -> String {
    let mut s = String::new();
    for (i, p) in parts(trace, max_terms).iter().enumerate() {
        if i > 0 {
            s.push_str(" + ");
        }
        match p {
            Part::Term {
                weight,
                input,
                padded,
                ..
            } => {
                s.push_str(&format!("{}×{}", short_value(*weight), short_value(*input)));
                if *padded {
                    s.push_str(" [pad]");
                }
            }
            Part::Hidden { count, sum } => {
                s.push_str(&format!("… {count} more (sum {}) …", short_value(*sum)))
            }
        }
    }
    if trace.terms.is_empty() {
        s.push('0');
    }
    if trace.bias != 0.0 {
        s.push_str(&format!(" + bias {}", short_value(trace.bias)));
    }
    s.push_str(&format!(" = {}", short_value(trace.output)));
    s
}

/// The dot product that produced one output cell: every `weight × input`
/// term (padding marked, input channels in their group colour), the bias
/// and the result; long sums are shortened to their first and last terms
/// plus the sum of the rest. Shows a hint when `trace` is `None`.
#[component]
pub fn DotProduct(
    /// The traced cell (`Conv2d::trace`), `None` when no cell is active.
    #[prop(into)]
    trace: Signal<Option<Trace>>,
    /// Terms shown in full before shortening.
    #[prop(default = limits::DOT_TERMS_SHOWN)]
    max_terms: usize,
    /// Input channels per group, for colouring terms (0: one colour).
    #[prop(optional, into)]
    group_size: Signal<usize>,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let body = move || {
        let gs = group_size.get();
        match trace.get() {
            None => view! {
                <span class="cl-dot-hint">"Hover or tap an output cell to see its dot product."</span>
            }
            .into_any(),
            Some(t) => {
                let n = t.terms.len();
                let pads = t.terms.iter().filter(|x| x.padded).count();
                let items = parts(&t, max_terms)
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let plus = (i > 0).then_some(" + ");
                        match p {
                            Part::Term { weight, input, padded, channel } => {
                                let color = match channel.checked_div(gs) {
                                    Some(g) => config::css(config::group_color(g)),
                                    None => "currentColor".into(),
                                };
                                let title = if padded {
                                    format!("channel {channel}: zero padding")
                                } else {
                                    format!("channel {channel}")
                                };
                                view! {
                                    {plus}
                                    <span class="cl-term" class:cl-pad=padded title=title
                                        style:border-bottom=format!("3px solid {color}")
                                        style:opacity=if padded { "0.6" } else { "1" }
                                        style:white-space="nowrap">
                                        {short_value(weight)}"\u{00d7}"{if padded { "0\u{2080}".to_string() } else { short_value(input) }}
                                    </span>
                                }
                                .into_any()
                            }
                            Part::Hidden { count, sum } => view! {
                                {plus}
                                <span class="cl-term-hidden" style="white-space:nowrap">
                                    {format!("[{count} more terms = {}]", short_value(sum))}
                                </span>
                            }
                            .into_any(),
                        }
                    })
                    .collect_view();
                let bias = (t.bias != 0.0).then(|| {
                    view! { " + " <span class="cl-bias" style="white-space:nowrap">{format!("{} (bias)", short_value(t.bias))}</span> }
                });
                let summary = format!(
                    "y[{}, {}, {}] = sum of {n} products{}",
                    t.out_channel,
                    t.y,
                    t.x,
                    if pads > 0 { format!(", {pads} read zero padding (₀)") } else { String::new() }
                );
                view! {
                    <span class="cl-dot-summary" style="display:block;opacity:0.8">{summary}</span>
                    <span class="cl-dot-terms" style="font-variant-numeric:tabular-nums;line-height:1.8">
                        {items}{bias}" = "<strong class="cl-dot-result">{short_value(t.output)}</strong>
                    </span>
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="cl-dot" data-testid=test_id aria-live="polite" style="min-height:3.6em;overflow-wrap:anywhere">
            {body}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convlab_core::{Conv2d, Conv2dSpec, Tensor};

    fn traced(k: usize, c: usize, pad: usize) -> Trace {
        let spec = Conv2dSpec {
            in_channels: c,
            out_channels: 1,
            kernel: (k, k),
            padding: (pad, pad),
            bias: true,
            ..Default::default()
        };
        let conv = Conv2d::random(spec, 1).unwrap();
        let x = Tensor::random(c, 5, 5, 2).unwrap();
        conv.trace(&x, 0, 0, 0).unwrap()
    }

    #[test]
    fn short_sums_show_every_term() {
        let t = traced(3, 1, 0);
        let p = parts(&t, 12);
        assert_eq!(p.len(), 9);
        assert!(p
            .iter()
            .all(|p| matches!(p, Part::Term { padded: false, .. })));
    }

    #[test]
    fn long_sums_keep_head_tail_and_exact_hidden_sum() {
        let t = traced(3, 4, 1); // 36 terms
        let p = parts(&t, 12);
        assert_eq!(p.len(), 13);
        let Part::Hidden { count, sum } = p[10] else {
            panic!("expected the hidden part at 10: {p:?}")
        };
        assert_eq!(count, 36 - 12);
        let shown: f32 = p
            .iter()
            .map(|q| match q {
                Part::Term { weight, input, .. } => weight * input,
                Part::Hidden { sum, .. } => *sum,
            })
            .sum();
        assert!(
            (shown + t.bias - t.output).abs() < 1e-4,
            "parts add up to the output"
        );
        assert!(
            (sum - t.terms[10..34]
                .iter()
                .map(|x| x.weight * x.input)
                .sum::<f32>())
            .abs()
                < 1e-6
        );
    }

    #[test]
    fn padding_is_marked_in_text() {
        let t = traced(3, 1, 1); // corner: 5 of 9 in the padding
        let s = plain_text(&t, 12);
        assert_eq!(s.matches("[pad]").count(), 5);
        assert!(s.ends_with(&format!("= {}", short_value(t.output))));
        assert!(s.contains("bias") == (t.bias != 0.0));
    }
}
