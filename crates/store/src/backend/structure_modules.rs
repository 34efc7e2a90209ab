// Modelling: modules (a catalog's top-level nodes) assigned to target objects, the modelling
// rows of a member, and the federation's suggestion rules. Visibility follows the objects
// (`visible_sql` in structure.rs). See `crate::structure_modules`.

const ASSIGNMENT_SELECT: &str = "SELECT m.id, m.object_id, o.org_id, m.catalog_id, c.name AS catalog_name, m.node_id, \
     n.ref_id, n.name AS node_name, m.assigned_by, m.assigned_at_ms \
     FROM structure_modules m JOIN structure_objects o ON o.id = m.object_id \
     JOIN organisations g ON g.id = o.org_id JOIN catalogs c ON c.id = m.catalog_id \
     JOIN catalog_nodes n ON n.id = m.node_id";

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: i64,
    object_id: i64,
    org_id: i64,
    catalog_id: i64,
    catalog_name: String,
    node_id: i64,
    ref_id: Option<String>,
    node_name: Option<String>,
    assigned_by: String,
    assigned_at_ms: i64,
}

impl From<AssignmentRow> for st::modelling::Assignment {
    fn from(r: AssignmentRow) -> Self {
        Self {
            id: r.id,
            object_id: StructureObjectId(r.object_id),
            org_id: OrgId(r.org_id),
            module: st::modelling::Module {
                catalog_id: CatalogId(r.catalog_id),
                catalog_name: r.catalog_name,
                node_id: r.node_id,
                ref_id: r.ref_id.unwrap_or_default(),
                name: r.node_name,
            },
            assigned_by: r.assigned_by,
            assigned_at_ms: r.assigned_at_ms,
        }
    }
}

/// A module as read: catalog id and name, node id, reference, title.
type ModuleTuple = (i64, String, i64, Option<String>, Option<String>);

/// The modules of the newest revision of every catalog: top-level nodes with a reference, in
/// catalog and document order.
pub(crate) async fn catalog_modules(pool: &Pool<DB>) -> Result<Vec<st::modelling::Module>> {
    let rows: Vec<ModuleTuple> = sqlx::query_as(
        "SELECT c.id, c.name, n.id, n.ref_id, n.name FROM catalog_nodes n JOIN catalogs c ON c.id = n.catalog_id \
         WHERE n.parent_urn IS NULL AND n.ref_id IS NOT NULL \
         AND c.revision = (SELECT MAX(c2.revision) FROM catalogs c2 WHERE c2.federation_id = c.federation_id AND c2.urn = c.urn) \
         ORDER BY c.name, c.id, n.position",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(catalog_id, catalog_name, node_id, ref_id, name)| st::modelling::Module {
                catalog_id: CatalogId(catalog_id),
                catalog_name,
                node_id,
                ref_id: ref_id.unwrap_or_default(),
                name,
            },
        )
        .collect())
}

async fn fetch_assignment<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    cond: &str,
    id: i64,
) -> Result<st::modelling::Assignment> {
    let row: Option<AssignmentRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{ASSIGNMENT_SELECT} WHERE m.id = $1 AND {cond}"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    Ok(row.ok_or(StoreError::NotFound)?.into())
}

