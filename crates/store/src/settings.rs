//! Federation settings: letterhead and comparison visibility. Office data; authorize before calling.

use verbund_domain::FederationId;

use crate::{AuditActor, Db, Result, Store, backend};

impl Store {
    /// The federation's settings (defaults if never saved).
    pub async fn settings(
        &self,
        fed: FederationId,
    ) -> Result<verbund_domain::settings::FederationSettings> {
        dispatch!(self.settings(fed))
    }

    /// Replaces the federation's settings (validate first).
    pub async fn save_settings(
        &self,
        by: &AuditActor,
        fed: FederationId,
        s: &verbund_domain::settings::FederationSettings,
    ) -> Result<()> {
        dispatch!(self.save_settings(by, fed, s))
    }
}
