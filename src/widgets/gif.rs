//! A small animated-GIF (GIF89a) encoder: one global palette of up to 256
//! colours chosen from the frames, LZW-compressed frames, later frames
//! stored as the rectangle that changed. Used to export a Player's animation
//! for slide tools that cannot embed an iframe.
//!
//! ```text
//! "GIF89a" | screen w h, global table | 256×RGB | NETSCAPE2.0 loop
//! per frame: graphic control (delay) | image descriptor (x y w h) | LZW data
//! ";"
//! ```

use std::collections::HashMap;

/// Limits of an exported animation.
pub mod caps {
    /// At most this many frames (longer animations are sampled evenly).
    pub const MAX_FRAMES: usize = 120;
    /// Frames are scaled down to at most this width in pixels.
    pub const MAX_WIDTH: u32 = 800;
    /// … and this height.
    pub const MAX_HEIGHT: u32 = 800;
}

/// Which of `total` frames to keep so at most `cap` remain, evenly spaced,
/// always including the first and the last.
pub fn sample_frames(total: usize, cap: usize) -> Vec<usize> {
    if total == 0 || cap == 0 {
        return Vec::new();
    }
    if total <= cap {
        return (0..total).collect();
    }
    if cap == 1 {
        return vec![total - 1];
    }
    let mut out: Vec<usize> = (0..cap)
        .map(|i| ((i as f64) * (total - 1) as f64 / (cap - 1) as f64).round() as usize)
        .collect();
    out.dedup();
    out
}

/// The size `(w, h)` scaled down (never up) to fit `max_w × max_h`, at least 1×1.
pub fn fit_size(w: u32, h: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    let (w, h) = (w.max(1), h.max(1));
    let s = (max_w as f64 / w as f64)
        .min(max_h as f64 / h as f64)
        .min(1.0);
    (
        ((w as f64 * s).round() as u32).max(1),
        ((h as f64 * s).round() as u32).max(1),
    )
}

/// A colour key with 5 bits per channel.
fn key(r: u8, g: u8, b: u8) -> usize {
    ((r as usize >> 3) << 10) | ((g as usize >> 3) << 5) | (b as usize >> 3)
}

/// Up to 256 colours for `frames` (RGBA, alpha ignored): the exact colours
/// when there are few, else a median cut of the 15-bit colour bins (each box
/// split at the pixel-weighted median of its widest channel), each colour
/// the mean of its pixels.
pub fn palette(frames: &[&[u8]]) -> Vec<[u8; 3]> {
    // Per 15-bit bin: pixel count and channel sums.
    let mut bins: HashMap<usize, (u64, [u64; 3])> = HashMap::new();
    for f in frames {
        for px in f.chunks_exact(4) {
            let e = bins.entry(key(px[0], px[1], px[2])).or_insert((0, [0; 3]));
            e.0 += 1;
            for (sum, v) in e.1.iter_mut().zip(px) {
                *sum += *v as u64;
            }
        }
    }
    let mean = |n: u64, s: [u64; 3]| {
        let m = |v: u64| ((v + n / 2) / n.max(1)).min(255) as u8;
        [m(s[0]), m(s[1]), m(s[2])]
    };
    // (count, mean colour) per bin, in key order so hashing does not matter.
    let mut list: Vec<(usize, u64, [u8; 3])> = bins
        .into_iter()
        .map(|(k, (n, s))| (k, n, mean(n, s)))
        .collect();
    list.sort_by_key(|b| b.0);
    let mut boxes: Vec<Vec<(u64, [u8; 3])>> = vec![list.into_iter().map(|b| (b.1, b.2)).collect()];
    while boxes.len() < 256 {
        // The box with the widest channel range, weighted by its pixels.
        let score = |b: &Vec<(u64, [u8; 3])>| -> (u64, usize) {
            if b.len() < 2 {
                return (0, 0);
            }
            let n: u64 = b.iter().map(|e| e.0).sum();
            let (ch, range) = (0..3)
                .map(|c| {
                    let lo = b.iter().map(|e| e.1[c]).min().unwrap_or(0);
                    let hi = b.iter().map(|e| e.1[c]).max().unwrap_or(0);
                    (c, (hi - lo) as u64)
                })
                .max_by_key(|&(_, r)| r)
                .unwrap_or((0, 0));
            (range * range * n.max(1), ch)
        };
        let Some((at, (s, ch))) = boxes
            .iter()
            .enumerate()
            .map(|(i, b)| (i, score(b)))
            .max_by_key(|&(_, (s, _))| s)
        else {
            break;
        };
        if s == 0 {
            break;
        }
        let mut b = boxes.swap_remove(at);
        b.sort_by_key(|e| e.1[ch]);
        let half: u64 = b.iter().map(|e| e.0).sum::<u64>() / 2;
        let mut acc = 0;
        let mut cut = 1;
        for (i, e) in b.iter().enumerate() {
            acc += e.0;
            if acc >= half {
                cut = (i + 1).clamp(1, b.len() - 1);
                break;
            }
        }
        let rest = b.split_off(cut);
        boxes.push(b);
        boxes.push(rest);
    }
    boxes
        .into_iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            let n: u64 = b.iter().map(|e| e.0).sum();
            let mut s = [0u64; 3];
            for (w, c) in &b {
                for (sum, v) in s.iter_mut().zip(c) {
                    *sum += w * *v as u64;
                }
            }
            mean(n, s)
        })
        .collect()
}

