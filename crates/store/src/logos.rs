//! Logos: the federation's and each member's coat of arms. A member's is read and written
//! only inside the caller's scope; the federation's is readable by every signed-in user
//! (authorize writes before calling).

use verbund_domain::authz::Scope;
use verbund_domain::logo::Logo;
use verbund_domain::{FederationId, OrgId};

use crate::{AuditActor, Db, LogoMeta, Result, Store, backend};

impl Store {
    /// The logo of member `org` (inside `scope`), or of the federation (`None`), with its
    /// bytes; `None` if none was uploaded or the member is outside the scope.
    pub async fn logo(
        &self,
        scope: &Scope,
        fed: FederationId,
        org: Option<OrgId>,
    ) -> Result<Option<(LogoMeta, Vec<u8>)>> {
        dispatch!(self.logo(scope, fed, org))
    }

    /// What is known about a logo, without its bytes.
    pub async fn logo_meta(
        &self,
        scope: &Scope,
        fed: FederationId,
        org: Option<OrgId>,
    ) -> Result<Option<LogoMeta>> {
        dispatch!(self.logo_meta(scope, fed, org))
    }

    /// Stores (replaces) a checked logo, audited with the old and new file's type, size and
    /// hash. A member outside `scope` or the federation is `NotFound`.
    pub async fn save_logo(
        &self,
        by: &AuditActor,
        scope: &Scope,
        fed: FederationId,
        org: Option<OrgId>,
        logo: &Logo,
        sha256: &str,
    ) -> Result<LogoMeta> {
        dispatch!(self.save_logo(by, scope, fed, org, logo, sha256))
    }

    /// Removes a logo (audited); `false` if there was none.
    pub async fn delete_logo(
        &self,
        by: &AuditActor,
        scope: &Scope,
        fed: FederationId,
        org: Option<OrgId>,
    ) -> Result<bool> {
        dispatch!(self.delete_logo(by, scope, fed, org))
    }
}
