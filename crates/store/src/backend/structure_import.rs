// Import of a member's inventory in one transaction: objects upserted by short id, links
// between them added; any failure leaves the database unchanged.

pub(crate) async fn import_structure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    objects: &[st::ObjectInput],
    links: &[(String, String, st::LinkType)],
) -> Result<(usize, usize, usize)> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let existing: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, short_id FROM structure_objects WHERE org_id = $1")
            .bind(org.0)
            .fetch_all(&mut *tx)
            .await?;
    let mut ids: std::collections::HashMap<String, i64> =
        existing.into_iter().map(|(id, s)| (s, id)).collect();
    let (mut created, mut updated) = (0, 0);
    let mut touched = Vec::new();
    for input in objects {
        match ids.get(input.short_id.as_str()) {
            Some(&id) => {
                update_object_row(&mut tx, id, None, input).await?;
                updated += 1;
                touched.push(id);
            }
            None => {
                let id = insert_object(&mut tx, org, input).await?;
                ids.insert(input.short_id.as_str().to_owned(), id);
                created += 1;
                touched.push(id);
            }
        }
    }
    let mut added = 0;
    for (from, to, lt) in links {
        let (Some(&f), Some(&t)) = (ids.get(from), ids.get(to)) else {
            return Err(StoreError::NotFound);
        };
        let done = sqlx::query(
            "INSERT INTO structure_links (from_id, to_id, link_type, created_at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (from_id, to_id, link_type) DO NOTHING",
        )
        .bind(f)
        .bind(t)
        .bind(lt.code())
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            added += 1;
            touched.push(f);
            touched.push(t);
        }
    }
    recompute_structure(&mut tx, &touched).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "structure.import",
            object_type: "organisation",
            object_id: org.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "created": created, "updated": updated, "links_added": added }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((created, updated, added))
}

/// Every object of `org` (with needs) and every link from them, for an export.
pub(crate) async fn export_structure(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<(Vec<st::model::TargetObject>, Vec<st::model::Link>)> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let rows: Vec<ObjectRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{OBJECT_SELECT} WHERE o.org_id = $1 ORDER BY o.short_id, o.id"
    )))
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    let objects = rows
        .into_iter()
        .map(st::model::TargetObject::try_from)
        .collect::<Result<Vec<_>>>()?;
    let config = load_structure_settings(&mut tx).await?.propagation;
    let links = select_links(&mut *tx, &format!("f.org_id = {}", org.0), &config).await?;
    tx.commit().await?;
    Ok((objects, links))
}
