//! The application layer: the operations users perform through the UI, the JSON API and the
//! CLI — authorize, validate, build domain inputs, call the store. No HTTP types live here.
//!
//! One module per capability (`orgs`, `users`, `tokens`, `audit`, `auth`, `catalogs`,
//! `assessments`, `comparison`, `costs`, `statements`, `settings`, `demo`); each function
//! takes the [`Services`], the acting user ([`verbund_domain::authz::Actor`]) where one acts,
//! and returns [`Result`]. A new capability adds one module of the same shape.

pub mod account;
pub mod advisories;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod branding;
pub mod calendar;
pub mod catalogs;
pub mod check;
pub mod committee;
pub mod comparison;
pub mod costs;
pub mod crypto;
pub mod csaf_feed;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod file;
pub mod http_client;
pub mod invitations;
pub mod jobs;
pub mod key_figures;
pub mod mail;
pub mod measure_plan;
pub mod measures;
pub mod member_page;
pub mod modelling;
pub mod orgs;
pub mod pact;
pub mod pact_alert;
pub mod pact_handbook;
pub mod pact_map;
pub mod pact_settlement;
pub mod password_reset;
pub mod reminders;
pub mod risks;
pub mod settings;
pub mod statements;
pub mod structure;
pub mod structure_report;
pub mod tokens;
pub mod users;

use std::sync::Arc;
use std::time::Duration;

use verbund_store::Store;

pub use error::{Error, Result};

/// The time source of the application: the system clock, or a fixed or moved clock in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(verbund_store::now_ms))
    }

    /// A clock from any function returning Unix milliseconds (for tests).
    pub fn from_fn(f: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// Rules for signing in, loaded once from the configuration (the design is described in
/// `verbund_domain::signin`).
#[derive(Debug, Clone)]
pub struct AuthPolicy {
    /// Absolute session lifetime.
    pub session_ttl: Duration,
    /// A session ends after this much inactivity.
    pub session_idle: Duration,
    /// Failed sign-ins (password or second factor) for one account from one address before
    /// that address is refused for that account; also where the account's delay starts.
    pub max_login_failures: i64,
    /// The window of `max_login_failures`, the length of the refusal, and the window in which
    /// an account's failures count towards its delay.
    pub lockout: Duration,
    /// Failed sign-ins from one address (any accounts, known or not) before it is refused.
    pub max_address_failures: i64,
    /// The window of `max_address_failures` and the length of that refusal.
    pub address_window: Duration,
    /// The first delay once an account has `max_login_failures` recent failures (doubling
    /// with each further failure).
    pub account_delay_base: Duration,
    /// The longest delay.
    pub account_delay_max: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(3600),
            max_login_failures: 5,
            lockout: Duration::from_secs(15 * 60),
            max_address_failures: 20,
            address_window: Duration::from_secs(5 * 60),
            account_delay_base: Duration::from_secs(1),
            account_delay_max: Duration::from_secs(8),
        }
    }
}

/// Everything an operation needs: the store, the clock and the sign-in rules. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    /// The database.
    pub store: Store,
    /// The time source.
    pub clock: Clock,
    /// Sign-in rules.
    pub auth: Arc<AuthPolicy>,
    /// Serialised answer lists by assessment revision.
    pub lists: Arc<assessments::ListCache>,
    /// Topic tallies by assessment revision (for the summary).
    pub topics: Arc<assessments::TopicCache>,
    /// The advisories' matching models (re-matching one inventory object).
    pub advisory_models: Arc<advisories::ModelCache>,
}

impl Services {
    /// Services on `store` with the system clock and the given sign-in rules.
    pub fn new(store: Store, auth: AuthPolicy) -> Self {
        Self {
            store,
            clock: Clock::system(),
            auth: Arc::new(auth),
            lists: Arc::default(),
            topics: Arc::default(),
            advisory_models: Arc::default(),
        }
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// Milliseconds of a duration, saturating.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}

/// The installation's federation; before `verbund create-admin` has created one,
/// [`Error::NotSetUp`] with what to do next.
pub async fn federation(store: &Store) -> Result<verbund_store::Federation> {
    store.federation().await?.ok_or(Error::NotSetUp {
        code: "error-no-federation",
    })
}
