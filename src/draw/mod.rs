//! Pure drawing functions over a plotters DrawingArea.
