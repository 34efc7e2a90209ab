#![expect(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

//! HTTP integration tests: the whole router against a real database, each test on a fresh
//! database, every test run on SQLite and on PostgreSQL.

mod datasets;
mod helpers;
mod pg;

mod advisories;
mod api;
mod assessments;
mod auth;
mod branding;
mod catalogs;
mod check;
mod contract;
mod costs;
mod csaf_feed;
mod invitations;
mod isolation;
mod key_figures;
mod layout;
mod mail;
mod measure_plan;
mod measures;
mod modelling;
mod office;
mod ops;
mod orgs;
mod pact;
mod pact_map;
mod risk_library;
mod risks;
mod scaleout;
mod security;
mod signin;
mod smtp_sink;
mod structure;
mod structure_report;
mod structure_settings;
mod users;
