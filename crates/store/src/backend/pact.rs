// The crisis pact: pacts, members, registries, alarm chains, crises with their append-only
// timeline, help requests and loans. See `crate::pact` for who sees what.

fn pact_visible(scope: &Scope, pact_col: &str) -> String {
    if scope.is_all() {
        return "1=1".to_owned();
    }
    format!(
        "EXISTS (SELECT 1 FROM pact_members vm WHERE vm.pact_id = {pact_col} AND {})",
        scope_sql(scope, "vm.org_id")
    )
}

fn pact_corrupt(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("stored pact {what} is invalid").into(),
    ))
}

fn pact_code<T>(v: &str, parse: fn(&str) -> std::result::Result<T, &'static str>) -> Result<T> {
    parse(v).map_err(|_| pact_corrupt("code"))
}

fn pact_date(v: Option<String>) -> Result<Option<time::Date>> {
    v.map(|d| verbund_domain::validation::parse_date(&d).map_err(|_| pact_corrupt("date")))
        .transpose()
}

fn pact_invalid(field: &str, code: &str) -> StoreError {
    StoreError::Invalid(verbund_domain::validation::ValidationErrors::single(
        field, code,
    ))
}

type PactTuple = (i64, String, Option<String>, String, Option<String>);
type MemberTuple = (i64, String, i64, Option<f64>, Option<f64>);

async fn load_pact(
    tx: &mut Tx,
    scope: &Scope,
    id: i64,
) -> Result<verbund_domain::pact::model::Pact> {
    use verbund_domain::pact::{Coordinates, DeclareRule, model::*};
    let row: Option<PactTuple> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT p.id, p.name, p.description, p.declare_rule, p.webhook_url FROM pacts p WHERE p.id = $1 AND {}",
        pact_visible(scope, "p.id")
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let (id, name, description, rule, webhook_url) = row.ok_or(StoreError::NotFound)?;
    let members: Vec<MemberTuple> = sqlx::query_as(
        "SELECT m.org_id, o.name, m.external, m.latitude, m.longitude FROM pact_members m \
         JOIN organisations o ON o.id = m.org_id WHERE m.pact_id = $1 ORDER BY o.name, m.org_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Pact {
        id: verbund_domain::PactId(id),
        name,
        description,
        declare_rule: pact_code(&rule, DeclareRule::parse)?,
        webhook_url,
        members: members
            .into_iter()
            .map(|(org, org_name, external, lat, lon)| PactMember {
                org_id: OrgId(org),
                org_name,
                external: external != 0,
                coordinates: lat.zip(lon).map(|(lat, lon)| Coordinates { lat, lon }),
            })
            .collect(),
    })
}

pub(crate) async fn list_pacts(
    pool: &Pool<DB>,
    scope: &Scope,
) -> Result<Vec<verbund_domain::pact::model::Pact>> {
    let mut tx = begin_snapshot(pool).await?;
    let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT p.id FROM pacts p WHERE {} ORDER BY p.name, p.id",
        pact_visible(scope, "p.id")
    )))
    .fetch_all(&mut *tx)
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load_pact(&mut tx, scope, id).await?);
    }
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn get_pact(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::PactId,
) -> Result<verbund_domain::pact::model::Pact> {
    let mut tx = begin_snapshot(pool).await?;
    let p = load_pact(&mut tx, scope, id.0).await?;
    tx.commit().await?;
    Ok(p)
}

