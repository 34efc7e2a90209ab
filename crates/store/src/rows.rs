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
}

pub(crate) const ORG_COLUMNS: &str =
    "id, federation_id, name, kind, ags, population, staff, it_workplaces, address, version";

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
