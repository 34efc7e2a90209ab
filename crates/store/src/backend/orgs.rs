fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub(crate) async fn federation(pool: &Pool<DB>) -> Result<Option<Federation>> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, name, office_org_id FROM federations ORDER BY id LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(id, name, office)| {
        office.map(|o| Federation {
            id: FederationId(id),
            name,
            office_org_id: OrgId(o),
        })
    }))
}

async fn insert_org(
    tx: &mut Tx,
    federation: FederationId,
    input: &OrgInput,
) -> Result<Organisation> {
    let now = now_ms();
    let row: OrgRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO organisations (federation_id, name, kind, ags, population, staff, it_workplaces, address, version, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING {ORG_COLUMNS}"
    )))
    .bind(federation.0)
    .bind(&input.name)
    .bind(input.kind.code())
    .bind(input.ags.as_ref().map(|a| a.as_str()))
    .bind(input.population)
    .bind(input.staff)
    .bind(input.it_workplaces)
    .bind(&input.address)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique(e, "ags"))?;
    row.try_into()
}

pub(crate) async fn create_federation(
    pool: &Pool<DB>,
    by: &AuditActor,
    name: &str,
    office: &OrgInput,
) -> Result<Federation> {
    let mut tx = begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO federations (name, created_at_ms) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let fed = FederationId(id);
    let org = insert_org(&mut tx, fed, office).await?;
    sqlx::query("UPDATE federations SET office_org_id = $1 WHERE id = $2")
        .bind(org.id.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let f = Federation {
        id: fed,
        name: name.to_owned(),
        office_org_id: org.id,
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org.id),
            action: "federation.create",
            object_type: "federation",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&f),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(f)
}

pub(crate) async fn list_orgs(
    pool: &Pool<DB>,
    scope: &Scope,
    search: Option<&str>,
    page: PageRequest,
) -> Result<Page<Organisation>> {
    let filter = format!(
        "{} AND ($1 IS NULL OR LOWER(name) LIKE $1 ESCAPE '\\' OR ags LIKE $1 ESCAPE '\\')",
        scope_sql(scope, "id")
    );
    let pattern = like_pattern(search);
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM organisations WHERE {filter}"
    )))
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let rows: Vec<OrgRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORG_COLUMNS} FROM organisations WHERE {filter} ORDER BY name, id LIMIT $2 OFFSET $3"
    )))
    .bind(&pattern)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(Organisation::try_from)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn count_orgs(pool: &Pool<DB>, scope: &Scope) -> Result<i64> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM organisations WHERE {}",
        scope_sql(scope, "id")
    )))
    .fetch_one(pool)
    .await?)
}

async fn fetch_org<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: OrgId,
) -> Result<Organisation> {
    if !scope.contains(id) {
        return Err(StoreError::NotFound);
    }
    let row: Option<OrgRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORG_COLUMNS} FROM organisations WHERE id = $1"
    )))
    .bind(id.0)
    .fetch_optional(ex)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

pub(crate) async fn get_org(pool: &Pool<DB>, scope: &Scope, id: OrgId) -> Result<Organisation> {
    fetch_org(pool, scope, id).await
}

pub(crate) async fn create_org(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    input: &OrgInput,
) -> Result<Organisation> {
    let mut tx = begin_write(pool).await?;
    let org = insert_org(&mut tx, federation, input).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org.id),
            action: "org.create",
            object_type: "organisation",
            object_id: org.id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&org),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

/// When the key figures last changed after `input` is applied to `before`: now if it changes
/// any of them, else as before.
fn figures_changed_at(before: &Organisation, input: &OrgInput) -> Option<i64> {
    use verbund_domain::key_figures::KeyFigures;
    if KeyFigures::of_input(input)
        .changed_fields(&KeyFigures::of(before))
        .is_empty()
    {
        before.figures_changed_at_ms
    } else {
        Some(now_ms())
    }
}

pub(crate) async fn update_org(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: OrgId,
    expected_version: Option<i64>,
    input: &OrgInput,
) -> Result<Organisation> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_org(&mut *tx, scope, id).await?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(StoreError::Stale);
    }
    let row: OrgRow = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE organisations SET name = $1, kind = $2, ags = $3, population = $4, staff = $5, it_workplaces = $6, address = $7, \
         version = version + 1, updated_at_ms = $8, figures_changed_at_ms = $11 WHERE id = $9 AND version = $10 RETURNING {ORG_COLUMNS}"
    )))
    .bind(&input.name)
    .bind(input.kind.code())
    .bind(input.ags.as_ref().map(|a| a.as_str()))
    .bind(input.population)
    .bind(input.staff)
    .bind(input.it_workplaces)
    .bind(&input.address)
    .bind(now_ms())
    .bind(id.0)
    .bind(before.version)
    .bind(figures_changed_at(&before, input))
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "ags"))?
    .ok_or(StoreError::Stale)?;
    let after: Organisation = row.try_into()?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(id),
            action: "org.update",
            object_type: "organisation",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

const MEMBERSHIP_COLUMNS: &str = "id, org_id, starts_on, ends_on, note";

pub(crate) async fn list_memberships(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<Vec<Membership>> {
    fetch_org(pool, scope, org).await?;
    let rows: Vec<MembershipRow> =
        sqlx::query_as(AssertSqlSafe(format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE org_id = $1 ORDER BY starts_on DESC, id DESC")))
            .bind(org.0)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Membership::try_from).collect()
}

async fn fetch_membership<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: MembershipId,
) -> Result<Membership> {
    let row: Option<MembershipRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE id = $1"
    )))
    .bind(id.0)
    .fetch_optional(ex)
    .await?;
    let m: Membership = row.ok_or(StoreError::NotFound)?.try_into()?;
    if scope.contains(m.org_id) {
        Ok(m)
    } else {
        Err(StoreError::NotFound)
    }
}

pub(crate) async fn get_membership(
    pool: &Pool<DB>,
    scope: &Scope,
    id: MembershipId,
) -> Result<Membership> {
    fetch_membership(pool, scope, id).await
}

pub(crate) async fn add_membership(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    org: OrgId,
    input: &MembershipInput,
) -> Result<Membership> {
    let mut tx = begin_write(pool).await?;
    fetch_org(&mut *tx, scope, org).await?;
    let row: MembershipRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO memberships (org_id, starts_on, ends_on, note) VALUES ($1, $2, $3, $4) RETURNING {MEMBERSHIP_COLUMNS}"
    )))
    .bind(org.0)
    .bind(format_date(input.starts_on))
    .bind(input.ends_on.map(format_date))
    .bind(&input.note)
    .fetch_one(&mut *tx)
    .await?;
    let m: Membership = row.try_into()?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "membership.create",
            object_type: "membership",
            object_id: m.id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&m),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

pub(crate) async fn update_membership(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: MembershipId,
    input: &MembershipInput,
) -> Result<Membership> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_membership(&mut *tx, scope, id).await?;
    let row: MembershipRow = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE memberships SET starts_on = $1, ends_on = $2, note = $3 WHERE id = $4 RETURNING {MEMBERSHIP_COLUMNS}"
    )))
    .bind(format_date(input.starts_on))
    .bind(input.ends_on.map(format_date))
    .bind(&input.note)
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await?;
    let after: Membership = row.try_into()?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "membership.update",
            object_type: "membership",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_membership(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: MembershipId,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_membership(&mut *tx, scope, id).await?;
    sqlx::query("DELETE FROM memberships WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "membership.delete",
            object_type: "membership",
            object_id: id.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
