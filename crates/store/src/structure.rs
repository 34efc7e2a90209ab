//! Structure analysis (BSI 200-2): target objects, dependency links, protection needs. Every
//! change recomputes the needs downstream of it in the same transaction and is audited.
//!
//! Scopes: `write` is the caller's scope for changing structure data (its own organisations;
//! the office reaches providers too), `scope` for reading. A reader sees the objects of its
//! organisations and the provider objects they rely on; of a provider object's contributions
//! only its own.

use verbund_domain::authz::Scope;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::model::{
    Link, MemberStructure, Need, ObjectDetail, ObjectFilter, ObjectRef, TargetObject,
};
use verbund_domain::structure::needs::StructureSettings;
use verbund_domain::structure::{Category, Deviation, Goal, LinkInput, LinkType, ObjectInput};
use verbund_domain::{FederationId, OrgId, StructureLinkId, StructureObjectId};

use crate::{AuditActor, Db, Result, Store, backend};

/// Counts of an import: objects created, objects updated, links added.
pub type ImportCounts = (usize, usize, usize);

/// The object an imported link points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEnd {
    /// An object of the importing organisation (in the file or stored), by short id.
    Own(String),
    /// A provider's object (any provider of the federation: what a member may rely on).
    Provider(StructureObjectId),
}

/// A provider object as an import may name it: (provider's name, short id, object).
pub type ProviderObjectName = (String, String, StructureObjectId);

impl Store {
    /// Objects visible in `scope`, filtered, ordered by organisation (providers last) and
    /// short id.
    pub async fn list_structure_objects(
        &self,
        scope: &Scope,
        filter: &ObjectFilter,
        page: PageRequest,
    ) -> Result<Page<TargetObject>> {
        dispatch!(self.list_structure_objects(scope, filter, page))
    }

    /// One visible object.
    pub async fn get_structure_object(
        &self,
        scope: &Scope,
        id: StructureObjectId,
    ) -> Result<TargetObject> {
        dispatch!(self.get_structure_object(scope, id))
    }

    /// An object with needs, paths, links and the contributions the reader may see.
    pub async fn structure_object_detail(
        &self,
        scope: &Scope,
        id: StructureObjectId,
    ) -> Result<ObjectDetail> {
        dispatch!(self.structure_object_detail(scope, id))
    }

    /// Creates an object of `org` (duplicate short id: field error `short_id`).
    pub async fn create_structure_object(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        input: &ObjectInput,
    ) -> Result<TargetObject> {
        dispatch!(self.create_structure_object(by, write, org, input))
    }

    /// Changes an object; `revision` (if given) must match (`Stale` otherwise).
    pub async fn update_structure_object(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: StructureObjectId,
        revision: Option<i64>,
        input: &ObjectInput,
    ) -> Result<TargetObject> {
        dispatch!(self.update_structure_object(by, write, id, revision, input))
    }

    /// Deletes an object with its links and needs; what inherited from it is recomputed.
    pub async fn delete_structure_object(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: StructureObjectId,
    ) -> Result<TargetObject> {
        dispatch!(self.delete_structure_object(by, write, id))
    }

    /// Links from the objects of `org`.
    pub async fn list_structure_links(&self, scope: &Scope, org: OrgId) -> Result<Vec<Link>> {
        dispatch!(self.list_structure_links(scope, org))
    }

    /// One link whose depending object lies in `scope`.
    pub async fn get_structure_link(&self, scope: &Scope, id: StructureLinkId) -> Result<Link> {
        dispatch!(self.get_structure_link(scope, id))
    }

    /// Adds a link from a writable object to an object of the same organisation or a provider
    /// object (else field error `to`: `error-link-target`; a duplicate: `error-duplicate`).
    pub async fn create_structure_link(
        &self,
        by: &AuditActor,
        write: &Scope,
        link: &LinkInput,
    ) -> Result<Link> {
        dispatch!(self.create_structure_link(by, write, link))
    }

    /// Removes a link whose depending object is writable.
    pub async fn delete_structure_link(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: StructureLinkId,
    ) -> Result<Link> {
        dispatch!(self.delete_structure_link(by, write, id))
    }

    /// Objects a link from `org`'s objects may point to.
    pub async fn structure_link_targets(
        &self,
        write: &Scope,
        org: OrgId,
    ) -> Result<Vec<ObjectRef>> {
        dispatch!(self.structure_link_targets(write, org))
    }

    /// Sets or clears (`None`) a person's need of an object for one goal; invalid settings
    /// (no justification, deviation in the wrong direction) are field errors.
    pub async fn set_structure_need(
        &self,
        by: &AuditActor,
        write: &Scope,
        object: StructureObjectId,
        goal: Goal,
        value: Option<(Category, Option<Deviation>, String)>,
    ) -> Result<Need> {
        dispatch!(self.set_structure_need(by, write, object, goal, value))
    }

    /// The federation's structure-analysis settings (defaults if never saved).
    pub async fn structure_settings(&self) -> Result<StructureSettings> {
        dispatch!(self.structure_settings())
    }

    /// Saves the settings; a changed propagation recomputes every object.
    pub async fn save_structure_settings(
        &self,
        by: &AuditActor,
        federation: FederationId,
        settings: &StructureSettings,
    ) -> Result<()> {
        dispatch!(self.save_structure_settings(by, federation, settings))
    }

    /// Imports objects (upsert by short id) and links from them to objects of `org` or to
    /// provider objects, all or nothing. A link end that is neither (another member's object,
    /// an unknown short id) fails with a field error on `depends_on`.
    pub async fn import_structure(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        objects: &[ObjectInput],
        links: &[(String, LinkEnd, LinkType)],
    ) -> Result<ImportCounts> {
        dispatch!(self.import_structure(by, write, org, objects, links))
    }

    /// The provider objects a link from an object of `org` may point to, by provider name and
    /// short id (`NotFound` if `org` is outside `write`).
    pub async fn provider_object_names(
        &self,
        write: &Scope,
        org: OrgId,
    ) -> Result<Vec<ProviderObjectName>> {
        dispatch!(self.provider_object_names(write, org))
    }

    /// `org`'s whole structure analysis for the report: objects with needs and paths (kept
    /// inside the organisation), all links from its objects, and the provider objects it relies
    /// on with only its own contribution. `NotFound` outside `scope`.
    pub async fn member_structure(&self, scope: &Scope, org: OrgId) -> Result<MemberStructure> {
        dispatch!(self.member_structure(scope, org))
    }

    /// All objects of `org`, the links from them, and the names of the providers whose
    /// objects they point to.
    pub async fn export_structure(
        &self,
        scope: &Scope,
        org: OrgId,
    ) -> Result<(
        Vec<TargetObject>,
        Vec<Link>,
        std::collections::HashMap<OrgId, String>,
    )> {
        dispatch!(self.export_structure(scope, org))
    }
}
