//! Security advisories (CSAF 2.0): the office imports them, Verbund matches their products
//! against every inventory object with product data and warns exactly the affected members.
//!
//! - Import (office, `ManageStructureSettings`): parse, compare with the stored revision (an
//!   equal or older version changes nothing), match, save with warning reconciliation, mail
//!   the coordinators of members whose warning became open. Matches on a provider's object
//!   warn every member relying on it. Name-only warnings wait as *unconfirmed* for the office
//!   ([`confirm`]) and are not mailed until then.
//! - Reading (`ReadStructure`): the office sees everything; a member its own warnings and
//!   the advisories its TLP allows (CLEAR/GREEN, AMBER/RED only with a warning).
//! - Acting (`EditStructure` in the member): acknowledge, mark done, make a measure.
//!
//! An advisory or warning the actor cannot see is 404; one it sees but may not change is 403.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use verbund_domain::advisory::matcher::{
    AdvisoryKeys, Confidence, Inventory, Verdict, match_advisory,
};
use verbund_domain::advisory::records::{
    AdvisoryProductRow, AdvisoryRecord, Warning, WarningMatch,
};
use verbund_domain::advisory::{Advisory, Severity, WarningState, compare_revisions};
use verbund_domain::authz::Scope;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::measure::input::RawMeasure;
use verbund_domain::{AdvisoryId, AdvisoryWarningId, MeasureId, OrgId, StructureObjectId};
use verbund_formats::csaf;
use verbund_store::{
    AuditActor, MeasureLinks, NewMail, NewWarning, ObjectWarning, RematchOutcome, WarningFilter,
};

use crate::Services;
use crate::error::{Error, Result};
use crate::reminders::{MailSite, Texts};

/// Largest upload accepted (bytes).
pub const MAX_UPLOAD: usize = csaf::MAX_BYTES;

/// What importing one document did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdvisoryImportOut {
    /// The advisory (absent when an older revision was refused).
    pub advisory_id: Option<AdvisoryId>,
    /// Tracking id.
    pub tracking_id: String,
    /// Version of the document.
    pub version: String,
    /// `created`, `revised`, `unchanged` (same version stored) or `older` (a newer one is
    /// stored; nothing changed).
    pub outcome: String,
    /// Warnings that became open (and were mailed).
    pub opened: usize,
    /// Name-only warnings waiting for the office.
    pub unconfirmed: usize,
    /// Warnings closed by this revision.
    pub closed: usize,
    /// Mails put into the outbox.
    pub mailed: u64,
    /// What the import noted (`pointer: message`).
    pub notes: Vec<String>,
}

/// Where mails link to and their texts (absent: no mail, e.g. in tests that do not care).
pub struct Mailer<'a> {
    /// Translated texts.
    pub texts: &'a Texts,
    /// Public URL.
    pub site: &'a MailSite,
}

fn office_scope(actor: &Actor) -> Result<verbund_domain::authz::Scope> {
    actor.check_office(Permission::ManageStructureSettings)?;
    Ok(actor.scope(Permission::ManageStructureSettings))
}

/// Today in Berlin, `YYYY-MM-DD`.
fn today(st: &Services) -> time::Date {
    verbund_domain::localtime::berlin_date(st.clock.now_ms())
}

fn deadline(today: time::Date, severity: Severity) -> String {
    let d = today + time::Duration::days(severity.default_deadline_days());
    verbund_domain::validation::format_date(d)
}

/// Groups the matcher's verdicts by member: warnings (objects of the member, or provider
/// objects it relies on) and the members whose objects a fixed/not-affected statement covers.
pub(crate) fn warnings_by_member(
    today: time::Date,
    advisory: &Advisory,
    objects: &[verbund_store::InventoryObject],
    dependents: &[(verbund_domain::StructureObjectId, OrgId)],
) -> (Vec<NewWarning>, Vec<OrgId>) {
    let inventory = Inventory::new(objects.iter().map(|o| o.item.clone()).collect());
    warnings_in(today, advisory, &inventory, objects, dependents)
}

