//! Requirement catalogs (placeholder, being written).
