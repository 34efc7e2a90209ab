//! Splitting a year's costs: previews, key comparisons, issuing statements and reading them
//! back (the office whole, a member only its own part). Their PDF and XLSX documents are in
//! `documents`.

use serde::Serialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::costs::{
    Budget, BudgetLine, MemberSnapshot, StatementDocument, Subsidy, settle_year,
};
use verbund_domain::org::{Membership, Organisation};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{FederationId, OrgId};
use verbund_store::{AuditActor, StoredKey, StoredStatement};

use super::{check_year, federation};
use crate::AppState;
use crate::error::{AppError, AppResult};

/// The member data for `year`: metrics as stored now and the membership period overlapping
/// the year (the earliest start and latest end if several overlap).
pub fn snapshots(year: i32, members: &[(Organisation, Vec<Membership>)]) -> Vec<MemberSnapshot> {
    let Ok(first) = time::Date::from_calendar_date(year, time::Month::January, 1) else {
        return vec![];
    };
    let Ok(last) = time::Date::from_calendar_date(year, time::Month::December, 31) else {
        return vec![];
    };
    members
        .iter()
        .filter_map(|(o, ms)| {
            let overlapping: Vec<&Membership> = ms
                .iter()
                .filter(|m| m.starts_on <= last && m.ends_on.is_none_or(|e| e >= first))
                .collect();
            let start = overlapping.iter().map(|m| m.starts_on).min()?;
            let end = if overlapping.iter().any(|m| m.ends_on.is_none()) {
                None
            } else {
                overlapping.iter().filter_map(|m| m.ends_on).max()
            };
            let metric = |v: Option<i64>| v.and_then(|n| u64::try_from(n).ok());
            Some(MemberSnapshot {
                id: o.id,
                name: o.name.clone(),
                population: metric(o.population),
                staff: metric(o.staff),
                it_workplaces: metric(o.it_workplaces),
                starts_on: Some(start.max(first)),
                ends_on: end.map(|e| e.min(last)),
            })
        })
        .collect()
}

/// A computed (not yet issued) statement: the document that issuing would store, plus the
/// stored key it was computed with.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// The key version's ID.
    pub key_id: i64,
    /// Whether that version is already used by an issued statement.
    pub locked: bool,
    /// Key, member data, budget, subsidies, the split step by step, every bill, savings.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub document: StatementDocument,
}

/// What a year's split needs besides the key: loaded once, so a comparison of two keys does
/// not read the budget, subsidies and all members twice.
struct YearInputs {
    budget: Budget,
    subsidies: Vec<Subsidy>,
    members: Vec<MemberSnapshot>,
}

async fn year_inputs(st: &AppState, fed: FederationId, year: i32) -> AppResult<YearInputs> {
    let lines: Vec<BudgetLine> = st
        .store
        .budget_lines(fed, check_year(year)?)
        .await?
        .into_iter()
        .map(|l| l.line)
        .collect();
    if lines.is_empty() {
        return Err(ValidationErrors::single("year", "error-budget-empty").into());
    }
    let budget = Budget::new(year, lines).map_err(|e| AppError::BadRequest {
        code: "error-budget",
        detail: e.to_string(),
    })?;
    let subsidies: Vec<Subsidy> = st
        .store
        .subsidies(fed)
        .await?
        .into_iter()
        .map(|s| s.subsidy)
        .collect();
    let members = snapshots(year, &st.store.member_rows(fed).await?);
    Ok(YearInputs {
        budget,
        subsidies,
        members,
    })
}

fn preview_with(inputs: &YearInputs, key: StoredKey) -> AppResult<Preview> {
    let statement = settle_year(&inputs.budget, &inputs.subsidies, &inputs.members, &key.key)
        .map_err(|e| AppError::BadRequest {
            code: "error-statement",
            detail: e.to_string(),
        })?;
    let has_standalone = key.standalone.common.is_some() || !key.standalone.per_member.is_empty();
    let savings = if has_standalone {
        Some(
            statement
                .savings(&key.standalone)
                .map_err(|e| AppError::BadRequest {
                    code: "error-savings",
                    detail: e.to_string(),
                })?,
        )
    } else {
        None
    };
    let document = StatementDocument {
        key_name: key.key.name.clone(),
        key_version: key.version,
        key: key.key,
        standalone: key.standalone,
        members: inputs.members.clone(),
        statement,
        savings,
    };
    Ok(Preview {
        key_id: key.id,
        locked: key.locked,
        document,
    })
}

/// Computes the statement of `year` with key version `key_id` (office).
pub async fn preview(st: &AppState, actor: &Actor, year: i32, key_id: i64) -> AppResult<Preview> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let key = st.store.cost_key(fed, key_id).await?;
    preview_with(&year_inputs(st, fed, year).await?, key)
}

/// One member in a comparison of two keys.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompareRow {
    /// Member.
    pub member: i64,
    /// Name.
    pub name: String,
    /// Amount under key A, cents.
    pub a_cents: i64,
    /// Amount under key B, cents.
    pub b_cents: i64,
    /// B minus A (positive: pays more under B).
    pub diff_cents: i64,
}

