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
    Link, Need, ObjectDetail, ObjectFilter, ObjectRef, TargetObject,
};
use verbund_domain::structure::needs::StructureSettings;
use verbund_domain::structure::{Category, Deviation, Goal, LinkInput, LinkType, ObjectInput};
use verbund_domain::{FederationId, OrgId, StructureLinkId, StructureObjectId};

use crate::{AuditActor, Db, Result, Store, backend};

/// Counts of an import: objects created, objects updated, links added.
pub type ImportCounts = (usize, usize, usize);

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

    /// Imports objects (upsert by short id) and links between short ids of `org`, all or
    /// nothing.
    pub async fn import_structure(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        objects: &[ObjectInput],
        links: &[(String, String, LinkType)],
    ) -> Result<ImportCounts> {
        dispatch!(self.import_structure(by, write, org, objects, links))
    }

    /// All objects of `org` and the links from them.
    pub async fn export_structure(
        &self,
        scope: &Scope,
        org: OrgId,
    ) -> Result<(Vec<TargetObject>, Vec<Link>)> {
        dispatch!(self.export_structure(scope, org))
    }
}
