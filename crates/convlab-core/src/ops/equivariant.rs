//! equivariant (to be filled in).
