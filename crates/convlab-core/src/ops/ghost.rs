//! ghost (to be filled in).
