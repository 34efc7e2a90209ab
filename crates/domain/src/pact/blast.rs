//! Blast radius: which members and which of their business processes an outage of provider
//! objects (a provider's procedure, mail, the internet uplink) reaches, over the dependency
//! links of the structure analysis.
//!
//! A link `from → to` means `from` depends on `to` for every link type except
//! `processes_data_of`, where the application (`from`) serves the process (`to`): there the
//! process depends on the application. Everything that depends on a failed object, directly or
//! through others, fails too. Processes are ordered by protection need: availability first
//! (the need an outage hurts), then the highest basic value, then name.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::structure::{Category, LinkType, ObjectType};
use crate::{OrgId, StructureObjectId};

/// An object of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepObject {
    /// ID.
    pub id: StructureObjectId,
    /// Owner.
    pub org_id: OrgId,
    /// Owner's name.
    pub org_name: String,
    /// Whether the owner is a provider.
    pub provider: bool,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Type.
    pub object_type: ObjectType,
    /// Effective needs `[C, I, A]`.
    pub needs: [Option<Category>; 3],
}

/// A link `from → to` of the given type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepLink {
    /// From.
    pub from: StructureObjectId,
    /// To.
    pub to: StructureObjectId,
    /// Type.
    pub link_type: LinkType,
}

/// An affected business process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedProcess {
    /// The object.
    pub id: StructureObjectId,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Availability need.
    pub availability: Option<Category>,
    /// Highest need over the basic values.
    pub highest: Option<Category>,
}

/// An affected member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedMember {
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its affected processes, most needed first.
    pub processes: Vec<AffectedProcess>,
    /// How many of its objects fail (processes included).
    pub objects: usize,
    /// The failing provider objects the member's own objects rely on directly: how the
    /// outage reaches it.
    pub via: Vec<Via>,
}

/// A provider object through which an outage reaches a member.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Via {
    /// The provider's name.
    pub provider: String,
    /// The object's short id.
    pub short_id: String,
    /// The object's name.
    pub name: String,
}

/// A member relying on a provider object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRef {
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
}

/// A provider object (a hosted procedure, mail, the uplink, a data centre) and the members
/// an outage of it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderService {
    /// The object.
    pub id: StructureObjectId,
    /// The provider.
    pub provider_id: OrgId,
    /// The provider's name.
    pub provider: String,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Type.
    pub object_type: ObjectType,
    /// The members it reaches, by name.
    pub members: Vec<MemberRef>,
}

fn process_key(
    p: &AffectedProcess,
) -> (
    std::cmp::Reverse<Option<Category>>,
    std::cmp::Reverse<Option<Category>>,
    String,
) {
    (
        std::cmp::Reverse(p.availability),
        std::cmp::Reverse(p.highest),
        p.name.to_lowercase(),
    )
}

/// `(dependent, dependency)` of a link.
fn direction(l: &DepLink) -> (StructureObjectId, StructureObjectId) {
    if l.link_type == LinkType::ProcessesDataOf {
        (l.to, l.from)
    } else {
        (l.from, l.to)
    }
}

type Dependents = BTreeMap<StructureObjectId, Vec<StructureObjectId>>;

/// For each object, the objects that depend on it directly.
fn dependents(links: &[DepLink]) -> Dependents {
    let mut out: Dependents = BTreeMap::new();
    for l in links {
        let (dependent, dependency) = direction(l);
        out.entry(dependency).or_default().push(dependent);
    }
    out
}

/// Everything that fails with `failed` (`failed` included); cycles end the walk.
fn reach(
    dependents: &Dependents,
    failed: &[StructureObjectId],
) -> std::collections::BTreeSet<StructureObjectId> {
    let mut reached = std::collections::BTreeSet::new();
    let mut queue: VecDeque<StructureObjectId> = failed.iter().copied().collect();
    while let Some(x) = queue.pop_front() {
        if !reached.insert(x) {
            continue;
        }
        for d in dependents.get(&x).into_iter().flatten() {
            if !reached.contains(d) {
                queue.push_back(*d);
            }
        }
    }
    reached
}

/// What `start` depends on, directly or through others (`start` itself not), nearest first;
/// cycles end the walk.
pub fn dependencies(links: &[DepLink], start: StructureObjectId) -> Vec<StructureObjectId> {
    let mut deps: BTreeMap<StructureObjectId, Vec<StructureObjectId>> = BTreeMap::new();
    for l in links {
        let (dependent, dependency) = direction(l);
        deps.entry(dependent).or_default().push(dependency);
    }
    let mut seen = std::collections::BTreeSet::from([start]);
    let mut out = Vec::new();
    let mut queue = VecDeque::from([start]);
    while let Some(x) = queue.pop_front() {
        for d in deps.get(&x).into_iter().flatten() {
            if seen.insert(*d) {
                out.push(*d);
                queue.push_back(*d);
            }
        }
    }
    out
}

