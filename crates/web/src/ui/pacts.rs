//! Crisis pact pages: the pacts, one pact (members, what each can lend, crises, the declaration
//! form), the printable alarm chain, a member's registry, the crisis board (timeline updated
//! live by server-sent events, help requests, loans, closing) and a request's matching
//! suggestions. Without JavaScript every page works by reloading.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use verbund_app::pact::{
    self as svc, PactCloseIn, PactContactIn, PactCrisisIn, PactCrisisView, PactDecisionIn,
    PactEntryIn, PactHelpIn, PactIn, PactLoanIn, PactMemberIn, PactView,
};
use verbund_domain::authz::Permission;
use verbund_domain::org::Organisation;
use verbund_domain::pact::matching::PactMatch;
use verbund_domain::pact::model::{Pact, PactContact, PactEntry, PactRequest, PactResource};
use verbund_domain::pact::{EntryKind, EquipmentType, RawResource, ResourceKind, Severity, Skill};
use verbund_domain::{
    OrgId, PactContactId, PactCrisisId, PactId, PactLoanId, PactRequestId, PactResourceId,
};

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

type Fields = Vec<(String, String)>;

fn field(f: &Fields, name: &str) -> Option<String> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

fn all(f: &Fields, name: &str) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

fn int(f: &Fields, name: &str) -> Option<i64> {
    field(f, name).and_then(|v| v.trim().parse().ok())
}

/// A typed count: empty is none, anything else not a number is 0 (refused by validation).
fn count(f: &Fields) -> Option<i64> {
    field(f, "count")
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .map(|c| c.parse().unwrap_or(0))
}

fn checked(f: &Fields, name: &str) -> bool {
    field(f, name).is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1"))
}

/// When, as Germans read it.
pub fn when(ms: &i64) -> String {
    fmt_ms(*ms)
}

/// The codes the forms offer.
pub struct PactCodes {
    /// Kinds.
    pub kinds: &'static [ResourceKind],
    /// Skills.
    pub skills: &'static [Skill],
    /// Equipment types.
    pub equipment: &'static [EquipmentType],
    /// Severities.
    pub severities: &'static [Severity],
}

const CODES: PactCodes = PactCodes {
    kinds: ResourceKind::ALL,
    skills: Skill::ALL,
    equipment: EquipmentType::ALL,
    severities: Severity::ALL,
};

