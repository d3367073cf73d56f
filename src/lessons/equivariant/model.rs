//! What the equivariance lesson computes with the kernel crate: the filter's
//! weights, its lifting over the group, and the figure's view model (the
//! orbit, the maps of `x` and of `h·x`, their permutation and the measured
//! equivariance error for every transform).

use convlab_core::ops::equivariant::{map_permutation, Lifting};
use convlab_core::{Error, Tensor, D4};

use super::state::{EquivState, Filter};

impl Filter {
    /// The `k×k` weights, row-major (a drawing keeps its own size).
    ///
    /// # Errors
    /// The kernel crate's error for the seeded values (not expected).
    pub fn weights(&self, k: usize) -> Result<(usize, Vec<f32>), Error> {
        let c = (k / 2) as isize;
        let grid = |f: &dyn Fn(isize, isize) -> f32| -> Vec<f32> {
            let mut v = Vec::with_capacity(k * k);
            for y in 0..k as isize {
                for x in 0..k as isize {
                    v.push(f(y - c, x - c));
                }
            }
            v
        };
        Ok(match self {
            Filter::Edge => (
                k,
                grid(&|y, x| {
                    let side = if y.abs() == c { 1.0 } else { 2.0 };
                    x.signum() as f32 * side
                }),
            ),
            Filter::Corner => (
                k,
                grid(&|y, x| {
                    if y < 0 || x < 0 {
                        -1.0
                    } else if y == 0 {
                        2.0
                    } else if x == 0 {
                        1.0
                    } else {
                        0.0
                    }
                }),
            ),
            Filter::Learned(seed) => {
                let r = Tensor::random(1, 1, k * k + 3, *seed)?;
                let d = r.data();
                let theta = d[0] * std::f32::consts::PI;
                let phase = d[1] * std::f32::consts::PI;
                let freq = 0.45 + 0.2 * d[2];
                let sigma = 0.45 * k as f32;
                (
                    k,
                    grid(&|y, x| {
                        let (xf, yf) = (x as f32, y as f32);
                        let u = xf * theta.cos() + yf * theta.sin();
                        let env = (-(xf * xf + yf * yf) / (2.0 * sigma * sigma)).exp();
                        let noise = d[3 + ((y + c) as usize) * k + (x + c) as usize] * 0.15;
                        ((2.0 * std::f32::consts::PI * freq * u + phase).cos() * env + noise) * 1.5
                    }),
                )
            }
            Filter::Drawn(d) => (d.k(), d.weights()),
        })
    }
}

impl EquivState {
    /// The lifted filter.
    ///
    /// # Errors
    /// The kernel crate's message.
    pub fn lifting(&self) -> Result<Lifting, Error> {
        let (k, w) = self.filter.weights(self.k)?;
        Lifting::from_kernel(k, w, self.group)
    }
}

/// Everything the figure shows, computed by the kernel crate.
#[derive(Clone, Debug, PartialEq)]
pub struct EquivView {
    /// The lifted filter.
    pub lift: Lifting,
    /// Filter `i` as a `1×K×K` tensor (`gᵢ·w`).
    pub filters: Vec<Tensor>,
    /// The input.
    pub x: Tensor,
    /// The transformed input `h·x`.
    pub hx: Tensor,
    /// The maps of `x`, one channel per group element.
    pub maps: Tensor,
    /// The maps of `h·x` ("transform then convolve").
    pub maps_h: Tensor,
    /// `h·` (maps of `x`, permuted) ("convolve then transform").
    pub maps_rhs: Tensor,
    /// New map `g` is old map `perm[g]`, transformed by `h`.
    pub perm: Vec<usize>,
    /// The max abs difference of the two sides for every `h` in the group.
    pub errors: Vec<(D4, f32)>,
    /// The error for the current `h`.
    pub error: f32,
}