/// [`warnings_by_member`] over an inventory built once for `objects`.
pub(crate) fn warnings_in(
    today: time::Date,
    advisory: &Advisory,
    inventory: &Inventory,
    objects: &[verbund_store::InventoryObject],
    dependents: &[(verbund_domain::StructureObjectId, OrgId)],
) -> (Vec<NewWarning>, Vec<OrgId>) {
    let verdicts = match_advisory(advisory, inventory);
    let by_id: BTreeMap<_, _> = objects.iter().map(|o| (o.item.object_id, o)).collect();
    let mut per_org: BTreeMap<OrgId, Vec<WarningMatch>> = BTreeMap::new();
    let mut suppressed = Vec::new();
    for (id, verdict) in verdicts {
        let Some(obj) = by_id.get(&id) else { continue };
        let orgs: Vec<OrgId> = if obj.provider {
            dependents
                .iter()
                .filter(|(o, _)| *o == id)
                .map(|(_, m)| *m)
                .collect()
        } else {
            vec![obj.org_id]
        };
        match verdict {
            Verdict::Warn(m) => {
                for org in orgs {
                    per_org.entry(org).or_default().push(WarningMatch {
                        object_id: id,
                        object_org_id: obj.org_id,
                        short_id: obj.short_id.clone(),
                        object_name: obj.name.clone(),
                        via_provider: obj.provider,
                        product_id: m.product_id.clone(),
                        product_name: m.product_name.clone(),
                        state: m.state,
                        confidence: m.confidence,
                        reason: m.reason.clone(),
                    });
                }
            }
            Verdict::Suppressed(_) => suppressed.extend(orgs),
        }
    }
    let due = deadline(today, advisory.severity);
    let warnings = per_org
        .into_iter()
        .map(|(org_id, matches)| NewWarning {
            org_id,
            confidence: matches
                .iter()
                .map(|m| m.confidence)
                .max()
                .unwrap_or(Confidence::NameOnly),
            matches,
            deadline_on: due.clone(),
        })
        .collect();
    suppressed.sort();
    suppressed.dedup();
    (warnings, suppressed)
}

/// Imports one CSAF document (office). Bad documents are `BadInput` with the parser's code
/// (`error-csaf-…`) and a detail naming the document and the field; nothing is stored.
pub async fn import(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    bytes: &[u8],
    name: &str,
    mailer: Option<&Mailer<'_>>,
) -> Result<AdvisoryImportOut> {
    let office = office_scope(actor)?;
    import_in(st, by, &office, bytes, name, mailer).await
}

/// [`import`] for the command line (`verbund import advisories`): the system acts for the
/// office.
pub async fn import_system(
    st: &Services,
    by: &AuditActor,
    bytes: &[u8],
    name: &str,
    mailer: Option<&Mailer<'_>>,
) -> Result<AdvisoryImportOut> {
    let office = verbund_domain::authz::Scope::system(
        &verbund_domain::authz::SystemAccess::for_reason("advisory import from the command line"),
    );
    import_in(st, by, &office, bytes, name, mailer).await
}

pub(crate) async fn import_in(
    st: &Services,
    by: &AuditActor,
    office: &verbund_domain::authz::Scope,
    bytes: &[u8],
    name: &str,
    mailer: Option<&Mailer<'_>>,
) -> Result<AdvisoryImportOut> {
    if bytes.len() > MAX_UPLOAD {
        return Err(Error::TooLarge {
            code: "error-csaf-too-large",
            detail: format!("Die Datei ist größer als {} MB.", MAX_UPLOAD >> 20),
        });
    }
    let parsed = csaf::parse(bytes, name).map_err(|e| Error::BadInput {
        code: e.code,
        detail: e.to_string(),
    })?;
    let adv = parsed.advisory;
    let notes: Vec<String> = parsed
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    let mut out = AdvisoryImportOut {
        advisory_id: None,
        tracking_id: adv.tracking_id.clone(),
        version: adv.version.clone(),
        outcome: String::new(),
        opened: 0,
        unconfirmed: 0,
        closed: 0,
        mailed: 0,
        notes: notes.clone(),
    };
    if let Some(stored) = st
        .store
        .advisory_version_federation_wide(&adv.tracking_id)
        .await?
    {
        match compare_revisions(&adv.version, &stored) {
            std::cmp::Ordering::Greater => {}
            o => {
                out.outcome = if o == std::cmp::Ordering::Equal {
                    "unchanged"
                } else {
                    "older"
                }
                .to_owned();
                return Ok(out);
            }
        }
    }
    let fed = crate::federation(&st.store).await?;
    let (objects, dependents) = st.store.advisory_inventory_federation_wide(office).await?;
    let (warnings, suppressed) = warnings_by_member(today(st), &adv, &objects, &dependents);
    let document =
        serde_json::to_string(&parsed.document).map_err(|e| Error::Internal(e.to_string()))?;
    let saved = st
        .store
        .save_advisory(
            by,
            office,
            fed.id,
            &adv,
            &document,
            &notes,
            &warnings,
            &suppressed,
        )
        .await?;
    out.advisory_id = saved.advisory_id;
    out.outcome = if saved.created { "created" } else { "revised" }.to_owned();
    out.opened = saved.opened.len();
    out.unconfirmed = saved.unconfirmed;
    out.closed = saved.closed;
    if let Some(m) = mailer {
        out.mailed = mail_opened(st, office, &adv, &saved.opened, m).await?;
    }
    Ok(out)
}

