//! [`Formula`]: MathML with live numbers, built with [`Math`].
//!
//! ```
//! use convlab::widgets::formula::Math;
//! // params = K² · C · M  =  3² · 16 · 32  =  4,608
//! let f = Math::row([
//!     Math::text("params"), Math::op("="),
//!     Math::sup(Math::id("K"), Math::num(2)), Math::op("·"), Math::id("C"), Math::op("·"), Math::id("M"),
//!     Math::op("="),
//!     Math::sup(Math::num(3), Math::num(2)), Math::op("·"), Math::num(16), Math::op("·"), Math::num(32),
//!     Math::op("="), Math::count(4608),
//! ]);
//! assert!(f.to_mathml().contains("<mn>4,608</mn>"));
//! ```

use leptos::prelude::*;

/// A small MathML expression tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Math {
    /// An identifier (italic symbol): `<mi>`.
    Id(String),
    /// A number: `<mn>`.
    Num(String),
    /// An operator: `<mo>`.
    Op(String),
    /// Upright text: `<mtext>`.
    Text(String),
    /// A horizontal sequence: `<mrow>`.
    Row(Vec<Math>),
    /// A fraction: `<mfrac>`.
    Frac(Box<Math>, Box<Math>),
    /// A superscript: `<msup>`.
    Sup(Box<Math>, Box<Math>),
    /// A subscript: `<msub>`.
    Sub(Box<Math>, Box<Math>),
    /// The inner expression in parentheses.
    Paren(Box<Math>),
    /// The inner expression emphasised (a live number that just changed, the result).
    Strong(Box<Math>),
}

