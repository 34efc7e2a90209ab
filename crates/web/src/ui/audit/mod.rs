//! The audit log page (office: all members; members: their own organisation): filters by
//! organisation, person, period, kind of change and object, and the CSV export of the
//! filtered log.

mod describe;

pub use describe::{Described, describe};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use verbund_app::audit::{self, AuditQuery};
use verbund_domain::authz::Permission;
use verbund_domain::page::{Page, PageRequest};

use super::users::OrgOption;
use super::{FormErrors, Layout, fmt_ms, render, render_invalid};
use crate::AppState;
use crate::context::CurrentUser;
use crate::download::{Download, FileOut};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

/// The kinds of change the log writes, in the order the filter offers them.
pub const KINDS: &[&str] = &[
    "org.create",
    "org.update",
    "membership.create",
    "membership.update",
    "membership.delete",
    "user.create",
    "user.update",
    "user.password",
    "user.password_reset_link",
    "user.password_reset",
    "role.grant",
    "role.revoke",
    "token.create",
    "token.revoke",
    "catalog.import",
    "assessment.start",
    "answer.update",
    "answer.bulk_update",
    "snapshot.create",
    "evidence.add",
    "evidence.delete",
    "budget.create",
    "budget.update",
    "budget.delete",
    "subsidy.create",
    "subsidy.delete",
    "cost_key.create",
    "statement.issue",
    "key_figures.propose",
    "settings.update",
    "structure.object.create",
    "structure.object.update",
    "structure.object.delete",
    "structure.link.create",
    "structure.link.delete",
    "structure.need.set",
    "structure.import",
    "structure.settings.update",
    "structure.module.assign",
    "structure.module.unassign",
    "structure.module_rules.update",
    "risk.create",
    "risk.update",
    "risk.accept",
    "risk.delete",
    "risk.measure.link",
    "risk.measure.unlink",
    "risk.matrix.update",
    "risk.threat.create",
    "logo.update",
    "logo.delete",
];

/// The kinds of object the log names.
pub const OBJECTS: &[&str] = &[
    "organisation",
    "membership",
    "user",
    "role_assignment",
    "api_token",
    "catalog",
    "assessment",
    "assessment_answer",
    "assessment_snapshot",
    "evidence",
    "budget_line",
    "subsidy",
    "cost_key",
    "cost_statement",
    "key_figure_proposal",
    "federation_settings",
    "structure_object",
    "structure_link",
    "structure_settings",
    "structure_module_rules",
    "risk",
    "risk_matrix",
    "threat",
    "logo",
];

/// An entry with its time and organisation as shown.
pub struct Row {
    pub d: Described,
    pub when: String,
    pub org: String,
}

/// A choice in a filter list.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    rows: Vec<Row>,
    page: Page<()>,
    orgs: Vec<OrgOption>,
    people: Vec<Choice>,
    kinds: Vec<Choice>,
    objects: Vec<Choice>,
    q: AuditQuery,
    errors: FormErrors,
    pager_extra: String,
    export_href: String,
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// The filters as a query string (for the pager and the export link).
fn query_string(q: &AuditQuery) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    [
        ("org", &q.org),
        ("person", &q.person),
        ("from", &q.from),
        ("to", &q.to),
        ("kind", &q.kind),
        ("object", &q.object),
        ("object_id", &q.object_id),
    ]
    .iter()
    .filter(|(_, v)| !text(v).trim().is_empty())
    .map(|(k, v)| format!("&{k}={}", enc(text(v).trim())))
    .collect()
}

fn choices(lang: Lang, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: (*c).to_owned(),
            label: lang.t(&format!("{prefix}{}", c.replace('.', "-"))),
        })
        .collect()
}

pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let lang = cu.ctx.lang;
    let orgs: Vec<OrgOption> = verbund_app::orgs::choices(&st, cu.actor(), Permission::ReadAudit)
        .await?
        .into_iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name,
        })
        .collect();
    let people = audit::people(&st, cu.actor())
        .await?
        .into_iter()
        .map(|(id, label)| Choice {
            value: id.to_string(),
            label,
        })
        .collect();
    let (filter, errors) = match q.filter() {
        Ok(f) => (Some(f), FormErrors::default()),
        Err(verbund_app::Error::Invalid(v)) => (None, FormErrors::from(v)),
        Err(e) => return Err(e.into()),
    };
    let (rows, page) = match &filter {
        Some(f) => {
            let entries =
                audit::list_audit_filtered(&st, cu.actor(), f, PageRequest::new(q.page, Some(25)))
                    .await?;
            let reqs = audit::requirements(&st, cu.actor(), &entries.items).await?;
            let page = Page {
                items: vec![],
                page: entries.page,
                per_page: entries.per_page,
                total: entries.total,
            };
            (describe(lang, &entries.items, &reqs), page)
        }
        None => (
            vec![],
            Page {
                items: vec![],
                page: 1,
                per_page: 25,
                total: 0,
            },
        ),
    };
    let rows = rows
        .into_iter()
        .map(|d| Row {
            when: fmt_ms(d.at_ms),
            org: d
                .org_id
                .and_then(|i| orgs.iter().find(|o| o.id.0 == i))
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "–".into()),
            d,
        })
        .collect();
    let extra = query_string(&q);
    let page_html = AuditPage {
        l: Layout::user(&cu, "audit-title", "audit"),
        rows,
        page,
        orgs,
        people,
        kinds: choices(lang, "action-", KINDS),
        objects: choices(lang, "audit-entity-", OBJECTS),
        export_href: format!("/audit/export?{}", extra.trim_start_matches('&')),
        pager_extra: extra,
        errors,
        q,
    };
    Ok(if page_html.errors.any() {
        render_invalid(&page_html)
    } else {
        render(&page_html)
    })
}

/// A CSV cell: quoted, and text that a spreadsheet would run as a formula made inert.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The filtered log as CSV (semicolons and a byte-order mark, as German spreadsheets expect):
/// one line per entry, and per row of a bulk change.
pub async fn export(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let lang = cu.ctx.lang;
    let filter = q.filter().map_err(AppError::from)?;
    let entries = audit::export_audit(&st, cu.actor(), &filter).await?;
    let reqs = audit::requirements(&st, cu.actor(), &entries).await?;
    let orgs = verbund_app::orgs::choices(&st, cu.actor(), Permission::ReadAudit).await?;
    let header = [
        "#",
        &lang.t("col-when"),
        &lang.t("col-who"),
        &lang.t("field-org"),
        &lang.t("col-action"),
        &lang.t("audit-object"),
        &lang.t("audit-field"),
        &lang.t("audit-before"),
        &lang.t("audit-after"),
    ]
    .map(cell)
    .join(";");
    let mut out = String::from("\u{feff}");
    out.push_str(&header);
    out.push_str("\r\n");
    for d in describe(lang, &entries, &reqs) {
        let org = d
            .org_id
            .and_then(|i| orgs.iter().find(|o| o.id.0 == i))
            .map(|o| o.name.as_str())
            .unwrap_or("");
        let base = [
            d.seq.to_string(),
            fmt_ms(d.at_ms),
            d.who.clone(),
            org.to_owned(),
        ];
        let mut line = |object: &str, field: &str, before: &str, after: &str| {
            let cells: Vec<String> = base
                .iter()
                .map(String::as_str)
                .chain([d.action.as_str(), object, field, before, after])
                .map(cell)
                .collect();
            out.push_str(&cells.join(";"));
            out.push_str("\r\n");
        };
        if !d.rows.is_empty() {
            for r in &d.rows {
                for c in &r.changes {
                    line(&r.requirement, &c.field, &c.before, &c.after);
                }
            }
        } else if d.changes.is_empty() {
            line(&d.object, "", "", "");
        } else {
            for c in &d.changes {
                line(&d.object, &c.field, &c.before, &c.after);
            }
        }
    }
    Ok(Download(FileOut {
        filename: "protokoll.csv".into(),
        content_type: "text/csv; charset=utf-8",
        bytes: out.into_bytes(),
    })
    .into_response())
}