/// Maps colours to the nearest palette entry (cached per 15-bit bin).
struct Mapper {
    pal: Vec<[u8; 3]>,
    cache: Vec<u16>,
}

impl Mapper {
    const NONE: u16 = u16::MAX;

    fn new(pal: Vec<[u8; 3]>) -> Self {
        Mapper {
            pal,
            cache: vec![Self::NONE; 1 << 15],
        }
    }

    fn index(&mut self, r: u8, g: u8, b: u8) -> u8 {
        let k = key(r, g, b);
        let hit = self.cache[k];
        if hit != Self::NONE {
            return hit as u8;
        }
        let mut best = (u32::MAX, 0usize);
        for (i, p) in self.pal.iter().enumerate() {
            let d = |a: u8, b: u8| (a as i32 - b as i32).pow(2) as u32;
            let dist = d(p[0], r) + d(p[1], g) + d(p[2], b);
            if dist < best.0 {
                best = (dist, i);
            }
        }
        self.cache[k] = best.1 as u16;
        best.1 as u8
    }
}

/// Writes variable-width codes, least significant bit first.
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, code: u16, size: u32) {
        self.acc |= (code as u32) << self.n;
        self.n += size;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// GIF's variable-width LZW of `indices` (each < 2^`min_size`), without the
/// sub-block framing: clear code first, end-of-information last, the
/// dictionary restarted with a clear code when it reaches 4096 codes.
pub fn lzw_encode(indices: &[u8], min_size: u8) -> Vec<u8> {
    let min = min_size.clamp(2, 8) as u32;
    let clear = 1u16 << min;
    let eoi = clear + 1;
    let mut size = min + 1;
    let mut next = eoi + 1;
    let mut table: HashMap<(u16, u8), u16> = HashMap::new();
    let mut bits = Bits {
        out: Vec::with_capacity(indices.len() / 2 + 16),
        acc: 0,
        n: 0,
    };
    bits.put(clear, size);
    let mut iter = indices.iter();
    let Some(&first) = iter.next() else {
        bits.put(eoi, size);
        return bits.finish();
    };
    let mut prefix = first as u16;
    for &k in iter {
        if let Some(&code) = table.get(&(prefix, k)) {
            prefix = code;
            continue;
        }
        bits.put(prefix, size);
        if next == 4096 {
            bits.put(clear, size);
            table.clear();
            size = min + 1;
            next = eoi + 1;
        } else {
            if next >= (1 << size) {
                size += 1;
            }
            table.insert((prefix, k), next);
            next += 1;
        }
        prefix = k as u16;
    }
    bits.put(prefix, size);
    bits.put(eoi, size);
    bits.finish()
}

/// `data` split into GIF sub-blocks (length byte + up to 255 bytes), then
/// the zero-length terminator.
fn sub_blocks(data: &[u8], out: &mut Vec<u8>) {
    for chunk in data.chunks(255) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
    out.push(0);
}

fn le16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes a looping GIF frame by frame, so a long animation is held
/// compressed (only the current and previous frame are kept as pixels).
pub struct GifWriter {
    width: usize,
    height: usize,
    mapper: Mapper,
    prev: Option<Vec<u8>>,
    out: Vec<u8>,
    frames: usize,
}

impl GifWriter {
    /// A GIF of `width × height` with `palette` (at most 256 colours; see
    /// [`palette`]), looping forever.
    ///
    /// # Errors
    /// A size that does not fit 16 bits, or an empty palette.
    pub fn new(width: u32, height: u32, palette: Vec<[u8; 3]>) -> Result<Self, String> {
        if width == 0 || height == 0 || width > 65_535 || height > 65_535 {
            return Err(format!("a GIF cannot be {width}×{height} pixels"));
        }
        if palette.is_empty() {
            return Err("a GIF needs at least one colour".into());
        }
        let mut out = Vec::with_capacity(1024);
        out.extend_from_slice(b"GIF89a");
        le16(&mut out, width as u16);
        le16(&mut out, height as u16);
        // Global colour table of 256 entries, 8-bit colour resolution.
        out.extend_from_slice(&[0xF7, 0, 0]);
        for i in 0..256 {
            out.extend_from_slice(&palette.get(i).copied().unwrap_or([0, 0, 0]));
        }
        // Loop forever.
        out.extend_from_slice(&[0x21, 0xFF, 0x0B]);
        out.extend_from_slice(b"NETSCAPE2.0");
        out.extend_from_slice(&[0x03, 0x01, 0x00, 0x00, 0x00]);
        let mut palette = palette;
        palette.truncate(256);
        Ok(GifWriter {
            width: width as usize,
            height: height as usize,
            mapper: Mapper::new(palette),
            prev: None,
            out,
            frames: 0,
        })
    }

    /// Adds a frame (`width × height` RGBA, row-major) shown `delay_cs`
    /// hundredths of a second; only the rectangle that changed since the
    /// previous frame is stored.
    ///
    /// # Errors
    /// A frame of the wrong length.
    pub fn add_frame(&mut self, rgba: &[u8], delay_cs: u16) -> Result<(), String> {
        let (w, h) = (self.width, self.height);
        if rgba.len() != w * h * 4 {
            return Err(format!(
                "frame {} has {} bytes, not {w}×{h}×4",
                self.frames,
                rgba.len()
            ));
        }
        let idx: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| self.mapper.index(p[0], p[1], p[2]))
            .collect();
        // The whole first frame; one pixel when nothing changed.
        let (x0, y0, x1, y1) = match &self.prev {
            None => (0, 0, w, h),
            Some(p) => changed_rect(p, &idx, w, h).unwrap_or((0, 0, 1, 1)),
        };
        let out = &mut self.out;
        // Graphic control: keep the previous image under the next one.
        out.extend_from_slice(&[0x21, 0xF9, 0x04, 0x04]);
        le16(out, delay_cs);
        out.extend_from_slice(&[0x00, 0x00]);
        out.push(0x2C);
        for v in [x0, y0, x1 - x0, y1 - y0] {
            le16(out, v as u16);
        }
        out.push(0x00);
        let mut rect = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            rect.extend_from_slice(&idx[y * w + x0..y * w + x1]);
        }
        out.push(8);
        sub_blocks(&lzw_encode(&rect, 8), out);
        self.prev = Some(idx);
        self.frames += 1;
        Ok(())
    }

    /// Frames added so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The finished file.
    ///
    /// # Errors
    /// No frame was added.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        if self.frames == 0 {
            return Err("an animation needs at least one frame".into());
        }
        self.out.push(0x3B);
        Ok(self.out)
    }
}

