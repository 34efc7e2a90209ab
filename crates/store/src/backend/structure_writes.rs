// Writing what a recompute changed, set-based: one statement per batch of rows instead of one
// per row. A full recompute of a member with 2,000 objects may change 6,000 need rows, and a
// change reaching a provider object shared by 11,000 members changes as many contributions;
// one round trip per row made these take seconds on PostgreSQL.

/// Need rows per `UPDATE … FROM (VALUES …)` (9 parameters each).
const NEED_WRITE_BATCH: usize = 500;
/// Contribution rows per multi-row upsert (5 parameters each).
const CONTRIBUTION_BATCH: usize = 1000;
/// Ids per `IN (…)` list.
const ID_BATCH: usize = 1000;

/// One computed need row (object, goal) as it is to be stored.
struct NeedWrite {
    object_id: i64,
    goal: &'static str,
    calculated: Option<&'static str>,
    effective: Option<&'static str>,
    own: i64,
    stale: i64,
    origin_kind: &'static str,
    origin_object_id: Option<i64>,
    origin_link_type: Option<&'static str>,
}

impl NeedWrite {
    /// Whether the stored row already holds these values (then nothing is written).
    fn matches(&self, r: &NeedRow) -> bool {
        r.calculated.as_deref() == self.calculated
            && r.effective.as_deref() == self.effective
            && r.own == self.own
            && r.stale == self.stale
            && r.origin_kind == self.origin_kind
            && r.origin_object_id == self.origin_object_id
            && r.origin_link_type.as_deref() == self.origin_link_type
    }
}

/// Everything a recompute changes, collected first and written in batches.
#[derive(Default)]
struct StructureWrites {
    needs: Vec<NeedWrite>,
    /// (object, now on a cycle)
    cycle: Vec<(i64, bool)>,
    /// (provider object, member, C, I, A) to insert or overwrite
    contribution_upserts: Vec<(i64, i64, st::PerGoal<Option<&'static str>>)>,
    /// (provider object, member) no longer contributing
    contribution_deletes: Vec<(i64, i64)>,
}

impl StructureWrites {
    /// Records the difference between a provider object's stored and new contributions (both
    /// sorted by member): only members whose contribution changed are written.
    fn contributions(
        &mut self,
        object: i64,
        old: &[(i64, st::PerGoal<Option<st::Category>>)],
        new: &[(i64, st::PerGoal<Option<st::Category>>)],
    ) {
        let old_map: std::collections::HashMap<i64, &st::PerGoal<Option<st::Category>>> =
            old.iter().map(|(o, v)| (*o, v)).collect();
        let new_orgs: std::collections::HashSet<i64> = new.iter().map(|(o, _)| *o).collect();
        for (org, v) in new {
            if old_map.get(org) != Some(&v) {
                self.contribution_upserts.push((
                    object,
                    *org,
                    v.map(|c| c.map(st::Category::code)),
                ));
            }
        }
        for (org, _) in old {
            if !new_orgs.contains(org) {
                self.contribution_deletes.push((object, *org));
            }
        }
    }

    async fn apply(self, tx: &mut Tx) -> Result<()> {
        for chunk in self.needs.chunks(NEED_WRITE_BATCH) {
            write_need_batch(tx, chunk).await?;
        }
        for flag in [true, false] {
            let ids: Vec<i64> = self
                .cycle
                .iter()
                .filter(|(_, c)| *c == flag)
                .map(|(id, _)| *id)
                .collect();
            for chunk in ids.chunks(ID_BATCH) {
                sqlx::query(AssertSqlSafe(format!(
                    "UPDATE structure_objects SET in_cycle = {} WHERE id IN ({})",
                    i64::from(flag),
                    id_list(chunk)
                )))
                .execute(&mut **tx)
                .await?;
            }
        }
        let mut deletes: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for (object, org) in self.contribution_deletes {
            deletes.entry(object).or_default().push(org);
        }
        for (object, orgs) in deletes {
            for chunk in orgs.chunks(ID_BATCH) {
                sqlx::query(AssertSqlSafe(format!(
                    "DELETE FROM structure_contributions WHERE object_id = $1 AND member_org_id IN ({})",
                    id_list(chunk)
                )))
                .bind(object)
                .execute(&mut **tx)
                .await?;
            }
        }
        for chunk in self.contribution_upserts.chunks(CONTRIBUTION_BATCH) {
            let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
                "INSERT INTO structure_contributions (object_id, member_org_id, confidentiality, integrity, availability) ",
            );
            qb.push_values(chunk, |mut b, (object, org, v)| {
                b.push_bind(*object)
                    .push_bind(*org)
                    .push_bind(v[0])
                    .push_bind(v[1])
                    .push_bind(v[2]);
            });
            qb.push(
                " ON CONFLICT (object_id, member_org_id) DO UPDATE SET confidentiality = excluded.confidentiality, \
                 integrity = excluded.integrity, availability = excluded.availability",
            );
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// One `UPDATE … FROM (VALUES …)` for a batch of need rows. The casts give PostgreSQL the
/// column types of the VALUES list (its parameters are untyped otherwise); SQLite ignores
/// them in effect. Both name the columns of a VALUES list `column1`, `column2`, …
async fn write_need_batch(tx: &mut Tx, rows: &[NeedWrite]) -> Result<()> {
    let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
        "UPDATE structure_needs SET calculated = v.column3, effective = v.column4, own = v.column5, \
         stale = v.column6, origin_kind = v.column7, origin_object_id = v.column8, origin_link_type = v.column9 \
         FROM (VALUES ",
    );
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push("(CAST(")
            .push_bind(r.object_id)
            .push(" AS BIGINT), CAST(")
            .push_bind(r.goal)
            .push(" AS TEXT), CAST(")
            .push_bind(r.calculated)
            .push(" AS TEXT), CAST(")
            .push_bind(r.effective)
            .push(" AS TEXT), CAST(")
            .push_bind(r.own)
            .push(" AS BIGINT), CAST(")
            .push_bind(r.stale)
            .push(" AS BIGINT), CAST(")
            .push_bind(r.origin_kind)
            .push(" AS TEXT), CAST(")
            .push_bind(r.origin_object_id)
            .push(" AS BIGINT), CAST(")
            .push_bind(r.origin_link_type)
            .push(" AS TEXT))");
    }
    qb.push(
        ") AS v WHERE structure_needs.object_id = v.column1 AND structure_needs.goal = v.column2",
    );
    qb.build().execute(&mut **tx).await?;
    Ok(())
}
