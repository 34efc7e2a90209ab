// Structure analysis: target objects and links (create, change, delete, list) with the
// recompute of protection needs in the same transaction. Links are in structure_links.rs, the
// recompute, needs and settings in structure_graph.rs, the reader's view of one object in
// structure_detail.rs, import and export in structure_import.rs. See `crate::structure`.

const OBJECT_SELECT: &str = "SELECT o.id, o.org_id, g.name AS org_name, g.kind AS org_kind, o.short_id, o.name, \
     o.description, o.object_type, o.owner, o.location, o.count, o.status, o.tags, o.product, o.vendor, o.version, \
     o.cpe, o.purl, o.in_cycle, o.revision, nc.effective AS eff_c, ni.effective AS eff_i, na.effective AS eff_a \
     FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
     LEFT JOIN structure_needs nc ON nc.object_id = o.id AND nc.goal = 'confidentiality' \
     LEFT JOIN structure_needs ni ON ni.object_id = o.id AND ni.goal = 'integrity' \
     LEFT JOIN structure_needs na ON na.object_id = o.id AND na.goal = 'availability'";

#[derive(sqlx::FromRow)]
struct ObjectRow {
    id: i64,
    org_id: i64,
    org_name: String,
    org_kind: String,
    short_id: String,
    name: String,
    description: Option<String>,
    object_type: String,
    owner: Option<String>,
    location: Option<String>,
    count: i64,
    status: String,
    tags: String,
    product: Option<String>,
    vendor: Option<String>,
    version: Option<String>,
    cpe: Option<String>,
    purl: Option<String>,
    in_cycle: i64,
    revision: i64,
    eff_c: Option<String>,
    eff_i: Option<String>,
    eff_a: Option<String>,
}

fn corrupt_structure(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("stored {what} is invalid").into(),
    ))
}

fn need_category(v: Option<&str>) -> Result<Option<st::Category>> {
    v.map(|c| st::Category::parse(c).map_err(|_| corrupt_structure("category")))
        .transpose()
}

impl TryFrom<ObjectRow> for st::model::TargetObject {
    type Error = StoreError;
    fn try_from(r: ObjectRow) -> Result<Self> {
        Ok(Self {
            id: StructureObjectId(r.id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            provider: r.org_kind == "provider",
            short_id: r.short_id,
            name: r.name,
            description: r.description,
            object_type: st::ObjectType::parse(&r.object_type)
                .map_err(|_| corrupt_structure("object type"))?,
            owner: r.owner,
            location: r.location,
            count: r.count,
            status: st::ObjectStatus::parse(&r.status)
                .map_err(|_| corrupt_structure("object status"))?,
            tags: from_json(&r.tags, "tags")?,
            product: r.product,
            vendor: r.vendor,
            version: r.version,
            cpe: r.cpe,
            purl: r.purl,
            in_cycle: r.in_cycle != 0,
            revision: r.revision,
            effective: st::model::NeedTriple {
                confidentiality: need_category(r.eff_c.as_deref())?,
                integrity: need_category(r.eff_i.as_deref())?,
                availability: need_category(r.eff_a.as_deref())?,
            },
        })
    }
}

/// SQL condition: object `o` is visible to `scope` — its organisation is inside, or it is a
/// provider object that an organisation inside relies on (a link from one of its objects, or a
/// contribution passed on through other provider objects).
fn visible_sql(scope: &Scope) -> String {
    if scope.is_all() {
        return "1=1".to_owned();
    }
    format!(
        "({own} OR (g.kind = 'provider' AND (EXISTS (SELECT 1 FROM structure_contributions vc WHERE vc.object_id = o.id AND {vc}) \
         OR EXISTS (SELECT 1 FROM structure_links vl JOIN structure_objects vf ON vf.id = vl.from_id WHERE vl.to_id = o.id AND {vf}))))",
        own = scope_sql(scope, "o.org_id"),
        vc = scope_sql(scope, "vc.member_org_id"),
        vf = scope_sql(scope, "vf.org_id"),
    )
}

async fn fetch_object<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    visible: &str,
    id: i64,
) -> Result<st::model::TargetObject> {
    let row: Option<ObjectRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{OBJECT_SELECT} WHERE o.id = $1 AND {visible}"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The object `id` if its organisation lies in the write scope.
async fn fetch_writable(tx: &mut Tx, write: &Scope, id: i64) -> Result<st::model::TargetObject> {
    fetch_object(&mut **tx, &scope_sql(write, "o.org_id"), id).await
}

pub(crate) async fn list_structure_objects(
    pool: &Pool<DB>,
    scope: &Scope,
    filter: &st::model::ObjectFilter,
    page: PageRequest,
) -> Result<Page<st::model::TargetObject>> {
    let cond = format!(
        "{} AND ($1 IS NULL OR o.org_id = $1) AND ($2 IS NULL OR o.object_type = $2) \
         AND ($3 IS NULL OR LOWER(o.name) LIKE $3 ESCAPE '\\' OR LOWER(o.short_id) LIKE $3 ESCAPE '\\') AND {}",
        visible_sql(scope),
        if filter.providers_only {
            "g.kind = 'provider'"
        } else {
            "1=1"
        }
    );
    let org = filter.org.map(|o| o.0);
    let t = filter.object_type.map(|t| t.code());
    let pattern = like_pattern(filter.search.as_deref());
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM structure_objects o JOIN organisations g ON g.id = o.org_id WHERE {cond}"
    )))
    .bind(org)
    .bind(t)
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let rows: Vec<ObjectRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{OBJECT_SELECT} WHERE {cond} ORDER BY g.kind = 'provider', g.name, o.short_id, o.id LIMIT $4 OFFSET $5"
    )))
    .bind(org)
    .bind(t)
    .bind(&pattern)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(st::model::TargetObject::try_from)
            .collect::<Result<Vec<_>>>()?,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn get_structure_object(
    pool: &Pool<DB>,
    scope: &Scope,
    id: StructureObjectId,
) -> Result<st::model::TargetObject> {
    fetch_object(pool, &visible_sql(scope), id.0).await
}