/// The dependency map: every provider object with the members (not providers) an outage of
/// it reaches, by provider and short id; members by name.
pub fn dependency_map(objects: &[DepObject], links: &[DepLink]) -> Vec<ProviderService> {
    let dependents = dependents(links);
    let mut out: Vec<ProviderService> = objects
        .iter()
        .filter(|o| o.provider)
        .map(|p| {
            let reached = reach(&dependents, &[p.id]);
            let mut members: BTreeMap<OrgId, String> = BTreeMap::new();
            for o in objects
                .iter()
                .filter(|o| !o.provider && reached.contains(&o.id))
            {
                members.insert(o.org_id, o.org_name.clone());
            }
            let mut members: Vec<MemberRef> = members
                .into_iter()
                .map(|(org_id, org_name)| MemberRef { org_id, org_name })
                .collect();
            members.sort_by(|a, b| a.org_name.cmp(&b.org_name));
            ProviderService {
                id: p.id,
                provider_id: p.org_id,
                provider: p.org_name.clone(),
                short_id: p.short_id.clone(),
                name: p.name.clone(),
                object_type: p.object_type,
                members,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.provider.as_str(), a.short_id.as_str()).cmp(&(b.provider.as_str(), b.short_id.as_str()))
    });
    out
}

/// The severity a declaration for an affected member starts with: from its most needed
/// process' availability (very high → critical, high → high, normal or unset → medium); low
/// when no business process of it fails.
pub fn suggested_severity(m: &AffectedMember) -> super::Severity {
    use super::Severity;
    match m.processes.first() {
        None => Severity::Low,
        Some(p) => match p.availability {
            Some(Category::VeryHigh) => Severity::Critical,
            Some(Category::High) => Severity::High,
            _ => Severity::Medium,
        },
    }
}

/// The members (not providers) reached by an outage of `failed`, the worst hit first: by
/// their most needed process, then by number of affected processes, then by name.
pub fn blast_radius(
    objects: &[DepObject],
    links: &[DepLink],
    failed: &[StructureObjectId],
) -> Vec<AffectedMember> {
    // dependents[x] = objects that depend on x
    let dependents = dependents(links);
    let reached = reach(&dependents, failed);
    let by_id: BTreeMap<StructureObjectId, &DepObject> =
        objects.iter().map(|o| (o.id, o)).collect();
    let mut via: BTreeMap<OrgId, std::collections::BTreeSet<Via>> = BTreeMap::new();
    for l in links {
        let (dependent, dependency) = direction(l);
        if let (Some(a), Some(b)) = (by_id.get(&dependent), by_id.get(&dependency))
            && !a.provider
            && b.provider
            && reached.contains(&b.id)
        {
            via.entry(a.org_id).or_default().insert(Via {
                provider: b.org_name.clone(),
                short_id: b.short_id.clone(),
                name: b.name.clone(),
            });
        }
    }
    let mut members: BTreeMap<OrgId, AffectedMember> = BTreeMap::new();
    for o in objects
        .iter()
        .filter(|o| !o.provider && reached.contains(&o.id))
    {
        let m = members.entry(o.org_id).or_insert_with(|| AffectedMember {
            org_id: o.org_id,
            org_name: o.org_name.clone(),
            processes: Vec::new(),
            objects: 0,
            via: via
                .get(&o.org_id)
                .map(|v| v.iter().cloned().collect())
                .unwrap_or_default(),
        });
        m.objects += 1;
        if o.object_type == ObjectType::BusinessProcess {
            m.processes.push(AffectedProcess {
                id: o.id,
                short_id: o.short_id.clone(),
                name: o.name.clone(),
                availability: o.needs[2],
                highest: o.needs.iter().flatten().max().copied(),
            });
        }
    }
    let mut out: Vec<AffectedMember> = members.into_values().collect();
    for m in &mut out {
        m.processes.sort_by_key(process_key);
    }
    out.sort_by(|a, b| {
        let top = |m: &AffectedMember| m.processes.first().map(process_key);
        match (top(a), top(b)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0).then(x.1.cmp(&y.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| b.processes.len().cmp(&a.processes.len()))
        .then_with(|| a.org_name.cmp(&b.org_name))
    });
    out
}