/// What a resource offers, in words.
pub fn offer(l: &Layout, r: &PactResource) -> String {
    match r.equipment_type {
        Some(t) => format!("{} × {}", r.count, l.lang.t(&t.label_key())),
        None => r
            .skills
            .iter()
            .map(|s| l.lang.t(&s.label_key()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A resource's availability in words.
pub fn window(r: &PactResource) -> String {
    let d = |x: Option<time::Date>| {
        x.map_or_else(
            || "…".to_owned(),
            verbund_domain::validation::format_date_de,
        )
    };
    if r.window.from.is_none() && r.window.until.is_none() {
        "–".into()
    } else {
        format!("{} – {}", d(r.window.from), d(r.window.until))
    }
}

#[derive(Template)]
#[template(path = "pacts_list.html")]
struct ListPage {
    l: Layout,
    pacts: Vec<Pact>,
    office: bool,
    errors: FormErrors,
}

async fn list_page(st: &AppState, cu: &CurrentUser, errors: FormErrors) -> AppResult<ListPage> {
    Ok(ListPage {
        l: Layout::user(cu, "pact-title", "pacts"),
        pacts: svc::list(st, cu.actor()).await?,
        office: svc::is_pact_office(cu.actor()),
        errors,
    })
}

/// The pacts the user belongs to.
pub async fn list(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    Ok(render(&list_page(&st, &cu, FormErrors::default()).await?))
}

/// Creates a pact (office).
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactIn {
        name: field(&f, "name"),
        description: field(&f, "description"),
        declare_rule: field(&f, "declare_rule"),
        webhook_url: field(&f, "webhook_url"),
    };
    match svc::save(&st, &cu.audit(), cu.actor(), None, &d).await {
        Ok(p) => Ok(see_other(&format!("/pacts/{}", p.id))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&list_page(&st, &cu, e.into()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "pact_detail.html")]
struct DetailPage {
    l: Layout,
    v: PactView,
    office: bool,
    orgs: Vec<Organisation>,
    own: Vec<OrgId>,
    declare_for: Vec<OrgId>,
    errors: FormErrors,
    c: PactCodes,
    prefill: Prefill,
}

/// Values the declaration form starts with (from the dependency map's link, or the form sent
/// back with errors).
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    /// The affected member.
    pub org: Option<i64>,
    /// Severity code.
    pub severity: String,
    /// Affected services.
    pub affected_services: String,
    /// Summary.
    pub summary: String,
}

impl Prefill {
    fn of(f: &Fields) -> Self {
        Self {
            org: int(f, "org"),
            severity: field(f, "severity").unwrap_or_default(),
            affected_services: field(f, "affected_services").unwrap_or_default(),
            summary: field(f, "summary").unwrap_or_default(),
        }
    }
}

impl DetailPage {
    fn org_name(&self, id: &OrgId) -> String {
        self.v
            .pact
            .member(*id)
            .map(|m| m.org_name.clone())
            .unwrap_or_default()
    }
}

async fn detail_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    errors: FormErrors,
    prefill: Prefill,
) -> AppResult<DetailPage> {
    let v = svc::get(st, cu.actor(), PactId(id)).await?;
    let office = svc::is_pact_office(cu.actor());
    let orgs = if office {
        verbund_app::orgs::choices(st, cu.actor(), Permission::ReadOrg).await?
    } else {
        Vec::new()
    };
    let own = v
        .pact
        .members
        .iter()
        .map(|m| m.org_id)
        .filter(|o| !cu.actor().is_office() && cu.actor().sees(*o))
        .collect();
    let declare_for = v
        .pact
        .members
        .iter()
        .map(|m| m.org_id)
        .filter(|o| svc::may_declare(cu.actor(), &v.pact, *o))
        .collect();
    Ok(DetailPage {
        l: Layout::user(cu, "pact-title", "pacts"),
        v,
        office,
        orgs,
        own,
        declare_for,
        errors,
        c: CODES,
        prefill,
    })
}

/// One pact; `?org=&severity=&affected_services=&summary=` fill in the declaration form (the
/// dependency map links here).
pub async fn detail(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(q): axum::extract::Query<Fields>,
) -> AppResult<Response> {
    Ok(render(
        &detail_page(&st, &cu, id, FormErrors::default(), Prefill::of(&q)).await?,
    ))
}

async fn or_detail<T>(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    r: verbund_app::Result<T>,
    to: impl FnOnce(T) -> String,
) -> AppResult<Response> {
    match r {
        Ok(v) => Ok(see_other(&to(v))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail_page(st, cu, id, e.into(), Prefill::default()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// Adds or changes a member (office).
pub async fn set_member(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactMemberIn {
        org: int(&f, "org"),
        external: Some(checked(&f, "external")),
        lat: field(&f, "lat"),
        lon: field(&f, "lon"),
        remove: Some(checked(&f, "remove")),
    };
    let r = svc::set_member(&st, &cu.audit(), cu.actor(), PactId(id), &d).await;
    or_detail(&st, &cu, id, r, |_| format!("/pacts/{id}#members")).await
}

/// Declares a crisis or exercise.
pub async fn declare(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactCrisisIn {
        org: int(&f, "org"),
        severity: field(&f, "severity"),
        affected_services: field(&f, "affected_services"),
        summary: field(&f, "summary"),
        exercise: Some(checked(&f, "exercise")),
    };
    let r = svc::declare(&st, &cu.audit(), cu.actor(), PactId(id), &d).await;
    or_detail(&st, &cu, id, r, |c| format!("/pact-crises/{}", c.id)).await
}

#[derive(Template)]
#[template(path = "pact_alarm_chain.html")]
struct AlarmPage {
    l: Layout,
    pact: Pact,
    contacts: Vec<PactContact>,
}

/// The pact's alarm chain, for printing.
pub async fn alarm_chain(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let v = svc::get(&st, cu.actor(), PactId(id)).await?;
    Ok(render(&AlarmPage {
        l: Layout::user(&cu, "pact-alarm-title", "pacts"),
        pact: v.pact,
        contacts: v.contacts,
    }))
}

#[derive(Template)]
#[template(path = "pact_registry.html")]
struct RegistryPage {
    l: Layout,
    org: Organisation,
    resources: Vec<PactResource>,
    contacts: Vec<PactContact>,
    can_edit: bool,
    errors: FormErrors,
    c: PactCodes,
}

async fn registry_page(
    st: &AppState,
    cu: &CurrentUser,
    org: i64,
    errors: FormErrors,
) -> AppResult<RegistryPage> {
    let (resources, contacts) = svc::registry(st, cu.actor(), OrgId(org)).await?;
    let o = verbund_app::orgs::get_org(st, cu.actor(), OrgId(org)).await?;
    Ok(RegistryPage {
        l: Layout::user(cu, "pact-registry-title", "pacts"),
        can_edit: cu.actor().check(Permission::EditOrg, OrgId(org)).is_ok(),
        org: o,
        resources,
        contacts,
        errors,
        c: CODES,
    })
}

/// A member's registry and alarm chain.
pub async fn registry(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &registry_page(&st, &cu, id, FormErrors::default()).await?,
    ))
}

async fn or_registry<T>(
    st: &AppState,
    cu: &CurrentUser,
    org: i64,
    r: verbund_app::Result<T>,
) -> AppResult<Response> {
    match r {
        Ok(_) => Ok(see_other(&format!("/orgs/{org}/pact-registry"))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&registry_page(st, cu, org, e.into()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a resource.
pub async fn create_resource(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let raw = RawResource {
        kind: field(&f, "kind"),
        name: field(&f, "name"),
        skills: all(&f, "skills"),
        equipment_type: field(&f, "equipment_type"),
        count: count(&f),
        location: field(&f, "location"),
        phone: field(&f, "phone"),
        available_from: field(&f, "available_from"),
        available_until: field(&f, "available_until"),
        note: field(&f, "note"),
    };
    let r = svc::create_resource(&st, &cu.audit(), cu.actor(), OrgId(id), &raw).await;
    or_registry(&st, &cu, id, r).await
}

/// Confirms a resource.
pub async fn confirm_resource(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let r = svc::confirm_resource(&st, &cu.audit(), cu.actor(), PactResourceId(id)).await?;
    Ok(see_other(&format!("/orgs/{}/pact-registry", r.org_id)))
}

/// Deletes a resource.
pub async fn delete_resource(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let r = svc::delete_resource(&st, &cu.audit(), cu.actor(), PactResourceId(id)).await?;
    Ok(see_other(&format!("/orgs/{}/pact-registry", r.org_id)))
}

/// Adds a contact to the alarm chain.
pub async fn create_contact(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactContactIn {
        name: field(&f, "name"),
        function: field(&f, "function"),
        phone: field(&f, "phone"),
        mobile: field(&f, "mobile"),
        email: field(&f, "email"),
    };
    let r = svc::add_contact(&st, &cu.audit(), cu.actor(), OrgId(id), &d).await;
    or_registry(&st, &cu, id, r).await
}

/// Removes a contact.
pub async fn delete_contact(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let c = svc::delete_contact(&st, &cu.audit(), cu.actor(), PactContactId(id)).await?;
    Ok(see_other(&format!("/orgs/{}/pact-registry", c.org_id)))
}

#[derive(Template)]
#[template(path = "pact_crisis.html")]
struct BoardPage {
    l: Layout,
    v: PactCrisisView,
    can_write: bool,
    can_close: bool,
    lender: Vec<OrgId>,
    errors: FormErrors,
    c: PactCodes,
}

impl BoardPage {
    fn is_lender(&self, org: &OrgId) -> bool {
        self.lender.contains(org)
    }

    fn need(&self, r: &PactRequest) -> String {
        self.l.lang.t(&r.need.label_key())
    }
}

async fn board_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    errors: FormErrors,
) -> AppResult<BoardPage> {
    let v = svc::crisis(st, cu.actor(), PactCrisisId(id)).await?;
    let a = cu.actor();
    let lender = v
        .pact
        .members
        .iter()
        .map(|m| m.org_id)
        .filter(|o| a.check(Permission::EditOrg, *o).is_ok())
        .collect::<Vec<_>>();
    let can_write = v.crisis.open && !lender.is_empty();
    let can_close = v.crisis.open && a.check(Permission::EditOrg, v.crisis.org_id).is_ok();
    Ok(BoardPage {
        l: Layout::user(cu, "pact-crisis-title", "pacts"),
        v,
        can_write,
        can_close,
        lender,
        errors,
        c: CODES,
    })
}

/// The crisis board.
pub async fn board(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &board_page(&st, &cu, id, FormErrors::default()).await?,
    ))
}

async fn or_board<T>(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    r: verbund_app::Result<T>,
    anchor: &str,
) -> AppResult<Response> {
    match r {
        Ok(_) => Ok(see_other(&format!("/pact-crises/{id}{anchor}"))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&board_page(st, cu, id, e.into()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a timeline entry.
pub async fn add_entry(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactEntryIn {
        org: int(&f, "org"),
        kind: field(&f, "kind"),
        text: field(&f, "text"),
        corrects: int(&f, "corrects"),
    };
    let r = svc::add_entry(&st, &cu.audit(), cu.actor(), PactCrisisId(id), &d).await;
    or_board(&st, &cu, id, r, "#timeline").await
}

/// Adds a help request.
pub async fn add_request(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let need = field(&f, "need").unwrap_or_default();
    let (need_kind, need) = match need.split_once(':') {
        Some((k, c)) => (Some(k.to_owned()), Some(c.to_owned())),
        None => (None, Some(need)),
    };
    let d = PactHelpIn {
        org: int(&f, "org"),
        need_kind: need_kind.or_else(|| Some("skill".into())),
        need,
        count: count(&f),
        from: field(&f, "from"),
        until: field(&f, "until"),
        location: field(&f, "location"),
        note: field(&f, "note"),
    };
    match svc::add_request(&st, &cu.audit(), cu.actor(), PactCrisisId(id), &d).await {
        Ok(r) => Ok(see_other(&format!("/pact-requests/{}", r.id))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&board_page(&st, &cu, id, e.into()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Closes the crisis.
pub async fn close(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactCloseIn {
        lessons_learned: field(&f, "lessons_learned"),
    };
    let r = svc::close(&st, &cu.audit(), cu.actor(), PactCrisisId(id), &d).await;
    or_board(&st, &cu, id, r, "").await
}

#[derive(Template)]
#[template(path = "pact_request.html")]
struct RequestPage {
    l: Layout,
    request: PactRequest,
    crisis_id: PactCrisisId,
    exercise: bool,
    matches: Vec<PactMatch>,
    can_ask: bool,
    errors: FormErrors,
}

impl RequestPage {
    fn km(&self, m: &PactMatch) -> String {
        m.distance_km.map_or_else(
            || "–".to_owned(),
            |d| format!("{d:.1} km").replace('.', ","),
        )
    }

    fn asked(&self, r: &PactResourceId) -> bool {
        self.request.loans.iter().any(|l| l.resource_id == *r)
    }
}

async fn request_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    errors: FormErrors,
) -> AppResult<RequestPage> {
    let matches = svc::matches(st, cu.actor(), PactRequestId(id)).await?;
    let v_request = st
        .store
        .get_pact_request(&cu.actor().scope(Permission::ReadOrg), PactRequestId(id))
        .await
        .map_err(verbund_app::Error::from)?;
    let (crisis, request) = v_request;
    Ok(RequestPage {
        l: Layout::user(cu, "pact-request-title", "pacts"),
        can_ask: crisis.open
            && cu
                .actor()
                .check(Permission::EditOrg, request.org_id)
                .is_ok(),
        crisis_id: crisis.id,
        exercise: crisis.exercise,
        request,
        matches,
        errors,
    })
}

/// A help request with its matching suggestions.
pub async fn request(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &request_page(&st, &cu, id, FormErrors::default()).await?,
    ))
}

/// Asks a suggested resource.
pub async fn ask_loan(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactLoanIn {
        resource: int(&f, "resource"),
    };
    match svc::ask_loan(&st, &cu.audit(), cu.actor(), PactRequestId(id), &d).await {
        Ok(_) => Ok(see_other(&format!("/pact-requests/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&request_page(&st, &cu, id, e.into()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// The lender's decision.
pub async fn decide_loan(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let d = PactDecisionIn {
        status: field(&f, "status"),
        hours: field(&f, "hours"),
        cost: field(&f, "cost"),
        note: field(&f, "note"),
    };
    let crisis = int(&f, "crisis").unwrap_or(0);
    let r = svc::decide_loan(&st, &cu.audit(), cu.actor(), PactLoanId(id), &d).await;
    or_board(&st, &cu, crisis, r, "#requests").await
}

#[derive(Template)]
#[template(path = "pact_entry.html")]
struct EntryFragment<'a> {
    l: &'a Layout,
    e: &'a PactEntry,
}

/// One timeline entry as HTML (the board and the live events share it).
pub fn entry_html(l: &Layout, e: &PactEntry) -> String {
    EntryFragment { l, e }.render().unwrap_or_default()
}

/// Whether an entry is a correction (templates compare no enums).
pub fn is_correction(e: &PactEntry) -> bool {
    e.kind == EntryKind::Correction
}

/// Live board: new timeline entries as server-sent events (`event: entry`, `id:` the entry's
/// ID, `data:` its HTML). Reads the database by ID every 300 ms, so an entry written through
/// any instance arrives; `Last-Event-ID` (or `?after=`) resumes after a reconnect.
pub async fn events(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    headers: HeaderMap,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Response> {
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or_else(|| {
            q.as_deref()
                .and_then(|q| q.strip_prefix("after="))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0);
    // 404 before the stream starts when the crisis is not visible.
    svc::visible_crisis(&st, cu.actor(), PactCrisisId(id)).await?;
    let backlog = svc::entries_after(&st, cu.actor(), PactCrisisId(id), after).await?;
    // Only an event-stream client (EventSource sends this) gets the endless stream; any other
    // GET gets the entries so far as one finite event-stream document.
    let live = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    let actor = cu.actor().clone();
    let layout = Layout::user(&cu, "pact-crisis-title", "pacts");
    if !live {
        let events: Vec<Result<Event, Infallible>> = backlog
            .iter()
            .map(|e| {
                Ok(Event::default()
                    .event("entry")
                    .id(e.id.0.to_string())
                    .data(entry_html(&layout, e)))
            })
            .collect();
        return Ok(Sse::new(futures_util::stream::iter(events)).into_response());
    }
    let state = (
        st,
        actor,
        after,
        std::collections::VecDeque::<PactEntry>::from(backlog),
        layout,
    );
    let stream = futures_util::stream::unfold(
        state,
        move |(st, actor, mut after, mut queue, layout)| async move {
            loop {
                if let Some(e) = queue.pop_front() {
                    after = e.id.0;
                    let ev = Event::default()
                        .event("entry")
                        .id(e.id.0.to_string())
                        .data(entry_html(&layout, &e));
                    return Some((Ok::<_, Infallible>(ev), (st, actor, after, queue, layout)));
                }
                match svc::entries_after(&st, &actor, PactCrisisId(id), after).await {
                    Ok(list) if !list.is_empty() => queue.extend(list),
                    Ok(_) => tokio::time::sleep(Duration::from_millis(300)).await,
                    // The crisis vanished or access ended: stop the stream.
                    Err(_) => return None,
                }
            }
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
