const INVITATION_SELECT: &str = "SELECT i.id, i.user_id, i.org_id, o.name, i.role, i.email, i.invited_by_label, i.status, i.created_at_ms, i.decided_at_ms \
     FROM role_invitations i JOIN organisations o ON o.id = i.org_id";

type InvitationRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);

fn invitation_from_row(r: InvitationRow) -> Result<Invitation> {
    Ok(Invitation {
        id: InvitationId(r.0),
        user_id: UserId(r.1),
        org_id: OrgId(r.2),
        org_name: r.3,
        role: Role::parse(&r.4)
            .map_err(|_| StoreError::Db(sqlx::Error::Decode("stored role is invalid".into())))?,
        email: r.5,
        invited_by: r.6,
        status: InvitationStatus::parse(&r.7).ok_or_else(|| {
            StoreError::Db(sqlx::Error::Decode(
                "stored invitation status is invalid".into(),
            ))
        })?,
        created_at_ms: r.8,
        decided_at_ms: r.9,
    })
}

/// What the inviting member's audit entries show of an invitation: never the account.
fn invitation_audit(i: &Invitation) -> serde_json::Value {
    serde_json::json!({
        "id": i.id,
        "email": i.email,
        "org_id": i.org_id,
        "role": i.role,
        "status": i.status.code(),
    })
}

async fn fetch_invitation(tx: &mut Tx, id: i64) -> Result<Invitation> {
    let row: InvitationRow = sqlx::query_as(AssertSqlSafe(format!(
        "{INVITATION_SELECT} WHERE i.id = $1"
    )))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    invitation_from_row(row)
}

pub(crate) async fn invite(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    new: &NewInvitation,
) -> Result<Invitation> {
    let mut tx = begin_write(pool).await?;
    fetch_org(&mut *tx, scope, new.org).await?;
    let email = new.user.email.as_str();
    // Both paths write one installation-level entry (visible to the office only) before the
    // invitation's own, so the inviting member's audit log looks the same either way.
    let created: Option<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO users (email, display_name, password_hash, locale, created_at_ms) VALUES ($1, $2, $3, 'de', $4) \
         ON CONFLICT (email) DO NOTHING RETURNING {USER_COLUMNS}"
    )))
    .bind(email)
    .bind(&new.user.display_name)
    .bind(new.password_hash.as_deref())
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = match created {
        Some(row) => {
            let u: User = row.into();
            append_audit(
                &mut tx,
                by,
                Change {
                    org_id: None,
                    action: "user.create",
                    object_type: "user",
                    object_id: u.id.to_string(),
                    before: serde_json::Value::Null,
                    after: to_json(&u),
                },
            )
            .await?;
            u.id
        }
        None => {
            let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&mut *tx)
                .await?;
            append_audit(
                &mut tx,
                by,
                Change {
                    org_id: None,
                    action: "invitation.existing_account",
                    object_type: "user",
                    object_id: id.to_string(),
                    before: serde_json::Value::Null,
                    after: serde_json::json!({"invited_to": new.org, "role": new.role}),
                },
            )
            .await?;
            UserId(id)
        }
    };
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO role_invitations (user_id, org_id, role, email, invited_by_user_id, invited_by_label, status, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(user_id.0)
    .bind(new.org.0)
    .bind(new.role.code())
    .bind(email)
    .bind(by.user_id.map(|u| u.0))
    .bind(&by.label)
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    let (id, action) = match inserted {
        Some(id) => (id, "invitation.create"),
        // The same role is offered already: the pending invitation stands.
        None => (
            sqlx::query_scalar(
                "SELECT id FROM role_invitations WHERE user_id = $1 AND org_id = $2 AND role = $3 AND status = 'pending'",
            )
            .bind(user_id.0)
            .bind(new.org.0)
            .bind(new.role.code())
            .fetch_one(&mut *tx)
            .await?,
            "invitation.repeat",
        ),
    };
    let invitation = fetch_invitation(&mut tx, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(new.org),
            action,
            object_type: "invitation",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: invitation_audit(&invitation),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(invitation)
}

pub(crate) async fn list_invitations(pool: &Pool<DB>, scope: &Scope) -> Result<Vec<Invitation>> {
    let rows: Vec<InvitationRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{INVITATION_SELECT} WHERE {} ORDER BY i.id DESC LIMIT 500",
        scope_sql(scope, "i.org_id")
    )))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(invitation_from_row).collect()
}

pub(crate) async fn own_invitations(pool: &Pool<DB>, user: UserId) -> Result<Vec<Invitation>> {
    let rows: Vec<InvitationRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{INVITATION_SELECT} WHERE i.user_id = $1 AND i.status = 'pending' ORDER BY i.id"
    )))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(invitation_from_row).collect()
}

pub(crate) async fn decide_invitation(
    pool: &Pool<DB>,
    by: &AuditActor,
    user: UserId,
    id: InvitationId,
    accept: bool,
) -> Result<(Invitation, Option<UserGrant>)> {
    let mut tx = begin_write(pool).await?;
    let status = if accept {
        InvitationStatus::Accepted
    } else {
        InvitationStatus::Declined
    };
    // Only the invited account decides, and only once.
    let n = sqlx::query(
        "UPDATE role_invitations SET status = $1, decided_at_ms = $2 \
         WHERE id = $3 AND user_id = $4 AND status = 'pending'",
    )
    .bind(status.code())
    .bind(now_ms())
    .bind(id.0)
    .bind(user.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    let invitation = fetch_invitation(&mut tx, id.0).await?;
    let mut before = invitation_audit(&invitation);
    before["status"] = serde_json::json!(InvitationStatus::Pending.code());
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(invitation.org_id),
            action: if accept {
                "invitation.accept"
            } else {
                "invitation.decline"
            },
            object_type: "invitation",
            object_id: id.to_string(),
            before,
            after: invitation_audit(&invitation),
        },
    )
    .await?;
    let grant = if accept {
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM role_assignments WHERE user_id = $1 AND org_id = $2 AND role = $3",
        )
        .bind(user.0)
        .bind(invitation.org_id.0)
        .bind(invitation.role.code())
        .fetch_optional(&mut *tx)
        .await?;
        Some(match held {
            Some(g) => {
                fetch_grant(
                    &mut *tx,
                    &Scope::system(&SystemAccess::for_reason("the accepted role")),
                    RoleAssignmentId(g),
                )
                .await?
            }
            None => insert_grant(&mut tx, by, user, invitation.org_id, invitation.role).await?,
        })
    } else {
        None
    };
    tx.commit().await?;
    Ok((invitation, grant))
}
