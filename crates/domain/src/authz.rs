//! Authorization: who may see and do what, decided in one place.
//!
//! A user holds roles in organisations. A role held in the *office* organisation reaches every
//! organisation of the federation; a role held in a member organisation reaches only that member.
//! For an organisation outside every reach the answer is [`Denied::NotFound`] (its existence is not
//! revealed); inside reach but without the right permission it is [`Denied::Forbidden`].

use serde::{Deserialize, Serialize};

use crate::{OrgId, UserId};

/// A role a user can hold in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Runs the platform: users, memberships, settings.
    FederationAdmin,
    /// The office's security officer: works across all members.
    OfficeIsb,
    /// A member's security coordinator: works on the own organisation.
    Coordinator,
    /// Mayor, Landrat, management: reads reports.
    Management,
    /// Responsible for assigned measures.
    MeasureOwner,
}

impl Role {
    /// All roles, in display order.
    pub const ALL: [Role; 5] = [
        Self::FederationAdmin,
        Self::OfficeIsb,
        Self::Coordinator,
        Self::Management,
        Self::MeasureOwner,
    ];

    /// Stable code for database, forms and API.
    pub fn code(self) -> &'static str {
        match self {
            Self::FederationAdmin => "federation_admin",
            Self::OfficeIsb => "office_isb",
            Self::Coordinator => "coordinator",
            Self::Management => "management",
            Self::MeasureOwner => "measure_owner",
        }
    }

    /// Parses a code; unknown codes fail with `error-role`.
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or("error-role")
    }

    /// Roles that only make sense in the office organisation (they reach the whole federation).
    pub fn office_only(self) -> bool {
        matches!(self, Self::FederationAdmin | Self::OfficeIsb)
    }

    fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Self::FederationAdmin => true,
            Self::OfficeIsb => !matches!(p, ManageOfficeRoles),
            Self::Coordinator => matches!(
                p,
                ReadOrg
                    | EditOrg
                    | ReadUsers
                    | ManageUsers
                    | ReadAudit
                    | ReadCosts
                    | ReadAssessments
                    | AnswerAssessments
                    | ManageAssessments
                    | ReadStructure
                    | EditStructure
            ),
            Self::Management => matches!(
                p,
                ReadOrg | ReadUsers | ReadAudit | ReadCosts | ReadAssessments | ReadStructure
            ),
            Self::MeasureOwner => matches!(p, ReadOrg | ReadAssessments | AnswerAssessments),
        }
    }
}

/// Something a user may be allowed to do in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the organisation and its facts.
    ReadOrg,
    /// Change the organisation's facts (population, staff, address …).
    EditOrg,
    /// Create organisations and manage memberships (office level).
    ManageFederation,
    /// Set an organisation's key figures (population, staff, IT workplaces) and decide on a
    /// member's proposal to change them: the figures move costs between members, so only the
    /// office sets them.
    SetKeyFigures,
    /// See the users holding roles in the organisation.
    ReadUsers,
    /// Create users and grant member-level roles in the organisation.
    ManageUsers,
    /// Grant or revoke office-level roles (federation admin, office ISB).
    ManageOfficeRoles,
    /// Read the audit log of the organisation.
    ReadAudit,
    /// Read cost data: in the office the budget, keys and all statements; in a member its
    /// own statement.
    ReadCosts,
    /// Read assessments, their answers, snapshots and the federation comparison.
    ReadAssessments,
    /// Answer requirements of an assessment (status, justification, owner, due date, evidence).
    AnswerAssessments,
    /// Start assessments, take snapshots and import answers from a file.
    ManageAssessments,
    /// Read the structure analysis (target objects, links, protection needs).
    ReadStructure,
    /// Change the structure analysis: objects, links, needs, import. Provider objects belong
    /// to provider organisations, which only the office reaches.
    EditStructure,
    /// Change the federation's structure-analysis settings (office).
    ManageStructureSettings,
}

/// One role held in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Where the role is held.
    pub org_id: OrgId,
    /// The role.
    pub role: Role,
}

/// Why access is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The object is outside the user's reach: answer as if it did not exist (HTTP 404).
    #[error("not found")]
    NotFound,
    /// The object is the user's own, but the role lacks the permission (HTTP 403).
    #[error("forbidden")]
    Forbidden,
}

/// The set of organisations a permission reaches, used to filter every query.
///
/// A scope cannot be built by hand: it comes from an authenticated [`Actor`]
/// ([`Actor::scope`]), or, for work no user does (demo seeding, restore, CLI batch jobs),
/// from an explicit [`SystemAccess`]. So a store call on member data can only ever be made
/// for someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope(Reach);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reach {
    All,
    Orgs(Vec<OrgId>),
}

impl Scope {
    /// The whole installation, for work done by the system itself.
    pub fn system(_: &SystemAccess) -> Scope {
        Scope(Reach::All)
    }

