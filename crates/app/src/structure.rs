//! Structure analysis and protection needs (BSI-Standard 200-2): target objects, dependency
//! links, needs per basic value with inheritance, providers' shared objects, import/export.
//!
//! Permissions: `ReadStructure` to read (coordinators, management, the office),
//! `EditStructure` to change (coordinators for their member, the office ISB everywhere —
//! provider organisations only the office reaches), `ManageStructureSettings` for the
//! federation's settings. An object the actor cannot see is 404; one it sees but may not
//! change (its own as management, a provider object it relies on) is 403.

use serde::{Deserialize, Serialize};
use verbund_domain::authz::{Actor, Denied, Permission};
use verbund_domain::org::{OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::model::{
    Link, Need, ObjectDetail, ObjectFilter, ObjectRef, TargetObject,
};
use verbund_domain::structure::needs::StructureSettings;
use verbund_domain::structure::{Category, Deviation, Goal, LinkInput, LinkType, RawObject};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureLinkId, StructureObjectId};
use verbund_formats::structure_inventory::{self as inventory, ImportError, RowError};
use verbund_store::{AuditActor, LinkEnd};

use crate::Services;
use crate::error::{Error, Result};

/// A write on something the actor can see: outside its reach means visible but not its own.
fn may_edit(actor: &Actor, org: OrgId) -> Result<()> {
    actor
        .check(Permission::EditStructure, org)
        .map_err(|d| match d {
            Denied::NotFound | Denied::Forbidden => Error::Forbidden,
        })
}

/// Objects the actor may see (its members' and the provider objects they rely on).
pub async fn list(
    st: &Services,
    actor: &Actor,
    filter: &ObjectFilter,
    page: PageRequest,
) -> Result<Page<TargetObject>> {
    if let Some(org) = filter.org {
        actor.check(Permission::ReadStructure, org)?;
    }
    Ok(st
        .store
        .list_structure_objects(&actor.scope(Permission::ReadStructure), filter, page)
        .await?)
}

/// One object with needs, paths, links and the contributions the actor may see.
pub async fn detail(st: &Services, actor: &Actor, id: StructureObjectId) -> Result<ObjectDetail> {
    Ok(st
        .store
        .structure_object_detail(&actor.scope(Permission::ReadStructure), id)
        .await?)
}

/// One object.
pub async fn get(st: &Services, actor: &Actor, id: StructureObjectId) -> Result<TargetObject> {
    Ok(st
        .store
        .get_structure_object(&actor.scope(Permission::ReadStructure), id)
        .await?)
}

/// Creates an object of `org`.
pub async fn create(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    raw: &RawObject,
) -> Result<TargetObject> {
    actor.check(Permission::EditStructure, org)?;
    let input = raw.validate()?;
    let o = st
        .store
        .create_structure_object(by, &actor.scope(Permission::EditStructure), org, &input)
        .await?;
    crate::advisories::rematch_after_change(st, by, o.id, o.org_id, o.provider).await;
    Ok(o)
}

/// Changes an object (`revision`, if given, must be current).
pub async fn update(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: StructureObjectId,
    revision: Option<i64>,
    raw: &RawObject,
) -> Result<TargetObject> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    let input = raw.validate()?;
    let o = st
        .store
        .update_structure_object(
            by,
            &actor.scope(Permission::EditStructure),
            id,
            revision,
            &input,
        )
        .await?;
    crate::advisories::rematch_after_change(st, by, o.id, o.org_id, o.provider).await;
    Ok(o)
}

/// Deletes an object with its links; what inherited from it is recomputed.
pub async fn delete(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: StructureObjectId,
) -> Result<TargetObject> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    let o = st
        .store
        .delete_structure_object(by, &actor.scope(Permission::EditStructure), id)
        .await?;
    crate::advisories::rematch_after_change(st, by, id, current.org_id, current.provider).await;
    Ok(o)
}