fn tags_json(tags: &[String]) -> Result<String> {
    json_text(&tags)
}

async fn insert_object(tx: &mut Tx, org: OrgId, input: &st::ObjectInput) -> Result<i64> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO structure_objects (org_id, short_id, name, description, object_type, owner, location, count, status, \
         tags, product, vendor, version, cpe, purl, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(org.0)
    .bind(input.short_id.as_str())
    .bind(&input.name)
    .bind(&input.description)
    .bind(input.object_type.code())
    .bind(&input.owner)
    .bind(&input.location)
    .bind(input.count)
    .bind(input.status.code())
    .bind(tags_json(&input.tags)?)
    .bind(&input.product)
    .bind(&input.vendor)
    .bind(&input.version)
    .bind(&input.cpe)
    .bind(&input.purl)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique(e, "short_id"))?;
    for goal in st::Goal::EACH {
        sqlx::query("INSERT INTO structure_needs (object_id, goal) VALUES ($1, $2)")
            .bind(id)
            .bind(goal.code())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

async fn update_object_row(
    tx: &mut Tx,
    id: i64,
    revision: Option<i64>,
    input: &st::ObjectInput,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE structure_objects SET short_id = $1, name = $2, description = $3, object_type = $4, owner = $5, \
         location = $6, count = $7, status = $8, tags = $9, product = $10, vendor = $11, version = $12, cpe = $13, \
         purl = $14, revision = revision + 1, updated_at_ms = $15 WHERE id = $16 AND ($17 IS NULL OR revision = $17)",
    )
    .bind(input.short_id.as_str())
    .bind(&input.name)
    .bind(&input.description)
    .bind(input.object_type.code())
    .bind(&input.owner)
    .bind(&input.location)
    .bind(input.count)
    .bind(input.status.code())
    .bind(tags_json(&input.tags)?)
    .bind(&input.product)
    .bind(&input.vendor)
    .bind(&input.version)
    .bind(&input.cpe)
    .bind(&input.purl)
    .bind(now_ms())
    .bind(id)
    .bind(revision)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::unique(e, "short_id"))?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

pub(crate) async fn create_structure_object(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    input: &st::ObjectInput,
) -> Result<st::model::TargetObject> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let id = insert_object(&mut tx, org, input).await?;
    let after = fetch_writable(&mut tx, write, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "structure.object.create",
            object_type: "structure_object",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn update_structure_object(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: StructureObjectId,
    revision: Option<i64>,
    input: &st::ObjectInput,
) -> Result<st::model::TargetObject> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_writable(&mut tx, write, id.0).await?;
    update_object_row(&mut tx, id.0, revision, input).await?;
    let after = fetch_writable(&mut tx, write, id.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "structure.object.update",
            object_type: "structure_object",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_structure_object(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: StructureObjectId,
) -> Result<st::model::TargetObject> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_writable(&mut tx, write, id.0).await?;
    // Whatever inherited from the object must be recomputed once it is gone.
    let config = load_structure_settings(&mut tx).await?.propagation;
    let touching = links_touching(&mut tx, &[id.0]).await?;
    let successors: Vec<i64> = touching
        .iter()
        .filter_map(|&(f, t, lt)| config.flow(lt, f, t))
        .filter(|&(src, dst)| src == id.0 && dst != id.0)
        .map(|(_, dst)| dst)
        .collect();
    sqlx::query("DELETE FROM structure_objects WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    recompute_structure(&mut tx, &successors).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "structure.object.delete",
            object_type: "structure_object",
            object_id: id.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

/// Links with one end in `ids`: (from, to, type).
async fn links_touching(tx: &mut Tx, ids: &[i64]) -> Result<Vec<(i64, i64, st::LinkType)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let list = id_list(chunk);
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT from_id, to_id, link_type FROM structure_links WHERE from_id IN ({list}) OR to_id IN ({list})"
        )))
        .fetch_all(&mut **tx)
        .await?;
        for (f, t, lt) in rows {
            out.push((
                f,
                t,
                st::LinkType::parse(&lt).map_err(|_| corrupt_structure("link type"))?,
            ));
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
