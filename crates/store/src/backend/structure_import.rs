// Import of a member's inventory in one transaction: objects upserted by short id, links
// between them added; any failure leaves the database unchanged.

pub(crate) async fn import_structure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    objects: &[st::ObjectInput],
    links: &[(String, crate::LinkEnd, st::LinkType)],
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
    // Provider objects are checked here too, not only by the caller: a member may point only
    // to its own objects and to providers' objects, never to another member's.
    let wanted: Vec<i64> = links
        .iter()
        .filter_map(|(_, to, _)| match to {
            crate::LinkEnd::Provider(id) => Some(id.0),
            crate::LinkEnd::Own(_) => None,
        })
        .collect();
    let mut providers: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for chunk in wanted.chunks(ID_BATCH) {
        let found: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT o.id FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
             WHERE g.kind = 'provider' AND o.id IN ({})",
            id_list(chunk)
        )))
        .fetch_all(&mut *tx)
        .await?;
        providers.extend(found);
    }
    let mut added = 0;
    for (from, to, lt) in links {
        let target = match to {
            crate::LinkEnd::Own(short) => ids.get(short).copied(),
            crate::LinkEnd::Provider(id) => providers.contains(&id.0).then_some(id.0),
        };
        let (Some(&f), Some(t)) = (ids.get(from), target) else {
            return Err(StoreError::Invalid(
                verbund_domain::validation::ValidationErrors::single(
                    "depends_on",
                    "error-link-target",
                ),
            ));
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

/// Every object of `org` (with needs), every link from them, and the names of the providers
/// whose objects they point to, for an export.
pub(crate) async fn export_structure(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<(
    Vec<st::model::TargetObject>,
    Vec<st::model::Link>,
    std::collections::HashMap<OrgId, String>,
)> {
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
    let links = select_all_links(&mut tx, &format!("f.org_id = {}", org.0), &config).await?;
    let names: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT g.id, g.name FROM structure_links l JOIN structure_objects f ON f.id = l.from_id \
         JOIN structure_objects t ON t.id = l.to_id JOIN organisations g ON g.id = t.org_id \
         WHERE f.org_id = $1 AND g.kind = 'provider'",
    )
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        objects,
        links,
        names.into_iter().map(|(id, n)| (OrgId(id), n)).collect(),
    ))
}

/// Every provider object by provider name and short id: what a link from an object of `org`
/// may point to besides the organisation's own objects.
pub(crate) async fn provider_object_names(
    pool: &Pool<DB>,
    write: &Scope,
    org: OrgId,
) -> Result<Vec<crate::ProviderObjectName>> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT g.name, o.short_id, o.id FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
         WHERE g.kind = 'provider' ORDER BY g.name, o.short_id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, s, id)| (n, s, StructureObjectId(id)))
        .collect())
}