/// The links from `org`'s objects (the dependency view).
pub async fn links(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<Link>> {
    actor.check(Permission::ReadStructure, org)?;
    Ok(st
        .store
        .list_structure_links(&actor.scope(Permission::ReadStructure), org)
        .await?)
}

/// Objects a link from one of `org`'s objects may point to.
pub async fn link_targets(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<ObjectRef>> {
    actor.check(Permission::EditStructure, org)?;
    Ok(st
        .store
        .structure_link_targets(&actor.scope(Permission::EditStructure), org)
        .await?)
}

/// A link as sent by a form or the API.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LinkDraft {
    /// The depending object.
    pub from: i64,
    /// The object depended on.
    pub to: i64,
    /// The link type code, e.g. `runs_on`.
    pub link_type: String,
}

/// Adds a link from an object the actor may change.
pub async fn add_link(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    draft: &LinkDraft,
) -> Result<Link> {
    let from = get(st, actor, StructureObjectId(draft.from)).await?;
    may_edit(actor, from.org_id)?;
    let link_type = LinkType::parse(&draft.link_type)
        .map_err(|code| ValidationErrors::single("link_type", code))?;
    let input = LinkInput::new(draft.from, draft.to, link_type)?;
    Ok(st
        .store
        .create_structure_link(by, &actor.scope(Permission::EditStructure), &input)
        .await?)
}

/// Removes a link.
pub async fn remove_link(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: StructureLinkId,
) -> Result<Link> {
    let link = st
        .store
        .get_structure_link(&actor.scope(Permission::ReadStructure), id)
        .await?;
    may_edit(actor, link.from.org_id)?;
    Ok(st
        .store
        .delete_structure_link(by, &actor.scope(Permission::EditStructure), id)
        .await?)
}

/// A need as sent by a form or the API; an empty `value` clears what a person set.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NeedDraft {
    /// Category code (`normal`, `high`, `very_high`) or empty to clear.
    #[serde(default)]
    pub value: Option<String>,
    /// Deviation code (`cumulation`, `distribution`, `other`) or empty.
    #[serde(default)]
    pub deviation: Option<String>,
    /// Why (mandatory when a value is set).
    #[serde(default)]
    pub justification: Option<String>,
}

/// Sets or clears the need a person set on `object` for `goal`, and recomputes.
pub async fn set_need(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    object: StructureObjectId,
    goal: &str,
    draft: &NeedDraft,
) -> Result<Need> {
    let current = get(st, actor, object).await?;
    may_edit(actor, current.org_id)?;
    let goal = Goal::parse(goal).map_err(|_| Error::NotFound)?;
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let value = match blank(&draft.value) {
        None => None,
        Some(v) => {
            let mut e = ValidationErrors::default();
            let value = e.check("value", Category::parse(&v));
            let deviation = match blank(&draft.deviation) {
                None => Some(None),
                Some(d) => e.check("deviation", Deviation::parse(&d)).map(Some),
            };
            match (value, deviation) {
                (Some(value), Some(deviation)) if e.0.is_empty() => Some((
                    value,
                    deviation,
                    draft.justification.clone().unwrap_or_default(),
                )),
                _ => return Err(e.into()),
            }
        }
    };
    Ok(st
        .store
        .set_structure_need(
            by,
            &actor.scope(Permission::EditStructure),
            object,
            goal,
            value,
        )
        .await?)
}

/// The federation's settings: no member data, and the thresholds belong next to every needs
/// form, so every signed-in user reads them.
pub async fn settings(st: &Services, _actor: &Actor) -> Result<StructureSettings> {
    Ok(st.store.structure_settings().await?)
}

/// Saves the settings (office only).
pub async fn save_settings(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    settings: StructureSettings,
) -> Result<StructureSettings> {
    actor.check_office(Permission::ManageStructureSettings)?;
    let settings = settings.validated()?;
    let fed = crate::federation(&st.store).await?;
    st.store
        .save_structure_settings(by, fed.id, &settings)
        .await?;
    Ok(settings)
}

/// The provider organisations (office only).
pub async fn providers(st: &Services, actor: &Actor) -> Result<Vec<Organisation>> {
    actor.check_office(Permission::EditStructure)?;
    let all = st
        .store
        .list_orgs(
            &actor.scope(Permission::EditStructure),
            None,
            PageRequest::new(Some(1), Some(200)),
        )
        .await?;
    Ok(all
        .items
        .into_iter()
        .filter(|o| o.kind == OrgKind::Provider)
        .collect())
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// Objects created.
    pub created: usize,
    /// Objects updated (same short id).
    pub updated: usize,
    /// Links added (existing ones are kept).
    pub links_added: usize,
}

fn import_error(e: &ImportError) -> Error {
    if e.is_too_large() {
        Error::TooLarge {
            code: "error-import-too-large",
            detail: e.to_string(),
        }
    } else {
        Error::BadInput {
            code: "error-import-structure",
            detail: e.to_string(),
        }
    }
}

