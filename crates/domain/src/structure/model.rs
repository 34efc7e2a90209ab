//! Target objects, links and needs as stored and shown.

use serde::Serialize;

use super::{Category, Deviation, Goal, LinkType, ObjectStatus, ObjectType};
use crate::{OrgId, StructureLinkId, StructureObjectId};

/// The effective need per basic value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedTriple {
    /// Confidentiality.
    pub confidentiality: Option<Category>,
    /// Integrity.
    pub integrity: Option<Category>,
    /// Availability.
    pub availability: Option<Category>,
}

impl NeedTriple {
    /// From a `[C, I, A]` array.
    pub fn from_array(a: [Option<Category>; 3]) -> Self {
        Self {
            confidentiality: a[0],
            integrity: a[1],
            availability: a[2],
        }
    }

    /// As a `[C, I, A]` array.
    pub fn to_array(self) -> [Option<Category>; 3] {
        [self.confidentiality, self.integrity, self.availability]
    }
}

/// A target object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetObject {
    /// Its ID.
    pub id: StructureObjectId,
    /// The owning organisation (a member or a provider).
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Whether the owner is a provider (the object is shared by the members relying on it).
    pub provider: bool,
    /// Short id, unique within the organisation, e.g. `A012`.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Type.
    pub object_type: ObjectType,
    /// Responsible person or department.
    pub owner: Option<String>,
    /// Location (free text).
    pub location: Option<String>,
    /// Number of similar objects this one stands for.
    pub count: i64,
    /// Life-cycle state.
    pub status: ObjectStatus,
    /// Tags.
    pub tags: Vec<String>,
    /// Product.
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// CPE 2.3 name.
    pub cpe: Option<String>,
    /// Package URL.
    pub purl: Option<String>,
    /// Whether the object lies on a dependency cycle (flagged for review).
    pub in_cycle: bool,
    /// Optimistic-locking revision.
    pub revision: i64,
    /// Effective needs.
    pub effective: NeedTriple,
}

/// A short reference to an object (link ends, path steps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectRef {
    /// Its ID.
    pub id: StructureObjectId,
    /// The owning organisation.
    pub org_id: OrgId,
    /// Whether the owner is a provider.
    pub provider: bool,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Type.
    pub object_type: ObjectType,
}

/// A dependency link `from → to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// Its ID.
    pub id: StructureLinkId,
    /// The depending object.
    pub from: ObjectRef,
    /// The object depended on.
    pub to: ObjectRef,
    /// The relation.
    pub link_type: LinkType,
    /// Whether this link passes needs on under the federation's configuration.
    pub passes_needs: bool,
}

/// Where an effective need comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OriginKind {
    /// Nothing reaches the object.
    Unset,
    /// Inherited over a link.
    Link,
    /// Shared maximum of a cycle.
    Cycle,
}

/// The protection need of one object for one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    /// The goal.
    pub goal: Goal,
    /// The value a person set, if any.
    pub manual: Option<Category>,
    /// Its deviation reason, if it deviates.
    pub deviation: Option<Deviation>,
    /// Its justification.
    pub justification: Option<String>,
    /// Who set it.
    pub set_by: Option<String>,
    /// When (Unix milliseconds).
    pub set_at_ms: Option<i64>,
    /// What inheritance alone gives.
    pub calculated: Option<Category>,
    /// What applies.
    pub effective: Option<Category>,
    /// Whether the effective need is the value a person set.
    pub own: bool,
    /// Whether a deviation no longer deviates (review it).
    pub stale: bool,
    /// Where the calculated need comes from.
    pub origin: OriginKind,
    /// The object it comes from (link or cycle), if visible to the reader.
    pub origin_object: Option<StructureObjectId>,
    /// The link type it came over.
    pub origin_link_type: Option<LinkType>,
}

/// One step of an inheritance path, from the object itself back to where the need was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathEntry {
    /// The object.
    pub object: ObjectRef,
    /// Its effective need for the goal.
    pub effective: Option<Category>,
    /// `true`: a person set the need here.
    pub own: bool,
    /// Otherwise how it got it (link or cycle).
    pub origin: OriginKind,
    /// The link type, for a link.
    pub link_type: Option<LinkType>,
}

/// What one member passes to a provider object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// The highest needs it passes on.
    pub needs: NeedTriple,
}

/// An object with its needs, links, paths and contributions, as the reader may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectDetail {
    /// The object.
    pub object: TargetObject,
    /// Needs per goal (C, I, A).
    pub needs: Vec<Need>,
    /// Inheritance path per goal (C, I, A), the object first.
    pub paths: Vec<Vec<PathEntry>>,
    /// Links from this object (what it depends on).
    pub depends_on: Vec<Link>,
    /// Links to this object (what depends on it) that the reader may see.
    pub used_by: Vec<Link>,
    /// For a provider object: the contributions the reader may see (the office all, a member
    /// only its own).
    pub contributions: Vec<Contribution>,
    /// Goals for which a cumulation effect should be checked (many normal needs meet here).
    pub cumulation_hints: Vec<Goal>,
}

/// List filter for objects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFilter {
    /// Only objects of this organisation.
    pub org: Option<OrgId>,
    /// Only this type.
    pub object_type: Option<ObjectType>,
    /// Search in short id and name.
    pub search: Option<String>,
    /// Only provider objects.
    pub providers_only: bool,
}

/// One object of a member's structure analysis with its needs and the path explaining each.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectNeeds {
    /// The object.
    pub object: TargetObject,
    /// Needs per goal (C, I, A).
    pub needs: Vec<Need>,
    /// Inheritance path per goal (C, I, A), the object first; it ends where a person set the
    /// need, or before an object of another organisation.
    pub paths: Vec<Vec<PathEntry>>,
}

/// A provider object a member relies on, with what this member passes to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderUse {
    /// The provider object (its effective need is the maximum over every member).
    pub object: TargetObject,
    /// This member's contribution (never another member's).
    pub contribution: NeedTriple,
}

/// A member's whole structure analysis and protection-needs assessment, as the report shows
/// it: its objects with needs and paths, the links from them, the provider objects it relies on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberStructure {
    /// The organisation.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its objects, by short id.
    pub objects: Vec<ObjectNeeds>,
    /// Links from its objects (to its own or to provider objects).
    pub links: Vec<Link>,
    /// Provider objects it relies on (directly or through other provider objects).
    pub provider_objects: Vec<ProviderUse>,
}