/// Compares what every member pays under two keys for the same year (office).
pub async fn compare(
    st: &AppState,
    actor: &Actor,
    year: i32,
    a: i64,
    b: i64,
) -> AppResult<Vec<CompareRow>> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let (ka, kb) = (
        st.store.cost_key(fed, a).await?,
        st.store.cost_key(fed, b).await?,
    );
    let inputs = year_inputs(st, fed, year).await?;
    let pa = preview_with(&inputs, ka)?.document.statement;
    let pb = preview_with(&inputs, kb)?.document.statement;
    Ok(pa
        .bills
        .iter()
        .map(|x| {
            let other = pb.bill(x.member).map_or(0, |y| y.payable.0);
            CompareRow {
                member: x.member.0,
                name: x.name.clone(),
                a_cents: x.payable.0,
                b_cents: other,
                diff_cents: other - x.payable.0,
            }
        })
        .collect())
}

/// Issues the statement of `year` with key version `key_id`: stores inputs and results
/// unchangeably and locks the key version (office).
pub async fn issue(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    year: i32,
    key_id: i64,
) -> AppResult<StoredStatement> {
    actor.check_office(Permission::ManageFederation)?;
    let p = preview(st, actor, year, key_id).await?;
    let document =
        serde_json::to_value(&p.document).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(st
        .store
        .issue_statement(by, federation(st).await?, year, key_id, &document)
        .await?)
}

/// The statements the actor may see: all for the office; for a member, the statements that
/// include it, reduced to its own bill.
pub async fn statements(
    st: &AppState,
    actor: &Actor,
    year: Option<i32>,
) -> AppResult<Vec<StoredStatement>> {
    let fed = federation(st).await?;
    let all = st.store.statements(fed, year).await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter_map(|s| own_part(actor, s).ok())
        .collect())
}

/// One statement: the office sees it whole, a member only its own part (404 if not included).
pub async fn statement(st: &AppState, actor: &Actor, id: i64) -> AppResult<StoredStatement> {
    let s = st.store.statement(federation(st).await?, id).await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(s);
    }
    own_part(actor, s)
}

/// The stored document of an issued statement, typed.
pub fn document(s: &StoredStatement) -> AppResult<StatementDocument> {
    serde_json::from_value(s.document.clone())
        .map_err(|e| AppError::Internal(format!("statement {}: {e}", s.id)))
}

/// The one member of `doc` whose costs the actor may read, if it is not the office.
pub(super) fn own_member(actor: &Actor, doc: &StatementDocument) -> Option<OrgId> {
    doc.statement
        .bills
        .iter()
        .map(|b| b.member)
        .find(|m| actor.check(Permission::ReadCosts, *m).is_ok())
}

/// Reduces a statement to the bill of the one member the actor may read costs of: its own
/// figures plus the totals it needs to check the calculation, nothing about other members.
fn own_part(actor: &Actor, mut s: StoredStatement) -> AppResult<StoredStatement> {
    let doc = document(&s)?;
    let member = own_member(actor, &doc).ok_or(AppError::NotFound)?;
    let st = &doc.statement;
    let share = st.allocation.members.iter().find(|m| m.member == member);
    let saving = doc
        .savings
        .as_ref()
        .and_then(|r| r.members.iter().find(|m| m.member == member));
    s.document = serde_json::json!({
        "member": member,
        "year": st.year,
        "budget_total": st.budget_total,
        "budget_by_category": st.budget_by_category,
        "subsidies": st.subsidies,
        "shared_total": st.shared_total,
        "key": { "name": doc.key_name, "version": doc.key_version, "root": doc.key.root },
        "member_data": doc.member(member),
        "share": share,
        "bill": st.bill(member),
        "savings": saving,
    });
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbund_domain::MembershipId;
    use verbund_domain::org::OrgKind;
    use verbund_domain::validation::parse_date;

    fn org(id: i64, name: &str) -> Organisation {
        Organisation {
            id: OrgId(id),
            federation_id: FederationId(1),
            name: name.into(),
            kind: OrgKind::Gemeinde,
            ags: None,
            population: Some(1000),
            staff: Some(-1),
            it_workplaces: None,
            address: None,
            version: 1,
        }
    }

    fn m(org: i64, from: &str, to: Option<&str>) -> Membership {
        Membership {
            id: MembershipId(1),
            org_id: OrgId(org),
            starts_on: parse_date(from).unwrap(),
            ends_on: to.map(|t| parse_date(t).unwrap()),
            note: None,
        }
    }

    #[test]
    fn snapshots_clip_memberships_to_the_year_and_skip_non_members() {
        let rows = vec![
            (org(1, "Alt"), vec![m(1, "2020-01-01", None)]),
            (org(2, "Neu"), vec![m(2, "2026-07-01", None)]),
            (org(3, "Weg"), vec![m(3, "2020-01-01", Some("2026-03-31"))]),
            (org(4, "Nie"), vec![m(4, "2027-01-01", None)]),
            (org(5, "Ohne"), vec![]),
        ];
        let s = snapshots(2026, &rows);
        let d = |x: &str| Some(parse_date(x).unwrap());
        let got: Vec<_> = s
            .iter()
            .map(|x| (x.name.as_str(), x.starts_on, x.ends_on))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Alt", d("2026-01-01"), None),
                ("Neu", d("2026-07-01"), None),
                ("Weg", d("2026-01-01"), d("2026-03-31"))
            ]
        );
        assert_eq!(s[0].staff, None, "a negative figure is no metric");
        assert_eq!(s[0].population, Some(1000));
    }
}