    /// Whether `org` is inside the scope.
    pub fn contains(&self, org: OrgId) -> bool {
        match &self.0 {
            Reach::All => true,
            Reach::Orgs(ids) => ids.binary_search(&org).is_ok(),
        }
    }

    /// Whether the scope reaches no organisation at all.
    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Reach::Orgs(ids) if ids.is_empty())
    }

    /// The organisations of a limited scope (sorted, deduplicated, maybe empty); `None` when
    /// it reaches every organisation. For building the filter of a query.
    pub fn orgs(&self) -> Option<&[OrgId]> {
        match &self.0 {
            Reach::All => None,
            Reach::Orgs(ids) => Some(ids),
        }
    }

    /// Whether the scope reaches every organisation.
    pub fn is_all(&self) -> bool {
        matches!(self.0, Reach::All)
    }

    /// The part of this scope that is `org`: `org` alone if the scope contains it, else
    /// nothing. It can only narrow, never widen, a scope (for pages about one member).
    pub fn narrowed_to(&self, org: OrgId) -> Scope {
        if self.contains(org) {
            Scope(Reach::Orgs(vec![org]))
        } else {
            Scope(Reach::Orgs(vec![]))
        }
    }
}

/// Permission to act for the system itself, not for a user: seeding the demo, restoring a
/// backup, batch jobs of the command line. Every use names why, so it stands out in review.
#[derive(Debug, Clone, Copy)]
pub struct SystemAccess {
    /// Why the system acts (for reading code and logs).
    pub reason: &'static str,
}

impl SystemAccess {
    /// System access for `reason`, e.g. `"demo seed"`.
    pub fn for_reason(reason: &'static str) -> Self {
        Self { reason }
    }
}

/// The logged-in user with every role they hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Who.
    pub user_id: UserId,
    /// The office organisation of the federation (roles there reach all members).
    pub office_org: OrgId,
    /// Every role held.
    pub grants: Vec<Grant>,
}

impl Actor {
    fn reaches(&self, g: &Grant, org: OrgId) -> bool {
        g.org_id == self.office_org || g.org_id == org
    }

    /// Whether any role reaches `org` at all (it is visible to this user).
    pub fn sees(&self, org: OrgId) -> bool {
        self.grants.iter().any(|g| self.reaches(g, org))
    }

    /// Decides whether the user may do `p` in `org`.
    pub fn check(&self, p: Permission, org: OrgId) -> Result<(), Denied> {
        if self
            .grants
            .iter()
            .any(|g| self.reaches(g, org) && g.role.permits(p))
        {
            Ok(())
        } else if self.sees(org) {
            Err(Denied::Forbidden)
        } else {
            Err(Denied::NotFound)
        }
    }

    /// Decides an office-level action (not tied to one member), e.g. creating an organisation.
    /// Users without any office role get `NotFound`: they do not learn the action exists.
    pub fn check_office(&self, p: Permission) -> Result<(), Denied> {
        self.check(p, self.office_org)
    }

    /// The organisations in which the user may do `p`.
    pub fn scope(&self, p: Permission) -> Scope {
        if self
            .grants
            .iter()
            .any(|g| g.org_id == self.office_org && g.role.permits(p))
        {
            return Scope(Reach::All);
        }
        let mut ids: Vec<OrgId> = self
            .grants
            .iter()
            .filter(|g| g.role.permits(p))
            .map(|g| g.org_id)
            .collect();
        ids.sort();
        ids.dedup();
        Scope(Reach::Orgs(ids))
    }

    /// Whether the user works office-wide (holds any role in the office organisation).
    pub fn is_office(&self) -> bool {
        self.grants.iter().any(|g| g.org_id == self.office_org)
    }

