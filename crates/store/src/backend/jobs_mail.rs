// Jobs, the mail outbox, reminder settings and calendar feeds (migration 0025).
//
// Claiming is one conditional `UPDATE … WHERE <claimable> … RETURNING` on both databases: on
// SQLite the statement holds the write lock; on PostgreSQL a second runner's UPDATE waits for
// the first one's row lock and then re-checks the WHERE clause on the new row version, finds
// the job running with a live lease and returns nothing. So exactly one runner gets a job.

const JOB_COLUMNS: &str = "id, federation_id, kind, dedupe_key, payload, state, run_at_ms, attempts, last_error, \
     lease_owner, lease_until_ms, last_started_ms, last_finished_ms, last_result";

const MAIL_COLUMNS: &str = "id, federation_id, kind, dedupe_key, message_id, recipient_user_id, to_address, subject, \
     body_text, body_html, state, attempts, last_error, next_attempt_ms, created_at_ms, sent_at_ms";

fn job_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::mail::Job> {
    Ok(crate::mail::Job {
        id: verbund_domain::JobId(r.try_get("id")?),
        federation_id: FederationId(r.try_get("federation_id")?),
        kind: r.try_get("kind")?,
        dedupe_key: r.try_get("dedupe_key")?,
        payload: r.try_get("payload")?,
        state: r.try_get("state")?,
        run_at_ms: r.try_get("run_at_ms")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        lease_owner: r.try_get("lease_owner")?,
        lease_until_ms: r.try_get("lease_until_ms")?,
        last_started_ms: r.try_get("last_started_ms")?,
        last_finished_ms: r.try_get("last_finished_ms")?,
        last_result: r.try_get("last_result")?,
    })
}

fn mail_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::mail::OutboxMail> {
    Ok(crate::mail::OutboxMail {
        id: verbund_domain::OutboxMailId(r.try_get("id")?),
        federation_id: FederationId(r.try_get("federation_id")?),
        kind: r.try_get("kind")?,
        dedupe_key: r.try_get("dedupe_key")?,
        message_id: r.try_get("message_id")?,
        recipient_user_id: r
            .try_get::<Option<i64>, _>("recipient_user_id")?
            .map(UserId),
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body_text: r.try_get("body_text")?,
        body_html: r.try_get("body_html")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        next_attempt_ms: r.try_get("next_attempt_ms")?,
        created_at_ms: r.try_get("created_at_ms")?,
        sent_at_ms: r.try_get("sent_at_ms")?,
    })
}

