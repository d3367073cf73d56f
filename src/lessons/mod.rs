//! One module per lesson.
