//! Imports and exports between external formats and domain types.
//!
//! - [`catalog`]: requirement catalogs from CISO Assistant libraries (YAML) and NIST
//!   OSCAL catalogs and profiles (JSON) into [`verbund_domain::catalog::Catalog`].
//! - [`csaf`]: CSAF 2.0 security advisories (typed document and what Verbund matches).
//! - [`starter`]: the self-worded starter catalog shipped with Verbund.
//! - [`gemeinden`]: the Destatis list of German municipalities (for generated demo data).
//! - [`archive`]: the guard every ZIP-based upload passes first (entry count, unpacked
//!   size, compression ratio), against decompression bombs.
//! - [`assessment_csv`] and [`assessment_xlsx`]: a member's answers as CSV (export and
//!   import) and from XLSX workbooks (the export is in the reports crate), sharing the
//!   columns and errors of [`assessment_import`].
//! - [`structure_inventory`]: a member's target objects and links (structure analysis) as
//!   CSV export and CSV/XLSX import, with the same errors and limits.

pub mod archive;
pub mod assessment_csv;
pub mod assessment_import;
pub mod assessment_xlsx;
pub mod catalog;
pub mod csaf;
pub mod gemeinden;
pub mod starter;
pub mod structure_inventory;