    /// Decides whether the user may grant or revoke `role` in `org`.
    pub fn check_grant(&self, role: Role, org: OrgId) -> Result<(), Denied> {
        self.check(Permission::ManageUsers, org)?;
        if role.office_only() {
            if org != self.office_org {
                return Err(Denied::Forbidden);
            }
            self.check(Permission::ManageOfficeRoles, org)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICE: OrgId = OrgId(1);
    const NAUHEIM: OrgId = OrgId(2);
    const RAUNHEIM: OrgId = OrgId(3);

    fn actor(grants: &[(OrgId, Role)]) -> Actor {
        Actor {
            user_id: UserId(9),
            office_org: OFFICE,
            grants: grants
                .iter()
                .map(|&(org_id, role)| Grant { org_id, role })
                .collect(),
        }
    }

    #[test]
    fn office_isb_reaches_every_member() {
        let a = actor(&[(OFFICE, Role::OfficeIsb)]);
        assert_eq!(a.check(Permission::EditOrg, RAUNHEIM), Ok(()));
        assert!(a.scope(Permission::ReadAudit).is_all());
        assert_eq!(a.check_office(Permission::ManageFederation), Ok(()));
    }

    #[test]
    fn coordinator_edits_own_org_only_and_other_members_are_not_found() {
        let a = actor(&[(NAUHEIM, Role::Coordinator)]);
        assert_eq!(a.check(Permission::EditOrg, NAUHEIM), Ok(()));
        assert_eq!(
            a.check(Permission::EditOrg, RAUNHEIM),
            Err(Denied::NotFound)
        );
        assert_eq!(a.check(Permission::ReadOrg, OFFICE), Err(Denied::NotFound));
        assert_eq!(a.scope(Permission::ReadOrg).orgs(), Some(&[NAUHEIM][..]));
    }

    #[test]
    fn management_reads_but_may_not_edit_own_org() {
        let a = actor(&[(NAUHEIM, Role::Management)]);
        assert_eq!(a.check(Permission::ReadOrg, NAUHEIM), Ok(()));
        assert_eq!(
            a.check(Permission::EditOrg, NAUHEIM),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            a.check(Permission::EditOrg, RAUNHEIM),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn measure_owner_cannot_read_audit_or_users() {
        let a = actor(&[(NAUHEIM, Role::MeasureOwner)]);
        assert_eq!(
            a.check(Permission::ReadAudit, NAUHEIM),
            Err(Denied::Forbidden)
        );
        assert_eq!(a.scope(Permission::ReadUsers).orgs(), Some(&[][..]));
        assert!(a.scope(Permission::ReadUsers).is_empty());
        assert!(!a.scope(Permission::ReadOrg).is_empty());
        assert!(!Scope::system(&SystemAccess::for_reason("test")).is_empty());
    }

    #[test]
    fn office_management_reads_all_but_manages_nothing() {
        let a = actor(&[(OFFICE, Role::Management)]);
        assert_eq!(a.check(Permission::ReadOrg, RAUNHEIM), Ok(()));
        assert_eq!(
            a.check(Permission::EditOrg, RAUNHEIM),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            a.check_office(Permission::ManageFederation),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn roles_in_several_members_combine() {
        let a = actor(&[(NAUHEIM, Role::Coordinator), (RAUNHEIM, Role::Management)]);
        assert_eq!(
            a.scope(Permission::ReadOrg).orgs(),
            Some(&[NAUHEIM, RAUNHEIM][..])
        );
        assert_eq!(a.scope(Permission::EditOrg).orgs(), Some(&[NAUHEIM][..]));
        assert_eq!(
            a.check(Permission::EditOrg, RAUNHEIM),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn member_user_sees_no_office_action() {
        let a = actor(&[(NAUHEIM, Role::Coordinator)]);
        assert_eq!(
            a.check_office(Permission::ManageFederation),
            Err(Denied::NotFound)
        );
        assert!(!a.is_office());
    }

    #[test]
    fn office_roles_are_granted_only_in_the_office_and_only_by_an_admin() {
        let isb = actor(&[(OFFICE, Role::OfficeIsb)]);
        assert_eq!(isb.check_grant(Role::Coordinator, NAUHEIM), Ok(()));
        assert_eq!(
            isb.check_grant(Role::OfficeIsb, OFFICE),
            Err(Denied::Forbidden)
        );
        let admin = actor(&[(OFFICE, Role::FederationAdmin)]);
        assert_eq!(admin.check_grant(Role::OfficeIsb, OFFICE), Ok(()));
        assert_eq!(
            admin.check_grant(Role::OfficeIsb, NAUHEIM),
            Err(Denied::Forbidden)
        );
        let coord = actor(&[(NAUHEIM, Role::Coordinator)]);
        assert_eq!(coord.check_grant(Role::MeasureOwner, NAUHEIM), Ok(()));
        assert_eq!(
            coord.check_grant(Role::FederationAdmin, NAUHEIM),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            coord.check_grant(Role::MeasureOwner, RAUNHEIM),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn costs_are_read_by_coordinators_and_management_but_not_measure_owners() {
        assert_eq!(
            actor(&[(NAUHEIM, Role::Management)]).check(Permission::ReadCosts, NAUHEIM),
            Ok(())
        );
        assert_eq!(
            actor(&[(NAUHEIM, Role::Coordinator)]).check(Permission::ReadCosts, NAUHEIM),
            Ok(())
        );
        assert_eq!(
            actor(&[(NAUHEIM, Role::MeasureOwner)]).check(Permission::ReadCosts, NAUHEIM),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            actor(&[(NAUHEIM, Role::Coordinator)]).check_office(Permission::ReadCosts),
            Err(Denied::NotFound)
        );
        assert_eq!(
            actor(&[(OFFICE, Role::Management)]).check_office(Permission::ReadCosts),
            Ok(())
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Ok(r));
        }
        assert_eq!(Role::parse("root"), Err("error-role"));
    }

    #[test]
    fn narrowing_a_scope_never_widens_it() {
        let all = Scope::system(&SystemAccess::for_reason("test"));
        let narrowed = all.narrowed_to(OrgId(7));
        assert_eq!(narrowed.orgs(), Some(&[OrgId(7)][..]));
        assert!(narrowed.narrowed_to(OrgId(8)).is_empty());
    }
}
