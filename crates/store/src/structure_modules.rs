//! Modelling (BSI 200-2): modules of imported catalogs assigned to target objects, the
//! modelling rows of a member, and the federation's suggestion rules.
//!
//! Scopes as in [`crate::structure`]: `write` to assign and remove (the object's organisation
//! must lie inside), `scope` to read (the objects the reader sees).

use verbund_domain::authz::Scope;
use verbund_domain::structure::modelling::{Assignment, ModelledObject, Module, ModuleRules};
use verbund_domain::{FederationId, OrgId, StructureObjectId};

use crate::{AuditActor, Db, Result, Store, backend};

impl Store {
    /// The modules (top-level nodes with a reference) of the newest revision of every catalog.
    pub async fn catalog_modules(&self) -> Result<Vec<Module>> {
        dispatch!(self.catalog_modules())
    }

    /// The modules assigned to a visible object (`NotFound` if the reader cannot see it).
    pub async fn object_module_assignments(
        &self,
        scope: &Scope,
        object: StructureObjectId,
    ) -> Result<Vec<Assignment>> {
        dispatch!(self.object_module_assignments(scope, object))
    }

    /// One assignment whose object the reader sees.
    pub async fn get_module_assignment(&self, scope: &Scope, id: i64) -> Result<Assignment> {
        dispatch!(self.get_module_assignment(scope, id))
    }

    /// Assigns the module node `node_id` to a writable object, audited. A node that is no
    /// module is field error `module`: `error-module-unknown`; one assigned already
    /// `error-duplicate`.
    pub async fn assign_module(
        &self,
        by: &AuditActor,
        write: &Scope,
        object: StructureObjectId,
        node_id: i64,
    ) -> Result<Assignment> {
        dispatch!(self.assign_module(by, write, object, node_id))
    }

    /// Removes an assignment of a writable object, audited.
    pub async fn unassign_module(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: i64,
    ) -> Result<Assignment> {
        dispatch!(self.unassign_module(by, write, id))
    }

    /// The own objects of `org` (`None`: of every organisation in `scope`) with their modules.
    pub async fn modelled_objects(
        &self,
        scope: &Scope,
        org: Option<OrgId>,
    ) -> Result<Vec<ModelledObject>> {
        dispatch!(self.modelled_objects(scope, org))
    }

    /// The federation's suggestion rules (the built-in defaults if never saved).
    pub async fn module_rules(&self) -> Result<ModuleRules> {
        dispatch!(self.module_rules())
    }

    /// Saves the suggestion rules, audited.
    pub async fn save_module_rules(
        &self,
        by: &AuditActor,
        federation: FederationId,
        rules: &ModuleRules,
    ) -> Result<()> {
        dispatch!(self.save_module_rules(by, federation, rules))
    }
}
