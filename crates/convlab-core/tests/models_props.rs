//! No knob value, however silly, makes the zoo panic.

use convlab_core::models::{Knobs, Zoo};
use convlab_core::Convention;
use proptest::prelude::*;

fn any_width() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-1.0),
        Just(0.0),
        Just(1e300),
        0.0f64..3.0,
        prop::sample::select(vec![0.25, 0.35, 0.5, 0.75, 1.0, 1.3, 1.4, 1.5, 2.0]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn zoo_never_panics(z in 0usize..10, width in any_width(),
                        resolution in prop_oneof![Just(0usize), Just(usize::MAX), 0usize..300],
                        groups in prop_oneof![Just(usize::MAX), 0usize..10],
                        expansion in prop_oneof![Just(usize::MAX), 0usize..12],
                        classes in prop_oneof![Just(0usize), Just(usize::MAX), 1usize..20_000],
                        twin in any::<bool>(), torch in any::<bool>()) {
        let zoo = Zoo::ALL[z];
        let k = Knobs { width, resolution, groups, expansion, classes };
        let cv = if torch { Convention::TORCHVISION } else { Convention::LECTURE };
        match zoo.build(&k, cv, twin) {
            Ok(m) => {
                prop_assert!(zoo.validate(&k).is_ok());
                prop_assert_eq!(m.output(), [classes, 1, 1]);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
