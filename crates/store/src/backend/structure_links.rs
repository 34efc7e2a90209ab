// Structure analysis: dependency links (list, add, remove, the objects a link may point to),
// each change recomputing the needs downstream in its transaction. See `structure.rs`.

const LINK_SELECT: &str = "SELECT l.id, l.link_type, \
     f.id AS f_id, f.org_id AS f_org, fg.kind = 'provider' AS f_provider, f.short_id AS f_short, f.name AS f_name, f.object_type AS f_type, \
     t.id AS t_id, t.org_id AS t_org, tg.kind = 'provider' AS t_provider, t.short_id AS t_short, t.name AS t_name, t.object_type AS t_type \
     FROM structure_links l JOIN structure_objects f ON f.id = l.from_id JOIN organisations fg ON fg.id = f.org_id \
     JOIN structure_objects t ON t.id = l.to_id JOIN organisations tg ON tg.id = t.org_id";

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: i64,
    link_type: String,
    f_id: i64,
    f_org: i64,
    f_provider: bool,
    f_short: String,
    f_name: String,
    f_type: String,
    t_id: i64,
    t_org: i64,
    t_provider: bool,
    t_short: String,
    t_name: String,
    t_type: String,
}

fn object_ref(
    id: i64,
    org: i64,
    provider: bool,
    short_id: String,
    name: String,
    t: &str,
) -> Result<st::model::ObjectRef> {
    Ok(st::model::ObjectRef {
        id: StructureObjectId(id),
        org_id: OrgId(org),
        provider,
        short_id,
        name,
        object_type: st::ObjectType::parse(t).map_err(|_| corrupt_structure("object type"))?,
    })
}

fn link_of(r: LinkRow, config: &st::PropagationConfig) -> Result<st::model::Link> {
    let link_type =
        st::LinkType::parse(&r.link_type).map_err(|_| corrupt_structure("link type"))?;
    Ok(st::model::Link {
        id: StructureLinkId(r.id),
        from: object_ref(
            r.f_id,
            r.f_org,
            r.f_provider,
            r.f_short,
            r.f_name,
            &r.f_type,
        )?,
        to: object_ref(
            r.t_id,
            r.t_org,
            r.t_provider,
            r.t_short,
            r.t_name,
            &r.t_type,
        )?,
        link_type,
        passes_needs: config.direction(link_type) != st::Direction::None,
    })
}

/// Links matching `cond` (SQL over `l`, `f`, `t`), ordered by the ends' short ids.
async fn select_links<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    cond: &str,
    config: &st::PropagationConfig,
) -> Result<Vec<st::model::Link>> {
    let rows: Vec<LinkRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{LINK_SELECT} WHERE {cond} ORDER BY f.short_id, t.short_id, l.link_type, l.id LIMIT 5000"
    )))
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(|r| link_of(r, config)).collect()
}

pub(crate) async fn list_structure_links(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<Vec<st::model::Link>> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let config = load_structure_settings(&mut tx).await?.propagation;
    let links = select_links(&mut *tx, &format!("f.org_id = {}", org.0), &config).await?;
    tx.commit().await?;
    Ok(links)
}

pub(crate) async fn get_structure_link(
    pool: &Pool<DB>,
    scope: &Scope,
    id: StructureLinkId,
) -> Result<st::model::Link> {
    let mut tx = begin_snapshot(pool).await?;
    let config = load_structure_settings(&mut tx).await?.propagation;
    let link = select_links(
        &mut *tx,
        &format!("l.id = {} AND {}", id.0, scope_sql(scope, "f.org_id")),
        &config,
    )
    .await?
    .pop()
    .ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(link)
}

pub(crate) async fn create_structure_link(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    link: &st::LinkInput,
) -> Result<st::model::Link> {
    let mut tx = begin_write(pool).await?;
    let from = fetch_writable(&mut tx, write, link.from).await?;
    // The target is the member's own object or any provider object of the federation (what a
    // member may start to rely on); another member's object stays invisible.
    let target_ok: Option<i64> = sqlx::query_scalar(
        "SELECT o.id FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
         WHERE o.id = $1 AND (o.org_id = $2 OR g.kind = 'provider')",
    )
    .bind(link.to)
    .bind(from.org_id.0)
    .fetch_optional(&mut *tx)
    .await?;
    if target_ok.is_none() {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single("to", "error-link-target"),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO structure_links (from_id, to_id, link_type, created_at_ms) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(link.from)
    .bind(link.to)
    .bind(link.link_type.code())
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "to"))?;
    recompute_structure(&mut tx, &[link.from, link.to]).await?;
    let config = load_structure_settings(&mut tx).await?.propagation;
    let created = select_links(&mut *tx, &format!("l.id = {id}"), &config)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(from.org_id),
            action: "structure.link.create",
            object_type: "structure_link",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&created),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub(crate) async fn delete_structure_link(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: StructureLinkId,
) -> Result<st::model::Link> {
    let mut tx = begin_write(pool).await?;
    let config = load_structure_settings(&mut tx).await?.propagation;
    let link = select_links(
        &mut *tx,
        &format!("l.id = {} AND {}", id.0, scope_sql(write, "f.org_id")),
        &config,
    )
    .await?
    .pop()
    .ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM structure_links WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    recompute_structure(&mut tx, &[link.from.id.0, link.to.id.0]).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(link.from.org_id),
            action: "structure.link.delete",
            object_type: "structure_link",
            object_id: id.to_string(),
            before: to_json(&link),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// Objects a link from an object of `org` may point to: the organisation's own and every
/// provider object (short reference only, no needs), ordered provider last.
pub(crate) async fn structure_link_targets(
    pool: &Pool<DB>,
    write: &Scope,
    org: OrgId,
) -> Result<Vec<st::model::ObjectRef>> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(i64, i64, bool, String, String, String)> = sqlx::query_as(
        "SELECT o.id, o.org_id, g.kind = 'provider', o.short_id, o.name, o.object_type FROM structure_objects o \
         JOIN organisations g ON g.id = o.org_id WHERE o.org_id = $1 OR g.kind = 'provider' \
         ORDER BY g.kind = 'provider', o.short_id, o.id LIMIT 5000",
    )
    .bind(org.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, o, p, s, n, t)| object_ref(id, o, p, s, n, &t))
        .collect()
}