async fn mail_opened(
    st: &Services,
    office: &verbund_domain::authz::Scope,
    adv: &Advisory,
    opened: &[(AdvisoryWarningId, OrgId)],
    m: &Mailer<'_>,
) -> Result<u64> {
    let mut mails = Vec::new();
    for (warning, org) in opened {
        let w = st.store.get_advisory_warning(office, *warning).await?;
        for r in st
            .store
            .advisory_recipients_federation_wide(office, *org)
            .await?
        {
            let lang = if r.locale.to_ascii_lowercase().starts_with("en") {
                "en"
            } else {
                "de"
            };
            let objects: Vec<String> = w
                .matches
                .iter()
                .map(|x| format!("{} {}", x.short_id, x.object_name))
                .collect();
            let args = [
                (
                    "title",
                    adv.title
                        .chars()
                        .take(150)
                        .collect::<String>()
                        .replace(['\r', '\n'], " "),
                ),
                ("id", adv.tracking_id.clone()),
                ("org", w.org_name.clone()),
                ("name", r.display_name.clone()),
                (
                    "severity",
                    (m.texts)(
                        lang,
                        &format!("advisory-severity-{}", adv.severity.code()),
                        &[],
                    ),
                ),
                ("date", w.deadline_on.clone().unwrap_or_default()),
                ("objects", objects.join(", ")),
            ];
            let key = format!("advisory/{}/{}/{}", warning.0, adv.version, r.user_id.0);
            let host = m
                .site
                .base_url
                .split_once("://")
                .map_or(m.site.base_url.as_str(), |(_, rest)| rest)
                .split(['/', ':'])
                .next()
                .unwrap_or_default()
                .to_owned();
            mails.push(NewMail {
                kind: "advisory".to_owned(),
                message_id: verbund_domain::reminder::message_id(&key, &host),
                dedupe_key: key,
                recipient: Some(r.user_id),
                to_address: r.email.clone(),
                subject: (m.texts)(lang, "advisory-mail-subject", &args),
                body_text: format!(
                    "{}\n\n{}\n\n{}\n{}/advisories/warnings/{}\n\n-- \n{}\n",
                    (m.texts)(lang, "mail-greeting", &args),
                    (m.texts)(lang, "advisory-mail-body", &args),
                    adv.summary,
                    m.site.base_url.trim_end_matches('/'),
                    warning.0,
                    (m.texts)(lang, "advisory-mail-footer", &[]),
                ),
                body_html: None,
            });
        }
    }
    if mails.is_empty() {
        return Ok(0);
    }
    crate::mail::enqueue(st, &mails).await
}

/// The stored advisories' matching models, parsed once and reloaded when an advisory is
/// imported or revised (the store's stamp changes): re-matching one object must not parse
/// every model again.
#[derive(Default)]
pub struct ModelCache {
    inner: tokio::sync::Mutex<Option<ModelsAt>>,
}

type Models = Arc<Vec<(AdvisoryId, Advisory, AdvisoryKeys)>>;
type ModelsAt = ((i64, i64, i64), Models);

impl std::fmt::Debug for ModelCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ModelCache")
    }
}

async fn models(st: &Services, office: &Scope) -> Result<Models> {
    let stamp = st.store.advisory_models_stamp().await?;
    let mut g = st.advisory_models.inner.lock().await;
    if let Some((s, m)) = g.as_ref()
        && *s == stamp
    {
        return Ok(m.clone());
    }
    let m: Models = Arc::new(
        st.store
            .advisory_models_federation_wide(office)
            .await?
            .into_iter()
            .map(|(id, a)| {
                let k = AdvisoryKeys::new(&a);
                (id, a, k)
            })
            .collect(),
    );
    *g = Some((stamp, m.clone()));
    Ok(m)
}