/// Imports `org`'s inventory from CSV or XLSX (recognised by content): objects are created or
/// updated by short id, links added — to objects of the file or already stored, and to
/// provider objects named `Dienstleister/Kürzel`. Every row is checked first (also that each
/// link names such an object); any error refuses the whole file with line and column, and
/// nothing changes.
pub async fn import(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    bytes: &[u8],
) -> Result<ImportSummary> {
    actor.check(Permission::EditStructure, org)?;
    let owned = bytes.to_vec();
    let inv = tokio::task::spawn_blocking(move || {
        if owned.starts_with(b"PK") {
            inventory::import_xlsx(&owned)
        } else {
            inventory::import_csv(&owned)
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| import_error(&e))?;
    let scope = actor.scope(Permission::EditStructure);
    let (stored, _, _) = st.store.export_structure(&scope, org).await?;
    let known: std::collections::HashSet<String> = stored
        .iter()
        .map(|o| o.short_id.clone())
        .chain(
            inv.objects
                .iter()
                .map(|o| o.object.short_id.as_str().to_owned()),
        )
        .collect();
    // Provider objects by (provider name, short id), names compared without case. Another
    // member's name finds nothing here, exactly like a provider that does not exist.
    let providers: std::collections::HashMap<(String, String), StructureObjectId> = st
        .store
        .provider_object_names(&scope, org)
        .await?
        .into_iter()
        .map(|(name, short, id)| ((name.trim().to_lowercase(), short.to_uppercase()), id))
        .collect();
    let mut unknown: Vec<RowError> = Vec::new();
    let mut links: Vec<(String, LinkEnd, LinkType)> = Vec::with_capacity(inv.links.len());
    for l in inv.links {
        let end = match &l.provider {
            None => known.contains(&l.to).then(|| LinkEnd::Own(l.to.clone())),
            Some(p) => providers
                .get(&(p.trim().to_lowercase(), l.to.clone()))
                .map(|id| LinkEnd::Provider(*id)),
        };
        match end {
            Some(end) => links.push((l.from, end, l.link_type)),
            None if unknown.len() < 50 => unknown.push(RowError {
                line: l.line,
                field: "Abhängigkeiten".to_owned(),
                message: match &l.provider {
                    None => format!("kein Objekt mit dem Kürzel „{}“", l.to),
                    Some(p) => format!("kein Objekt „{}“ des Dienstleisters „{p}“", l.to),
                },
            }),
            None => {}
        }
    }
    if !unknown.is_empty() {
        return Err(import_error(&ImportError::Rows(unknown)));
    }
    let objects: Vec<_> = inv.objects.into_iter().map(|o| o.object).collect();
    let (created, updated, links_added) = st
        .store
        .import_structure(by, &scope, org, &objects, &links)
        .await?;
    Ok(ImportSummary {
        created,
        updated,
        links_added,
    })
}

/// `org`'s inventory as XLSX workbook or CSV (same columns; importable again).
pub async fn export(
    st: &Services,
    actor: &Actor,
    org: OrgId,
    format: crate::assessments::ExportFormat,
) -> Result<crate::file::FileOut> {
    use crate::assessments::ExportFormat;
    actor.check(Permission::ReadStructure, org)?;
    let scope = actor.scope(Permission::ReadStructure);
    let name = st
        .store
        .get_org(&actor.scope(Permission::ReadStructure), org)
        .await
        .map(|o| o.name);
    let stem = format!(
        "strukturanalyse-{}",
        crate::file::slug(&name.unwrap_or_else(|_| org.to_string()))
    );
    let (objects, links, providers) = st.store.export_structure(&scope, org).await?;
    match format {
        ExportFormat::Csv => Ok(crate::file::FileOut {
            filename: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes: inventory::export_csv(&objects, &links, &providers).into_bytes(),
        }),
        ExportFormat::Xlsx => {
            let rows = inventory::export_rows(&objects, &links, &providers);
            let bytes = tokio::task::spawn_blocking(move || {
                verbund_reports::table_xlsx("Strukturanalyse", inventory::SHEET, &rows)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(|e| Error::Internal(e.to_string()))?;
            Ok(crate::file::FileOut {
                filename: format!("{stem}.xlsx"),
                content_type: crate::file::XLSX,
                bytes,
            })
        }
    }
}
