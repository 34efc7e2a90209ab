// Evidence files attached to assessment answers.

const EVIDENCE_COLUMNS: &str = "e.id, e.answer_id, e.file_name, e.content_type, e.size_bytes, e.sha256, e.uploaded_at_ms, e.uploaded_by";

fn evidence_from_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::assessments::EvidenceMeta> {
    Ok(crate::assessments::EvidenceMeta {
        id: EvidenceId(r.try_get("id")?),
        answer_id: AnswerId(r.try_get("answer_id")?),
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at_ms: r.try_get("uploaded_at_ms")?,
        uploaded_by: r.try_get("uploaded_by")?,
    })
}

pub(crate) async fn add_evidence(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    answer_id: i64,
    e: &crate::assessments::NewEvidence,
    sha256: &str,
) -> Result<crate::assessments::EvidenceMeta> {
    use base64::Engine;
    let mut tx = begin_write(pool).await?;
    let (assessment_id, org) = answer_owner(&mut *tx, scope, answer_id).await?;
    let size = i64::try_from(e.content.len()).unwrap_or(i64::MAX);
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (answer_id, assessment_id, file_name, content_type, size_bytes, sha256, content_b64, uploaded_at_ms, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(answer_id)
    .bind(assessment_id)
    .bind(&e.file_name)
    .bind(&e.content_type)
    .bind(size)
    .bind(sha256)
    .bind(base64::engine::general_purpose::STANDARD.encode(&e.content))
    .bind(now)
    .bind(&by.label)
    .fetch_one(&mut *tx)
    .await?;
    bump_revision(&mut tx, assessment_id).await?;
    let meta = crate::assessments::EvidenceMeta {
        id: EvidenceId(id),
        answer_id: AnswerId(answer_id),
        file_name: e.file_name.clone(),
        content_type: e.content_type.clone(),
        size_bytes: size,
        sha256: sha256.to_owned(),
        uploaded_at_ms: now,
        uploaded_by: by.label.clone(),
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "evidence.add",
            object_type: "evidence",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&meta),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(meta)
}

pub(crate) async fn evidence_list(
    pool: &Pool<DB>,
    scope: &Scope,
    answer_id: i64,
) -> Result<Vec<crate::assessments::EvidenceMeta>> {
    answer_owner(pool, scope, answer_id).await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e WHERE e.answer_id = $1 ORDER BY e.id"
    )))
    .bind(answer_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(evidence_from_row).collect()
}

async fn evidence_row<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    evidence_id: i64,
) -> Result<(crate::assessments::EvidenceMeta, String, OrgId)> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS}, e.content_b64, s.org_id FROM evidence e JOIN assessments s ON s.id = e.assessment_id WHERE e.id = $1 AND {}",
        scope_sql(scope, "s.org_id")
    )))
    .bind(evidence_id)
    .fetch_optional(ex)
    .await?;
    let row = crate::assessments::found(row)?;
    Ok((
        evidence_from_row(&row)?,
        row.try_get("content_b64")?,
        OrgId(row.try_get("org_id")?),
    ))
}

pub(crate) async fn evidence(
    pool: &Pool<DB>,
    scope: &Scope,
    evidence_id: i64,
) -> Result<(crate::assessments::EvidenceMeta, Vec<u8>)> {
    use base64::Engine;
    let (meta, b64, _) = evidence_row(pool, scope, evidence_id).await?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?;
    Ok((meta, bytes))
}

pub(crate) async fn delete_evidence(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    evidence_id: i64,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let (meta, _, org) = evidence_row(&mut *tx, scope, evidence_id).await?;
    let assessment_id: i64 =
        sqlx::query_scalar("DELETE FROM evidence WHERE id = $1 RETURNING assessment_id")
            .bind(evidence_id)
            .fetch_one(&mut *tx)
            .await?;
    bump_revision(&mut tx, assessment_id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "evidence.delete",
            object_type: "evidence",
            object_id: evidence_id.to_string(),
            before: to_json(&meta),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The answer list shows evidence counts: a changed file is a new revision of the assessment.
async fn bump_revision(tx: &mut Tx, assessment_id: i64) -> Result<()> {
    sqlx::query("UPDATE assessments SET revision = revision + 1 WHERE id = $1")
        .bind(assessment_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
