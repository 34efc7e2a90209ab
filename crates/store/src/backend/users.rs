fn user_visible_sql(scope: &Scope) -> String {
    match scope.orgs() {
        None => "1=1".to_owned(),
        Some(_) => format!(
            "EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = users.id AND {})",
            scope_sql(scope, "ra.org_id")
        ),
    }
}

pub(crate) async fn list_users(
    pool: &Pool<DB>,
    scope: &Scope,
    search: Option<&str>,
    page: PageRequest,
) -> Result<Page<User>> {
    let filter = format!(
        "{} AND ($1 IS NULL OR LOWER(display_name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\')",
        user_visible_sql(scope)
    );
    let pattern = like_pattern(search);
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM users WHERE {filter}"
    )))
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let rows: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE {filter} ORDER BY display_name, id LIMIT $2 OFFSET $3"
    )))
    .bind(&pattern)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    Ok(Page {
        items: rows.into_iter().map(User::from).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

async fn fetch_user<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: UserId,
) -> Result<User> {
    let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND {}",
        user_visible_sql(scope)
    )))
    .bind(id.0)
    .fetch_optional(ex)
    .await?;
    Ok(row.ok_or(StoreError::NotFound)?.into())
}

pub(crate) async fn get_user(pool: &Pool<DB>, scope: &Scope, id: UserId) -> Result<User> {
    fetch_user(pool, scope, id).await
}

pub(crate) async fn get_user_unscoped(pool: &Pool<DB>, id: UserId) -> Result<User> {
    fetch_user(
        pool,
        &Scope::system(&SystemAccess::for_reason("user by id, unscoped")),
        id,
    )
    .await
}

const GRANT_SELECT: &str = "SELECT ra.id, ra.user_id, ra.org_id, o.name, ra.role FROM role_assignments ra JOIN organisations o ON o.id = ra.org_id";

fn grant_from_row(r: (i64, i64, i64, String, String)) -> Result<UserGrant> {
    Ok(UserGrant {
        id: RoleAssignmentId(r.0),
        user_id: UserId(r.1),
        org_id: OrgId(r.2),
        org_name: r.3,
        role: Role::parse(&r.4)
            .map_err(|_| StoreError::Db(sqlx::Error::Decode("stored role is invalid".into())))?,
    })
}

pub(crate) async fn user_grants(
    pool: &Pool<DB>,
    scope: &Scope,
    user: UserId,
) -> Result<Vec<UserGrant>> {
    let rows: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "{GRANT_SELECT} WHERE ra.user_id = $1 AND {} ORDER BY o.name, ra.role",
        scope_sql(scope, "ra.org_id")
    )))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(grant_from_row).collect()
}

async fn insert_grant(
    tx: &mut Tx,
    by: &AuditActor,
    user: UserId,
    org: OrgId,
    role: Role,
) -> Result<UserGrant> {
    let id: i64 = sqlx::query_scalar("INSERT INTO role_assignments (user_id, org_id, role, created_at_ms) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(user.0)
        .bind(org.0)
        .bind(role.code())
        .bind(now_ms())
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| StoreError::unique(e, "role"))?;
    let row: (i64, i64, i64, String, String) =
        sqlx::query_as(AssertSqlSafe(format!("{GRANT_SELECT} WHERE ra.id = $1")))
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let g = grant_from_row(row)?;
    append_audit(
        tx,
        by,
        Change {
            org_id: Some(org),
            action: "role.grant",
            object_type: "role_assignment",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&g),
        },
    )
    .await?;
    Ok(g)
}

pub(crate) async fn create_user(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: &NewUser,
    password_hash: Option<&str>,
    grant: Option<(OrgId, Role)>,
) -> Result<User> {
    let mut tx = begin_write(pool).await?;
    let row: UserRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO users (email, display_name, password_hash, locale, created_at_ms) VALUES ($1, $2, $3, 'de', $4) RETURNING {USER_COLUMNS}"
    )))
    .bind(user.email.as_str())
    .bind(&user.display_name)
    .bind(password_hash)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "email"))?;
    let u: User = row.into();
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: grant.map(|g| g.0),
            action: "user.create",
            object_type: "user",
            object_id: u.id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&u),
        },
    )
    .await?;
    if let Some((org, role)) = grant {
        insert_grant(&mut tx, by, u.id, org, role).await?;
    }
    tx.commit().await?;
    Ok(u)
}

pub(crate) async fn update_user(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: UserId,
    change: &UserChange,
) -> Result<User> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_user(&mut *tx, scope, id).await?;
    let disabled_at = match change.disabled {
        None => None,
        Some(true) => Some(Some(now_ms())),
        Some(false) => Some(None),
    };
    let row: UserRow = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE users SET display_name = COALESCE($1, display_name), locale = COALESCE($2, locale), \
         disabled_at_ms = CASE WHEN $3 = 1 THEN $4 ELSE disabled_at_ms END WHERE id = $5 RETURNING {USER_COLUMNS}"
    )))
    .bind(&change.display_name)
    .bind(&change.locale)
    .bind(i64::from(disabled_at.is_some()))
    .bind(disabled_at.flatten())
    .bind(id.0)
    .fetch_one(&mut *tx)
    .await?;
    let after: User = row.into();
    if after.disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "user.update",
            object_type: "user",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn add_grant(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    user: UserId,
    org: OrgId,
    role: Role,
) -> Result<UserGrant> {
    let mut tx = begin_write(pool).await?;
    fetch_org(&mut *tx, scope, org).await?;
    fetch_user(&mut *tx, scope, user).await?;
    let g = insert_grant(&mut tx, by, user, org, role).await?;
    tx.commit().await?;
    Ok(g)
}

async fn fetch_grant<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: RoleAssignmentId,
) -> Result<UserGrant> {
    let row: Option<(i64, i64, i64, String, String)> =
        sqlx::query_as(AssertSqlSafe(format!("{GRANT_SELECT} WHERE ra.id = $1")))
            .bind(id.0)
            .fetch_optional(ex)
            .await?;
    let g = grant_from_row(row.ok_or(StoreError::NotFound)?)?;
    if scope.contains(g.org_id) {
        Ok(g)
    } else {
        Err(StoreError::NotFound)
    }
}

pub(crate) async fn get_grant(
    pool: &Pool<DB>,
    scope: &Scope,
    id: RoleAssignmentId,
) -> Result<UserGrant> {
    fetch_grant(pool, scope, id).await
}

pub(crate) async fn remove_grant(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: RoleAssignmentId,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let g = fetch_grant(&mut *tx, scope, id).await?;
    sqlx::query("DELETE FROM role_assignments WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(g.org_id),
            action: "role.revoke",
            object_type: "role_assignment",
            object_id: id.to_string(),
            before: to_json(&g),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn user_roles(pool: &Pool<DB>, user: UserId) -> Result<Vec<Grant>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT org_id, role FROM role_assignments WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(org, role)| {
            Role::parse(&role).ok().map(|role| Grant {
                org_id: OrgId(org),
                role,
            })
        })
        .collect())
}

pub(crate) async fn count_users(pool: &Pool<DB>, scope: &Scope) -> Result<i64> {
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM users WHERE {}",
        user_visible_sql(scope)
    )))
    .fetch_one(pool)
    .await?)
}
