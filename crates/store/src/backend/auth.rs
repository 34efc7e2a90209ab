const LOGIN_COLUMNS: &str =
    "id, email, password_hash, disabled_at_ms, totp_secret, totp_enabled_at_ms, locale";

fn login_from_row(r: &<DB as sqlx::Database>::Row) -> Result<LoginUser> {
    Ok(LoginUser {
        id: UserId(r.try_get("id")?),
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        disabled: r.try_get::<Option<i64>, _>("disabled_at_ms")?.is_some(),
        totp_secret: r.try_get("totp_secret")?,
        totp_enabled: r.try_get::<Option<i64>, _>("totp_enabled_at_ms")?.is_some(),
        locale: r.try_get("locale")?,
    })
}

pub(crate) async fn login_user(pool: &Pool<DB>, email: &str) -> Result<Option<LoginUser>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {LOGIN_COLUMNS} FROM users WHERE email = $1"
    )))
    .bind(email.trim().to_lowercase())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(login_from_row).transpose()
}

pub(crate) async fn login_user_by_id(pool: &Pool<DB>, id: UserId) -> Result<LoginUser> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {LOGIN_COLUMNS} FROM users WHERE id = $1"
    )))
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    login_from_row(&row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn set_password(
    pool: &Pool<DB>,
    by: &AuditActor,
    id: UserId,
    hash: &str,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "user.password",
            object_type: "user",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"password": "changed"}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn set_totp(
    pool: &Pool<DB>,
    by: &AuditActor,
    id: UserId,
    secret: Option<&str>,
    enabled: bool,
    used_step: Option<i64>,
    recovery_hashes: &[String],
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let was_enabled: Option<i64> =
        sqlx::query_scalar("SELECT totp_enabled_at_ms FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
    let enabled_at = if enabled {
        Some(was_enabled.unwrap_or_else(now_ms))
    } else {
        None
    };
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_enabled_at_ms = $2, totp_last_step = $3 WHERE id = $4",
    )
    .bind(secret)
    .bind(enabled_at)
    .bind(used_step)
    .bind(id.0)
        .execute(&mut *tx)
        .await?;
    if was_enabled.is_some() != enabled {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for h in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(id.0)
                .bind(h)
                .execute(&mut *tx)
                .await?;
        }
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: None,
                action: if enabled {
                    "user.mfa_enable"
                } else {
                    "user.mfa_disable"
                },
                object_type: "user",
                object_id: id.to_string(),
                before: serde_json::json!({"mfa_enabled": was_enabled.is_some()}),
                after: serde_json::json!({"mfa_enabled": enabled}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn use_recovery_code(
    pool: &Pool<DB>,
    id: UserId,
    code_hash: &str,
) -> Result<bool> {
    let n = sqlx::query("UPDATE recovery_codes SET used_at_ms = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at_ms IS NULL")
        .bind(now_ms())
        .bind(id.0)
        .bind(code_hash)
        .execute(pool)
        .await?
        .rows_affected();
    Ok(n > 0)
}

pub(crate) async fn recovery_codes_left(pool: &Pool<DB>, id: UserId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at_ms IS NULL",
    )
    .bind(id.0)
    .fetch_one(pool)
    .await?)
}

pub(crate) async fn create_session(pool: &Pool<DB>, s: &NewSession) -> Result<()> {
    let now = now_ms();
    sqlx::query("INSERT INTO sessions (id_hash, user_id, stage, csrf_token, created_at_ms, last_seen_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $5, $6)")
        .bind(&s.id_hash)
        .bind(s.user_id.0)
        .bind(&s.stage)
        .bind(&s.csrf_token)
        .bind(now)
        .bind(s.expires_at_ms)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn load_session(
    pool: &Pool<DB>,
    id_hash: &str,
    now_ms: i64,
    idle_ms: i64,
) -> Result<Option<(SessionRecord, User, Vec<Grant>)>> {
    // One query for session, user and roles (a row per role): this runs on every page request.
    let rows = sqlx::query(
        "SELECT s.user_id, s.stage, s.csrf_token, s.expires_at_ms, s.last_seen_ms, \
         u.id, u.email, u.display_name, u.locale, u.totp_enabled_at_ms, u.disabled_at_ms, \
         ra.org_id, ra.role, \
         (SELECT f.name FROM federations f ORDER BY f.id LIMIT 1) AS federation_name, \
         (SELECT l.sha256 FROM logos l WHERE l.org_id IS NULL ORDER BY l.federation_id LIMIT 1) AS logo_sha256 \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN role_assignments ra ON ra.user_id = u.id WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_all(pool)
    .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let expires: i64 = r.try_get("expires_at_ms")?;
    let last_seen: i64 = r.try_get("last_seen_ms")?;
    if expires <= now_ms || last_seen + idle_ms <= now_ms {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(pool)
            .await?;
        return Ok(None);
    }
    // Write at most once a minute: sliding expiry without a write per request.
    if now_ms - last_seen > 60_000 {
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE id_hash = $2")
            .bind(now_ms)
            .bind(id_hash)
            .execute(pool)
            .await?;
    }
    let session = SessionRecord {
        user_id: UserId(r.try_get("user_id")?),
        stage: r.try_get("stage")?,
        csrf_token: r.try_get("csrf_token")?,
        branding: Branding {
            federation_name: r.try_get("federation_name")?,
            logo_sha256: r.try_get("logo_sha256")?,
        },
    };
    Ok(Some((
        session,
        principal_user(r)?,
        principal_grants(&rows)?,
    )))
}

/// The user columns of a principal query (session or token joined with the user).
fn principal_user(r: &<DB as sqlx::Database>::Row) -> Result<User> {
    Ok(User::from(UserRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        locale: r.try_get("locale")?,
        totp_enabled_at_ms: r.try_get("totp_enabled_at_ms")?,
        disabled_at_ms: r.try_get("disabled_at_ms")?,
    }))
}

/// The roles of a principal query: one row per role assignment (none: a single row of NULLs).
fn principal_grants(rows: &[<DB as sqlx::Database>::Row]) -> Result<Vec<Grant>> {
    let mut grants = Vec::new();
    for r in rows {
        let org: Option<i64> = r.try_get("org_id")?;
        let role: Option<String> = r.try_get("role")?;
        if let (Some(org), Some(role)) = (org, role)
            && let Ok(role) = Role::parse(&role)
        {
            grants.push(Grant {
                org_id: OrgId(org),
                role,
            });
        }
    }
    Ok(grants)
}

/// The user and roles behind a live API token, in one query (and records the token's use at
/// most once a minute).
pub(crate) async fn token_principal(
    pool: &Pool<DB>,
    hash: &str,
    now_ms: i64,
) -> Result<Option<(User, Vec<Grant>)>> {
    let rows = sqlx::query(
        "SELECT t.id AS token_id, t.last_used_ms, \
         u.id, u.email, u.display_name, u.locale, u.totp_enabled_at_ms, u.disabled_at_ms, \
         ra.org_id, ra.role \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN role_assignments ra ON ra.user_id = u.id \
         WHERE t.token_hash = $1 AND t.revoked_at_ms IS NULL \
         AND (t.expires_at_ms IS NULL OR t.expires_at_ms > $2) AND u.disabled_at_ms IS NULL",
    )
    .bind(hash)
    .bind(now_ms)
    .fetch_all(pool)
    .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let token_id: i64 = r.try_get("token_id")?;
    let last_used: Option<i64> = r.try_get("last_used_ms")?;
    if last_used.is_none_or(|t| now_ms - t > 60_000) {
        sqlx::query("UPDATE api_tokens SET last_used_ms = $1 WHERE id = $2")
            .bind(now_ms)
            .bind(token_id)
            .execute(pool)
            .await?;
    }
    Ok(Some((principal_user(r)?, principal_grants(&rows)?)))
}

pub(crate) async fn set_session_stage(pool: &Pool<DB>, id_hash: &str, stage: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET stage = $1 WHERE id_hash = $2")
        .bind(stage)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn delete_session(pool: &Pool<DB>, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn delete_user_sessions(
    pool: &Pool<DB>,
    user: UserId,
    keep: Option<&str>,
) -> Result<u64> {
    let r =
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
            .bind(user.0)
            .bind(keep)
            .execute(pool)
            .await?;
    Ok(r.rows_affected())
}

const TOKEN_COLUMNS: &str =
    "id, name, prefix, created_at_ms, last_used_ms, expires_at_ms, revoked_at_ms";

fn token_from_row(
    r: (
        i64,
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    ),
) -> ApiToken {
    ApiToken {
        id: ApiTokenId(r.0),
        name: r.1,
        prefix: r.2,
        created_at_ms: r.3,
        last_used_ms: r.4,
        expires_at_ms: r.5,
        revoked: r.6.is_some(),
    }
}

pub(crate) async fn create_token(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
    name: &str,
    prefix: &str,
    hash: &str,
    expires_at_ms: Option<i64>,
) -> Result<ApiToken> {
    let mut tx = begin_write(pool).await?;
    let row = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {TOKEN_COLUMNS}"
    )))
    .bind(user.0)
    .bind(name)
    .bind(prefix)
    .bind(hash)
    .bind(now_ms())
    .bind(expires_at_ms)
    .fetch_one(&mut *tx)
    .await?;
    let t = token_from_row(row);
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "token.create",
            object_type: "api_token",
            object_id: t.id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&t),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

pub(crate) async fn list_tokens(pool: &Pool<DB>, user: UserId) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
    )))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(token_from_row).collect())
}

pub(crate) async fn revoke_token(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
    id: ApiTokenId,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let n = sqlx::query("UPDATE api_tokens SET revoked_at_ms = $1 WHERE id = $2 AND user_id = $3 AND revoked_at_ms IS NULL")
        .bind(now_ms())
        .bind(id.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "token.revoke",
            object_type: "api_token",
            object_id: id.to_string(),
            before: serde_json::json!({"revoked": false}),
            after: serde_json::json!({"revoked": true}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