pub(crate) async fn get_module_assignment(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<st::modelling::Assignment> {
    fetch_assignment(pool, &visible_sql(scope), id).await
}

/// The modules of a visible object (NotFound for an object the reader cannot see).
pub(crate) async fn object_module_assignments(
    pool: &Pool<DB>,
    scope: &Scope,
    object: StructureObjectId,
) -> Result<Vec<st::modelling::Assignment>> {
    let mut tx = begin_snapshot(pool).await?;
    let visible = visible_sql(scope);
    fetch_object(&mut *tx, &visible, object.0).await?;
    let rows: Vec<AssignmentRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{ASSIGNMENT_SELECT} WHERE m.object_id = $1 AND {visible} ORDER BY c.name, c.id, n.position"
    )))
    .bind(object.0)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub(crate) async fn assign_module(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    object: StructureObjectId,
    node_id: i64,
) -> Result<st::modelling::Assignment> {
    let mut tx = begin_write(pool).await?;
    let o = fetch_writable(&mut tx, write, object.0).await?;
    let catalog: Option<i64> = sqlx::query_scalar(
        "SELECT catalog_id FROM catalog_nodes WHERE id = $1 AND parent_urn IS NULL AND ref_id IS NOT NULL",
    )
    .bind(node_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(catalog) = catalog else {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single("module", "error-module-unknown"),
        ));
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO structure_modules (object_id, catalog_id, node_id, assigned_at_ms, assigned_by) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(object.0)
    .bind(catalog)
    .bind(node_id)
    .bind(now_ms())
    .bind(&by.label)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "module"))?;
    activate_check_rows(&mut tx, object.0, node_id).await?;
    let after = fetch_assignment(&mut *tx, "1=1", id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(o.org_id),
            action: "structure.module.assign",
            object_type: "structure_object",
            object_id: object.0.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn unassign_module(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: i64,
) -> Result<st::modelling::Assignment> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_assignment(&mut *tx, &scope_sql(write, "o.org_id"), id).await?;
    sqlx::query("DELETE FROM structure_modules WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    deactivate_check_rows(&mut tx, before.object_id.0, before.module.node_id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "structure.module.unassign",
            object_type: "structure_object",
            object_id: before.object_id.0.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

#[derive(sqlx::FromRow)]
struct ModelledRow {
    id: i64,
    org_id: i64,
    org_name: String,
    short_id: String,
    name: String,
    object_type: String,
    tags: String,
    product: Option<String>,
    vendor: Option<String>,
    cpe: Option<String>,
}

/// The own objects of `org` (or, with `None`, of every organisation in `scope`) with the
/// references of their modules, by organisation and short id.
pub(crate) async fn modelled_objects(
    pool: &Pool<DB>,
    scope: &Scope,
    org: Option<OrgId>,
) -> Result<Vec<st::modelling::ModelledObject>> {
    let cond = format!(
        "{} AND ($1 IS NULL OR o.org_id = $1)",
        scope_sql(scope, "o.org_id")
    );
    let org = org.map(|o| o.0);
    let mut tx = begin_snapshot(pool).await?;
    let rows: Vec<ModelledRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT o.id, o.org_id, g.name AS org_name, o.short_id, o.name, o.object_type, o.tags, o.product, o.vendor, o.cpe \
         FROM structure_objects o JOIN organisations g ON g.id = o.org_id WHERE {cond} ORDER BY g.name, o.org_id, o.short_id, o.id"
    )))
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    let assigned: Vec<(i64, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT m.object_id, n.ref_id FROM structure_modules m JOIN structure_objects o ON o.id = m.object_id \
         JOIN catalog_nodes n ON n.id = m.node_id JOIN catalogs c ON c.id = m.catalog_id \
         WHERE {cond} ORDER BY m.object_id, c.name, c.id, n.position"
    )))
    .bind(org)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut by_object: std::collections::HashMap<i64, Vec<String>> =
        std::collections::HashMap::new();
    for (object, ref_id) in assigned {
        by_object
            .entry(object)
            .or_default()
            .push(ref_id.unwrap_or_default());
    }
    rows.into_iter()
        .map(|r| {
            Ok(st::modelling::ModelledObject {
                id: StructureObjectId(r.id),
                org_id: OrgId(r.org_id),
                org_name: r.org_name,
                short_id: r.short_id,
                name: r.name,
                object_type: st::ObjectType::parse(&r.object_type)
                    .map_err(|_| corrupt_structure("object type"))?,
                tags: from_json(&r.tags, "tags")?,
                product: r.product,
                vendor: r.vendor,
                cpe: r.cpe,
                modules: by_object.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The rules of the (only) federation; the built-in defaults when none were saved.
async fn load_module_rules(tx: &mut Tx) -> Result<st::modelling::ModuleRules> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT r.rules_json FROM structure_module_rules r JOIN federations f ON f.id = r.federation_id ORDER BY f.id LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    json.map_or_else(|| Ok(Default::default()), |j| from_json(&j, "module rules"))
}

pub(crate) async fn module_rules(pool: &Pool<DB>) -> Result<st::modelling::ModuleRules> {
    let mut tx = begin_snapshot(pool).await?;
    let r = load_module_rules(&mut tx).await?;
    tx.commit().await?;
    Ok(r)
}

pub(crate) async fn save_module_rules(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    rules: &st::modelling::ModuleRules,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let before = load_module_rules(&mut tx).await?;
    sqlx::query(
        "INSERT INTO structure_module_rules (federation_id, rules_json, updated_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (federation_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(federation.0)
    .bind(json_text(rules)?)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "structure.module_rules.update",
            object_type: "structure_module_rules",
            object_id: federation.0.to_string(),
            before: to_json(&before),
            after: to_json(rules),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