pub(crate) async fn save_pact(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: Option<verbund_domain::PactId>,
    f: &crate::PactFields,
) -> Result<verbund_domain::pact::model::Pact> {
    let mut tx = begin_write(pool).await?;
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact write",
    ));
    let now = now_ms();
    let (pid, before) = match id {
        None => {
            let pid: i64 = sqlx::query_scalar(
                "INSERT INTO pacts (federation_id, name, description, declare_rule, webhook_url, created_at_ms, updated_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(federation.0)
            .bind(&f.name)
            .bind(f.description.as_deref())
            .bind(f.declare_rule.code())
            .bind(f.webhook_url.as_deref())
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "name"))?;
            (pid, serde_json::Value::Null)
        }
        Some(pid) => {
            let before = load_pact(&mut tx, &all, pid.0).await?;
            sqlx::query(
                "UPDATE pacts SET name = $1, description = $2, declare_rule = $3, webhook_url = $4, updated_at_ms = $5 WHERE id = $6",
            )
            .bind(&f.name)
            .bind(f.description.as_deref())
            .bind(f.declare_rule.code())
            .bind(f.webhook_url.as_deref())
            .bind(now)
            .bind(pid.0)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "name"))?;
            (pid.0, to_json(&before))
        }
    };
    let after = load_pact(&mut tx, &all, pid).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: if id.is_none() {
                "pact.create"
            } else {
                "pact.update"
            },
            object_type: "pact",
            object_id: pid.to_string(),
            before,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn set_pact_member(
    pool: &Pool<DB>,
    by: &AuditActor,
    pact: verbund_domain::PactId,
    org: OrgId,
    external: bool,
    at: Option<verbund_domain::pact::Coordinates>,
    remove: bool,
) -> Result<verbund_domain::pact::model::Pact> {
    let mut tx = begin_write(pool).await?;
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact write",
    ));
    let before = load_pact(&mut tx, &all, pact.0).await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1")
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(pact_invalid("org", "error-pact-org-unknown"));
    }
    if remove {
        sqlx::query("DELETE FROM pact_members WHERE pact_id = $1 AND org_id = $2")
            .bind(pact.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO pact_members (pact_id, org_id, external, latitude, longitude, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (pact_id, org_id) DO UPDATE SET external = excluded.external, latitude = excluded.latitude, longitude = excluded.longitude",
        )
        .bind(pact.0)
        .bind(org.0)
        .bind(i64::from(external))
        .bind(at.map(|c| c.lat))
        .bind(at.map(|c| c.lon))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    let after = load_pact(&mut tx, &all, pact.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: if remove {
                "pact.member.remove"
            } else {
                "pact.member.set"
            },
            object_type: "pact",
            object_id: pact.0.to_string(),
            before: to_json(&before.members),
            after: to_json(&after.members),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

const RESOURCE_SELECT: &str = "SELECT r.id, r.org_id, o.name AS org_name, r.kind, r.name, r.skills, r.equipment_type, r.count, \
     r.location, r.phone, r.available_from, r.available_until, r.note, r.confirmed_at_ms \
     FROM pact_resources r JOIN organisations o ON o.id = r.org_id";

#[derive(sqlx::FromRow)]
struct PactResourceRow {
    id: i64,
    org_id: i64,
    org_name: String,
    kind: String,
    name: String,
    skills: String,
    equipment_type: Option<String>,
    count: i64,
    location: Option<String>,
    phone: Option<String>,
    available_from: Option<String>,
    available_until: Option<String>,
    note: Option<String>,
    confirmed_at_ms: i64,
}

impl TryFrom<PactResourceRow> for verbund_domain::pact::model::PactResource {
    type Error = StoreError;
    fn try_from(r: PactResourceRow) -> Result<Self> {
        use verbund_domain::pact::{EquipmentType, ResourceKind, Skill, Window};
        Ok(Self {
            id: verbund_domain::PactResourceId(r.id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            kind: pact_code(&r.kind, ResourceKind::parse)?,
            name: r.name,
            skills: r
                .skills
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| pact_code(s, Skill::parse))
                .collect::<Result<_>>()?,
            equipment_type: r
                .equipment_type
                .as_deref()
                .map(|t| pact_code(t, EquipmentType::parse))
                .transpose()?,
            count: r.count,
            location: r.location,
            phone: r.phone,
            window: Window {
                from: pact_date(r.available_from)?,
                until: pact_date(r.available_until)?,
            },
            note: r.note,
            confirmed_at_ms: r.confirmed_at_ms,
        })
    }
}

async fn fetch_resources(
    tx: &mut Tx,
    cond: &str,
    id: Option<i64>,
) -> Result<Vec<verbund_domain::pact::model::PactResource>> {
    let rows: Vec<PactResourceRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{RESOURCE_SELECT} WHERE {cond} AND ($1 IS NULL OR r.id = $1) ORDER BY o.name, r.kind, r.name, r.id"
    )))
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

fn member_orgs_cond(pact: i64, col: &str) -> String {
    format!("{col} IN (SELECT org_id FROM pact_members WHERE pact_id = {pact})")
}

/// Every resource and contact of the members of a visible pact.
pub(crate) async fn pact_registry(
    pool: &Pool<DB>,
    scope: &Scope,
    pact: verbund_domain::PactId,
) -> Result<(
    Vec<verbund_domain::pact::model::PactResource>,
    Vec<verbund_domain::pact::model::PactContact>,
)> {
    let mut tx = begin_snapshot(pool).await?;
    load_pact(&mut tx, scope, pact.0).await?;
    let r = fetch_resources(&mut tx, &member_orgs_cond(pact.0, "r.org_id"), None).await?;
    let c = fetch_contacts(&mut tx, &member_orgs_cond(pact.0, "c.org_id")).await?;
    tx.commit().await?;
    Ok((r, c))
}

/// A member's own registry and alarm chain (the member inside `scope`).
pub(crate) async fn member_registry(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<(
    Vec<verbund_domain::pact::model::PactResource>,
    Vec<verbund_domain::pact::model::PactContact>,
)> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let cond = format!("{{col}} = {}", org.0);
    let r = fetch_resources(&mut tx, &cond.replace("{col}", "r.org_id"), None).await?;
    let c = fetch_contacts(&mut tx, &cond.replace("{col}", "c.org_id")).await?;
    tx.commit().await?;
    Ok((r, c))
}

async fn resource_in(
    tx: &mut Tx,
    write: &Scope,
    id: i64,
) -> Result<verbund_domain::pact::model::PactResource> {
    fetch_resources(tx, &scope_sql(write, "r.org_id"), Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn skills_text(s: &[verbund_domain::pact::Skill]) -> String {
    s.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

fn opt_date_text(d: Option<time::Date>) -> Option<String> {
    d.map(verbund_domain::validation::format_date)
}

/// Creates (`id` None) or changes a resource of `org`, or bumps its "last confirmed" date
/// (`input` None), audited.
pub(crate) async fn save_pact_resource(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    id: Option<verbund_domain::PactResourceId>,
    input: Option<&verbund_domain::pact::ResourceInput>,
) -> Result<verbund_domain::pact::model::PactResource> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let (rid, before, action) = match (id, input) {
        (None, Some(i)) => {
            let rid: i64 = sqlx::query_scalar(
                "INSERT INTO pact_resources (org_id, kind, name, skills, equipment_type, count, location, phone, available_from, \
                 available_until, note, confirmed_at_ms, created_at_ms, updated_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12) RETURNING id",
            )
            .bind(org.0)
            .bind(i.kind.code())
            .bind(&i.name)
            .bind(skills_text(&i.skills))
            .bind(i.equipment_type.map(|t| t.code()))
            .bind(i.count)
            .bind(i.location.as_deref())
            .bind(i.phone.as_deref())
            .bind(opt_date_text(i.window.from))
            .bind(opt_date_text(i.window.until))
            .bind(i.note.as_deref())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (rid, serde_json::Value::Null, "pact.resource.create")
        }
        (Some(rid), input) => {
            let before = resource_in(&mut tx, write, rid.0).await?;
            if before.org_id != org {
                return Err(StoreError::NotFound);
            }
            if let Some(i) = input {
                sqlx::query(
                    "UPDATE pact_resources SET kind = $1, name = $2, skills = $3, equipment_type = $4, count = $5, location = $6, \
                     phone = $7, available_from = $8, available_until = $9, note = $10, confirmed_at_ms = $11, updated_at_ms = $11 WHERE id = $12",
                )
                .bind(i.kind.code())
                .bind(&i.name)
                .bind(skills_text(&i.skills))
                .bind(i.equipment_type.map(|t| t.code()))
                .bind(i.count)
                .bind(i.location.as_deref())
                .bind(i.phone.as_deref())
                .bind(opt_date_text(i.window.from))
                .bind(opt_date_text(i.window.until))
                .bind(i.note.as_deref())
                .bind(now)
                .bind(rid.0)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query("UPDATE pact_resources SET confirmed_at_ms = $1 WHERE id = $2")
                    .bind(now)
                    .bind(rid.0)
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if input.is_some() {
                "pact.resource.update"
            } else {
                "pact.resource.confirm"
            };
            (rid.0, to_json(&before), action)
        }
        (None, None) => return Err(StoreError::NotFound),
    };
    let after = resource_in(&mut tx, write, rid).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action,
            object_type: "pact_resource",
            object_id: rid.to_string(),
            before,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_pact_resource(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::PactResourceId,
) -> Result<verbund_domain::pact::model::PactResource> {
    let mut tx = begin_write(pool).await?;
    let before = resource_in(&mut tx, write, id.0).await?;
    sqlx::query("DELETE FROM pact_resources WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "pact.resource.delete",
            object_type: "pact_resource",
            object_id: id.0.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

type ContactTuple = (
    i64,
    i64,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

async fn fetch_contacts(
    tx: &mut Tx,
    cond: &str,
) -> Result<Vec<verbund_domain::pact::model::PactContact>> {
    let rows: Vec<ContactTuple> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT c.id, c.org_id, o.name, c.position, c.name, c.function, c.phone, c.mobile, c.email \
         FROM pact_contacts c JOIN organisations o ON o.id = c.org_id WHERE {cond} ORDER BY o.name, c.org_id, c.position, c.id"
    )))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, org, org_name, position, name, function, phone, mobile, email)| {
                verbund_domain::pact::model::PactContact {
                    id: verbund_domain::PactContactId(id),
                    org_id: OrgId(org),
                    org_name,
                    position,
                    name,
                    function,
                    phone,
                    mobile,
                    email,
                }
            },
        )
        .collect())
}

/// Appends a contact to the end of `org`'s alarm chain, audited.
pub(crate) async fn add_pact_contact(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    c: &crate::ContactFields,
) -> Result<verbund_domain::pact::model::PactContact> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let pos: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM pact_contacts WHERE org_id = $1",
    )
    .bind(org.0)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pact_contacts (org_id, position, name, function, phone, mobile, email, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(pos)
    .bind(&c.name)
    .bind(c.function.as_deref())
    .bind(c.phone.as_deref())
    .bind(c.mobile.as_deref())
    .bind(c.email.as_deref())
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let after = fetch_contacts(&mut tx, &format!("c.id = {id}"))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "pact.contact.create",
            object_type: "pact_contact",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes a contact of a member in `write`, audited.
pub(crate) async fn delete_pact_contact(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::PactContactId,
) -> Result<verbund_domain::pact::model::PactContact> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_contacts(
        &mut tx,
        &format!("c.id = {} AND {}", id.0, scope_sql(write, "c.org_id")),
    )
    .await?
    .pop()
    .ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM pact_contacts WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "pact.contact.delete",
            object_type: "pact_contact",
            object_id: id.0.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

pub(crate) async fn get_pact_resource(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::PactResourceId,
) -> Result<verbund_domain::pact::model::PactResource> {
    let mut tx = begin_snapshot(pool).await?;
    let r = resource_in(&mut tx, scope, id.0).await?;
    tx.commit().await?;
    Ok(r)
}
