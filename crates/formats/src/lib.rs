//! Imports and exports between external formats and domain types.
