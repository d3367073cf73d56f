//! [`D4`]: the dihedral group of the square, the rotations and flips a
//! [`Tensor`](super::Tensor) map is transformed by.

/// An element of the dihedral group D4 — the 8 symmetries of a square:
/// an optional left–right flip followed by a counter-clockwise rotation of
/// `rotation`·90°. `g = r^rotation · f^flip`.
///
/// ```
/// use convlab_core::D4;
/// assert_eq!(D4::ALL.len(), 8);
/// for g in D4::ALL {
///     assert_eq!(g.compose(g.inverse()), D4::IDENTITY);
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct D4 {
    /// Quarter turns counter-clockwise, `0..4`.
    pub rotation: u8,
    /// Whether a left–right mirror is applied first.
    pub flip: bool,
}

impl D4 {
    /// The identity.
    pub const IDENTITY: D4 = D4 {
        rotation: 0,
        flip: false,
    };
    /// The left–right mirror.
    pub const FLIP: D4 = D4 {
        rotation: 0,
        flip: true,
    };
    /// The 8 elements, rotations 0/90/180/270° without flip, then with flip.
    pub const ALL: [D4; 8] = [
        D4::new(0, false),
        D4::new(1, false),
        D4::new(2, false),
        D4::new(3, false),
        D4::new(0, true),
        D4::new(1, true),
        D4::new(2, true),
        D4::new(3, true),
    ];

    /// `r^rotation · f^flip`, rotation taken mod 4.
    pub const fn new(rotation: u8, flip: bool) -> D4 {
        D4 {
            rotation: rotation % 4,
            flip,
        }
    }

    /// A rotation by `k`·90° counter-clockwise (any integer `k`).
    pub fn rotation(k: i32) -> D4 {
        D4::new(k.rem_euclid(4) as u8, false)
    }

    /// Index in [`D4::ALL`].
    pub fn index(self) -> usize {
        self.rotation as usize + if self.flip { 4 } else { 0 }
    }

    /// Human label, e.g. `"90°"` or `"flip + 270°"`.
    pub fn label(self) -> String {
        let deg = u32::from(self.rotation) * 90;
        if self.flip {
            format!("flip + {deg}°")
        } else {
            format!("{deg}°")
        }
    }

    /// `self ∘ other`: first `other`, then `self`.
    pub fn compose(self, other: D4) -> D4 {
        // r^a f^p · r^b f^q = r^(a + (-1)^p b) f^(p+q)
        let b = if self.flip {
            (4 - other.rotation) % 4
        } else {
            other.rotation
        };
        D4::new(self.rotation + b, self.flip ^ other.flip)
    }

    /// The inverse element.
    pub fn inverse(self) -> D4 {
        if self.flip {
            self
        } else {
            D4::new((4 - self.rotation) % 4, false)
        }
    }

    /// Output `(height, width)` for an input of `h × w`.
    pub fn output_hw(self, h: usize, w: usize) -> (usize, usize) {
        if self.rotation % 2 == 1 {
            (w, h)
        } else {
            (h, w)
        }
    }

    /// For output position `(oy, ox)` of an `h × w` input, the input position it copies.
    pub fn source(self, oy: usize, ox: usize, h: usize, w: usize) -> (usize, usize) {
        // Undo the quarter turns from the last one back. A CCW turn maps an
        // input of height H_in, width W_in to out[i][j] = in[j][W_in - 1 - i],
        // and W_in is the output's height.
        let (mut y, mut x) = (oy, ox);
        let (mut ch, mut cw) = self.output_hw(h, w);
        for _ in 0..self.rotation {
            let (ny, nx) = (x, ch - 1 - y);
            y = ny;
            x = nx;
            std::mem::swap(&mut ch, &mut cw);
        }
        if self.flip {
            x = w - 1 - x;
        }
        (y, x)
    }
}
