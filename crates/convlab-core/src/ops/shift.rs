//! shift (to be filled in).
