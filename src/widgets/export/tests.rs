//! Tests of [`super`]: file names made from labels.

use super::*;

#[test]
fn slugs_are_file_safe() {
    assert_eq!(slug("input x"), "input-x");
    assert_eq!(
        slug("output y: 4 channel(s) of 8×8"),
        "output-y-4-channel-s-of-8-8"
    );
    assert_eq!(slug("  "), "figure");
    assert_eq!(slug("Params — vs C!"), "params-vs-c");
    assert!(slug(&"a".repeat(100)).len() <= 40);
}
