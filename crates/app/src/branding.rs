//! The federation's logo (page header, letterheads, the committee report) and each member's
//! coat of arms (Wappen, on the letters addressed to it).
//!
//! Uploads are PNG or JPEG, checked by their first bytes and header
//! ([`verbund_domain::logo`]); the office (federation management) uploads and removes both.
//! Every signed-in user may fetch the federation's logo; a member's coat of arms is read by
//! whoever may read the organisation.

use sha2::{Digest, Sha256};
use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::logo::{self, Logo, LogoError};
use verbund_store::{AuditActor, LogoMeta};

use crate::Services;
use crate::error::{Error, Result};

/// A logo to serve: what is known about it and its bytes.
#[derive(Debug, Clone)]
pub struct LogoFile {
    /// Type, size and hash.
    pub meta: LogoMeta,
    /// The file.
    pub bytes: Vec<u8>,
}

/// The first 16 hex digits of the hash: the version in a logo's URL, so a new upload gets a
/// new URL and browsers may cache each one for good.
pub fn version(meta: &LogoMeta) -> &str {
    meta.sha256.get(..16).unwrap_or(&meta.sha256)
}

fn refused(e: LogoError) -> Error {
    match e {
        LogoError::TooLarge => Error::TooLarge {
            code: e.code(),
            detail: format!(
                "Die Datei ist größer als {} KB.",
                logo::MAX_LOGO_BYTES / 1024
            ),
        },
        other => Error::Invalid(other.into()),
    }
}

fn checked(bytes: Vec<u8>) -> Result<(Logo, String)> {
    let logo = logo::accept(bytes).map_err(refused)?;
    let sha = hex::encode(Sha256::digest(&logo.bytes));
    Ok((logo, sha))
}

/// The federation's logo (any signed-in user); `NotFound` if none was uploaded.
pub async fn federation_logo(st: &Services, _signed_in: &Actor) -> Result<LogoFile> {
    let fed = crate::federation(&st.store).await?;
    let (meta, bytes) = st
        .store
        .logo(&documents_scope(), fed.id, None)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(LogoFile { meta, bytes })
}

/// What is known about the federation's logo, if there is one (any signed-in user).
pub async fn federation_logo_meta(st: &Services, _signed_in: &Actor) -> Result<Option<LogoMeta>> {
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.logo_meta(&documents_scope(), fed.id, None).await?)
}

/// Uploads (replaces) the federation's logo (office, federation management). A file that is
/// not PNG or JPEG, unreadable or too wide is a field error on `file`; one over 512 KB is
/// [`Error::TooLarge`].
pub async fn set_federation_logo(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    bytes: Vec<u8>,
) -> Result<LogoMeta> {
    actor.check_office(Permission::ManageFederation)?;
    let (logo, sha) = checked(bytes)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .save_logo(by, &documents_scope(), fed.id, None, &logo, &sha)
        .await?)
}

/// Removes the federation's logo; `NotFound` if there is none.
pub async fn remove_federation_logo(st: &Services, by: &AuditActor, actor: &Actor) -> Result<()> {
    actor.check_office(Permission::ManageFederation)?;
    let fed = crate::federation(&st.store).await?;
    if st
        .store
        .delete_logo(by, &documents_scope(), fed.id, None)
        .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// A member's coat of arms (whoever may read the organisation); `NotFound` if none was
/// uploaded or the organisation is out of reach.
pub async fn member_logo(st: &Services, actor: &Actor, org: OrgId) -> Result<LogoFile> {
    actor.check(Permission::ReadOrg, org)?;
    let fed = crate::federation(&st.store).await?;
    let (meta, bytes) = st
        .store
        .logo(&actor.scope(Permission::ReadOrg), fed.id, Some(org))
        .await?
        .ok_or(Error::NotFound)?;
    Ok(LogoFile { meta, bytes })
}

/// What is known about a member's coat of arms, if there is one.
pub async fn member_logo_meta(
    st: &Services,
    actor: &Actor,
    org: OrgId,
) -> Result<Option<LogoMeta>> {
    actor.check(Permission::ReadOrg, org)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .logo_meta(&actor.scope(Permission::ReadOrg), fed.id, Some(org))
        .await?)
}

/// Uploads (replaces) a member's coat of arms (office only: a member's coordinator gets
/// `Forbidden`, other members `NotFound`). Refusals as for [`set_federation_logo`].
pub async fn set_member_logo(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    bytes: Vec<u8>,
) -> Result<LogoMeta> {
    actor.check(Permission::ManageFederation, org)?;
    let (logo, sha) = checked(bytes)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .save_logo(
            by,
            &actor.scope(Permission::ManageFederation),
            fed.id,
            Some(org),
            &logo,
            &sha,
        )
        .await?)
}

/// Removes a member's coat of arms (office only); `NotFound` if there is none.
pub async fn remove_member_logo(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
) -> Result<()> {
    actor.check(Permission::ManageFederation, org)?;
    let fed = crate::federation(&st.store).await?;
    if st
        .store
        .delete_logo(
            by,
            &actor.scope(Permission::ManageFederation),
            fed.id,
            Some(org),
        )
        .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Documents carry the logos of whoever they are from and addressed to; the caller has
/// authorized the document.
fn documents_scope() -> Scope {
    Scope::system(&SystemAccess::for_reason(
        "logos printed on documents the caller may read",
    ))
}

/// The logo of the federation (`None`) or a member for a document; a stored file that no
/// longer passes the check is left out.
pub async fn for_document(
    st: &Services,
    fed: &verbund_store::Federation,
    org: Option<OrgId>,
) -> Result<Option<Logo>> {
    Ok(st
        .store
        .logo(&documents_scope(), fed.id, org)
        .await?
        .and_then(|(_, bytes)| logo::accept(bytes).ok()))
}
