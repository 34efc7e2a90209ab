pub(crate) async fn settings(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<verbund_domain::settings::FederationSettings> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT settings_json FROM federation_settings WHERE federation_id = $1",
    )
    .bind(federation.0)
    .fetch_optional(pool)
    .await?;
    json.map_or_else(
        || Ok(Default::default()),
        |j| from_json(&j, "federation settings"),
    )
}

pub(crate) async fn save_settings(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    s: &verbund_domain::settings::FederationSettings,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let before: Option<String> = sqlx::query_scalar(
        "SELECT settings_json FROM federation_settings WHERE federation_id = $1",
    )
    .bind(federation.0)
    .fetch_optional(&mut *tx)
    .await?;
    let json = json_text(s)?;
    sqlx::query(
        "INSERT INTO federation_settings (federation_id, settings_json, updated_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (federation_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(federation.0)
    .bind(&json)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let before = before.map_or(serde_json::Value::Null, |b| {
        serde_json::from_str(&b).unwrap_or(serde_json::Value::Null)
    });
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "settings.update",
            object_type: "federation_settings",
            object_id: federation.0.to_string(),
            before,
            after: to_json(s),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
