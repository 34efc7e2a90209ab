//! Imports and exports between external formats and domain types.
//!
//! - [`catalog`]: requirement catalogs from CISO Assistant libraries (YAML) and NIST
//!   OSCAL catalogs and profiles (JSON) into [`verbund_domain::catalog::Catalog`].

pub mod catalog;
