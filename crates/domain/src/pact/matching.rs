//! Matching a help request to the registered resources of the other pact members.
//!
//! A resource fits when it is of another member, offers what is needed (a person or remote
//! support with the skill, equipment of the type) and is available on at least one day of the
//! request. Fitting resources are ranked: first those available for the whole request, then by
//! straight-line distance between the town halls (unknown distance last), then those that
//! cover the whole count alone, then the most recently confirmed, then by ID.

use serde::Serialize;

use super::model::PactResource;
use super::{Coordinates, Need, ResourceKind, Window};
use crate::{OrgId, PactResourceId};

/// What the requesting member needs, and where its town hall is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wanted {
    /// The requesting member (its own resources never match).
    pub org_id: OrgId,
    /// What.
    pub need: Need,
    /// How many.
    pub count: i64,
    /// When.
    pub window: Window,
    /// Its town hall.
    pub at: Option<Coordinates>,
}

/// A registered resource with its member's town hall.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The resource.
    pub resource: &'a PactResource,
    /// The lending member's town hall.
    pub at: Option<Coordinates>,
}

/// A resource that fits, with why it ranks where it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactMatch {
    /// The resource.
    pub resource: PactResource,
    /// Straight-line distance between the town halls in km (unknown without coordinates).
    pub distance_km: Option<f64>,
    /// Available on every day of the request.
    pub covers_window: bool,
    /// Brings the whole count alone.
    pub covers_count: bool,
}

/// Whether `r` offers what `need` asks for.
pub fn offers(r: &PactResource, need: Need) -> bool {
    match need {
        Need::Skill(s) => {
            matches!(r.kind, ResourceKind::Person | ResourceKind::RemoteSupport)
                && r.skills.contains(&s)
        }
        Need::Equipment(t) => r.kind == ResourceKind::Equipment && r.equipment_type == Some(t),
    }
}

/// The fitting resources of other members, best first (see the module documentation).
pub fn rank(wanted: &Wanted, candidates: &[Candidate<'_>]) -> Vec<PactMatch> {
    let mut out: Vec<(PactMatch, i64)> = candidates
        .iter()
        .filter(|c| c.resource.org_id != wanted.org_id)
        .filter(|c| offers(c.resource, wanted.need))
        .filter(|c| c.resource.window.overlap(wanted.window).is_some())
        .map(|c| {
            let distance_km = match (wanted.at, c.at) {
                (Some(a), Some(b)) => Some(a.distance_km(b)),
                _ => None,
            };
            (
                PactMatch {
                    resource: c.resource.clone(),
                    distance_km,
                    covers_window: c.resource.window.covers(wanted.window),
                    covers_count: c.resource.count >= wanted.count,
                },
                c.resource.confirmed_at_ms,
            )
        })
        .collect();
    out.sort_by(|(a, ac), (b, bc)| {
        b.covers_window
            .cmp(&a.covers_window)
            .then_with(|| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| b.covers_count.cmp(&a.covers_count))
            .then_with(|| bc.cmp(ac))
            .then_with(|| a.resource.id.cmp(&b.resource.id))
    });
    out.into_iter().map(|(m, _)| m).collect()
}

/// The IDs of a ranking, for tests and logs.
pub fn ids(matches: &[PactMatch]) -> Vec<PactResourceId> {
    matches.iter().map(|m| m.resource.id).collect()
}
