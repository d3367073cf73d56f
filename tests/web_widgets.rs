//! Widgets in headless Chromium: mount each into a fresh div, let it draw,
//! dispatch an interaction, check the effect, unmount (no panic, no
//! animation frame left running).
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_widgets`
//! (the runner is wasm-bindgen-test-runner, set in .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use convlab::draw::chart::{line_chart, LineChart, Series};
use convlab::draw::heatmap::{Cell, TensorLayout};
use convlab::widgets::input_picker::InputState;
use convlab::widgets::*;
use convlab_core::{Conv2d, Conv2dSpec, Tensor};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/url_fuzz.rs"]
mod url_fuzz;

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh 600 px wide div in the body.
fn fresh_div() -> HtmlElement {
    let div: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    div.style().set_property("width", "600px").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

/// Waits `ms` milliseconds (lets effects, ResizeObserver and rAF run).
async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

fn canvas_in(div: &HtmlElement) -> HtmlCanvasElement {
    div.query_selector("canvas")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap()
}

/// Whether the canvas has more than one colour (something was drawn).
fn has_drawing(c: &HtmlCanvasElement) -> bool {
    if c.width() == 0 || c.height() == 0 {
        return false;
    }
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data();
    let first = &data[0..4];
    data.chunks(4).any(|p| p != first)
}

/// Builds a bubbling DOM event with JavaScript (`new Ctor(kind, init)`),
/// so the tests need no extra web-sys features.
fn js_event(ctor: &str, kind: &str, init: &str) -> web_sys::Event {
    let f = js_sys::Function::new_with_args(
        "kind",
        &format!(
            "return new {ctor}(kind, Object.assign({{bubbles: true, cancelable: true}}, {init}));"
        ),
    );
    f.call1(&wasm_bindgen::JsValue::NULL, &kind.into())
        .unwrap()
        .dyn_into()
        .unwrap()
}

fn mouse(kind: &str, x: f64, y: f64) -> web_sys::Event {
    js_event(
        "PointerEvent",
        kind,
        &format!("{{clientX: {x}, clientY: {y}, pointerId: 1, isPrimary: true}}"),
    )
}

fn click_at(x: f64, y: f64) -> web_sys::Event {
    js_event(
        "MouseEvent",
        "click",
        &format!("{{clientX: {x}, clientY: {y}}}"),
    )
}

fn key(k: &str) -> web_sys::Event {
    js_event("KeyboardEvent", "keydown", &format!("{{key: {k:?}}}"))
}

fn bubbling(kind: &str) -> web_sys::Event {
    js_event("Event", kind, "{}")
}

/// Client coordinates of the centre of cell `(c, y, x)` of a TensorView canvas.
fn cell_centre(
    canvas: &HtmlCanvasElement,
    shape: [usize; 3],
    pad: usize,
    height: f64,
    cell: Cell,
) -> (f64, f64) {
    let r = canvas.get_bounding_client_rect();
    let l = TensorLayout::new(shape, pad, r.width(), height, 1.0, true, true);
    let (x0, y0, x1, y1) = l.cell_rect(cell.c, cell.y as isize, cell.x as isize);
    (r.left() + (x0 + x1) / 2.0, r.top() + (y0 + y1) / 2.0)
}

#[wasm_bindgen_test]
async fn tensor_view_hover_click_keys_and_unmount() {
    let div = fresh_div();
    let t = Tensor::from_fn(2, 4, 5, |c, y, x| (c * 20 + y * 5 + x) as f32 - 20.0).unwrap();
    let tensor = RwSignal::new(t);
    let seen = Arc::new(Mutex::new(Vec::<Option<Cell>>::new()));
    let seen2 = seen.clone();
    let on_cell = Callback::new(move |c: Option<Cell>| seen2.lock().unwrap().push(c));
    let pinned = RwSignal::new(None::<Cell>);
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! { <TensorView tensor=tensor label="x" on_cell=on_cell pinned=pinned height=240.0 /> }
    });
    sleep(80).await;
    let canvas = canvas_in(&div);
    assert!(has_drawing(&canvas), "the heat map is drawn");
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(
        canvas.width(),
        (600.0 * dpr).round() as u32,
        "HiDPI backing store"
    );

    let target = Cell::new(1, 2, 3);
    let (cx, cy) = cell_centre(&canvas, [2, 4, 5], 0, 240.0, target);
    canvas
        .dispatch_event(&mouse("pointermove", cx, cy))
        .unwrap();
    sleep(20).await;
    assert_eq!(
        seen.lock().unwrap().last().copied(),
        Some(Some(target)),
        "hover reports the cell"
    );
    let caption = div.text_content().unwrap_or_default();
    assert!(caption.contains("row 2, column 3"), "{caption}");

    canvas.dispatch_event(&click_at(cx, cy)).unwrap();
    sleep(20).await;
    assert_eq!(pinned.get_untracked(), Some(target), "click pins");

    canvas.dispatch_event(&key("ArrowRight")).unwrap();
    canvas.dispatch_event(&key("ArrowDown")).unwrap();
    sleep(20).await;
    assert_eq!(
        pinned.get_untracked(),
        Some(Cell::new(1, 3, 4)),
        "arrows move the cursor"
    );

    // A smaller tensor drops the pinned cell that no longer exists.
    tensor.set(Tensor::zeros(1, 2, 2).unwrap());
    sleep(30).await;
    assert_eq!(pinned.get_untracked(), None);

    drop(handle);
    sleep(20).await;
    assert!(div.query_selector("canvas").unwrap().is_none(), "unmounted");
}

#[wasm_bindgen_test]
async fn slider_and_stepper_follow_input() {
    let div = fresh_div();
    let k = RwSignal::new(3usize);
    let g = RwSignal::new(2usize);
    let allowed = Signal::derive(|| vec![1usize, 2, 4, 8]);
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <Slider value=k symbol="K" meaning="kernel size" min=1usize max=7usize step=2usize test_id="k" />
            <Stepper value=g symbol="g" meaning="groups" max=8usize allowed=allowed test_id="g" />
        }
    });
    sleep(30).await;
    let text = div.text_content().unwrap_or_default();
    assert!(text.contains("K \u{2014} kernel size"), "{text}");
    let input: web_sys::HtmlInputElement = div
        .query_selector("[data-testid=k]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(input.value(), "3");
    input.set_value("5");
    input.dispatch_event(&bubbling("input")).unwrap();
    sleep(20).await;
    assert_eq!(k.get_untracked(), 5);
    k.set(7);
    sleep(20).await;
    assert_eq!(input.value(), "7", "signal → input");

    let plus: HtmlElement = div
        .query_selector("[data-testid=g] button[aria-label='increase g']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    plus.click();
    sleep(20).await;
    assert_eq!(
        g.get_untracked(),
        4,
        "stepper moves through the allowed values"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn formula_renders_mathml_and_updates() {
    let div = fresh_div();
    let c = RwSignal::new(16u64);
    let math =
        Signal::derive(move || Math::row([Math::id("C"), Math::op("="), Math::count(c.get())]));
    let handle = leptos::mount::mount_to(div.clone(), move || view! { <Formula math=math /> });
    sleep(20).await;
    let m = div
        .query_selector("math")
        .unwrap()
        .expect("a <math> element");
    assert_eq!(
        m.namespace_uri().as_deref(),
        Some("http://www.w3.org/1998/Math/MathML")
    );
    assert!(div.inner_html().contains("<mn>16</mn>"));
    c.set(1024);
    sleep(20).await;
    assert!(div.inner_html().contains("<mn>1,024</mn>"));
    drop(handle);
}

/// A line chart of `n` points mounted in `div`, with the count of its draws.
fn counting_plot(
    div: &HtmlElement,
    n: RwSignal<usize>,
) -> (
    leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
    Arc<Mutex<usize>>,
) {
    let draws = Arc::new(Mutex::new(0usize));
    let d2 = draws.clone();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <Plot label="params vs C" draw=move |area: &convlab::widgets::plot::CanvasArea, style: &convlab::draw::Style| {
                *d2.lock().unwrap() += 1;
                let chart = LineChart {
                    series: vec![Series {
                        name: "conv".into(),
                        color: convlab::config::group_color(0),
                        points: (1..=n.get()).map(|c| (c as f64, (c * 9) as f64)).collect(),
                        dots: false,
                    }],
                    ..Default::default()
                };
                line_chart(area, &chart, style)
            } />
        }
        .into_any()
    });
    (handle, draws)
}

#[wasm_bindgen_test]
async fn plot_draws_and_redraws_on_signal() {
    let div = fresh_div();
    let n = RwSignal::new(4usize);
    let (handle, draws) = counting_plot(&div, n);
    sleep(80).await;
    let canvas = canvas_in(&div);
    assert!(has_drawing(&canvas));
    let before = *draws.lock().unwrap();
    n.set(8);
    sleep(30).await;
    assert!(
        *draws.lock().unwrap() > before,
        "redraws when its signal changes"
    );
    assert!(div.query_selector(".cl-error").unwrap().is_none());
    // Resizing the box redraws at the new width.
    div.style().set_property("width", "300px").unwrap();
    sleep(120).await;
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(
        canvas.width(),
        (300.0 * dpr).round() as u32,
        "follows its box"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn player_plays_with_raf_and_stops_on_unmount() {
    let div = fresh_div();
    let frame = RwSignal::new(0usize);
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! { <Player frame=frame frames=100usize fps=30.0 label="sliding window" /> }
    });
    sleep(20).await;
    let reduced = div.query_selector(".cl-play").unwrap().is_none();
    if reduced {
        // prefers-reduced-motion: the last frame, step controls only.
        assert_eq!(frame.get_untracked(), 99);
    } else {
        let play: HtmlElement = div
            .query_selector(".cl-play")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        play.click();
        sleep(300).await;
        let f = frame.get_untracked();
        assert!(f > 0, "playing advances the frame");
        // Space pauses (dispatched on the group, not a button).
        let group = div.query_selector(".cl-player").unwrap().unwrap();
        group.dispatch_event(&key(" ")).unwrap();
        sleep(100).await;
        let paused = frame.get_untracked();
        sleep(150).await;
        assert_eq!(frame.get_untracked(), paused, "paused");
        group.dispatch_event(&key(" ")).unwrap();
        sleep(50).await;
    }
    let step: HtmlElement = div
        .query_selector(".cl-step-back")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    step.click();
    sleep(20).await;
    let at = frame.get_untracked();
    // Unmount (possibly while playing): no frame callback may run afterwards.
    drop(handle);
    sleep(200).await;
    assert_eq!(
        frame.get_untracked(),
        at,
        "no animation frame after unmount"
    );
}

#[wasm_bindgen_test]
async fn kernel_view_and_dot_product() {
    let div = fresh_div();
    let conv = Conv2d::random(
        Conv2dSpec {
            padding: (1, 1),
            ..Conv2dSpec::grouped(2, 2, 3, 2)
        },
        3,
    )
    .unwrap();
    let x = Tensor::random(2, 4, 4, 1).unwrap();
    let trace = conv.trace(&x, 1, 0, 0).unwrap();
    let idx: Vec<usize> = trace.terms.iter().map(|t| t.weight_index).collect();
    let conv_s = RwSignal::new(conv);
    let trace_s = RwSignal::new(Some(trace.clone()));
    let taps = Arc::new(Mutex::new(Vec::new()));
    let t2 = taps.clone();
    let on_tap = Callback::new(move |t: Option<Tap>| t2.lock().unwrap().push(t));
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <KernelView conv=conv_s label="W" highlight=idx.clone() on_tap=on_tap />
            <DotProduct trace=trace_s group_size=1usize test_id="dot" />
        }
    });
    sleep(80).await;
    let canvas = canvas_in(&div);
    assert!(has_drawing(&canvas));
    let r = canvas.get_bounding_client_rect();
    // Sweep the pointer across the canvas: some position lands on a tap.
    for i in 0..40 {
        let px = r.left() + r.width() * (i as f64 + 0.5) / 40.0;
        canvas
            .dispatch_event(&mouse("pointermove", px, r.top() + 20.0))
            .unwrap();
    }
    sleep(20).await;
    assert!(
        taps.lock().unwrap().iter().any(|t| t.is_some()),
        "hover reports a tap"
    );
    let dot = div
        .query_selector("[data-testid=dot]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(dot.contains("y[1, 0, 0]"), "{dot}");
    assert!(
        dot.contains(&convlab::draw::short_value(trace.output)),
        "{dot}"
    );
    trace_s.set(None);
    sleep(20).await;
    let dot = div
        .query_selector("[data-testid=dot]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(dot.contains("Hover"), "{dot}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn input_picker_samples_and_drawing() {
    let div = fresh_div();
    let state = RwSignal::new(InputState::default());
    let tensor = input_tensor(state, [1usize, 12, 12]);
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! { <InputPicker state=state /> }
    });
    sleep(30).await;
    assert_eq!(tensor.get_untracked().unwrap().shape(), [1, 12, 12]);
    // Buttons in order: Digit, Edges, Checkerboard, Photo, Random, Draw.
    let button = |sel: &str| -> HtmlElement {
        div.query_selector(sel)
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap()
    };
    let nth = |n: usize| button(&format!(".cl-input-picker > div > button:nth-child({n})"));
    assert_eq!(nth(3).text_content().unwrap_or_default(), "Checkerboard");
    nth(3).click();
    sleep(20).await;
    assert_eq!(state.get_untracked().to_param(), "checker");
    nth(5).click();
    sleep(20).await;
    assert_eq!(state.get_untracked().to_param(), "random-1");
    nth(6).click();
    sleep(60).await;
    let canvas = canvas_in(&div);
    assert!(has_drawing(&canvas), "editor drawn");
    // Clear, then paint the top-left pixel.
    let clear = button(".cl-pixel-editor button:last-child");
    assert_eq!(clear.text_content().unwrap_or_default(), "Clear");
    clear.click();
    sleep(20).await;
    let r = canvas.get_bounding_client_rect();
    canvas
        .dispatch_event(&mouse("pointerdown", r.left() + 3.0, r.top() + 3.0))
        .unwrap();
    canvas
        .dispatch_event(&mouse("pointerup", r.left() + 3.0, r.top() + 3.0))
        .unwrap();
    sleep(20).await;
    let p = state.get_untracked().to_param();
    assert!(p.starts_with("draw-"), "{p}");
    let back = InputState::from_param(&p).unwrap();
    let t = input_picker::render(&back, 1, 16, 16).unwrap();
    assert_eq!(t.get(0, 0, 0), Some(1.0), "painted pixel");
    assert_eq!(t.get(0, 5, 5), Some(0.0), "cleared elsewhere");
    drop(handle);
}

/// A fresh canvas of `w × h` backend pixels (not in the page).
fn bare_canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let c: HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    c.set_width(w);
    c.set_height(h);
    c
}

fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data()
        .0
}

/// Fails unless the two canvases hold the same pixels, and not a blank scene.
fn assert_same_pixels(reference: &HtmlCanvasElement, other: &HtmlCanvasElement, what: &str) {
    let (a, b) = (pixels(reference), pixels(other));
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert_eq!(
        differing,
        0,
        "{what}: {differing} of {} channel values differ",
        a.len()
    );
    assert!(
        a.chunks(4).any(|p| p != [255, 255, 255, 255]),
        "{what}: a blank scene"
    );
}

#[wasm_bindgen_test]
fn cached_canvas_paints_what_plotters_canvas_paints() {
    use convlab::widgets::canvas_out::CanvasOut;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    // Cells in runs and alternations of colours (with alpha), outlines, lines,
    // circles, a polygon and text in several fonts, anchors and a rotation:
    // everything the figures draw, interleaved so cached state must be dropped
    // after every command plotters-canvas draws itself.
    fn scene<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>) {
        area.fill(&WHITE).unwrap();
        let colors = [
            RGBAColor(200, 30, 40, 1.0),
            RGBAColor(20, 90, 200, 0.18),
            RGBAColor(20, 90, 200, 0.18),
            RGBAColor(0, 0, 0, 1.0),
        ];
        for r in 0..12i32 {
            for c in 0..16i32 {
                let col = colors[((r * 3 + c / 3) % 4) as usize];
                area.draw(&Rectangle::new(
                    [(c * 12, r * 10), (c * 12 + 11, r * 10 + 9)],
                    col.filled(),
                ))
                .unwrap();
                if (r + c) % 7 == 0 {
                    area.draw(&Rectangle::new(
                        [(c * 12, r * 10), (c * 12 + 11, r * 10 + 9)],
                        RED.stroke_width(1),
                    ))
                    .unwrap();
                }
                if (r * c) % 5 == 1 {
                    let anchor = [HPos::Left, HPos::Center, HPos::Right][((r + c) % 3) as usize];
                    let v = [VPos::Top, VPos::Center, VPos::Bottom][(r % 3) as usize];
                    let style = ("sans-serif", 8 + (c % 3) * 2)
                        .into_font()
                        .color(&colors[(c % 4) as usize])
                        .pos(Pos::new(anchor, v));
                    area.draw_text(&format!("{}", r * c), &style, (c * 12 + 6, r * 10 + 5))
                        .unwrap();
                }
            }
        }
        area.draw(&PathElement::new(
            vec![(0, 130), (100, 150), (190, 130)],
            BLUE.stroke_width(2),
        ))
        .unwrap();
        // The same colour before and after a circle plotters-canvas fills green.
        area.draw(&Rectangle::new(
            [(130, 122), (140, 128)],
            RGBAColor(200, 30, 40, 1.0).filled(),
        ))
        .unwrap();
        area.draw(&Circle::new((150, 140), 8, GREEN.filled()))
            .unwrap();
        area.draw(&Rectangle::new(
            [(20, 125), (60, 140)],
            RGBAColor(200, 30, 40, 1.0).filled(),
        ))
        .unwrap();
        area.draw(&Polygon::new(
            vec![(100, 125), (120, 145), (80, 145)],
            MAGENTA.filled(),
        ))
        .unwrap();
        let rotated = ("serif", 12)
            .into_font()
            .transform(FontTransform::Rotate270)
            .color(&BLACK);
        // One font before and after rotated text in another.
        let upright = ("sans-serif", 10).into_font().color(&RED);
        area.draw_text("before", &upright, (5, 130)).unwrap();
        area.draw_text("axis", &rotated, (185, 150)).unwrap();
        // Upright in the rotated text's font and colour: the state set inside the
        // rotation was undone by `restore`, so it must be set again.
        let rotated_font_upright = ("serif", 12).into_font().color(&BLACK);
        area.draw_text("same", &rotated_font_upright, (70, 60))
            .unwrap();
        area.draw_text("after", &upright, (5, 150)).unwrap();
        // A chart's mesh over it all: grid lines (one colour, many lines), tick
        // labels, a rotated axis description between upright labels, outlines.
        area.draw(&Circle::new((40, 40), 12, BLUE.stroke_width(2)))
            .unwrap();
        let mut chart = ChartBuilder::on(area)
            .margin(4)
            .x_label_area_size(22)
            .y_label_area_size(34)
            .build_cartesian_2d(0.0..10.0, 0.0..100.0)
            .unwrap();
        chart
            .configure_mesh()
            .y_desc("count")
            .x_desc("width")
            .label_style(("sans-serif", 10).into_font().color(&BLACK))
            .draw()
            .unwrap();
        chart
            .draw_series(LineSeries::new(
                (0..10).map(|i| (i as f64, (i * i) as f64)),
                RED.stroke_width(2),
            ))
            .unwrap();
        area.draw(&Rectangle::new(
            [(150, 10), (190, 40)],
            BLACK.mix(0.0).filled(),
        ))
        .unwrap();
    }

    let (w, h) = (200u32, 160u32);
    let reference = bare_canvas(w, h);
    scene(
        &plotters_canvas::CanvasBackend::with_canvas_object(reference.clone())
            .unwrap()
            .into_drawing_area(),
    );
    let cached = bare_canvas(w, h);
    scene(&CanvasOut::new(&cached).unwrap().into_drawing_area());
    assert_same_pixels(&reference, &cached, "cached state");
}

#[wasm_bindgen_test]
fn heap_counter_follows_allocations_by_size_class() {
    use convlab::heap::{live_blocks, live_bytes};
    // Each snapshot of the classes is itself a block (and counts itself).
    let blocks0 = live_blocks();
    let bytes0 = live_bytes();
    let kept: Vec<Vec<u8>> = (0..10).map(|_| vec![7u8; 40]).collect();
    let bytes1 = live_bytes();
    let blocks1 = live_blocks();
    // Ten 40-byte blocks (class 2: 32..47 bytes) and the outer vector's.
    assert!(bytes1 >= bytes0 + 400, "{bytes0} -> {bytes1}");
    assert!(
        blocks1[2] >= blocks0[2] + 10,
        "{:?} -> {:?}",
        blocks0[2],
        blocks1[2]
    );
    drop(kept);
    drop(blocks1);
    assert_eq!(live_bytes(), bytes0);
    let after = live_blocks();
    assert_eq!(after[2], blocks0[2], "{blocks0:?} -> {after:?}");
    // Blocks of 1 KiB or more share the last class.
    let big = vec![0u8; 4096];
    assert_eq!(live_blocks()[64], blocks0[64] + 1);
    drop(big);
}

#[wasm_bindgen_test]
async fn relay_hands_the_shell_value_to_the_current_page_only() {
    use convlab::widgets::surface::Relay;
    // Effects run on the browser's task queue, which mounting a view sets up.
    let _mounted = leptos::mount::mount_to(fresh_div(), || view! { <span></span> });
    let owner = Owner::new();
    owner.set();
    let source = RwSignal::new(1u32);
    let relay: Relay<u32> = Relay::new(source.into());
    let first = relay.for_page();
    assert_eq!(first.get_untracked(), 1);
    source.set(2);
    sleep(20).await;
    assert_eq!(
        first.get_untracked(),
        2,
        "the page on show follows the shell"
    );
    let second = relay.for_page();
    assert_eq!(second.get_untracked(), 2);
    source.set(3);
    sleep(20).await;
    assert_eq!(second.get_untracked(), 3);
    assert_eq!(
        first.get_untracked(),
        2,
        "a page no longer shown is left alone"
    );
    drop(owner);
}

/// The hostile-link cases of `tests/url_fuzz.rs`, in wasm32 (32-bit `usize`): no panic,
/// a note for every bad part of every link.
#[wasm_bindgen_test]
fn hostile_links_are_noted_in_wasm32_as_natively() {
    let cases = 2000;
    let t0 = js_sys::Date::now();
    let total = url_fuzz::run(9, cases, |h| {
        convlab::app::route_notes(h)
            .into_iter()
            .map(|n| (n.key, n.message))
            .collect()
    });
    match total {
        Ok(n) => {
            assert_eq!(n, cases * url_fuzz::ROUTES.len() as u64);
            web_sys::console::log_1(
                &format!(
                    "url fuzz (wasm32): {n} links in {:.0} ms",
                    js_sys::Date::now() - t0
                )
                .into(),
            );
        }
        Err(e) => panic!("{e}"),
    }
}

/// Heat maps (cells painted as one bitmap per tile), a run with a hole and
/// overlapping cells: replaying the recording on the page canvas gives the pixels
/// plotters-canvas gives drawing the same figure directly.
#[wasm_bindgen_test]
fn canvas_replay_of_cell_runs_paints_what_plotters_canvas_paints() {
    use convlab::draw::heatmap::{draw_tensor, HeatmapOptions, Palette};
    use convlab::draw::Style;
    use convlab::widgets::canvas_out::CanvasOut;
    use convlab::widgets::record::record;
    use plotters::prelude::*;

    let big = Tensor::from_fn(3, 9, 9, |c, y, x| ((c * 81 + y * 9 + x) as f32).sin()).unwrap();
    let small = Tensor::from_fn(2, 4, 5, |c, y, x| (c + y * x) as f32 - 3.0).unwrap();
    for scale in [1.0, 2.0] {
        let (w, h) = ((420.0 * scale) as u32, (330.0 * scale) as u32);
        let style = Style::new(convlab::config::Theme::Dark, scale);
        fn scene<DB: DrawingBackend>(
            area: &DrawingArea<DB, plotters::coord::Shift>,
            (big, small, style, scale): (&Tensor, &Tensor, &Style, f64),
        ) -> Result<(), String> {
            area.fill(&WHITE).map_err(|e| e.to_string())?;
            let (top, rest) = area.split_vertically((150.0 * scale) as i32);
            let (mid, bottom) = rest.split_vertically((110.0 * scale) as i32);
            // Grid lines between large cells, labels, legend.
            let (tw, th) = top.dim_in_pixel();
            let layout = TensorLayout::new(big.shape(), 0, tw as f64, th as f64, scale, true, true);
            let opts = HeatmapOptions {
                legend: true,
                labels: true,
                ..Default::default()
            };
            draw_tensor(&top, big, &layout, &opts, style)?;
            // Padding rings and numbers on a sequential palette.
            let (mw, mh) = mid.dim_in_pixel();
            let layout =
                TensorLayout::new(small.shape(), 1, mw as f64, mh as f64, scale, false, false);
            let opts = HeatmapOptions {
                palette: Palette::Sequential(None),
                ..Default::default()
            };
            draw_tensor(&mid, small, &layout, &opts, style)?;
            // A run of cells with a hole (the background shows through), then
            // cells overlapping it and hanging off the bottom edge.
            for i in 0..40i32 {
                if i == 17 {
                    continue;
                }
                let x = (i % 20) * 9;
                let y = (i / 20) * 9;
                bottom
                    .draw(&Rectangle::new(
                        [(x, y), (x + 9, y + 9)],
                        RGBColor((i * 6) as u8, 90, 200).filled(),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            for i in 0..30i32 {
                bottom
                    .draw(&Rectangle::new(
                        [(200 + i * 5, 60), (212 + i * 5, 400)],
                        RGBColor(20, (i * 8) as u8, 60).filled(),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        let args = (&big, &small, &style, scale);
        let reference = bare_canvas(w, h);
        scene(
            &plotters_canvas::CanvasBackend::with_canvas_object(reference.clone())
                .unwrap()
                .into_drawing_area(),
            args,
        )
        .unwrap();
        let replayed = bare_canvas(w, h);
        let rec = record((w, h), |a| scene(a, args)).unwrap();
        rec.replay_on_canvas(&mut CanvasOut::new(&replayed).unwrap())
            .unwrap();
        assert_same_pixels(&reference, &replayed, &format!("scale {scale}"));
    }
}

/// Dispatches `kind` on the window (the reader's activity the deferral watches).
fn reader_input(kind: &str) {
    web_sys::window()
        .unwrap()
        .dispatch_event(&bubbling(kind))
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_figure_away_from_the_view_waits_for_the_reader_then_draws() {
    use convlab::widgets::defer;
    defer::enable();
    let div = fresh_div();
    // Far below the view of the test page.
    div.style().set_property("margin-top", "8000px").unwrap();
    let n = RwSignal::new(4usize);
    let (handle, draws) = counting_plot(&div, n);
    let count = || *draws.lock().unwrap();
    sleep(60).await;
    let canvas = canvas_in(&div);
    assert_eq!(count(), 0, "a new figure away from the view waits");
    sleep(defer::IDLE_MS as i32 + 150).await;
    assert!(has_drawing(&canvas), "and is drawn at the first settle");
    assert!(canvas.has_attribute(defer::GATE_ATTR));

    // Changed while the reader is at the controls: it waits.
    let first = count();
    n.set(8);
    for _ in 0..6 {
        reader_input("input");
        sleep(40).await;
    }
    assert_eq!(
        count(),
        first,
        "no redraw away from the view while a control moves"
    );
    // The reader lets go: it is drawn once, with the last value.
    sleep(defer::IDLE_MS as i32 + 150).await;
    assert_eq!(count(), first + 1, "drawn once the controls are idle");
    sleep(defer::IDLE_MS as i32 + 100).await;
    assert_eq!(count(), first + 1, "and not again while nothing changes");

    // Scrolled near the view while stale: drawn at once.
    n.set(9);
    reader_input("pointermove");
    sleep(20).await;
    assert_eq!(count(), first + 1);
    canvas.scroll_into_view();
    sleep(80).await;
    assert_eq!(count(), first + 2, "drawn when it comes near the view");
    // Near the view, every change draws.
    n.set(10);
    reader_input("input");
    sleep(30).await;
    assert_eq!(count(), first + 3);

    // Away again: flushing (the export menu opening) draws it at once.
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
    sleep(80).await;
    n.set(11);
    reader_input("input");
    sleep(30).await;
    assert_eq!(count(), first + 3);
    defer::flush();
    sleep(20).await;
    assert_eq!(count(), first + 4, "flushed");

    // Held (a GIF recording): every change draws at once, away or not.
    let hold = defer::hold();
    n.set(12);
    reader_input("input");
    sleep(30).await;
    assert_eq!(count(), first + 5, "held");
    drop(hold);
    n.set(13);
    reader_input("input");
    sleep(30).await;
    assert_eq!(count(), first + 5, "released");

    // Off again for the other tests: stale figures draw.
    defer::disable();
    sleep(20).await;
    assert_eq!(count(), first + 6);
    assert!(div.query_selector(".cl-error").unwrap().is_none());
    drop(handle);
    div.remove();
}
