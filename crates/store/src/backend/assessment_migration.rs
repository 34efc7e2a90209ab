// Moving an assessment to a newer revision of its catalog, carrying answers and evidence over.

pub(crate) async fn migrate_assessment(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    new_catalog: i64,
) -> Result<i64> {
    let mut tx = begin_write(pool).await?;
    let row: Option<(i64, i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.org_id, a.federation_id, a.catalog_id, c.urn FROM assessments a JOIN catalogs c ON c.id = a.catalog_id WHERE a.id = $1 AND {}",
        scope_sql(scope, "a.org_id")
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (org, federation, old_catalog, urn) = crate::assessments::found(row)?;
    let target: Option<String> =
        sqlx::query_scalar("SELECT urn FROM catalogs WHERE id = $1 AND federation_id = $2")
            .bind(new_catalog)
            .bind(federation)
            .fetch_optional(&mut *tx)
            .await?;
    if target.as_deref() != Some(urn.as_str()) || new_catalog == old_catalog {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "catalog_id",
                "error-not-a-revision",
            ),
        ));
    }
    let created = create_assessments(
        &mut tx,
        by,
        scope,
        FederationId(federation),
        new_catalog,
        &[OrgId(org)],
    )
    .await?;
    let Some(&new_id) = created.first() else {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "catalog_id",
                "error-already-migrated",
            ),
        ));
    };
    // Answers and evidence follow their requirement by URN; requirements the new revision
    // dropped keep their answers only in the old assessment.
    let rows = sqlx::query(
        "SELECT na.id AS new_id, oa.status, oa.justification, oa.owner, oa.due_on, oa.comment \
         FROM assessment_answers oa JOIN catalog_nodes onode ON onode.id = oa.node_id \
         JOIN catalog_nodes nnode ON nnode.urn = onode.urn AND nnode.catalog_id = $2 \
         JOIN assessment_answers na ON na.node_id = nnode.id AND na.assessment_id = $3 \
         WHERE oa.assessment_id = $1",
    )
    .bind(id)
    .bind(new_catalog)
    .bind(new_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        changes.push((
            AnswerId(r.try_get::<i64, _>("new_id")?),
            None,
            stored_answer(r)?,
        ));
    }
    set_answers_in(
        &mut tx,
        by,
        &Scope::system(&SystemAccess::for_reason(
            "answers carried over by a migration the caller was authorised for",
        )),
        new_id,
        &changes,
        AnswerAudit::PerAnswer,
    )
    .await?;
    sqlx::query(
        "INSERT INTO evidence (answer_id, assessment_id, file_name, content_type, size_bytes, sha256, content_b64, uploaded_at_ms, uploaded_by) \
         SELECT na.id, $3, e.file_name, e.content_type, e.size_bytes, e.sha256, e.content_b64, e.uploaded_at_ms, e.uploaded_by \
         FROM evidence e JOIN assessment_answers oa ON oa.id = e.answer_id JOIN catalog_nodes onode ON onode.id = oa.node_id \
         JOIN catalog_nodes nnode ON nnode.urn = onode.urn AND nnode.catalog_id = $2 \
         JOIN assessment_answers na ON na.node_id = nnode.id AND na.assessment_id = $3 WHERE e.assessment_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .bind(new_catalog)
    .bind(new_id)
    .execute(&mut *tx)
    .await?;
    append_audit(&mut tx, by, Change {
        org_id: Some(OrgId(org)),
        action: "assessment.migrate",
        object_type: "assessment",
        object_id: new_id.to_string(),
        before: serde_json::json!({"assessment_id": id, "catalog_id": old_catalog}),
        after: serde_json::json!({"assessment_id": new_id, "catalog_id": new_catalog, "answers_carried_over": changes.len()}),
    })
    .await?;
    tx.commit().await?;
    Ok(new_id)
}
