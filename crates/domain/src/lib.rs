//! Pure domain types and rules of Verbund: no IO, no async, no database.
//!
//! Everything here is testable without a database: validated values (AGS, e-mail,
//! dates), the authorization rules that decide what a user may see and do, the
//! audit hash chain, and pagination bounds.

pub mod advisory;
pub mod assessment;
pub mod audit;
pub mod authz;
pub mod catalog;
pub mod comparison;
pub mod costs;
pub mod ids;
pub mod key_figures;
pub mod localtime;
pub mod logo;
pub mod measure;
pub mod org;
pub mod pact;
pub mod page;
pub mod reminder;
pub mod risk;
pub mod settings;
pub mod signin;
pub mod structure;
pub mod user;
pub mod validation;

pub use ids::*;