/// Escapes text for HTML (text or a quoted attribute: `& < > " '`).
fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// `1234567` → `1,234,567`.
pub fn group_digits(n: impl Into<u128>) -> String {
    let s = n.into().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl Math {
    /// An identifier.
    pub fn id(s: impl Into<String>) -> Math {
        Math::Id(s.into())
    }
    /// A number as written by `Display` (use [`Math::count`] for large integers,
    /// [`Math::dec`] for rounded decimals).
    pub fn num(v: impl std::fmt::Display) -> Math {
        Math::Num(v.to_string())
    }
    /// A non-negative integer with thousands separators (`?` for a negative one).
    pub fn count(v: impl TryInto<u128>) -> Math {
        match v.try_into() {
            Ok(n) => Math::Num(group_digits(n)),
            Err(_) => Math::Num("?".into()),
        }
    }
    /// A decimal with at most `places` places (trailing zeros dropped).
    pub fn dec(v: f64, places: usize) -> Math {
        if !v.is_finite() {
            return Math::Num("?".into());
        }
        let s = format!("{v:.places$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        Math::Num(if s == "-0" { "0".into() } else { s })
    }
    /// An operator ("=", "+", "×", "·", "−", "≈").
    pub fn op(s: impl Into<String>) -> Math {
        Math::Op(s.into())
    }
    /// Upright text.
    pub fn text(s: impl Into<String>) -> Math {
        Math::Text(s.into())
    }
    /// A sequence.
    pub fn row(items: impl IntoIterator<Item = Math>) -> Math {
        Math::Row(items.into_iter().collect())
    }
    /// `num / den` as a fraction.
    pub fn frac(num: Math, den: Math) -> Math {
        Math::Frac(Box::new(num), Box::new(den))
    }
    /// `base^exp`.
    pub fn sup(base: Math, exp: Math) -> Math {
        Math::Sup(Box::new(base), Box::new(exp))
    }
    /// `base_index`.
    #[allow(clippy::should_implement_trait)]
    pub fn sub(base: Math, index: Math) -> Math {
        Math::Sub(Box::new(base), Box::new(index))
    }
    /// `(inner)`.
    pub fn paren(inner: Math) -> Math {
        Math::Paren(Box::new(inner))
    }
    /// Emphasised.
    pub fn strong(inner: Math) -> Math {
        Math::Strong(Box::new(inner))
    }
    /// `a × b × …` with the given operator between the terms.
    pub fn join(op: &str, terms: impl IntoIterator<Item = Math>) -> Math {
        let mut items = Vec::new();
        for (i, t) in terms.into_iter().enumerate() {
            if i > 0 {
                items.push(Math::op(op));
            }
            items.push(t);
        }
        Math::Row(items)
    }

    /// A standard convolution's weight count with its numbers in: `K·K·C·N (+ N) = params`
    /// (`params` is the count the kernel crate made; the formula only shows it).
    pub fn standard_conv(k: usize, c: usize, n: usize, bias: bool, params: u64) -> Math {
        let num = |v: usize| Math::num(v);
        let mut terms = vec![Math::join("\u{b7}", [num(k), num(k), num(c), num(n)])];
        if bias {
            terms.push(Math::op("+"));
            terms.push(num(n));
        }
        terms.push(Math::op("="));
        terms.push(Math::strong(Math::count(params)));
        Math::row(terms)
    }

    /// The MathML markup (without the outer `<math>`).
    pub fn to_mathml(&self) -> String {
        match self {
            Math::Id(s) => format!("<mi>{}</mi>", esc(s)),
            Math::Num(s) => format!("<mn>{}</mn>", esc(s)),
            Math::Op(s) => format!("<mo>{}</mo>", esc(s)),
            Math::Text(s) => format!("<mtext>{}</mtext>", esc(s)),
            Math::Row(v) => format!(
                "<mrow>{}</mrow>",
                v.iter().map(Math::to_mathml).collect::<String>()
            ),
            Math::Frac(a, b) => format!("<mfrac>{}{}</mfrac>", a.wrap(), b.wrap()),
            Math::Sup(a, b) => format!("<msup>{}{}</msup>", a.wrap(), b.wrap()),
            Math::Sub(a, b) => format!("<msub>{}{}</msub>", a.wrap(), b.wrap()),
            Math::Paren(a) => format!("<mrow><mo>(</mo>{}<mo>)</mo></mrow>", a.to_mathml()),
            Math::Strong(a) => format!(
                "<mstyle mathvariant=\"bold\" mathcolor=\"currentColor\">{}</mstyle>",
                a.to_mathml()
            ),
        }
    }

    /// Children of mfrac/msup/msub must be single elements.
    fn wrap(&self) -> String {
        match self {
            Math::Row(_) => self.to_mathml(),
            _ => format!("<mrow>{}</mrow>", self.to_mathml()),
        }
    }

    /// Plain-text reading of the expression (for `aria-label`s and tests).
    pub fn to_text(&self) -> String {
        match self {
            Math::Id(s) | Math::Num(s) | Math::Text(s) => s.clone(),
            Math::Op(s) => format!(" {s} "),
            Math::Row(v) => v.iter().map(Math::to_text).collect(),
            Math::Frac(a, b) => format!("({}) / ({})", a.to_text(), b.to_text()),
            Math::Sup(a, b) => format!("{}^{}", a.to_text(), b.to_text()),
            Math::Sub(a, b) => format!("{}_{}", a.to_text(), b.to_text()),
            Math::Paren(a) => format!("({})", a.to_text()),
            Math::Strong(a) => a.to_text(),
        }
    }

    /// The expression cut where a line may break: before each top-level `=`
    /// or `≈` and before a `;`/`,` remark (`; with bias: …`), nested rows at the
    /// top flattened first. One chunk for an expression with no such place.
    pub fn chunks(&self) -> Vec<Math> {
        fn flatten(m: &Math, out: &mut Vec<Math>) {
            match m {
                Math::Row(v) => v.iter().for_each(|x| flatten(x, out)),
                other => out.push(other.clone()),
            }
        }
        let mut items = Vec::new();
        flatten(self, &mut items);
        let breaks_before = |m: &Math| match m {
            Math::Op(o) => matches!(o.as_str(), "=" | "\u{2248}"),
            Math::Text(t) => t.trim_start().starts_with([';', ',']),
            _ => false,
        };
        let mut chunks: Vec<Vec<Math>> = Vec::new();
        for item in items {
            match chunks.last_mut() {
                Some(last) if !breaks_before(&item) => last.push(item),
                _ => chunks.push(vec![item]),
            }
        }
        chunks.into_iter().map(Math::Row).collect()
    }

    /// The expression as `<math>` elements, one per [`Math::chunks`], each kept
    /// on one line: a narrow screen wraps the formula at its `=` signs instead
    /// of cutting it or scrolling it sideways.
    pub fn to_wrapping_html(&self) -> String {
        self.chunks()
            .iter()
            .map(|c| {
                format!(
                    "<span class=\"cl-formula-part\">{}</span>",
                    c.to_math_element(false)
                )
            })
            .collect()
    }

    /// The whole `<math>` element.
    pub fn to_math_element(&self, block: bool) -> String {
        format!(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"{}\">{}</math>",
            if block { "block" } else { "inline" },
            self.to_mathml()
        )
    }
}

/// A formula rendered as MathML in the page's text colour (so it reads in
/// every theme), updating whenever the signals read by `math` change.
#[component]
pub fn Formula(
    /// The expression (rebuild it from signals with `Signal::derive`).
    #[prop(into)]
    math: Signal<Math>,
    /// Display as a block (centred, larger) instead of inline.
    #[prop(default = true)]
    block: bool,
    /// `data-testid` of the wrapper.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let html = move || {
        math.with(|m| {
            if block {
                m.to_wrapping_html()
            } else {
                m.to_math_element(false)
            }
        })
    };
    view! {
        <span
            class=if block { "cl-formula cl-formula-block" } else { "cl-formula" }
            data-testid=test_id
            // A part wider than its box scrolls sideways: keyboard users reach it too.
            tabindex="0"
            inner_html=html
        ></span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mathml_structure() {
        let f = Math::row([
            Math::id("K"),
            Math::op("×"),
            Math::frac(Math::id("C"), Math::id("g")),
            Math::op("="),
            Math::strong(Math::count(1_234_567u64)),
        ]);
        let m = f.to_mathml();
        assert_eq!(
            m,
            "<mrow><mi>K</mi><mo>×</mo><mfrac><mrow><mi>C</mi></mrow><mrow><mi>g</mi></mrow></mfrac>\
             <mo>=</mo><mstyle mathvariant=\"bold\" mathcolor=\"currentColor\"><mn>1,234,567</mn></mstyle></mrow>"
        );
        assert!(f.to_math_element(true).starts_with("<math xmlns="));
        assert_eq!(f.to_text(), "K × (C) / (g) = 1,234,567");
    }

    #[test]
    fn chunks_break_before_equals_and_remarks_only() {
        let f = Math::row([
            Math::row([Math::id("a"), Math::op("+"), Math::id("b")]),
            Math::op("="),
            Math::frac(Math::num(1), Math::num(2)),
            Math::op("\u{2248}"),
            Math::num(0.5),
            Math::text("; with bias: "),
            Math::num(3),
            Math::op("="),
            Math::strong(Math::num(4)),
        ]);
        let parts: Vec<String> = f.chunks().iter().map(Math::to_text).collect();
        assert_eq!(
            parts,
            [
                "a + b",
                " = (1) / (2)",
                " \u{2248} 0.5",
                "; with bias: 3",
                " = 4"
            ]
        );
        // Nothing is lost or reordered.
        assert_eq!(parts.concat(), f.to_text());
        // No break place: one chunk.
        assert_eq!(Math::id("x").chunks(), vec![Math::row([Math::id("x")])]);
        let html = f.to_wrapping_html();
        assert_eq!(html.matches("<math ").count(), 5);
        assert_eq!(html.matches("class=\"cl-formula-part\"").count(), 5);
    }

    #[test]
    fn escapes_and_formats() {
        assert_eq!(
            Math::text("a<b & c").to_mathml(),
            "<mtext>a&lt;b &amp; c</mtext>"
        );
        assert_eq!(group_digits(0u32), "0");
        assert_eq!(Math::count(12usize), Math::Num("12".into()));
        assert_eq!(Math::count(-1i64), Math::Num("?".into()));
        assert_eq!(group_digits(999u32), "999");
        assert_eq!(group_digits(1000u32), "1,000");
        assert_eq!(Math::dec(0.5, 3), Math::Num("0.5".into()));
        assert_eq!(Math::dec(2.0, 2), Math::Num("2".into()));
        assert_eq!(Math::dec(-0.0001, 2), Math::Num("0".into()));
        assert_eq!(Math::dec(f64::NAN, 2), Math::Num("?".into()));
        assert_eq!(
            Math::join("+", [Math::num(1), Math::num(2), Math::num(3)]).to_text(),
            "1 + 2 + 3"
        );
        assert_eq!(Math::sup(Math::id("K"), Math::num(2)).to_text(), "K^2");
    }
}
