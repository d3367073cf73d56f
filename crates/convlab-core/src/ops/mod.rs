//! Operations beyond a single convolution: channel shuffle, ShiftNet shift,
//! p4m (rotation/flip) lifting, the Ghost module and the bottleneck.

pub mod bottleneck;
pub mod equivariant;
pub mod ghost;
pub mod shift;
pub mod shuffle;