pub(crate) async fn ensure_job(
    pool: &Pool<DB>,
    federation: FederationId,
    kind: &str,
    dedupe_key: &str,
    run_at_ms: i64,
) -> Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO jobs (federation_id, kind, dedupe_key, run_at_ms, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(federation.0)
    .bind(kind)
    .bind(dedupe_key)
    .bind(run_at_ms)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn claim_job(
    pool: &Pool<DB>,
    owner: &str,
    now: i64,
    lease_ms: i64,
) -> Result<Option<crate::mail::Job>> {
    const CLAIMABLE: &str = "((state = 'scheduled' AND run_at_ms <= $2) OR (state = 'running' AND lease_until_ms < $2))";
    let sql = format!(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until_ms = $3, attempts = attempts + 1, \
         last_started_ms = $2, updated_at_ms = $2 \
         WHERE id = (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY run_at_ms, id LIMIT 1) AND {CLAIMABLE} \
         RETURNING {JOB_COLUMNS}"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(owner)
        .bind(now)
        .bind(now.saturating_add(lease_ms))
        .fetch_optional(pool)
        .await?
        .map(|r| job_row(&r))
        .transpose()
}

pub(crate) async fn finish_job(
    pool: &Pool<DB>,
    id: verbund_domain::JobId,
    owner: &str,
    now: i64,
    next_run_ms: Option<i64>,
    result: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = CASE WHEN $4 IS NULL THEN 'done' ELSE 'scheduled' END, \
         run_at_ms = COALESCE($4, run_at_ms), attempts = 0, last_error = NULL, lease_owner = NULL, \
         lease_until_ms = NULL, last_finished_ms = $3, last_result = $5, updated_at_ms = $3 \
         WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
    )
    .bind(id.0)
    .bind(owner)
    .bind(now)
    .bind(next_run_ms)
    .bind(result)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn fail_job(
    pool: &Pool<DB>,
    id: verbund_domain::JobId,
    owner: &str,
    now: i64,
    error: &str,
    retry_at_ms: Option<i64>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = CASE WHEN $5 IS NULL THEN 'failed' ELSE 'scheduled' END, \
         run_at_ms = COALESCE($5, run_at_ms), last_error = $4, lease_owner = NULL, lease_until_ms = NULL, \
         last_finished_ms = $3, updated_at_ms = $3 \
         WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
    )
    .bind(id.0)
    .bind(owner)
    .bind(now)
    .bind(error)
    .bind(retry_at_ms)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list_jobs_federation_wide(
    pool: &Pool<DB>,
    federation: FederationId,
    page: PageRequest,
) -> Result<Page<crate::mail::Job>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE federation_id = $1")
        .bind(federation.0)
        .fetch_one(pool)
        .await?;
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE federation_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
    );
    let items = sqlx::query(AssertSqlSafe(sql))
        .bind(federation.0)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?
        .iter()
        .map(job_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn enqueue_mails(
    pool: &Pool<DB>,
    federation: FederationId,
    mails: &[crate::mail::NewMail],
    now: i64,
) -> Result<u64> {
    let mut tx = begin_write(pool).await?;
    let mut inserted = 0;
    for chunk in mails.chunks(400) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO outbox_mails (federation_id, kind, dedupe_key, message_id, recipient_user_id, \
             to_address, subject, body_text, body_html, next_attempt_ms, created_at_ms) ",
        );
        qb.push_values(chunk, |mut b, m| {
            b.push_bind(federation.0)
                .push_bind(m.kind.clone())
                .push_bind(m.dedupe_key.clone())
                .push_bind(m.message_id.clone())
                .push_bind(m.recipient.map(|u| u.0))
                .push_bind(m.to_address.clone())
                .push_bind(m.subject.clone())
                .push_bind(m.body_text.clone())
                .push_bind(m.body_html.clone())
                .push_bind(now)
                .push_bind(now);
        });
        qb.push(" ON CONFLICT (dedupe_key) DO NOTHING");
        inserted += qb
            .build()
            .persistent(false)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

pub(crate) async fn existing_mail_keys(pool: &Pool<DB>, keys: &[String]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(500) {
        let mut qb: sqlx::QueryBuilder<DB> =
            sqlx::QueryBuilder::new("SELECT dedupe_key FROM outbox_mails WHERE dedupe_key IN (");
        let mut sep = qb.separated(", ");
        for k in chunk {
            sep.push_bind(k.clone());
        }
        qb.push(")");
        let rows: Vec<String> = qb
            .build_query_scalar()
            .persistent(false)
            .fetch_all(pool)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

pub(crate) async fn claim_mails(
    pool: &Pool<DB>,
    owner: &str,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<crate::mail::OutboxMail>> {
    // A mail still "sending" after its lease: the sender stopped between handing it to the SMTP
    // server and recording the answer. It may have arrived; it is never sent again.
    sqlx::query(
        "UPDATE outbox_mails SET state = 'failed', lease_owner = NULL, lease_until_ms = NULL, \
         last_error = 'Versand unterbrochen: ob der Mailserver die Nachricht angenommen hat, ist unbekannt; sie wird nicht erneut gesendet' \
         WHERE state = 'sending' AND lease_until_ms < $1",
    )
    .bind(now)
    .execute(pool)
    .await?;
    let sql = format!(
        "UPDATE outbox_mails SET state = 'sending', lease_owner = $1, lease_until_ms = $3, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox_mails WHERE state = 'pending' AND next_attempt_ms <= $2 \
                      ORDER BY next_attempt_ms, id LIMIT $4) \
           AND state = 'pending' \
         RETURNING {MAIL_COLUMNS}"
    );
    let mut mails = sqlx::query(AssertSqlSafe(sql))
        .bind(owner)
        .bind(now)
        .bind(now.saturating_add(lease_ms))
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(mail_row)
        .collect::<Result<Vec<_>>>()?;
    mails.sort_by_key(|m| m.id.0);
    Ok(mails)
}

pub(crate) async fn mark_mail_sent(
    pool: &Pool<DB>,
    id: verbund_domain::OutboxMailId,
    owner: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox_mails SET state = 'sent', sent_at_ms = $3, last_error = NULL, lease_owner = NULL, \
         lease_until_ms = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'sending'",
    )
    .bind(id.0)
    .bind(owner)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn mark_mail_failed(
    pool: &Pool<DB>,
    id: verbund_domain::OutboxMailId,
    owner: &str,
    error: &str,
    retry_at_ms: Option<i64>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox_mails SET state = CASE WHEN $4 IS NULL THEN 'failed' ELSE 'pending' END, \
         next_attempt_ms = COALESCE($4, next_attempt_ms), last_error = $3, lease_owner = NULL, \
         lease_until_ms = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'sending'",
    )
    .bind(id.0)
    .bind(owner)
    .bind(error)
    .bind(retry_at_ms)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list_outbox_federation_wide(
    pool: &Pool<DB>,
    federation: FederationId,
    state: Option<&str>,
    page: PageRequest,
) -> Result<Page<crate::mail::OutboxMail>> {
    let filter = if state.is_some() {
        "federation_id = $1 AND state = $2"
    } else {
        "federation_id = $1 AND $2 IS NULL"
    };
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM outbox_mails WHERE {filter}"
    )))
    .bind(federation.0)
    .bind(state)
    .fetch_one(pool)
    .await?;
    let sql = format!(
        "SELECT {MAIL_COLUMNS} FROM outbox_mails WHERE {filter} ORDER BY id DESC LIMIT $3 OFFSET $4"
    );
    let items = sqlx::query(AssertSqlSafe(sql))
        .bind(federation.0)
        .bind(state)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?
        .iter()
        .map(mail_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn reminder_settings(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<verbund_domain::reminder::ReminderSettings> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT days_before, digest_weekday FROM reminder_settings WHERE federation_id = $1",
    )
    .bind(federation.0)
    .fetch_optional(pool)
    .await?;
    Ok(row
        .map(
            |(days_before, digest_weekday)| verbund_domain::reminder::ReminderSettings {
                days_before,
                digest_weekday,
            },
        )
        .unwrap_or_default())
}

pub(crate) async fn save_reminder_settings(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    s: verbund_domain::reminder::ReminderSettings,
) -> Result<()> {
    let before = reminder_settings(pool, federation).await?;
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO reminder_settings (federation_id, days_before, digest_weekday, updated_at_ms) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (federation_id) DO UPDATE SET \
         days_before = excluded.days_before, digest_weekday = excluded.digest_weekday, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(federation.0)
    .bind(s.days_before)
    .bind(s.digest_weekday)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "reminder_settings.update",
            object_type: "reminder_settings",
            object_id: federation.0.to_string(),
            before: serde_json::to_value(before).unwrap_or_default(),
            after: serde_json::to_value(s).unwrap_or_default(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn candidate_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::mail::ReminderCandidate> {
    Ok(crate::mail::ReminderCandidate {
        measure_id: verbund_domain::MeasureId(r.try_get("id")?),
        title: r.try_get("title")?,
        due_on: r.try_get("due_on")?,
        status: r.try_get("status")?,
        org_id: OrgId(r.try_get("org_id")?),
        org_name: r.try_get("org_name")?,
        owner: UserId(r.try_get("owner_user_id")?),
        email: r.try_get("email")?,
        locale: r.try_get("locale")?,
        display_name: r.try_get("display_name")?,
    })
}

pub(crate) async fn reminder_candidates_federation_wide(
    pool: &Pool<DB>,
    federation: FederationId,
    from: &str,
    to: &str,
    today: &str,
) -> Result<Vec<crate::mail::ReminderCandidate>> {
    use verbund_domain::reminder::ReminderKind;
    // Measures whose reminder of today's kind is in the outbox already are left out here: the
    // key is `verbund_domain::reminder::dedupe_key(kind, due_on, owner, measure)`, probed in
    // the outbox's unique index (a repeated run reads nothing).
    let sql = format!(
        "SELECT m.id, m.title, m.due_on, m.status, m.org_id, o.name AS org_name, m.owner_user_id, \
                u.email, u.locale, u.display_name \
         FROM measures m \
         JOIN organisations o ON o.id = m.org_id \
         JOIN users u ON u.id = m.owner_user_id \
         WHERE m.due_on >= $2 AND m.due_on <= $3 AND m.status IN {} \
           AND o.federation_id = $1 AND u.disabled_at_ms IS NULL \
           AND NOT EXISTS (SELECT 1 FROM outbox_mails x WHERE x.dedupe_key = \
               (CASE WHEN m.due_on = $4 THEN '{}' WHEN m.due_on > $4 THEN '{}' ELSE '{}' END) \
               || '/' || m.due_on || '/u' || m.owner_user_id || '/m' || m.id) \
         ORDER BY m.owner_user_id, m.due_on, m.id",
        verbund_domain::measure::MeasureStatus::OPEN_CODES_SQL,
        ReminderKind::DueToday.code(),
        ReminderKind::Upcoming.code(),
        ReminderKind::Overdue.code(),
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(federation.0)
        .bind(from)
        .bind(to)
        .bind(today)
        .fetch_all(pool)
        .await?
        .iter()
        .map(candidate_row)
        .collect()
}

pub(crate) async fn digest_rows_federation_wide(
    pool: &Pool<DB>,
    federation: FederationId,
    per_owner: i64,
    week: &str,
) -> Result<Vec<(crate::mail::ReminderCandidate, i64)>> {
    // Each owner's open measures with a deadline, nearest first, at most `per_owner` of them,
    // with the owner's total; owners whose digest of `week` is in the outbox are left out
    // first, so a repeated run on the digest day reads no measures at all. Both forms walk
    // the `(owner_user_id, due_on)` index once per owner instead of sorting every open
    // measure: a window over all of them took 2 s on PostgreSQL (440,000 wide rows sorted on
    // disk) and 4.6 s on SQLite (driven from the organisations, the outbox probed per measure)
    // at 11,000 members.
    let open = verbund_domain::measure::MeasureStatus::OPEN_CODES_SQL;
    let digest = verbund_domain::reminder::ReminderKind::Digest.code();
    let owners = format!(
        "u.disabled_at_ms IS NULL AND NOT EXISTS (SELECT 1 FROM outbox_mails x \
         WHERE x.dedupe_key = '{digest}/' || $3 || '/u' || u.id)"
    );
    let open_of = |m: &str| {
        format!(
            "{m}.due_on IS NOT NULL AND {m}.status IN {open} \
             AND {m}.org_id IN (SELECT id FROM organisations WHERE federation_id = $1)"
        )
    };
    let sql = if HAS_LATERAL {
        // One index walk per owner gives the first rows and, before the LIMIT, the total.
        format!(
            "SELECT d.id, d.title, d.due_on, d.status, d.org_id, o.name AS org_name, \
                    w.id AS owner_user_id, w.email, w.locale, w.display_name, d.total \
             FROM (SELECT u.id, u.email, u.locale, u.display_name FROM users u WHERE {owners}) w \
             CROSS JOIN LATERAL (SELECT m.id, m.title, m.due_on, m.status, m.org_id, \
                    COUNT(*) OVER () AS total FROM measures m \
                    WHERE m.owner_user_id = w.id AND {} ORDER BY m.due_on, m.id LIMIT $2) d \
             JOIN organisations o ON o.id = d.org_id \
             ORDER BY w.id, d.due_on, d.id",
            open_of("m")
        )
    } else {
        // SQLite has no LATERAL: the owners (with their totals) are materialised first, and
        // each owner's first rows are found by rowid from a correlated `IN (… LIMIT)`.
        format!(
            "WITH w AS MATERIALIZED (SELECT u.id, u.email, u.locale, u.display_name, \
                    (SELECT COUNT(*) FROM measures c WHERE c.owner_user_id = u.id AND {}) AS total \
                  FROM users u WHERE {owners}) \
             SELECT m.id, m.title, m.due_on, m.status, m.org_id, o.name AS org_name, \
                    w.id AS owner_user_id, w.email, w.locale, w.display_name, w.total \
             FROM w JOIN measures m ON m.id IN (SELECT f.id FROM measures f \
                    WHERE f.owner_user_id = w.id AND {} ORDER BY f.due_on, f.id LIMIT $2) \
             JOIN organisations o ON o.id = m.org_id \
             WHERE w.total > 0 \
             ORDER BY w.id, m.due_on, m.id",
            open_of("c"),
            open_of("f")
        )
    };
    sqlx::query(AssertSqlSafe(sql))
        .bind(federation.0)
        .bind(per_owner)
        .bind(week)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((candidate_row(r)?, r.try_get::<i64, _>("total")?)))
        .collect()
}

pub(crate) async fn calendar_feed(
    pool: &Pool<DB>,
    user: UserId,
) -> Result<Option<crate::mail::CalendarFeed>> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT created_at_ms, last_used_ms FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(pool)
            .await?;
    Ok(
        row.map(|(created_at_ms, last_used_ms)| crate::mail::CalendarFeed {
            created_at_ms,
            last_used_ms,
        }),
    )
}

pub(crate) async fn set_calendar_feed(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
    token_hash: &str,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let replaced = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at_ms) VALUES ($1, $2, $3)",
    )
    .bind(user.0)
    .bind(token_hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: if replaced {
                "calendar_feed.regenerate"
            } else {
                "calendar_feed.create"
            },
            object_type: "user",
            object_id: user.to_string(),
            before: serde_json::json!({"calendar_feed": replaced}),
            after: serde_json::json!({"calendar_feed": true}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn revoke_calendar_feed(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
) -> Result<bool> {
    let mut tx = begin_write(pool).await?;
    let gone = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    if !gone {
        return Ok(false);
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "calendar_feed.revoke",
            object_type: "user",
            object_id: user.to_string(),
            before: serde_json::json!({"calendar_feed": true}),
            after: serde_json::json!({"calendar_feed": false}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(crate) async fn calendar_feed_user(
    pool: &Pool<DB>,
    token_hash: &str,
    now: i64,
) -> Result<Option<(UserId, String)>> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.locale FROM calendar_feeds f JOIN users u ON u.id = f.user_id \
         WHERE f.token_hash = $1 AND u.disabled_at_ms IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some((user, locale)) = row else {
        return Ok(None);
    };
    // Only a coarse "last used" (at most one write per hour per feed).
    sqlx::query(
        "UPDATE calendar_feeds SET last_used_ms = $2 WHERE token_hash = $1 \
         AND (last_used_ms IS NULL OR last_used_ms < $3)",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now - 3_600_000)
    .execute(pool)
    .await?;
    Ok(Some((UserId(user), locale)))
}

pub(crate) async fn feed_measures(
    pool: &Pool<DB>,
    user: UserId,
    limit: i64,
) -> Result<Vec<crate::mail::ReminderCandidate>> {
    let sql = format!(
        "SELECT m.id, m.title, m.due_on, m.status, m.org_id, o.name AS org_name, m.owner_user_id, \
                u.email, u.locale, u.display_name \
         FROM measures m \
         JOIN organisations o ON o.id = m.org_id \
         JOIN users u ON u.id = m.owner_user_id \
         WHERE m.owner_user_id = $1 AND m.due_on IS NOT NULL AND m.status IN {} \
         ORDER BY m.due_on, m.id LIMIT $2",
        verbund_domain::measure::MeasureStatus::OPEN_CODES_SQL
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(user.0)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(candidate_row)
        .collect()
}

pub(crate) async fn seed_measure(
    pool: &Pool<DB>,
    org: OrgId,
    owner: Option<UserId>,
    title: &str,
    due_on: Option<&str>,
    status: &str,
) -> Result<verbund_domain::MeasureId> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO measures (org_id, title, owner_user_id, due_on, status, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(title)
    .bind(owner.map(|u| u.0))
    .bind(due_on)
    .bind(status)
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(verbund_domain::MeasureId(id))
}

pub(crate) async fn generate_measures(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    per_member: i64,
    today: time::Date,
) -> Result<u64> {
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    // Members (not the office) without any measure yet.
    let orgs: Vec<i64> = sqlx::query_scalar(
        "SELECT o.id FROM organisations o JOIN federations f ON f.id = o.federation_id \
         WHERE o.federation_id = $1 AND o.id <> f.office_org_id \
           AND NOT EXISTS (SELECT 1 FROM measures m WHERE m.org_id = o.id) ORDER BY o.id",
    )
    .bind(federation.0)
    .fetch_all(&mut *tx)
    .await?;
    if orgs.is_empty() {
        return Ok(0);
    }
    // One measure owner per member: a new account without password (cannot sign in).
    let mut owners: Vec<i64> = Vec::with_capacity(orgs.len());
    for chunk in orgs.chunks(1000) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO users (email, display_name, locale, created_at_ms) ",
        );
        qb.push_values(chunk, |mut b, o| {
            b.push_bind(format!("massnahmen-{o}@generiert.example"))
                .push_bind(format!("Maßnahmen {o}"))
                .push_bind(if o % 10 == 0 { "en" } else { "de" })
                .push_bind(now);
        });
        qb.push(" RETURNING id");
        let mut got: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
        got.sort_unstable();
        owners.extend(got);
    }
    let pairs: Vec<(i64, i64)> = orgs.iter().copied().zip(owners.iter().copied()).collect();
    for chunk in pairs.chunks(1000) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO role_assignments (user_id, org_id, role, created_at_ms) ",
        );
        qb.push_values(chunk, |mut b, (o, u)| {
            b.push_bind(*u)
                .push_bind(*o)
                .push_bind("measure_owner")
                .push_bind(now);
        });
        qb.build().execute(&mut *tx).await?;
    }
    // Deadlines spread from 60 days ago to 300 days ahead; every fifth measure is done.
    let rows: Vec<(i64, i64, i64)> = pairs
        .iter()
        .flat_map(|&(o, u)| (0..per_member).map(move |i| (o, u, i)))
        .collect();
    let mut total = 0;
    for chunk in rows.chunks(2000) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO measures (org_id, owner_user_id, title, due_on, status, created_at_ms, updated_at_ms) ",
        );
        qb.push_values(chunk, |mut b, &(o, u, i)| {
            let offset = (o * 7 + i * 13).rem_euclid(360) - 60;
            let due = today + time::Duration::days(offset);
            b.push_bind(o)
                .push_bind(u)
                .push_bind(format!("Maßnahme {} von Mitglied {o}", i + 1))
                .push_bind(format_date(due))
                .push_bind(if i % 5 == 4 { "umgesetzt" } else { "offen" })
                .push_bind(now)
                .push_bind(now);
        });
        total += qb.build().execute(&mut *tx).await?.rows_affected();
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "measure.generate",
            object_type: "measure",
            object_id: format!("{}-{}", orgs[0], orgs[orgs.len() - 1]),
            before: serde_json::Value::Null,
            after: serde_json::json!({"members": orgs.len(), "measures": total}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(total)
}
