//! Receptive fields: the recurrence over a layer stack and the exact cells that feed an output.
