//! Imports and exports between external formats and domain types.
//!
//! - [`catalog`]: requirement catalogs from CISO Assistant libraries (YAML) and NIST
//!   OSCAL catalogs and profiles (JSON) into [`verbund_domain::catalog::Catalog`].
//! - [`starter`]: the self-worded starter catalog shipped with Verbund.

pub mod catalog;
pub mod starter;
