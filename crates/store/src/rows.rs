//! Row types and their mapping to domain types. Domain types derive no sqlx traits.

use verbund_domain::org::{Ags, Membership, OrgKind, Organisation};
use verbund_domain::user::User;
use verbund_domain::validation::parse_date;
use verbund_domain::{FederationId, MembershipId, OrgId, UserId};

use crate::StoreError;

fn corrupt(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("stored {what} is invalid").into(),
    ))
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrgRow {
    pub id: i64,
    pub federation_id: i64,
    pub name: String,
    pub kind: String,
    pub ags: Option<String>,
    pub population: Option<i64>,
    pub staff: Option<i64>,
    pub it_workplaces: Option<i64>,
    pub address: Option<String>,
    pub version: i64,
    pub figures_changed_at_ms: Option<i64>,
}

pub(crate) const ORG_COLUMNS: &str = "id, federation_id, name, kind, ags, population, staff, it_workplaces, address, version, figures_changed_at_ms";

impl TryFrom<OrgRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Self, StoreError> {
        Ok(Organisation {
            id: OrgId(r.id),
            federation_id: FederationId(r.federation_id),
            name: r.name,
            kind: OrgKind::parse(&r.kind).map_err(|_| corrupt("organisation kind"))?,
            ags: r
                .ags
                .map(|a| Ags::parse(&a))
                .transpose()
                .map_err(|_| corrupt("AGS"))?,
            population: r.population,
            staff: r.staff,
            it_workplaces: r.it_workplaces,
            address: r.address,
            version: r.version,
            figures_changed_at_ms: r.figures_changed_at_ms,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRow {
    pub id: i64,
    pub org_id: i64,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub note: Option<String>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            id: MembershipId(r.id),
            org_id: OrgId(r.org_id),
            starts_on: parse_date(&r.starts_on).map_err(|_| corrupt("date"))?,
            ends_on: r
                .ends_on
                .map(|d| parse_date(&d))
                .transpose()
                .map_err(|_| corrupt("date"))?,
            note: r.note,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub totp_enabled_at_ms: Option<i64>,
    pub disabled_at_ms: Option<i64>,
}

pub(crate) const USER_COLUMNS: &str =
    "id, email, display_name, locale, totp_enabled_at_ms, disabled_at_ms";

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: UserId(r.id),
            email: r.email,
            display_name: r.display_name,
            locale: r.locale,
            mfa_enabled: r.totp_enabled_at_ms.is_some(),
            disabled: r.disabled_at_ms.is_some(),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ProposalRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub previous_population: Option<i64>,
    pub previous_staff: Option<i64>,
    pub previous_it_workplaces: Option<i64>,
    pub population: Option<i64>,
    pub staff: Option<i64>,
    pub it_workplaces: Option<i64>,
    pub reason: Option<String>,
    pub status: String,
    pub proposed_by_name: String,
    pub proposed_at_ms: i64,
    pub decided_by_name: Option<String>,
    pub decided_at_ms: Option<i64>,
    pub decision_note: Option<String>,
}

impl TryFrom<ProposalRow> for verbund_domain::key_figures::KeyFigureProposal {
    type Error = StoreError;
    fn try_from(r: ProposalRow) -> Result<Self, StoreError> {
        use verbund_domain::key_figures::{KeyFigures, ProposalStatus};
        Ok(Self {
            id: verbund_domain::KeyFigureProposalId(r.id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            previous: KeyFigures {
                population: r.previous_population,
                staff: r.previous_staff,
                it_workplaces: r.previous_it_workplaces,
            },
            proposed: KeyFigures {
                population: r.population,
                staff: r.staff,
                it_workplaces: r.it_workplaces,
            },
            reason: r.reason,
            status: ProposalStatus::parse(&r.status).map_err(|_| corrupt("proposal status"))?,
            proposed_by: r.proposed_by_name,
            proposed_at_ms: r.proposed_at_ms,
            decided_by: r.decided_by_name,
            decided_at_ms: r.decided_at_ms,
            decision_note: r.decision_note,
        })
    }
}
