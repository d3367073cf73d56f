//! shuffle (to be filled in).