/// Re-evaluates the warnings for one inventory object after it was created, changed or
/// deleted (`org` is its organisation, `provider` whether that is a provider, as known before
/// a deletion): its matches against every stored advisory replace its old ones in exactly
/// the warnings concerned; a warning left without objects closes, a new match opens one
/// (name-only: unconfirmed, for the office). Not mailed: the person who changed the
/// inventory sees the warning at once.
pub async fn rematch_object(
    st: &Services,
    by: &AuditActor,
    object: StructureObjectId,
    org: OrgId,
    provider: bool,
) -> Result<RematchOutcome> {
    let office = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "re-matching an inventory object against the advisories",
    ));
    let models = models(st, &office).await?;
    if models.is_empty() {
        return Ok(RematchOutcome::default());
    }
    let obj = st.store.advisory_inventory_object(&office, object).await?;
    let provider = obj.as_ref().map_or(provider, |o| o.provider);
    let mut fresh = Vec::new();
    if let Some(o) = &obj {
        let dependents = if provider {
            st.store.provider_object_dependents(&office, object).await?
        } else {
            Vec::new()
        };
        let inventory = Inventory::new(vec![o.item.clone()]);
        let day = today(st);
        for (id, adv, keys) in models.iter() {
            if !keys.may_match(&inventory) {
                continue;
            }
            let (ws, _) = warnings_in(day, adv, &inventory, std::slice::from_ref(o), &dependents);
            fresh.extend(ws.into_iter().map(|warning| ObjectWarning {
                advisory_id: *id,
                severity: adv.severity,
                warning,
            }));
        }
    }
    let own = [org];
    let scan = (!provider).then_some(&own[..]);
    Ok(st
        .store
        .rematch_advisory_object(by, &office, object, scan, &fresh)
        .await?)
}

/// [`rematch_object`] after an inventory change: a failure is logged, never the change's
/// error (the change is committed; the next advisory import evaluates the object again).
pub async fn rematch_after_change(
    st: &Services,
    by: &AuditActor,
    object: StructureObjectId,
    org: OrgId,
    provider: bool,
) {
    let started = std::time::Instant::now();
    match rematch_object(st, by, object, org, provider).await {
        Ok(r) => tracing::debug!(
            object = object.0,
            opened = r.opened.len(),
            updated = r.updated,
            closed = r.closed,
            micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "advisory warnings re-matched"
        ),
        Err(e) => tracing::warn!(object = object.0, error = %e, "advisory re-match failed"),
    }
}

/// What the actor may read: members its own (an empty scope reads nothing: lists are empty,
/// single objects 404).
fn read_scope(actor: &Actor) -> Result<verbund_domain::authz::Scope> {
    Ok(actor.scope(Permission::ReadStructure))
}

fn stamp(st: &Services, mut w: Warning) -> Warning {
    let today = verbund_domain::validation::format_date(today(st));
    w.overdue =
        w.state.is_pending() && w.deadline_on.as_deref().is_some_and(|d| d < today.as_str());
    w
}

/// The advisories the actor may read, newest first.
pub async fn list(st: &Services, actor: &Actor) -> Result<Vec<AdvisoryRecord>> {
    Ok(st.store.list_advisories(&read_scope(actor)?).await?)
}

/// One advisory with its products, its remediations and the warnings the actor may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdvisoryDetailOut {
    /// The advisory.
    pub advisory: AdvisoryRecord,
    /// Its products.
    pub products: Vec<AdvisoryProductRow>,
    /// Its remediations.
    #[schema(value_type = Vec<Object>)]
    pub remediations: Vec<verbund_domain::advisory::Remediation>,
    /// The warnings the reader may see (the office: all, with unconfirmed ones).
    pub warnings: Vec<Warning>,
}

/// One advisory (404 when the actor may not read it).
pub async fn detail(st: &Services, actor: &Actor, id: AdvisoryId) -> Result<AdvisoryDetailOut> {
    let scope = read_scope(actor)?;
    let (advisory, products, model) = st.store.get_advisory(&scope, id).await?;
    let warnings = st
        .store
        .list_advisory_warnings(
            &scope,
            &WarningFilter {
                advisory: Some(id),
                ..WarningFilter::default()
            },
        )
        .await?
        .into_iter()
        .map(|w| stamp(st, w))
        .collect();
    Ok(AdvisoryDetailOut {
        advisory,
        products,
        remediations: model.remediations,
        warnings,
    })
}

/// The original document (JSON text).
pub async fn document(st: &Services, actor: &Actor, id: AdvisoryId) -> Result<String> {
    Ok(st.store.advisory_document(&read_scope(actor)?, id).await?)
}

/// Warnings the actor may see: `pending_only` open and acknowledged ones.
pub async fn warnings(
    st: &Services,
    actor: &Actor,
    filter: &WarningFilter,
) -> Result<Vec<Warning>> {
    Ok(st
        .store
        .list_advisory_warnings(&read_scope(actor)?, filter)
        .await?
        .into_iter()
        .map(|w| stamp(st, w))
        .collect())
}

