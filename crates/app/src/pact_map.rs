//! The crisis pact's dependency map and blast radius: which pact members rely on which
//! provider object (a hosted procedure, mail, the uplink, a data centre) over the structure
//! analysis' links, and — for a chosen provider object or a whole provider — the affected
//! members with their affected business processes, ordered by protection need, each with a
//! pre-filled crisis declaration.
//!
//! Who sees what: every user of a pact member (and the office) sees the map of the pact: the
//! provider objects and, for each, the **names** of the members it reaches. For an outage, a
//! reader sees the processes only of members whose structure analysis it may read anyway
//! (its own member; the office all); of a partner only "affected through provider object Y".
//! A declaration draft is offered for each member the reader may declare a crisis for.

use serde::Serialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::pact::Severity;
use verbund_domain::pact::blast::{AffectedMember, ProviderService, suggested_severity};
use verbund_domain::pact::model::Pact;
use verbund_domain::structure::Category;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, PactId, StructureObjectId};

use crate::Services;
use crate::error::Result;

/// What failed: one provider object, or every object of one provider.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutageChoice {
    /// A provider object (from the map's `services`).
    #[serde(default)]
    pub object: Option<i64>,
    /// A provider: all of its objects fail.
    #[serde(default)]
    pub provider: Option<i64>,
}

/// A pre-filled crisis declaration (the fields of `POST /pacts/{id}/crises`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeclarationDraft {
    /// The affected member.
    pub org: OrgId,
    /// Suggested severity (from the most needed process' availability).
    pub severity: Severity,
    /// Affected services.
    pub affected_services: String,
    /// Summary.
    pub summary: String,
}

/// An affected member and, if the reader may declare for it, a declaration draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AffectedOut {
    /// The member, its processes (empty for a partner the reader may not look into) and the
    /// provider objects it is reached through.
    #[serde(flatten)]
    pub member: AffectedMember,
    /// Whether processes and object count are shown (the reader reads this member's
    /// structure analysis).
    pub detailed: bool,
    /// The draft, for members the reader may declare a crisis for.
    pub declaration: Option<DeclarationDraft>,
}

/// The result of an outage.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outage {
    /// The provider objects that fail.
    pub failed: Vec<ProviderService>,
    /// The members reached, worst hit first.
    pub members: Vec<AffectedOut>,
}

/// The dependency map of a pact, and an outage if one was chosen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PactMapView {
    /// The pact.
    pub pact: Pact,
    /// Every provider object with the members it reaches.
    pub services: Vec<ProviderService>,
    /// The chosen outage.
    pub outage: Option<Outage>,
}

fn need_de(c: Option<Category>) -> &'static str {
    match c {
        Some(Category::Normal) => "normal",
        Some(Category::High) => "hoch",
        Some(Category::VeryHigh) => "sehr hoch",
        None => "nicht festgelegt",
    }
}

fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The German declaration draft for an affected member (detail shown).
pub fn draft(failed: &[ProviderService], m: &AffectedMember) -> DeclarationDraft {
    let via = m
        .via
        .iter()
        .map(|v| format!("{} {}", v.short_id, v.name))
        .collect::<Vec<_>>()
        .join(", ");
    let processes = m
        .processes
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let affected = if processes.is_empty() {
        via.clone()
    } else {
        format!("{processes} (über {via})")
    };
    let providers: std::collections::BTreeSet<&str> =
        failed.iter().map(|f| f.provider.as_str()).collect();
    let what = failed
        .iter()
        .map(|f| format!("{} {}", f.short_id, f.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut summary = format!(
        "Ausfall beim IT-Dienstleister {}: {what}.",
        providers.into_iter().collect::<Vec<_>>().join(", ")
    );
    if !m.processes.is_empty() {
        summary.push_str(" Betroffene Geschäftsprozesse (Schutzbedarf Verfügbarkeit): ");
        summary.push_str(
            &m.processes
                .iter()
                .map(|p| format!("{} {} ({})", p.short_id, p.name, need_de(p.availability)))
                .collect::<Vec<_>>()
                .join("; "),
        );
        summary.push('.');
    }
    summary.push_str(&format!(" Betroffene Objekte: {}.", m.objects));
    DeclarationDraft {
        org: m.org_id,
        severity: suggested_severity(m),
        affected_services: cut(affected, 500),
        summary: cut(summary, 4000),
    }
}

/// The map of `pact` (404 outside the reader's pacts) and the outage of `choice`. A choice
/// that names no provider object of the map is `object` `error-pact-map-choice`.
pub async fn map(
    st: &Services,
    actor: &Actor,
    pact: PactId,
    choice: OutageChoice,
) -> Result<PactMapView> {
    let scope = actor.scope(Permission::ReadOrg);
    let p = st.store.get_pact(&scope, pact).await?;
    let services = st.store.pact_dependency_map(&scope, pact).await?;
    let failed: Vec<ProviderService> = match (choice.object, choice.provider) {
        (None, None) => Vec::new(),
        (o, pr) => {
            let f: Vec<ProviderService> = services
                .iter()
                .filter(|s| o == Some(s.id.0) || pr == Some(s.provider_id.0))
                .cloned()
                .collect();
            if f.is_empty() {
                return Err(ValidationErrors::single("object", "error-pact-map-choice").into());
            }
            f
        }
    };
    let outage = if failed.is_empty() {
        None
    } else {
        let detail = actor.scope(Permission::ReadStructure);
        let ids: Vec<StructureObjectId> = failed.iter().map(|f| f.id).collect();
        let members = st
            .store
            .pact_blast_radius(&scope, &detail, pact, &ids)
            .await?
            .into_iter()
            .map(|m| {
                let detailed = detail.contains(m.org_id);
                let declaration = (detailed && crate::pact::may_declare(actor, &p, m.org_id))
                    .then(|| draft(&failed, &m));
                AffectedOut {
                    member: m,
                    detailed,
                    declaration,
                }
            })
            .collect();
        Some(Outage { failed, members })
    };
    Ok(PactMapView {
        pact: p,
        services,
        outage,
    })
}