/// Computes the view for `st` on the picture `x` (one channel).
///
/// # Errors
/// The kernel crate's message.
pub fn compute(st: &EquivState, x: &Tensor) -> Result<EquivView, Error> {
    let lift = st.lifting()?;
    let mut filters = Vec::with_capacity(st.group.order());
    for i in 0..st.group.order() {
        if let Some(f) = lift.filter(i) {
            let k = f.spec().kernel.0;
            filters.push(Tensor::new(1, k, k, f.weight().to_vec())?);
        }
    }
    let hx = x.transform(st.h);
    let maps = lift.forward(x)?;
    let (maps_h, maps_rhs) = lift.equivariance_sides(x, st.h)?;
    let perm = map_permutation(st.group, st.h)?;
    let errors = lift.equivariance_errors(x)?;
    let error = errors
        .iter()
        .find(|(g, _)| *g == st.h)
        .map_or(f32::NAN, |e| e.1);
    Ok(EquivView {
        lift,
        filters,
        x: x.clone(),
        hx,
        maps,
        maps_h,
        maps_rhs,
        perm,
        errors,
        error,
    })
}

/// Column and row of group element `g` in the orbit grid: rotations along a
/// row, the flipped copies on the second row.
pub fn orbit_cell(g: D4) -> (usize, usize) {
    (g.rotation as usize, usize::from(g.flip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::equivariant::state::{Drawing, KERNELS};
    use convlab_core::ops::equivariant::Group;

    #[test]
    fn presets_have_the_shape_and_symmetry_claimed() {
        for k in KERNELS {
            for f in [Filter::Edge, Filter::Corner, Filter::Learned(1)] {
                let (kk, w) = f.weights(k).unwrap();
                assert_eq!((kk, w.len()), (k, k * k));
                assert!(w.iter().all(|v| v.is_finite()));
            }
        }
        // The corner filter is asymmetric: its 8 copies all differ.
        let st = EquivState::default();
        let lift = st.lifting().unwrap();
        let copies: Vec<Vec<f32>> = (0..8)
            .map(|i| lift.filter(i).unwrap().weight().to_vec())
            .collect();
        for i in 0..8 {
            for j in 0..i {
                assert_ne!(copies[i], copies[j], "{i} vs {j}");
            }
        }
        // The edge filter is Sobel at K = 3.
        let (_, e) = Filter::Edge.weights(3).unwrap();
        assert_eq!(e, vec![-1.0, 0.0, 1.0, -2.0, 0.0, 2.0, -1.0, 0.0, 1.0]);
        // Learned filters differ by seed and are reproducible.
        assert_ne!(
            Filter::Learned(1).weights(3).unwrap(),
            Filter::Learned(2).weights(3).unwrap()
        );
        assert_eq!(
            Filter::Learned(1).weights(3).unwrap(),
            Filter::Learned(1).weights(3).unwrap()
        );
    }

    #[test]
    fn a_preset_quantises_to_the_drawing_of_its_weights() {
        let (_, w) = Filter::Edge.weights(3).unwrap();
        let d = Drawing::from_weights(3, &w);
        assert_eq!(d.weights(), w);
        assert_eq!(
            Filter::Drawn(d.clone()).weights(5).unwrap(),
            (3, d.weights())
        );
    }

    #[test]
    fn view_is_equivariant_for_every_transform() {
        let x = Tensor::random(1, 12, 12, 9).unwrap();
        for group in [Group::P4, Group::P4m] {
            for &h in group.elements() {
                let st = EquivState {
                    filter: Filter::Learned(3),
                    k: 5,
                    group,
                    h,
                    ..EquivState::default()
                };
                let v = compute(&st, &x).unwrap();
                assert_eq!(v.filters.len(), group.order());
                assert_eq!(v.maps.channels(), group.order());
                assert_eq!(v.errors.len(), group.order());
                assert!(v.error < 1e-5, "{h:?}: {}", v.error);
                assert_eq!(v.maps_h.max_abs_diff(&v.maps_rhs).unwrap(), v.error);
                assert_eq!(v.lift.shared_params(), 25);
                assert_eq!(v.lift.independent_params(), 25 * group.order() as u64);
            }
        }
    }

    #[test]
    fn orbit_grid_positions_are_distinct() {
        let cells: Vec<(usize, usize)> = D4::ALL.iter().map(|&g| orbit_cell(g)).collect();
        for i in 0..8 {
            assert!(cells[i].0 < 4 && cells[i].1 < 2);
            for j in 0..i {
                assert_ne!(cells[i], cells[j]);
            }
        }
    }
}