/// The office dashboard: pending critical and high warnings across members, most urgent first.
pub async fn office_critical(st: &Services, actor: &Actor) -> Result<Vec<Warning>> {
    office_scope(actor)?;
    warnings(
        st,
        actor,
        &WarningFilter {
            pending_only: true,
            severities: vec![Severity::Critical, Severity::High],
            ..WarningFilter::default()
        },
    )
    .await
}

/// One warning.
pub async fn warning(st: &Services, actor: &Actor, id: AdvisoryWarningId) -> Result<Warning> {
    Ok(stamp(
        st,
        st.store
            .get_advisory_warning(&read_scope(actor)?, id)
            .await?,
    ))
}

/// What a member (or the office) does with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningAction {
    /// Seen, working on it.
    Acknowledge,
    /// Dealt with (erledigt).
    Done,
    /// Office: a name-only match is real; the member is warned (and mailed).
    Confirm,
}

impl WarningAction {
    /// Reads `acknowledge`, `done` or `confirm`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "acknowledge" => Ok(Self::Acknowledge),
            "done" => Ok(Self::Done),
            "confirm" => Ok(Self::Confirm),
            _ => Err(Error::bad("error-advisory-action")),
        }
    }
}

/// Acknowledges, closes as done, or (office) confirms a warning. A warning in another state
/// than the action needs is `Stale` (409).
pub async fn act(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AdvisoryWarningId,
    action: WarningAction,
    mailer: Option<&Mailer<'_>>,
) -> Result<Warning> {
    let w = warning(st, actor, id).await?;
    let (write, from, to) = match action {
        WarningAction::Confirm => (
            office_scope(actor)?,
            vec![WarningState::Unconfirmed],
            WarningState::Open,
        ),
        WarningAction::Acknowledge => {
            actor.check(Permission::EditStructure, w.org_id)?;
            (
                actor.scope(Permission::EditStructure),
                vec![WarningState::Open],
                WarningState::Acknowledged,
            )
        }
        WarningAction::Done => {
            actor.check(Permission::EditStructure, w.org_id)?;
            (
                actor.scope(Permission::EditStructure),
                vec![WarningState::Open, WarningState::Acknowledged],
                WarningState::Done,
            )
        }
    };
    let out = st
        .store
        .set_advisory_warning_state(by, &write, id, &from, to)
        .await?;
    if action == WarningAction::Confirm
        && let Some(m) = mailer
    {
        let (_, _, model) = st.store.get_advisory(&write, out.advisory_id).await?;
        mail_opened(st, &write, &model, &[(id, out.org_id)], m).await?;
    }
    Ok(stamp(st, out))
}

/// Makes a measure of the member from a warning ("Maßnahme anlegen"): titled after the
/// advisory, due by the warning's deadline, linked to the member's matched objects. A warning
/// that has one already answers with that one.
pub async fn create_measure(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AdvisoryWarningId,
) -> Result<MeasureId> {
    let w = warning(st, actor, id).await?;
    actor.check(Permission::ManageAssessments, w.org_id)?;
    if let Some(m) = w.measure_id {
        return Ok(m);
    }
    let raw = RawMeasure {
        title: format!("{}: {}", w.tracking_id, w.title)
            .chars()
            .take(200)
            .collect(),
        description: Some(
            w.matches
                .iter()
                .map(|m| format!("{} {} — {}", m.short_id, m.object_name, m.reason.german()))
                .collect::<Vec<_>>()
                .join("\n")
                .chars()
                .take(1900)
                .collect(),
        ),
        owner_user_id: None,
        due_on: w.deadline_on.clone(),
        priority: Some(
            match w.severity {
                Severity::Critical => "sehr_hoch",
                Severity::High => "hoch",
                Severity::Medium => "mittel",
                _ => "niedrig",
            }
            .to_owned(),
        ),
        cost_euros: None,
        effort_days: None,
        revision: None,
    };
    let links = MeasureLinks {
        answers: Vec::new(),
        objects: w
            .matches
            .iter()
            .filter(|m| m.object_org_id == w.org_id)
            .map(|m| m.object_id)
            .collect(),
    };
    let measure = crate::measures::create(st, by, actor, w.org_id, &raw, &links).await?;
    st.store
        .link_advisory_warning_measure(by, &actor.scope(Permission::EditStructure), id, measure.id)
        .await?;
    Ok(measure.id)
}
