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

/// The members (not providers) reached by an outage of `failed`, the worst hit first: by
/// their most needed process, then by number of affected processes, then by name.
pub fn blast_radius(
    objects: &[DepObject],
    links: &[DepLink],
    failed: &[StructureObjectId],
) -> Vec<AffectedMember> {
    // dependents[x] = objects that depend on x
    let mut dependents: BTreeMap<StructureObjectId, Vec<StructureObjectId>> = BTreeMap::new();
    for l in links {
        let (dependent, dependency) = if l.link_type == LinkType::ProcessesDataOf {
            (l.to, l.from)
        } else {
            (l.from, l.to)
        };
        dependents.entry(dependency).or_default().push(dependent);
    }
    let mut reached: std::collections::BTreeSet<StructureObjectId> = Default::default();
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
