const PROPOSAL_COLUMNS: &str = "p.id, p.org_id, o.name AS org_name, p.previous_population, p.previous_staff, \
     p.previous_it_workplaces, p.population, p.staff, p.it_workplaces, p.reason, p.status, p.proposed_by_name, \
     p.proposed_at_ms, p.decided_by_name, p.decided_at_ms, p.decision_note";

async fn fetch_proposal<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: KeyFigureProposalId,
) -> Result<KeyFigureProposal> {
    let row: Option<ProposalRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM key_figure_proposals p JOIN organisations o ON o.id = p.org_id \
         WHERE p.id = $1 AND {}",
        scope_sql(scope, "p.org_id")
    )))
    .bind(id.0)
    .fetch_optional(ex)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

pub(crate) async fn propose_key_figures(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    org: OrgId,
    input: &ProposalInput,
) -> Result<KeyFigureProposal> {
    let mut tx = begin_write(pool).await?;
    let current = fetch_org(&mut *tx, scope, org).await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM key_figure_proposals WHERE org_id = $1 AND status = 'open'",
    )
    .bind(org.0)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "population",
                "error-key-figures-open",
            ),
        ));
    }
    let p = input.proposed;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO key_figure_proposals (org_id, previous_population, previous_staff, previous_it_workplaces, \
         population, staff, it_workplaces, reason, status, proposed_by, proposed_by_name, proposed_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11) RETURNING id",
    )
    .bind(org.0)
    .bind(current.population)
    .bind(current.staff)
    .bind(current.it_workplaces)
    .bind(p.population)
    .bind(p.staff)
    .bind(p.it_workplaces)
    .bind(&input.reason)
    .bind(by.user_id.map(|u| u.0))
    .bind(&by.label)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error() {
        // Another proposal became open since the count above (the partial unique index).
        Some(db) if db.is_unique_violation() => StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "population",
                "error-key-figures-open",
            ),
        ),
        _ => StoreError::Db(e),
    })?;
    let proposal = fetch_proposal(&mut *tx, scope, KeyFigureProposalId(id)).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "key_figures.propose",
            object_type: "key_figure_proposal",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&proposal),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(proposal)
}

pub(crate) async fn get_key_figure_proposal(
    pool: &Pool<DB>,
    scope: &Scope,
    id: KeyFigureProposalId,
) -> Result<KeyFigureProposal> {
    fetch_proposal(pool, scope, id).await
}

pub(crate) async fn list_key_figure_proposals(
    pool: &Pool<DB>,
    scope: &Scope,
    org: Option<OrgId>,
    status: Option<ProposalStatus>,
    page: PageRequest,
) -> Result<Page<KeyFigureProposal>> {
    let filter = format!(
        "{} AND ($1 IS NULL OR p.org_id = $1) AND ($2 IS NULL OR p.status = $2)",
        scope_sql(scope, "p.org_id")
    );
    let org = org.map(|o| o.0);
    let status = status.map(|s| s.code());
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM key_figure_proposals p WHERE {filter}"
    )))
    .bind(org)
    .bind(status)
    .fetch_one(pool)
    .await?;
    let rows: Vec<ProposalRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROPOSAL_COLUMNS} FROM key_figure_proposals p JOIN organisations o ON o.id = p.org_id \
         WHERE {filter} ORDER BY p.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(org)
    .bind(status)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(KeyFigureProposal::try_from)
            .collect::<Result<Vec<_>>>()?,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Accepts (the figures become the organisation's, in the same transaction) or rejects an
/// open proposal. A proposal decided already is `Stale`.
pub(crate) async fn decide_key_figure_proposal(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: KeyFigureProposalId,
    accept: bool,
    note: Option<&str>,
) -> Result<KeyFigureProposal> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_proposal(&mut *tx, scope, id).await?;
    let status = if accept {
        ProposalStatus::Accepted
    } else {
        ProposalStatus::Rejected
    };
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE key_figure_proposals SET status = $1, decided_by = $2, decided_by_name = $3, decided_at_ms = $4, \
         decision_note = $5 WHERE id = $6 AND status = 'open'",
    )
    .bind(status.code())
    .bind(by.user_id.map(|u| u.0))
    .bind(&by.label)
    .bind(now)
    .bind(note)
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    if accept {
        let org_before = fetch_org(&mut *tx, scope, before.org_id).await?;
        let p = before.proposed;
        let row: OrgRow = sqlx::query_as(AssertSqlSafe(format!(
            "UPDATE organisations SET population = $1, staff = $2, it_workplaces = $3, figures_changed_at_ms = $4, \
             version = version + 1, updated_at_ms = $4 WHERE id = $5 RETURNING {ORG_COLUMNS}"
        )))
        .bind(p.population)
        .bind(p.staff)
        .bind(p.it_workplaces)
        .bind(now)
        .bind(before.org_id.0)
        .fetch_one(&mut *tx)
        .await?;
        let org_after: Organisation = row.try_into()?;
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: Some(before.org_id),
                action: "org.key_figures",
                object_type: "organisation",
                object_id: before.org_id.to_string(),
                before: to_json(&org_before),
                after: to_json(&org_after),
            },
        )
        .await?;
    }
    let after = fetch_proposal(&mut *tx, scope, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: if accept {
                "key_figures.accept"
            } else {
                "key_figures.reject"
            },
            object_type: "key_figure_proposal",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