/// An animation of `frames` (each `width × height` RGBA, row-major) shown
/// `delay_cs` hundredths of a second each (the last `last_delay_cs`),
/// looping forever, with a palette chosen from all frames.
///
/// # Errors
/// No frames, a size that does not fit 16 bits, or a frame of the wrong length.
pub fn encode(
    width: u32,
    height: u32,
    frames: &[Vec<u8>],
    delay_cs: u16,
    last_delay_cs: u16,
) -> Result<Vec<u8>, String> {
    if frames.is_empty() {
        return Err("an animation needs at least one frame".into());
    }
    let refs: Vec<&[u8]> = frames.iter().map(|f| f.as_slice()).collect();
    let mut pal = palette(&refs);
    if pal.is_empty() {
        pal.push([0, 0, 0]);
    }
    let mut g = GifWriter::new(width, height, pal)?;
    for (i, f) in frames.iter().enumerate() {
        let d = if i + 1 == frames.len() {
            last_delay_cs
        } else {
            delay_cs
        };
        g.add_frame(f, d)?;
    }
    g.finish()
}

/// The bounding box `(x0, y0, x1, y1)` (exclusive ends) of the pixels that
/// differ between `a` and `b`, or `None` when they are equal.
fn changed_rect(a: &[u8], b: &[u8], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let mut r: Option<(usize, usize, usize, usize)> = None;
    for y in 0..h {
        let row = y * w;
        let Some(first) = (0..w).find(|&x| a[row + x] != b[row + x]) else {
            continue;
        };
        let last = (0..w)
            .rev()
            .find(|&x| a[row + x] != b[row + x])
            .unwrap_or(first);
        r = Some(match r {
            None => (first, y, last + 1, y + 1),
            Some((x0, y0, x1, _)) => (x0.min(first), y0, x1.max(last + 1), y + 1),
        });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GIF LZW decoding as the format describes it (a reference for the test).
    fn lzw_decode(data: &[u8], min: u32) -> Vec<u8> {
        let clear = 1u32 << min;
        let eoi = clear + 1;
        let mut size = min + 1;
        let mut dict: Vec<Vec<u8>> = Vec::new();
        let reset = |dict: &mut Vec<Vec<u8>>| {
            dict.clear();
            for i in 0..clear {
                dict.push(vec![i as u8]);
            }
            dict.push(Vec::new());
            dict.push(Vec::new());
        };
        reset(&mut dict);
        let (mut acc, mut n, mut pos) = (0u32, 0u32, 0usize);
        let mut out = Vec::new();
        let mut prev: Option<Vec<u8>> = None;
        loop {
            while n < size {
                acc |= (data[pos] as u32) << n;
                pos += 1;
                n += 8;
            }
            let code = acc & ((1 << size) - 1);
            acc >>= size;
            n -= size;
            if code == clear {
                reset(&mut dict);
                size = min + 1;
                prev = None;
                continue;
            }
            if code == eoi {
                return out;
            }
            let entry = if (code as usize) < dict.len() {
                dict[code as usize].clone()
            } else {
                let p = prev.clone().unwrap();
                let mut e = p.clone();
                e.push(p[0]);
                e
            };
            out.extend_from_slice(&entry);
            if let Some(p) = prev {
                let mut e = p.clone();
                e.push(entry[0]);
                dict.push(e);
                if dict.len() == (1 << size) && size < 12 {
                    size += 1;
                }
            }
            prev = Some(entry);
        }
    }

    fn joined(blocks: &[u8]) -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let len = blocks[i] as usize;
            i += 1;
            if len == 0 {
                return (out, i);
            }
            out.extend_from_slice(&blocks[i..i + len]);
            i += len;
        }
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

    /// Decodes our own GIF: header, palette, frames composed onto a canvas.
    fn decode_gif(g: &[u8]) -> (u32, u32, Vec<Vec<[u8; 3]>>, Vec<u16>) {
        assert_eq!(&g[..6], b"GIF89a");
        let w = u16::from_le_bytes([g[6], g[7]]) as usize;
        let h = u16::from_le_bytes([g[8], g[9]]) as usize;
        assert_eq!(g[10] & 0x80, 0x80, "global colour table");
        let size = 2usize << (g[10] & 7);
        let pal: Vec<[u8; 3]> = (0..size)
            .map(|i| [g[13 + 3 * i], g[14 + 3 * i], g[15 + 3 * i]])
            .collect();
        let mut i = 13 + 3 * size;
        let mut canvas = vec![[0u8; 3]; w * h];
        let mut frames = Vec::new();
        let mut delays = Vec::new();
        loop {
            match g[i] {
                0x21 => {
                    if g[i + 1] == 0xF9 {
                        delays.push(u16::from_le_bytes([g[i + 4], g[i + 5]]));
                    }
                    let (_, used) = joined(&g[i + 2..]);
                    i += 2 + used;
                }
                0x2C => {
                    let r = |o: usize| u16::from_le_bytes([g[i + o], g[i + o + 1]]) as usize;
                    let (x, y, fw, fh) = (r(1), r(3), r(5), r(7));
                    assert_eq!(g[i + 9], 0, "no local table, not interlaced");
                    let min = g[i + 10] as u32;
                    let (data, used) = joined(&g[i + 11..]);
                    let idx = lzw_decode(&data, min);
                    assert_eq!(idx.len(), fw * fh);
                    for yy in 0..fh {
                        for xx in 0..fw {
                            canvas[(y + yy) * w + x + xx] = pal[idx[yy * fw + xx] as usize];
                        }
                    }
                    frames.push(canvas.clone());
                    i += 11 + used;
                }
                0x3B => break,
                b => panic!("unexpected block {b:#x} at {i}"),
            }
        }
        assert_eq!(i, g.len() - 1, "trailer is last");
        (w as u32, h as u32, frames, delays)
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
}
