//! Modelling (BSI 200-2): modules (Bausteine) of imported catalogs assigned to target objects,
//! suggestions by the federation's rules, the modelling table and coverage gaps of a member,
//! and the office's view of the gaps across members.
//!
//! Permissions as for the objects themselves (see [`crate::structure`]): `ReadStructure` to
//! read, `EditStructure` to assign and remove, `ManageStructureSettings` for the rules. An
//! object the actor cannot see is 404; one it sees but may not change is 403.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use verbund_domain::authz::{Actor, Denied, Permission};
use verbund_domain::structure::model::TargetObject;
use verbund_domain::structure::modelling::{
    Assignment, Gaps, ModelledObject, Module, ModuleRules, RuleSubject, gaps,
};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureObjectId};
use verbund_store::AuditActor;

use crate::Services;
use crate::error::{Error, Result};

fn may_edit(actor: &Actor, org: OrgId) -> Result<()> {
    actor
        .check(Permission::EditStructure, org)
        .map_err(|d| match d {
            Denied::NotFound | Denied::Forbidden => Error::Forbidden,
        })
}

fn subject(o: &TargetObject) -> RuleSubject<'_> {
    RuleSubject {
        object_type: o.object_type,
        tags: &o.tags,
        product_texts: [o.product.as_deref(), o.vendor.as_deref(), o.cpe.as_deref()],
    }
}

/// The modules on offer by reference (upper case), the first catalog's where several have one.
fn by_ref(modules: &[Module]) -> BTreeMap<String, &Module> {
    let mut out = BTreeMap::new();
    for m in modules {
        out.entry(m.ref_id.to_ascii_uppercase()).or_insert(m);
    }
    out
}

/// An object's modules and what the rules suggest in addition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObjectModules {
    /// The modules assigned.
    pub assigned: Vec<Assignment>,
    /// Modules the rules suggest for the object that it does not have yet (only modules an
    /// imported catalog offers).
    pub suggestions: Vec<Module>,
}

/// The modules of an object the actor sees, with suggestions.
pub async fn object_modules(
    st: &Services,
    actor: &Actor,
    object: StructureObjectId,
) -> Result<ObjectModules> {
    let scope = actor.scope(Permission::ReadStructure);
    let o = st.store.get_structure_object(&scope, object).await?;
    let assigned = st.store.object_module_assignments(&scope, object).await?;
    let rules = st.store.module_rules().await?;
    let modules = st.store.catalog_modules().await?;
    let offer = by_ref(&modules);
    let have: BTreeSet<String> = assigned
        .iter()
        .map(|a| a.module.ref_id.to_ascii_uppercase())
        .collect();
    let suggestions = rules
        .suggest(&subject(&o))
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| !have.contains(m))
        .filter_map(|m| offer.get(&m).map(|x| (*x).clone()))
        .collect();
    Ok(ObjectModules {
        assigned,
        suggestions,
    })
}

/// Every module on offer (the newest revision of each catalog), for the form that adds one.
pub async fn catalog_modules(st: &Services, _actor: &Actor) -> Result<Vec<Module>> {
    Ok(st.store.catalog_modules().await?)
}

/// Which module to assign: a catalog node (`node_id`), or a reference such as `SYS.1.1`
/// (`module`, looked up in the newest catalog revisions, in `catalog_id` if given).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AssignDraft {
    /// The module's catalog node.
    #[serde(default)]
    pub node_id: Option<i64>,
    /// The module's reference, e.g. `SYS.1.1`.
    #[serde(default)]
    pub module: Option<String>,
    /// With `module`: the catalog revision to take it from.
    #[serde(default)]
    pub catalog_id: Option<i64>,
}

/// Assigns a module to an object the actor may change.
pub async fn assign(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    object: StructureObjectId,
    draft: &AssignDraft,
) -> Result<Assignment> {
    let o = st
        .store
        .get_structure_object(&actor.scope(Permission::ReadStructure), object)
        .await?;
    may_edit(actor, o.org_id)?;
    let reference = draft
        .module
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let node = match (draft.node_id, reference) {
        (Some(n), _) => n,
        (None, Some(r)) => {
            let modules = st.store.catalog_modules().await?;
            modules
                .iter()
                .find(|m| {
                    m.ref_id.eq_ignore_ascii_case(r)
                        && draft.catalog_id.is_none_or(|c| m.catalog_id.0 == c)
                })
                .map(|m| m.node_id)
                .ok_or_else(|| ValidationErrors::single("module", "error-module-unknown"))?
        }
        (None, None) => return Err(ValidationErrors::single("module", "error-required").into()),
    };
    Ok(st
        .store
        .assign_module(by, &actor.scope(Permission::EditStructure), object, node)
        .await?)
}

