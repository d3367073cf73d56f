//! Layer-by-layer specs of whole models (the zoo), reproducing published totals.
