//! Building blocks of the classical compact models, each with forward, cost and layer list.
