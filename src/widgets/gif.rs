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

/// GIF's variable-width LZW of `indices` (each < 2^`min_size`), without the
/// sub-block framing: clear code first, end-of-information last, the
/// dictionary restarted when it reaches 4096 codes (the `weezl` coder the
/// `gif` crate uses; an empty vector should it refuse, which it does only for
/// an index ≥ 2^`min_size`, never produced here).
pub fn lzw_encode(indices: &[u8], min_size: u8) -> Vec<u8> {
    let min = min_size.clamp(2, 8);
    weezl::encode::Encoder::new(weezl::BitOrder::Lsb, min)
        .encode(indices)
        .unwrap_or_default()
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
#[path = "gif_tests.rs"]
mod tests;
