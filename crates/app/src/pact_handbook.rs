//! The offline emergency handbook of a pact member as PDF: emergency card, first steps, alarm
//! chain, the partners of its pacts with what they can lend, and its business processes by
//! protection need with what they depend on.
//!
//! "Regenerated when its content changes": every generation hashes the content (SHA-256 over
//! everything printed except the date) and records it per member. A new hash moves the
//! "Stand" printed on the handbook to now; the same content keeps the old "Stand", so two
//! prints with the same "Stand" and version are the same. The caller learns whether the
//! content changed since the last generation (the page says so, the CLI lists it).
//!
//! Permission: whoever reads the member's structure analysis (its coordinators and
//! management, the office): 404 for another member, 403 for an own role without that right.

use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Denied, Permission, Scope};
use verbund_domain::localtime::fmt_ms;
use verbund_domain::pact::blast::dependencies;
use verbund_domain::pact::model::{PactContact, PactResource};
use verbund_domain::structure::{Category, ObjectType};
use verbund_reports::{
    HandbookContact, HandbookContent, HandbookPartner, HandbookProcess, HandbookReport,
    equipment_de, kind_de, skill_de,
};
use verbund_store::{AuditActor, HandbookStand};

use crate::Services;
use crate::error::{Error, Result};
use crate::file::{FileOut, slug};

/// A generated handbook and whether its content changed since the last one.
#[derive(Debug)]
pub struct Handbook {
    /// The PDF.
    pub file: FileOut,
    /// Content changed (or first generation), "Stand" and the previous generation.
    pub stand: HandbookStand,
    /// The content hash (hex).
    pub hash: String,
}

fn contact(c: &PactContact) -> HandbookContact {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    HandbookContact {
        position: c.position.to_string(),
        name: c.name.clone(),
        function: s(&c.function),
        phone: s(&c.phone),
        mobile: s(&c.mobile),
        email: s(&c.email),
    }
}

fn resource(r: &PactResource) -> [String; 6] {
    let offers = match r.equipment_type {
        Some(t) => format!("{} × {}", r.count, equipment_de(t)),
        None => r
            .skills
            .iter()
            .map(|s| skill_de(*s))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let place = [r.location.as_deref(), r.phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let d = |x: Option<time::Date>| {
        x.map_or_else(
            || "…".to_owned(),
            verbund_domain::validation::format_date_de,
        )
    };
    let window = if r.window.from.is_none() && r.window.until.is_none() {
        "jederzeit".to_owned()
    } else {
        format!("{} – {}", d(r.window.from), d(r.window.until))
    };
    [
        kind_de(r.kind).to_owned(),
        r.name.clone(),
        offers,
        place,
        window,
        fmt_ms(r.confirmed_at_ms).chars().take(10).collect(),
    ]
}

fn need_de(c: Option<Category>) -> String {
    match c {
        Some(Category::Normal) => "normal",
        Some(Category::High) => "hoch",
        Some(Category::VeryHigh) => "sehr hoch",
        None => "–",
    }
    .to_owned()
}

/// Gathers the content of `org`'s handbook (`read` decides which pacts are visible,
/// `structure` must contain `org`).
async fn content(
    st: &Services,
    read: &Scope,
    structure: &Scope,
    org: OrgId,
) -> Result<HandbookContent> {
    let member = st.store.get_org(read, org).await?.name;
    let (_, contacts) = st.store.member_registry(read, org).await?;
    let mut partners = Vec::new();
    for pact in st
        .store
        .list_pacts(read)
        .await?
        .into_iter()
        .filter(|p| p.has_member(org))
    {
        let (resources, contacts) = st.store.pact_registry(read, pact.id).await?;
        for m in pact.members.iter().filter(|m| m.org_id != org) {
            partners.push(HandbookPartner {
                pact: pact.name.clone(),
                name: m.org_name.clone(),
                contacts: contacts
                    .iter()
                    .filter(|c| c.org_id == m.org_id)
                    .map(contact)
                    .collect(),
                resources: resources
                    .iter()
                    .filter(|r| r.org_id == m.org_id)
                    .map(resource)
                    .collect(),
            });
        }
    }
    let (objects, links) = st.store.member_dependency_graph(structure, org).await?;
    let by_id: std::collections::HashMap<_, _> = objects.iter().map(|o| (o.id, o)).collect();
    let mut procs: Vec<_> = objects
        .iter()
        .filter(|o| o.org_id == org && o.object_type == ObjectType::BusinessProcess)
        .collect();
    procs.sort_by_key(|o| {
        (
            std::cmp::Reverse(o.needs[2]),
            std::cmp::Reverse(o.needs.iter().flatten().max().copied()),
            o.short_id.clone(),
        )
    });
    let processes = procs
        .into_iter()
        .map(|p| HandbookProcess {
            name: format!("{} {}", p.short_id, p.name),
            availability: need_de(p.needs[2]),
            highest: need_de(p.needs.iter().flatten().max().copied()),
            dependencies: dependencies(&links, p.id)
                .into_iter()
                .filter_map(|d| by_id.get(&d))
                .map(|d| {
                    if d.provider {
                        format!("{} {} ({})", d.short_id, d.name, d.org_name)
                    } else {
                        format!("{} {}", d.short_id, d.name)
                    }
                })
                .collect(),
        })
        .collect();
    Ok(HandbookContent {
        member,
        contacts: contacts.iter().map(contact).collect(),
        partners,
        processes,
    })
}

async fn render(
    st: &Services,
    by: &AuditActor,
    org: OrgId,
    c: HandbookContent,
) -> Result<Handbook> {
    use sha2::Digest;
    let json = serde_json::to_vec(&c).map_err(|e| Error::Internal(e.to_string()))?;
    let hash = hex::encode(sha2::Sha256::digest(&json));
    let stand = st.store.record_pact_handbook(by, org, &hash).await?;
    let fed = crate::federation(&st.store).await?;
    let filename = format!("notfallhandbuch-{}.pdf", slug(&c.member));
    let version: String = hash.chars().take(8).collect();
    let stand_text = fmt_ms(stand.changed_at_ms);
    let bytes = tokio::task::spawn_blocking(move || {
        verbund_reports::pact_handbook_pdf(&HandbookReport {
            federation: fed.name,
            stand: stand_text,
            version,
            content: &c,
        })
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Handbook {
        file: FileOut {
            filename,
            content_type: "application/pdf",
            bytes,
        },
        stand,
        hash,
    })
}

/// `org`'s handbook for a user.
pub async fn handbook(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
) -> Result<Handbook> {
    actor
        .check(Permission::ReadStructure, org)
        .map_err(|d| match d {
            Denied::NotFound => Error::NotFound,
            Denied::Forbidden => Error::Forbidden,
        })?;
    let c = content(
        st,
        &actor.scope(Permission::ReadOrg),
        &actor.scope(Permission::ReadStructure),
        org,
    )
    .await?;
    render(st, by, org, c).await
}

/// Every pact member, by name (for the CLI).
pub async fn members_system(st: &Services) -> Result<Vec<(OrgId, String)>> {
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact handbooks",
    ));
    let mut out: Vec<(OrgId, String)> = Vec::new();
    for p in st.store.list_pacts(&all).await? {
        for m in p.members {
            if !out.iter().any(|(o, _)| *o == m.org_id) {
                out.push((m.org_id, m.org_name));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// `org`'s handbook generated by the system (the CLI).
pub async fn handbook_system(st: &Services, by: &AuditActor, org: OrgId) -> Result<Handbook> {
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact handbook",
    ));
    let c = content(st, &all, &all, org).await?;
    render(st, by, org, c).await
}
