//! The GIF writer against independent decoders (the `gif` crate and its LZW).
use super::*;

/// GIF's LZW decoded by an independent implementation (the one the `gif`
/// crate uses), with the format's code sizes.
fn lzw_decode(data: &[u8], min: u8) -> Vec<u8> {
    let mut d = weezl::decode::Decoder::new(weezl::BitOrder::Lsb, min);
    d.decode(data).expect("a valid LZW stream")
}

/// Decodes a GIF with the `gif` crate: size, every frame composed onto
/// the canvas as the format says (each frame a rectangle of palette
/// indices), and the delays.
fn decode_gif(g: &[u8]) -> (u32, u32, Vec<Vec<[u8; 3]>>, Vec<u16>) {
    assert_eq!(&g[..6], b"GIF89a");
    assert_eq!(g.last(), Some(&0x3B), "the trailer is last");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut dec = opts.read_info(g).expect("a GIF the decoder reads");
    let (w, h) = (dec.width() as usize, dec.height() as usize);
    let pal: Vec<[u8; 3]> = dec
        .global_palette()
        .expect("a global colour table")
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    let mut canvas = vec![[0u8; 3]; w * h];
    let (mut frames, mut delays) = (Vec::new(), Vec::new());
    while let Some(f) = dec.read_next_frame().expect("frames decode") {
        assert!(
            f.palette.is_none() && !f.interlaced,
            "no local table, not interlaced"
        );
        let (x, y, fw, fh) = (
            f.left as usize,
            f.top as usize,
            f.width as usize,
            f.height as usize,
        );
        assert_eq!(f.buffer.len(), fw * fh);
        for yy in 0..fh {
            for xx in 0..fw {
                canvas[(y + yy) * w + x + xx] = pal[f.buffer[yy * fw + xx] as usize];
            }
        }
        frames.push(canvas.clone());
        delays.push(f.delay);
    }
    (w as u32, h as u32, frames, delays)
}

#[test]
fn lzw_round_trips_including_dictionary_resets() {
    let mut seed = 12345u32;
    let mut noise = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (seed >> 16) as u8
    };
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![7],
        vec![0; 10_000],
        (0..5000).map(|i| (i % 7) as u8).collect(),
        (0..60_000).map(|_| noise()).collect(),
        (0..20_000).map(|i| ((i / 3) % 256) as u8).collect(),
    ];
    for c in cases {
        let enc = lzw_encode(&c, 8);
        assert_eq!(lzw_decode(&enc, 8), c, "length {}", c.len());
    }
    let small: Vec<u8> = (0..3000).map(|i| (i % 4) as u8).collect();
    assert_eq!(lzw_decode(&lzw_encode(&small, 2), 2), small);
}

fn rgba(px: &[[u8; 3]]) -> Vec<u8> {
    px.iter().flat_map(|p| [p[0], p[1], p[2], 255]).collect()
}

#[test]
fn animation_decodes_to_its_frames() {
    let (w, h) = (37u32, 23u32);
    let colours = [[255, 255, 255], [0, 114, 178], [230, 159, 0], [20, 20, 20]];
    let frames: Vec<Vec<[u8; 3]>> = (0..5)
        .map(|f| {
            (0..w * h)
                .map(|p| {
                    let (x, y) = (p % w, p / w);
                    if x / 4 == f && y > 3 {
                        colours[1 + (f as usize % 3)]
                    } else if (x + y) % 9 == 0 {
                        colours[3]
                    } else {
                        colours[0]
                    }
                })
                .collect()
        })
        .collect();
    let mut input: Vec<Vec<u8>> = frames.iter().map(|f| rgba(f)).collect();
    // A repeated frame is stored as one pixel and still decodes.
    input.push(input[4].clone());
    let gif = encode(w, h, &input, 25, 200).unwrap();
    let (dw, dh, decoded, delays) = decode_gif(&gif);
    assert_eq!((dw, dh), (w, h));
    assert_eq!(decoded.len(), 6);
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(&decoded[i], f, "frame {i}");
    }
    assert_eq!(decoded[5], frames[4]);
    assert_eq!(delays, vec![25, 25, 25, 25, 25, 200]);
    // Only the changed rectangle is stored: far smaller than 6 full frames.
    let full = encode(w, h, &input[..1], 25, 25).unwrap().len();
    assert!(gif.len() < full * 4, "{} vs {}", gif.len(), full);
}

#[test]
fn many_colours_map_to_the_nearest_of_256() {
    let (w, h) = (64u32, 64u32);
    let px: Vec<[u8; 3]> = (0..w * h)
        .map(|p| [(p % 64 * 4) as u8, (p / 64 * 4) as u8, 128])
        .collect();
    let gif = encode(w, h, &[rgba(&px)], 10, 10).unwrap();
    let (_, _, decoded, _) = decode_gif(&gif);
    let worst = decoded[0]
        .iter()
        .zip(&px)
        .map(|(a, b)| {
            (0..3)
                .map(|c| (a[c] as i32 - b[c] as i32).abs())
                .max()
                .unwrap()
        })
        .max()
        .unwrap();
    assert!(worst <= 24, "worst channel error {worst}");
}

#[test]
fn rejects_bad_input_and_helpers_hold() {
    assert!(encode(2, 2, &[], 1, 1).is_err());
    assert!(encode(2, 2, &[vec![0; 15]], 1, 1).is_err());
    assert!(encode(0, 2, &[vec![]], 1, 1).is_err());
    assert_eq!(sample_frames(5, 10), vec![0, 1, 2, 3, 4]);
    let s = sample_frames(1000, 120);
    assert_eq!(s.len(), 120);
    assert_eq!((s[0], s[119]), (0, 999));
    assert!(s.windows(2).all(|p| p[0] < p[1]));
    assert_eq!(sample_frames(9, 1), vec![8]);
    assert!(sample_frames(0, 5).is_empty());
    assert_eq!(fit_size(1600, 400, 800, 800), (800, 200));
    assert_eq!(fit_size(300, 200, 800, 800), (300, 200));
    assert_eq!(fit_size(0, 0, 800, 800), (1, 1));
    assert_eq!(
        changed_rect(&[0, 0, 0, 0], &[0, 1, 0, 0], 2, 2),
        Some((1, 0, 2, 1))
    );
    assert_eq!(changed_rect(&[0; 4], &[0; 4], 2, 2), None);
}
