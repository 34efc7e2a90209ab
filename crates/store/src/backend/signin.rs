pub(crate) async fn login_counters(pool: &Pool<DB>, keys: &[&str]) -> Result<Vec<LoginCounter>> {
    let mut out = Vec::with_capacity(keys.len());
    // At most three keys per attempt: one query each keeps the SQL portable.
    for key in keys {
        let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT failures, window_start_ms, blocked_until_ms FROM login_throttle WHERE key = $1",
        )
        .bind(*key)
        .fetch_optional(pool)
        .await?;
        if let Some((failures, window_start_ms, blocked_until_ms)) = row {
            out.push(LoginCounter {
                key: (*key).to_owned(),
                failures,
                window_start_ms,
                blocked_until_ms,
            });
        }
    }
    Ok(out)
}

pub(crate) async fn count_login_failure(
    pool: &Pool<DB>,
    counters: &[(&str, Rule)],
    now_ms: i64,
) -> Result<Vec<LoginCounter>> {
    let mut tx = begin_write(pool).await?;
    let mut out = Vec::with_capacity(counters.len());
    for (key, rule) in counters {
        // One statement per counter: concurrent failures on several instances cannot lose a
        // count (the row is locked by the upsert), and an expired window starts again at 1.
        let (failures, window_start_ms, blocked): (i64, i64, Option<i64>) = sqlx::query_as(
            "INSERT INTO login_throttle (key, failures, window_start_ms) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.window_start_ms <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
             window_start_ms = CASE WHEN login_throttle.window_start_ms <= $3 THEN $2 ELSE login_throttle.window_start_ms END \
             RETURNING failures, window_start_ms, blocked_until_ms",
        )
        .bind(*key)
        .bind(now_ms)
        .bind(now_ms - rule.window_ms)
        .fetch_one(&mut *tx)
        .await?;
        let blocked_until_ms = match verbund_domain::signin::blocks_after(*rule, failures, now_ms) {
            Some(until) => {
                sqlx::query("UPDATE login_throttle SET blocked_until_ms = $1 WHERE key = $2")
                    .bind(until)
                    .bind(*key)
                    .execute(&mut *tx)
                    .await?;
                Some(until)
            }
            None => blocked,
        };
        out.push(LoginCounter {
            key: (*key).to_owned(),
            failures,
            window_start_ms,
            blocked_until_ms,
        });
    }
    // Counters whose window and block are over carry no information any more.
    let longest = counters.iter().map(|(_, r)| r.window_ms).max().unwrap_or(0);
    sqlx::query(
        "DELETE FROM login_throttle WHERE window_start_ms < $1 \
         AND (blocked_until_ms IS NULL OR blocked_until_ms < $2)",
    )
    .bind(now_ms - longest)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn clear_login_counters(pool: &Pool<DB>, keys: &[&str]) -> Result<()> {
    for key in keys {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(*key)
            .execute(pool)
            .await?;
    }
    Ok(())
}

pub(crate) async fn accept_totp_step(pool: &Pool<DB>, user: UserId, step: i64) -> Result<bool> {
    // Conditional on the stored step, in one statement: of two requests with the same code
    // only one changes the row (PostgreSQL re-checks the condition after waiting for the
    // other's row lock; SQLite runs one write at a time).
    let n = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
         AND totp_enabled_at_ms IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user.0)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub(crate) async fn revoke_user_tokens(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
) -> Result<u64> {
    let mut tx = begin_write(pool).await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at_ms = $1 WHERE user_id = $2 AND revoked_at_ms IS NULL RETURNING id",
    )
    .bind(now_ms())
    .bind(user.0)
    .fetch_all(&mut *tx)
    .await?;
    if !ids.is_empty() {
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: None,
                action: "token.revoke_all",
                object_type: "user",
                object_id: user.to_string(),
                before: serde_json::json!({"active_tokens": ids}),
                after: serde_json::json!({"active_tokens": []}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids.len() as u64)
}
