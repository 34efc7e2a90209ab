// One-time password-reset links: issued by an administrator, used once by the user.

pub(crate) async fn create_password_reset(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
    token_hash: &str,
    expires_at_ms: i64,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    // An older link that was not used is void once a new one is issued.
    sqlx::query(
        "UPDATE password_resets SET used_at_ms = $2 WHERE user_id = $1 AND used_at_ms IS NULL",
    )
    .bind(user.0)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_by, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user.0)
    .bind(token_hash)
    .bind(by.user_id.map(|u| u.0))
    .bind(now)
    .bind(expires_at_ms)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "user.password_reset_link",
            object_type: "user",
            object_id: user.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"expires_at": verbund_domain::localtime::fmt_ms(expires_at_ms)}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn password_reset_user(
    pool: &Pool<DB>,
    token_hash: &str,
    now: i64,
) -> Result<Option<UserId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at_ms IS NULL AND r.expires_at_ms > $2 AND u.disabled_at_ms IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(UserId))
}

pub(crate) async fn use_password_reset(
    pool: &Pool<DB>,
    token_hash: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<UserId>> {
    let mut tx = begin_write(pool).await?;
    // The conditional update is what makes the link single-use, also under concurrency.
    let user: Option<i64> = sqlx::query_scalar(
        "UPDATE password_resets SET used_at_ms = $2 WHERE token_hash = $1 AND used_at_ms IS NULL AND expires_at_ms > $2 \
         AND user_id IN (SELECT id FROM users WHERE disabled_at_ms IS NULL) RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let tokens = sqlx::query(
        "UPDATE api_tokens SET revoked_at_ms = $2 WHERE user_id = $1 AND revoked_at_ms IS NULL",
    )
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let label: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        &AuditActor {
            user_id: Some(UserId(user)),
            label,
        },
        Change {
            org_id: None,
            action: "user.password_reset",
            object_type: "user",
            object_id: user.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"password": "changed", "sessions": "ended", "tokens_revoked": tokens}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(UserId(user)))
}

pub(crate) async fn has_external_identity(pool: &Pool<DB>, user: UserId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM external_identities WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}
