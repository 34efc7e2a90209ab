// Each member's standalone cost (what it would pay doing it alone), set by the office.

pub(crate) async fn standalone_costs(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<(OrgId, Cents)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT c.org_id, c.amount_cents FROM member_standalone_costs c JOIN organisations o ON o.id = c.org_id WHERE o.federation_id = $1 ORDER BY c.org_id",
    )
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(o, c)| (OrgId(o), Cents(c)))
        .collect())
}

/// Sets (`Some`) or clears (`None`) the standalone costs of the members named, in one
/// transaction; each actual change is audited with its before and after. A member outside
/// the federation (or the office itself) is `NotFound` and nothing is changed.
pub(crate) async fn save_standalone_costs(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    changes: &[(OrgId, Option<Cents>)],
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    for (org, amount) in changes {
        let member: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM organisations WHERE id = $1 AND federation_id = $2 AND kind <> 'office'",
        )
        .bind(org.0)
        .bind(federation.0)
        .fetch_optional(&mut *tx)
        .await?;
        if member.is_none() {
            return Err(StoreError::NotFound);
        }
        let before: Option<i64> = sqlx::query_scalar(
            "SELECT amount_cents FROM member_standalone_costs WHERE org_id = $1",
        )
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        let after = amount.map(|a| a.0);
        if before == after {
            continue;
        }
        match after {
            Some(cents) => {
                sqlx::query("INSERT INTO member_standalone_costs (org_id, amount_cents, updated_at_ms) VALUES ($1, $2, $3) ON CONFLICT (org_id) DO UPDATE SET amount_cents = excluded.amount_cents, updated_at_ms = excluded.updated_at_ms")
                    .bind(org.0)
                    .bind(cents)
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM member_standalone_costs WHERE org_id = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: Some(*org),
                action: "standalone_cost.update",
                object_type: "member_standalone_cost",
                object_id: org.0.to_string(),
                before: before.map_or(
                    serde_json::Value::Null,
                    |c| serde_json::json!({"amount_cents": c}),
                ),
                after: after.map_or(
                    serde_json::Value::Null,
                    |c| serde_json::json!({"amount_cents": c}),
                ),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
