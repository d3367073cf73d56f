//! bottleneck (to be filled in).