/// Removes an assignment of an object the actor may change.
pub async fn unassign(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: i64,
) -> Result<Assignment> {
    let a = st
        .store
        .get_module_assignment(&actor.scope(Permission::ReadStructure), id)
        .await?;
    may_edit(actor, a.org_id)?;
    Ok(st
        .store
        .unassign_module(by, &actor.scope(Permission::EditStructure), id)
        .await?)
}

/// A member's modelling: its objects with their modules, the modules used (the table's
/// columns) and the coverage gaps.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Modelling {
    /// The member's own objects with their modules.
    pub objects: Vec<ModelledObject>,
    /// The modules any of them has, in first-seen order (the table's columns).
    pub modules: Vec<String>,
    /// What is missing.
    pub gaps: Gaps,
}

async fn offered_refs(st: &Services) -> Result<BTreeSet<String>> {
    Ok(st
        .store
        .catalog_modules()
        .await?
        .iter()
        .map(|m| m.ref_id.to_ascii_uppercase())
        .collect())
}

/// The modelling of `org`.
pub async fn modelling(st: &Services, actor: &Actor, org: OrgId) -> Result<Modelling> {
    actor.check(Permission::ReadStructure, org)?;
    let objects = st
        .store
        .modelled_objects(&actor.scope(Permission::ReadStructure), Some(org))
        .await?;
    let rules = st.store.module_rules().await?;
    let available = offered_refs(st).await?;
    let input: Vec<_> = objects.iter().map(ModelledObject::gap_object).collect();
    let gaps = gaps(&rules, &input, &available);
    let mut seen = BTreeSet::new();
    let modules = objects
        .iter()
        .flat_map(|o| o.modules.iter())
        .filter(|m| seen.insert((*m).clone()))
        .cloned()
        .collect();
    Ok(Modelling {
        objects,
        modules,
        gaps,
    })
}

/// One organisation's coverage in the office's view: counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// The organisation.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its objects.
    pub objects: usize,
    /// Objects without any module.
    pub without_modules: usize,
    /// Module assignments.
    pub assignments: usize,
    /// Suggested modules no object of it has.
    pub unused_modules: usize,
}

/// The coverage of every organisation with objects (office only).
pub async fn federation_coverage(st: &Services, actor: &Actor) -> Result<Vec<Coverage>> {
    actor.check_office(Permission::ReadStructure)?;
    let objects = st
        .store
        .modelled_objects(&actor.scope(Permission::ReadStructure), None)
        .await?;
    let rules = st.store.module_rules().await?;
    let available = offered_refs(st).await?;
    let mut out = Vec::new();
    for group in objects.chunk_by(|a, b| a.org_id == b.org_id) {
        let input: Vec<_> = group.iter().map(ModelledObject::gap_object).collect();
        let g = gaps(&rules, &input, &available);
        out.push(Coverage {
            org_id: group[0].org_id,
            org_name: group[0].org_name.clone(),
            objects: group.len(),
            without_modules: g.objects_without_modules.len(),
            assignments: group.iter().map(|o| o.modules.len()).sum(),
            unused_modules: g.unused_modules.len(),
        });
    }
    Ok(out)
}

/// The federation's suggestion rules: no member data, read by every signed-in user.
pub async fn rules(st: &Services, _actor: &Actor) -> Result<ModuleRules> {
    Ok(st.store.module_rules().await?)
}

/// Saves the suggestion rules (office).
pub async fn save_rules(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    rules: ModuleRules,
) -> Result<ModuleRules> {
    actor.check_office(Permission::ManageStructureSettings)?;
    let rules = rules.validated()?;
    let fed = crate::federation(&st.store).await?;
    st.store.save_module_rules(by, fed.id, &rules).await?;
    Ok(rules)
}
