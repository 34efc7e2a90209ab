//! The matrix data: one entry per registered route, keyed by the route table's own method and
//! path template. The runner builds every request from the template, so a renamed route is a
//! missing entry (and its old entry a stale one), never a silent 404 from the router fallback.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Ids;

/// What a member role of another member must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No member data involved (assets, login, language, logout, own profile): only the controls.
    NotTenantData,
    /// A list or overview page: 200, and no foreign member's name or id in it (see `lists`).
    List,
    /// Another member's object in the path or body: 404. The body is valid for the actor's own
    /// member, so the object is the only reason to refuse.
    Foreign,
    /// Office-level data (costs, settings, catalog imports): 404 for every member role.
    OfficeOnly,
    /// The office's cost statement: members read their own part only (200; the measure owner
    /// 404), without any other member's name or id.
    OwnPart,
}

/// What `{id}` stands for (the target member's object, or the office's).
#[derive(Clone, Copy, Debug)]
pub enum Obj {
    /// The template has no `{id}`.
    Plain,
    /// A static asset's file name.
    Static,
    Org,
    Membership,
    /// A user of the target member who is not its coordinator (so the controls may disable it).
    User,
    /// That user's role assignment.
    Grant,
    /// An API token of the target member's coordinator.
    Token,
    /// A pending invitation to the target member's coordinator (accepted by the controls).
    Invitation,
    /// Another one (declined by the controls).
    InvitationToDecline,
    Line,
    Subsidy,
    Key,
    Statement,
    Catalog,
    Assessment,
    Answer,
    Evidence,
    /// A topic the target member marked entbehrlich (undoable).
    GroupChange,
    /// The target member's open key-figure proposal.
    Proposal,
    /// A password-reset token (an unknown one: every actor gets 404 from the handler).
    ResetToken,
    /// The target member's server (structure analysis).
    StructureObject,
    /// Another of its target objects (deleted by the controls).
    StructureObjectToDelete,
    /// Its link "application runs on server" (removed by the controls).
    StructureLink,
    /// A module assigned to its server (removed by the controls).
    ModuleAssignment,
    /// The target member's measure (read, changed, moved, noted).
    Measure,
    /// Another of its measures (deleted by the controls).
    MeasureToDelete,
    /// The office's measure template (pushed by the controls).
    MeasureTemplate,
    /// Its server with a high need (risk analysis).
    RiskObject,
    /// A risk of that server (changed, accepted, linked by the controls).
    Risk,
    /// Another risk (deleted by the controls).
    RiskToDelete,
    /// A check row of its server (answered by the controls).
    CheckRow,
    /// A crisis pact the target member belongs to (the actor's member does not).
    Pact,
    /// The target member's registered resource.
    PactResource,
    /// Another (deleted by the controls).
    PactResourceToDelete,
    /// A contact of its alarm chain (removed by the controls).
    PactContact,
    /// Its crisis.
    PactCrisis,
    /// Another crisis (closed by the controls).
    PactCrisisToClose,
    /// Its help request.
    PactRequest,
    /// A loan of its resource to a partner (decided by the controls).
    PactLoan,
    /// A TLP:AMBER advisory only the target member is warned of.
    Advisory,
    /// The target member's warning for it (acknowledged, done, made a measure by the controls).
    AdvisoryWarning,
    /// A CSAF provider of the office (run by the controls).
    CsafProvider,
    /// Another (removed by the controls).
    CsafProviderToDelete,
}

/// Who must succeed with the very same request (the positive control).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The target member's coordinator, the office ISB and the federation admin.
    Everyone,
    /// The office ISB and the federation admin (office-only routes, member administration).
    Office,
    /// Only the target member's coordinator (personal data such as the own tokens).
    Owner,
    /// Only the federation admin (deactivating users; the ISB gets 403, members 404 as for
    /// every office-level operation).
    Admin,
}

/// What "succeeds" means for the controls.
#[derive(Clone, Copy, Debug)]
pub enum Success {
    /// Any 2xx or 3xx.
    Ok,
    /// This exact status, which only the handler gives (e.g. 422 for a deliberately empty
    /// upload, 409 for a statement the fixture already issued).
    Status(u16),
    /// 2xx/3xx, or 409 when a sibling route decided the object first (accepting and
    /// rejecting one proposal: whichever runs second finds it decided). Both 2xx and 409 come
    /// only after the object was found and the right checked.
    OkOrConflict,
}

/// One route's row.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub obj: Obj,
    /// Appended to the path (`?year=2026`).
    pub query: String,
    /// Form fields (UI) or JSON body (API); `Null` for none. The string `"$own"` stands for the
    /// organisation the actor acts for (its own member; the target member in the controls).
    pub body: Value,
    pub by: By,
    pub success: Success,
    /// The request ends the session (logout): the controls log in again afterwards.
    pub ends_session: bool,
}

fn entry(kind: Kind, obj: Obj) -> Entry {
    Entry {
        kind,
        obj,
        query: String::new(),
        body: Value::Null,
        by: if kind == Kind::OfficeOnly {
            By::Office
        } else {
            By::Everyone
        },
        success: Success::Ok,
        ends_session: false,
    }
}

fn free() -> Entry {
    entry(Kind::NotTenantData, Obj::Plain)
}
fn list() -> Entry {
    entry(Kind::List, Obj::Plain)
}
fn foreign(obj: Obj) -> Entry {
    entry(Kind::Foreign, obj)
}
fn office(obj: Obj) -> Entry {
    entry(Kind::OfficeOnly, obj)
}

impl Entry {
    fn q(mut self, query: impl Into<String>) -> Self {
        self.query = query.into();
        self
    }
    fn body(mut self, body: Value) -> Self {
        self.body = body;
        self
    }
    fn by(mut self, by: By) -> Self {
        self.by = by;
        self
    }
    fn status(mut self, status: u16) -> Self {
        self.success = Success::Status(status);
        self
    }
    fn decided_once(mut self) -> Self {
        self.success = Success::OkOrConflict;
        self
    }
    fn obj(mut self, obj: Obj) -> Self {
        self.obj = obj;
        self
    }
    fn ends_session(mut self) -> Self {
        self.ends_session = true;
        self
    }
}

pub type Matrix = HashMap<(&'static str, &'static str), Entry>;

/// Every UI route.
pub fn ui(c: &Ids) -> Matrix {
    use Obj::*;
    let line = json!({"year": "2026", "category": "material", "amount": "1,00", "note": "x"});
    // The key figures as they are: a member may send them back unchanged (changing them is the
    // office's, see the proposals below).
    let org_form = json!({"name": "Übernommen", "kind": "stadt", "ags": "", "population": "16542", "staff": "150", "it_workplaces": "120"});
    let pw = super::DEMO_PASSWORD;
    HashMap::from([
        (("GET", "/static/{file}"), entry(Kind::NotTenantData, Static)),
        (("GET", "/branding/logo"), free()),
        (("POST", "/lang"), free().body(json!({"lang": "de"}))),
        (("GET", "/login"), free()),
        (("POST", "/login"), free().body(json!({"email": "$email", "password": pw})).ends_session()),
        (("GET", "/login/mfa"), free()),
        (("POST", "/login/mfa"), free().body(json!({"code": "000000"}))),
        (("POST", "/logout"), free().ends_session()),
        (("GET", "/"), list()),
        (("GET", "/orgs"), list()),
        (("GET", "/orgs/new"), free().by(By::Office)),
        (("POST", "/orgs"), free().by(By::Office).body(json!({"name": "Neu", "kind": "gemeinde"}))),
        (("GET", "/orgs/{id}"), foreign(Org)),
        (("GET", "/orgs/{id}/edit"), foreign(Org)),
        (("POST", "/orgs/{id}"), foreign(Org).body(org_form)),
        (("POST", "/orgs/{id}/memberships"), foreign(Org).by(By::Office).body(json!({"starts_on": "2026-01-01"}))),
        (("GET", "/orgs/{id}/logo"), foreign(Org)),
        // A form post is no multipart upload: the office gets as far as reading the body.
        (("POST", "/orgs/{id}/logo"), foreign(Org).by(By::Office).body(json!({"file": "x"})).status(400)),
        (("POST", "/orgs/{id}/logo/delete"), foreign(Org).by(By::Office)),
        (("POST", "/memberships/{id}/delete"), foreign(Membership).by(By::Office)),
        (("GET", "/key-figures"), list().q("?status=all")),
        // The fixture's proposal is still open: the controls get as far as that check.
        (("POST", "/orgs/{id}/key-figures"), foreign(Org).body(json!({"population": "16600", "reason": "Zensus"})).status(422)),
        (("POST", "/key-figures/{id}/accept"), foreign(Proposal).by(By::Office).body(json!({"note": "ok", "back": "list"})).decided_once()),
        (("POST", "/key-figures/{id}/reject"), foreign(Proposal).by(By::Office).body(json!({"note": "nein"})).decided_once()),
        (("GET", "/users"), list()),
        (("GET", "/users/new"), free()),
        (
            ("POST", "/users"),
            foreign(Obj::Plain).body(json!({"email": "neu@x.example", "display_name": "X", "password": "", "org_id": c.target.to_string(), "role": "measure_owner"})),
        ),
        (("GET", "/users/{id}"), foreign(User)),
        (("POST", "/users/{id}/roles"), foreign(User).body(json!({"org_id": "$own", "role": "measure_owner"}))),
        (("POST", "/users/{id}/status"), foreign(User).by(By::Admin).body(json!({"disabled": "true"}))),
        (("POST", "/roles/{id}/delete"), foreign(Grant)),
        (("POST", "/users/{id}/reset-link"), foreign(User).by(By::Admin)),
        (("GET", "/reset/{token}"), entry(Kind::NotTenantData, ResetToken).status(404)),
        (("POST", "/reset/{token}"), entry(Kind::NotTenantData, ResetToken).body(json!({"new": "ein langes neues Passwort", "repeat": "ein langes neues Passwort"})).status(404)),
        (("GET", "/audit"), list()),
        (("GET", "/audit/export"), list()),
        (("GET", "/profile"), free()),
        (("POST", "/profile/password"), free().body(json!({"current": "falsch", "new": "x"})).status(422)),
        (("POST", "/profile/language"), free().body(json!({"locale": "de"}))),
        (("POST", "/profile/mfa/start"), free()),
        (("POST", "/profile/mfa/enable"), free().body(json!({"code": "000000"})).status(422)),
        (("POST", "/profile/mfa/disable"), free().body(json!({"password": "falsch"})).status(422)),
        (("POST", "/profile/tokens"), free().body(json!({"name": "t"}))),
        (("POST", "/profile/tokens/{id}/revoke"), foreign(Token).by(By::Owner)),
        (("POST", "/profile/sessions/revoke"), free()),
        (("POST", "/profile/invitations/{id}/accept"), foreign(Invitation).by(By::Owner)),
        (("POST", "/profile/invitations/{id}/decline"), foreign(InvitationToDecline).by(By::Owner)),
        (("GET", "/costs"), list()),
        (("POST", "/costs/lines"), office(Obj::Plain).body(line)),
        (("POST", "/costs/lines/{id}/delete"), office(Line)),
        (("GET", "/costs/lines/{id}/edit"), office(Line)),
        (("POST", "/costs/lines/{id}"), office(Line).body(json!({"category": "material", "amount": "2,00", "note": "y"}))),
        (("GET", "/costs/standalone"), office(Obj::Plain)),
        (("POST", "/costs/standalone"), office(Obj::Plain).body(Value::Object(
            [(format!("standalone-{}", c.target), Value::from("1.000"))].into_iter().collect(),
        ))),
        (("POST", "/costs/copy"), office(Obj::Plain).body(json!({"from": "2026", "to": "2029", "index": "0"}))),
        (
            ("POST", "/costs/subsidies"),
            office(Obj::Plain).body(json!({"year": "2026", "name": "F", "total": "100", "first_year": "2026", "last_year": "2026"})),
        ),
        (("POST", "/costs/subsidies/{id}/delete"), office(Subsidy)),
        (("GET", "/costs/keys/new"), office(Obj::Plain)),
        (("POST", "/costs/keys"), office(Obj::Plain).body(json!({"name": "G", "preset": "equal"}))),
        (("POST", "/costs/keys/preview"), office(Obj::Plain).body(json!({"preset": "equal", "preview_year": "2026"}))),
        (("GET", "/costs/keys/{id}/edit"), office(Key)),
        (("POST", "/costs/keys/{id}"), office(Key).body(json!({"name": "G", "preset": "equal"}))),
        (("GET", "/costs/statements/new"), office(Obj::Plain).q(format!("?year=2026&key={}", c.key))),
        (("GET", "/costs/statements/{id}/zip"), office(Statement)),
        (("GET", "/costs/preview"), office(Obj::Plain).q(format!("?year=2026&key={}", c.key))),
        (("GET", "/costs/compare"), office(Obj::Plain).q(format!("?year=2026&a={0}&b={0}", c.key))),
        (("POST", "/costs/statements"), office(Obj::Plain).body(json!({"year": "2026", "key": c.key.to_string()}))),
        (("GET", "/costs/statements/{id}"), entry(Kind::OwnPart, Statement)),
        (("GET", "/costs/statements/{id}/pdf"), foreign(Statement).q(format!("?member={}", c.target))),
        (("GET", "/costs/statements/{id}/xlsx"), foreign(Statement).q(format!("?member={}", c.target))),
        (("GET", "/settings"), office(Obj::Plain)),
        (("POST", "/settings"), office(Obj::Plain).body(json!({"named_comparison": "1"}))),
        (("POST", "/settings/logo"), office(Obj::Plain).body(json!({"file": "x"})).status(400)),
        (("POST", "/settings/logo/delete"), office(Obj::Plain)),
        (("GET", "/catalogs"), list()),
        (("POST", "/catalogs"), office(Obj::Plain).body(json!({"format": "auto"})).status(400)),
        (("GET", "/catalogs/{id}"), free().obj(Catalog)),
        (("POST", "/catalogs/{id}/start"), office(Catalog)),
        (("GET", "/assessments"), list()),
        (("GET", "/assessments/{id}"), foreign(Assessment)),
        (("POST", "/assessments/{id}/bulk"), foreign(Assessment).body(json!({"ids": c.answer.to_string(), "status": "yes"}))),
        (("POST", "/assessments/{id}/not-applicable"), foreign(Assessment).body(json!({"topic": "2", "justification": "Kein Großrechner"}))),
        (("POST", "/assessment-changes/{id}/undo"), foreign(GroupChange)),
        (("POST", "/assessments/{id}/snapshots"), foreign(Assessment).body(json!({"name": "x"}))),
        (("GET", "/assessments/{id}/compare"), foreign(Assessment).q(format!("?from={}", c.snapshot))),
        (("GET", "/assessments/{id}/export"), foreign(Assessment).q("?format=csv")),
        (("POST", "/assessments/{id}/import"), foreign(Assessment).body(json!({"file": "x"})).status(400)),
        (("GET", "/answers/{id}"), foreign(Answer)),
        (("POST", "/answers/{id}"), foreign(Answer).body(json!({"status": "yes"}))),
        (("POST", "/answers/{id}/evidence"), foreign(Answer).body(json!({"file": "x"})).status(400)),
        (("GET", "/evidence/{id}"), foreign(Evidence)),
        (("POST", "/evidence/{id}/delete"), foreign(Evidence)),
        (("GET", "/heatmap"), list()),
        (("GET", "/heatmap/report.pdf"), list()),
        (("GET", "/heatmap/report.xlsx"), list()),
        (("GET", "/assessments/{id}/migration"), foreign(Assessment).q(format!("?to={}", c.catalog)).status(422)),
        (("POST", "/assessments/{id}/migrate"), foreign(Assessment).body(json!({"catalog_id": c.catalog})).status(422)),
        (("GET", "/structure"), list()),
        // The form offers only the actor's own organisations; a member without the right to
        // edit gets 403 (nothing of another member is involved).
        (("GET", "/structure/new"), free()),
        (
            ("POST", "/structure/objects"),
            foreign(Obj::Plain).body(json!({"org": c.target.to_string(), "short_id": "NEU1", "name": "Neu", "object_type": "server"})),
        ),
        (("GET", "/structure/objects/{id}"), foreign(StructureObject)),
        (("GET", "/structure/objects/{id}/edit"), foreign(StructureObject)),
        (
            ("POST", "/structure/objects/{id}"),
            foreign(StructureObject).body(json!({"short_id": "RA-S1", "name": "Übernommen", "object_type": "server"})),
        ),
        (("POST", "/structure/objects/{id}/delete"), foreign(StructureObjectToDelete)),
        (
            ("POST", "/structure/objects/{id}/needs"),
            foreign(StructureObject).body(json!({"goal": "availability", "value": "high", "justification": "Übernahme"})),
        ),
        (
            ("POST", "/structure/objects/{id}/links"),
            foreign(StructureObject).body(json!({"to": c.structure_room.to_string(), "link_type": "located_in"})),
        ),
        (("POST", "/structure/links/{id}/delete"), foreign(StructureLink)),
        (("GET", "/orgs/{id}/structure/export"), foreign(Org).q("?format=csv")),
        (("GET", "/orgs/{id}/structure/report"), foreign(Org).q("?format=xlsx")),
        (("POST", "/orgs/{id}/structure/import"), foreign(Org).body(json!({"file": "x"})).status(400)),
        (("GET", "/orgs/{id}/structure/dependencies"), foreign(Org)),
        (("GET", "/structure/providers"), office(Obj::Plain)),
        (("POST", "/structure/objects/{id}/modules"), foreign(StructureObject).body(json!({"node_id": c.module_node.to_string()}))),
        (("POST", "/structure/modules/{id}/delete"), foreign(ModuleAssignment)),
        (("GET", "/orgs/{id}/structure/modelling"), foreign(Org)),
        (("GET", "/structure/coverage"), office(Obj::Plain)),
        (("GET", "/structure/module-rules"), list()),
        (("POST", "/structure/module-rules"), office(Obj::Plain).body(json!({"rules": "{\"rules\": []}"}))),
        (("GET", "/structure/settings"), office(Obj::Plain)),
        (("POST", "/structure/settings"), office(Obj::Plain).body(json!({"cumulation_threshold": "5"})).status(422)),
        (("GET", "/measures"), list()),
        (("GET", "/measures/board"), list()),
        (("GET", "/orgs/{id}/measures/plan"), foreign(Org).q("?format=xlsx")),
        (("GET", "/measures/new"), free()),
        (("POST", "/measures"), foreign(Obj::Plain).body(json!({"org": c.target.to_string(), "title": "Neu"}))),
        (("GET", "/measures/{id}"), foreign(Measure)),
        (("POST", "/measures/{id}"), foreign(Measure).body(json!({"title": "Geändert"}))),
        (("POST", "/measures/{id}/status"), foreign(Measure).body(json!({"status": "in_arbeit"}))),
        (("POST", "/measures/{id}/notes"), foreign(Measure).body(json!({"body": "Notiz"}))),
        (("POST", "/measures/{id}/objects"), foreign(Measure).body(json!({}))),
        (("POST", "/measures/{id}/delete"), foreign(MeasureToDelete)),
        (("POST", "/answers/{id}/measure"), foreign(Answer)),
        (("GET", "/assessments/{id}/measures/bulk"), foreign(Assessment)),
        (("POST", "/assessments/{id}/measures/bulk"), foreign(Assessment).body(json!({"priority": "hoch"}))),
        (("GET", "/measure-templates"), office(Obj::Plain)),
        (("POST", "/measure-templates"), office(Obj::Plain).body(json!({"title": "Vorlage"}))),
        (("GET", "/measure-templates/{id}"), office(MeasureTemplate)),
        (("POST", "/measure-templates/{id}/push"), office(MeasureTemplate).body(json!({"scope": "all"}))),
        (("GET", "/advisories"), list()),
        (("POST", "/advisories"), office(Obj::Plain).body(json!({"not": "an advisory"})).status(400)),
        (("GET", "/advisories/warnings"), list()),
        (("GET", "/advisories/critical"), office(Obj::Plain)),
        (("GET", "/advisories/{id}"), foreign(Advisory)),
        (("GET", "/advisories/warnings/{id}"), foreign(AdvisoryWarning)),
        (("POST", "/advisories/warnings/{id}/acknowledge"), foreign(AdvisoryWarning).decided_once()),
        (("POST", "/advisories/warnings/{id}/done"), foreign(AdvisoryWarning).decided_once()),
        (("POST", "/advisories/warnings/{id}/confirm"), foreign(AdvisoryWarning).by(By::Office).decided_once()),
        (("POST", "/advisories/warnings/{id}/measure"), foreign(AdvisoryWarning)),
        (("GET", "/advisories/providers"), office(Obj::Plain)),
        (("POST", "/advisories/providers"), office(Obj::Plain).body(json!({"metadata_url": "http://127.0.0.1:9/neu/provider-metadata.json"}))),
        (("GET", "/advisories/providers/{id}"), office(CsafProvider)),
        (("POST", "/advisories/providers/{id}/run"), office(CsafProvider)),
        (("POST", "/advisories/providers/{id}/delete"), office(CsafProviderToDelete)),
        (("GET", "/risks"), list()),
        (("GET", "/risks/federation"), list()),
        (("GET", "/risks/matrix"), list()),
        (("GET", "/risks/threats"), list()),
        (("POST", "/risks/threats"), office(Obj::Plain).body(json!({"code": "V 9", "name": "Eigene Gefährdung", "goal_c": "1"}))),
        (("POST", "/risks/matrix"), office(Obj::Plain).body(Value::Object((0..16).map(|k| (format!("cell_{}_{}", k / 4, k % 4), Value::from("hoch"))).collect()))),
        (("GET", "/structure/objects/{id}/risks"), foreign(RiskObject)),
        (("POST", "/structure/objects/{id}/risks"), foreign(RiskObject).body(json!({"threat": c.threat_ui.to_string(), "frequency": "mittel", "impact": "begrenzt"}))),
        (("GET", "/risks/{id}"), foreign(Risk)),
        (("POST", "/risks/{id}"), foreign(Risk).body(json!({"frequency": "selten", "impact": "begrenzt"}))),
        (("POST", "/risks/{id}/accept"), foreign(Risk).body(json!({"approver": c.target_management.to_string(), "expires_on": "2099-12-31"}))),
        (("POST", "/risks/{id}/delete"), foreign(RiskToDelete)),
        (("POST", "/risks/{id}/measures"), foreign(Risk).body(json!({"measure": c.measure_free.to_string()}))),
        (("POST", "/risks/{id}/measures/unlink"), foreign(Risk).body(json!({"measure": c.measure_linked.to_string()}))),
        (("GET", "/orgs/{id}/check"), foreign(Org)),
        (("GET", "/check/rows/{id}"), foreign(CheckRow)),
        (("POST", "/check/rows/{id}"), foreign(CheckRow).body(json!({"status": "yes"}))),
        (("GET", "/check/comparison"), office(Obj::Plain)),
        (("GET", "/pacts"), list()),
        (("POST", "/pacts"), office(Obj::Plain).body(json!({"name": "Neuer Pakt"}))),
        (("GET", "/pacts/{id}"), foreign(Pact)),
        (("POST", "/pacts/{id}/members"), office(Pact).body(json!({"org": "$own", "lat": "50,01", "lon": "8,45"}))),
        (("POST", "/pacts/{id}/crises"), foreign(Pact).body(json!({"org": "$own", "severity": "low", "affected_services": "Drucker", "summary": "Störung"}))),
        (("GET", "/pacts/{id}/alarm-chain"), foreign(Pact)),
        (("GET", "/pacts/{id}/map"), foreign(Pact)),
        (("GET", "/orgs/{id}/pact-handbook"), foreign(Org)),
        (("GET", "/pact-crises/{id}/settlement"), foreign(PactCrisis)),
        (("GET", "/orgs/{id}/pact-registry"), foreign(Org)),
        (("POST", "/orgs/{id}/pact-resources"), foreign(Org).body(json!({"kind": "equipment", "name": "Drucker", "equipment_type": "printer", "count": "1"}))),
        (("POST", "/pact-resources/{id}/confirm"), foreign(PactResource)),
        (("POST", "/pact-resources/{id}/delete"), foreign(PactResourceToDelete)),
        (("POST", "/orgs/{id}/pact-contacts"), foreign(Org).body(json!({"name": "Bereitschaft", "phone": "06142 1"}))),
        (("POST", "/pact-contacts/{id}/delete"), foreign(PactContact)),
        (("GET", "/pact-crises/{id}"), foreign(PactCrisis)),
        (("GET", "/pact-crises/{id}/events"), foreign(PactCrisis)),
        (("POST", "/pact-crises/{id}/entries"), foreign(PactCrisis).body(json!({"text": "Meldung"}))),
        (("POST", "/pact-crises/{id}/requests"), foreign(PactCrisis).body(json!({"need": "skill:network", "count": "1"}))),
        (("POST", "/pact-crises/{id}/close"), foreign(PactCrisisToClose).body(json!({"lessons_learned": "Gelernt"}))),
        (("GET", "/pact-requests/{id}"), foreign(PactRequest)),
        (("POST", "/pact-requests/{id}/loans"), foreign(PactRequest).body(json!({"resource": c.pact_lendable.to_string()}))),
        (("POST", "/pact-loans/{id}/decision"), foreign(PactLoan).body(json!({"status": "accepted", "hours": "2", "crisis": c.pact_crisis.to_string()}))),
        (("GET", "/jobs"), office(Obj::Plain)),
        (("POST", "/jobs/settings"), office(Obj::Plain).body(json!({"days_before": "7", "digest_weekday": "1"}))),
        (("POST", "/profile/calendar"), free()),
        (("POST", "/profile/calendar/revoke"), free()),
        (("GET", "/calendar/{token}"), entry(Kind::NotTenantData, ResetToken).status(404)),
    ])
}

/// Every API route (paths below `/api/v1`).
pub fn api(c: &Ids) -> Matrix {
    use Obj::*;
    let line = json!({"category": "material", "amount_cents": 100});
    let subsidy =
        json!({"name": "Förderung", "total_cents": 100, "first_year": 2026, "last_year": 2026});
    let key = json!({"name": "Gleich", "root": {"kind": "equal"}});
    HashMap::from([
        (("GET", "/me"), free()),
        (("POST", "/me/password"), free().body(json!({"current": "falsch", "new": "x"})).status(422)),
        (("POST", "/me/logout-everywhere"), free().body(json!({"revoke_tokens": false}))),
        (("GET", "/me/invitations"), free()),
        (("POST", "/me/invitations/{id}/accept"), foreign(Invitation).by(By::Owner)),
        (("POST", "/me/invitations/{id}/decline"), foreign(InvitationToDecline).by(By::Owner)),
        (("GET", "/invitations"), list()),
        (("GET", "/organisations"), list()),
        (("POST", "/organisations"), office(Obj::Plain).body(json!({"name": "Neu", "kind": "gemeinde"}))),
        (("GET", "/organisations/{id}"), foreign(Org)),
        // Valid with population and staff, so the controls leave the cost key computable.
        (
            ("PUT", "/organisations/{id}"),
            foreign(Org).body(json!({"name": "Übernommen", "kind": "stadt", "population": 16542, "staff": 150, "it_workplaces": 120})),
        ),
        (("GET", "/organisations/{id}/memberships"), foreign(Org)),
        (("POST", "/organisations/{id}/memberships"), foreign(Org).by(By::Office).body(json!({"starts_on": "2026-01-01"}))),
        (("PUT", "/memberships/{id}"), foreign(Membership).by(By::Office).body(json!({"starts_on": "2026-01-01"}))),
        (("DELETE", "/memberships/{id}"), foreign(Membership).by(By::Office)),
        (("GET", "/key-figure-proposals"), list()),
        (("POST", "/organisations/{id}/key-figure-proposals"), foreign(Org).body(json!({"population": 16600})).status(422)),
        (("GET", "/key-figure-proposals/{id}"), foreign(Proposal)),
        (("POST", "/key-figure-proposals/{id}/accept"), foreign(Proposal).by(By::Office).body(json!({"note": "ok"})).decided_once()),
        (("POST", "/key-figure-proposals/{id}/reject"), foreign(Proposal).by(By::Office).body(json!({})).decided_once()),
        (("GET", "/users"), list()),
        (
            ("POST", "/users"),
            foreign(Obj::Plain).body(json!({"email": "neu@x.example", "display_name": "X", "org_id": c.target, "role": "measure_owner"})),
        ),
        (("GET", "/users/{id}"), foreign(User)),
        (("POST", "/users/{id}/password-reset"), foreign(User).by(By::Admin)),
        (("PATCH", "/users/{id}"), foreign(User).by(By::Admin).body(json!({"disabled": true}))),
        (("POST", "/users/{id}/roles"), foreign(User).body(json!({"org_id": "$own", "role": "measure_owner"}))),
        (("DELETE", "/role-assignments/{id}"), foreign(Grant)),
        (("GET", "/audit"), list()),
        (("GET", "/tokens"), free()),
        (("POST", "/tokens"), free().body(json!({"name": "t"}))),
        (("DELETE", "/tokens/{id}"), foreign(Token).by(By::Owner)),
        (("POST", "/catalogs"), office(Obj::Plain).body(json!({"not": "a catalog"})).status(400)),
        (("GET", "/catalogs"), list()),
        (("GET", "/catalogs/{id}"), free().obj(Catalog)),
        (("GET", "/costs/budget"), office(Obj::Plain).q("?year=2026")),
        (("POST", "/costs/budget-lines"), office(Obj::Plain).q("?year=2026").body(line.clone())),
        (("PUT", "/costs/budget-lines/{id}"), office(Line).body(line)),
        (("DELETE", "/costs/budget-lines/{id}"), office(Line)),
        (("POST", "/costs/budget/copy"), office(Obj::Plain).body(json!({"from": 2026, "to": 2028}))),
        (("GET", "/costs/subsidies"), office(Obj::Plain)),
        (("POST", "/costs/subsidies"), office(Obj::Plain).body(subsidy.clone())),
        (("PUT", "/costs/subsidies/{id}"), office(Subsidy).body(subsidy)),
        (("DELETE", "/costs/subsidies/{id}"), office(Subsidy)),
        (("GET", "/costs/keys"), office(Obj::Plain)),
        (("POST", "/costs/keys"), office(Obj::Plain).body(key.clone())),
        (("GET", "/costs/keys/{id}"), office(Key)),
        (("PUT", "/costs/keys/{id}"), office(Key).body(key)),
        (("GET", "/costs/preview"), office(Obj::Plain).q(format!("?year=2026&key={}", c.key))),
        (("GET", "/costs/compare"), office(Obj::Plain).q(format!("?year=2026&a={0}&b={0}", c.key))),
        (("GET", "/costs/statements"), entry(Kind::OwnPart, Obj::Plain)),
        (("POST", "/costs/statements"), office(Obj::Plain).body(json!({"year": 2026, "key_id": c.key}))),
        (("POST", "/costs/statements/draft"), office(Obj::Plain).body(json!({"year": 2026, "key_id": c.key}))),
        (("GET", "/costs/statements/{id}/zip"), office(Statement)),
        (("GET", "/costs/standalone"), office(Obj::Plain)),
        (("PUT", "/costs/standalone"), office(Obj::Plain).body(json!({"members": [{"member": c.target, "amount_cents": 100_000}]}))),
        (("GET", "/costs/statements/{id}"), entry(Kind::OwnPart, Statement)),
        (("GET", "/costs/statements/{id}/pdf"), foreign(Statement).q(format!("?member={}", c.target))),
        (("GET", "/costs/statements/{id}/xlsx"), foreign(Statement).q(format!("?member={}", c.target))),
        (("GET", "/settings"), office(Obj::Plain)),
        (("PUT", "/settings"), office(Obj::Plain).body(json!({"named_comparison": true}))),
        (("GET", "/branding/logo"), free()),
        // `{}` is no image: refused after the access check.
        (("PUT", "/settings/logo"), office(Obj::Plain).body(json!({})).status(422)),
        (("DELETE", "/settings/logo"), office(Obj::Plain)),
        (("GET", "/organisations/{id}/logo"), foreign(Org)),
        (("PUT", "/organisations/{id}/logo"), foreign(Org).by(By::Office).body(json!({})).status(422)),
        (("DELETE", "/organisations/{id}/logo"), foreign(Org).by(By::Office)),
        (("POST", "/assessments"), foreign(Obj::Plain).by(By::Office).body(json!({"catalog_id": c.catalog, "orgs": [c.target]}))),
        (("GET", "/assessments"), list()),
        (("GET", "/assessments/{id}"), foreign(Assessment)),
        (("GET", "/assessments/{id}/answers"), foreign(Assessment).q("?all=true")),
        (("POST", "/assessments/{id}/answers/bulk"), foreign(Assessment).body(json!({"ids": [c.answer], "status": "yes"}))),
        (("POST", "/assessments/{id}/not-applicable"), foreign(Assessment).body(json!({"topic": 2, "justification": "Kein Großrechner"}))),
        (("POST", "/assessment-changes/{id}/undo"), foreign(GroupChange)),
        (("PUT", "/answers/{id}"), foreign(Answer).body(json!({"status": "yes"}))),
        (("GET", "/assessments/{id}/snapshots"), foreign(Assessment)),
        (("POST", "/assessments/{id}/snapshots"), foreign(Assessment).body(json!({"name": "x"}))),
        (("GET", "/assessments/{id}/compare"), foreign(Assessment).q(format!("?from={}", c.snapshot))),
        (("GET", "/assessments/{id}/export"), foreign(Assessment).q("?format=csv")),
        (("POST", "/assessments/{id}/import"), foreign(Assessment).body(json!({})).status(400)),
        (("GET", "/answers/{id}/evidence"), foreign(Answer)),
        (("POST", "/answers/{id}/evidence"), foreign(Answer).q("?file_name=x.pdf").body(json!({})).status(422)),
        (("GET", "/evidence/{id}"), foreign(Evidence)),
        (("DELETE", "/evidence/{id}"), foreign(Evidence)),
        (("GET", "/heatmap"), list()),
        (("GET", "/heatmap/report/pdf"), list()),
        (("GET", "/heatmap/report/xlsx"), list()),
        (("GET", "/dashboard"), list()),
        (("GET", "/assessments/{id}/migration"), foreign(Assessment).q(format!("?to={}", c.catalog)).status(422)),
        (("POST", "/assessments/{id}/migrate"), foreign(Assessment).body(json!({"catalog_id": c.catalog})).status(422)),
        (("GET", "/structure/objects"), list()),
        (
            ("POST", "/organisations/{id}/structure/objects"),
            foreign(Org).body(json!({"short_id": "NEU1", "name": "Neu", "object_type": "server"})),
        ),
        (("GET", "/structure/objects/{id}"), foreign(StructureObject)),
        (
            ("PUT", "/structure/objects/{id}"),
            foreign(StructureObject).body(json!({"short_id": "RA-S1", "name": "Übernommen", "object_type": "server"})),
        ),
        (("DELETE", "/structure/objects/{id}"), foreign(StructureObjectToDelete)),
        (
            ("PUT", "/structure/objects/{id}/needs"),
            foreign(StructureObject).body(json!({"goal": "availability", "value": "high", "justification": "Übernahme"})),
        ),
        (("GET", "/organisations/{id}/structure/links"), foreign(Org)),
        (
            ("POST", "/structure/links"),
            foreign(Obj::Plain).body(json!({"from": c.structure_object, "to": c.structure_room, "link_type": "located_in"})),
        ),
        (("DELETE", "/structure/links/{id}"), foreign(StructureLink)),
        (("GET", "/structure/settings"), list()),
        (("PUT", "/structure/settings"), office(Obj::Plain).body(serde_json::to_value(verbund_domain::structure::needs::StructureSettings::default()).unwrap())),
        (("GET", "/structure/providers"), office(Obj::Plain)),
        (("GET", "/organisations/{id}/structure/export"), foreign(Org).q("?format=csv")),
        (("GET", "/organisations/{id}/structure/report"), foreign(Org).q("?format=xlsx")),
        (("POST", "/organisations/{id}/structure/import"), foreign(Org).body(json!({})).status(400)),
        (("GET", "/structure/objects/{id}/modules"), foreign(StructureObject)),
        (("POST", "/structure/objects/{id}/modules"), foreign(StructureObject).body(json!({"node_id": c.module_node}))),
        (("DELETE", "/structure/modules/{id}"), foreign(ModuleAssignment)),
        (("POST", "/advisories"), office(Obj::Plain).body(json!({"not": "an advisory"})).status(422)),
        (("GET", "/advisories"), list()),
        (("GET", "/advisories/{id}"), foreign(Advisory)),
        (("GET", "/advisories/{id}/document"), foreign(Advisory)),
        (("GET", "/advisory-warnings"), list()),
        (("GET", "/advisory-warnings/critical"), office(Obj::Plain)),
        (("GET", "/advisory-warnings/{id}"), foreign(AdvisoryWarning)),
        (("POST", "/advisory-warnings/{id}/acknowledge"), foreign(AdvisoryWarning).decided_once()),
        (("POST", "/advisory-warnings/{id}/done"), foreign(AdvisoryWarning).decided_once()),
        (("POST", "/advisory-warnings/{id}/confirm"), foreign(AdvisoryWarning).by(By::Office).decided_once()),
        (("POST", "/advisory-warnings/{id}/measure"), foreign(AdvisoryWarning)),
        (("GET", "/csaf-providers"), office(Obj::Plain)),
        (("POST", "/csaf-providers"), office(Obj::Plain).body(json!({"metadata_url": "http://127.0.0.1:9/neu/provider-metadata.json"}))),
        (("GET", "/csaf-providers/{id}"), office(CsafProvider)),
        (("POST", "/csaf-providers/{id}/run"), office(CsafProvider)),
        (("DELETE", "/csaf-providers/{id}"), office(CsafProviderToDelete)),
        (("GET", "/risks"), list()),
        (("GET", "/risks/federation"), list()),
        (("GET", "/risks/{id}"), foreign(Risk)),
        (("PUT", "/risks/{id}"), foreign(Risk).body(json!({"frequency": "selten", "impact": "begrenzt"}))),
        (("DELETE", "/risks/{id}"), foreign(RiskToDelete)),
        (("POST", "/risks/{id}/accept"), foreign(Risk).body(json!({"approver": c.target_management, "expires_on": "2099-12-31"}))),
        (("POST", "/risks/{id}/measures"), foreign(Risk).body(json!({"measure": c.measure_free}))),
        (("POST", "/risks/{id}/measures/unlink"), foreign(Risk).body(json!({"measure": c.measure_linked}))),
        (("GET", "/structure/objects/{id}/risks"), foreign(RiskObject)),
        (("POST", "/structure/objects/{id}/risks"), foreign(RiskObject).body(json!({"threats": [c.threat_api], "frequency": "mittel", "impact": "begrenzt"}))),
        (("GET", "/risk-threats"), list()),
        (("POST", "/risk-threats"), office(Obj::Plain).body(json!({"code": "V 1", "name": "Eigene Gefährdung", "goals": "CI"}))),
        (("GET", "/risk-matrix"), list()),
        (("PUT", "/risk-matrix"), office(Obj::Plain).body(serde_json::to_value(verbund_domain::risk::RiskMatrix::default()).unwrap())),
        (("GET", "/structure/modules"), list()),
        (("GET", "/organisations/{id}/structure/modelling"), foreign(Org)),
        (("GET", "/structure/coverage"), office(Obj::Plain)),
        (("GET", "/structure/module-rules"), list()),
        (
            ("PUT", "/structure/module-rules"),
            office(Obj::Plain).body(serde_json::to_value(verbund_domain::structure::modelling::ModuleRules::default()).unwrap()),
        ),
        (("GET", "/measures"), list()),
        (("POST", "/organisations/{id}/measures"), foreign(Org).body(json!({"title": "Neu"}))),
        (("GET", "/organisations/{id}/measures/plan"), foreign(Org).q("?format=xlsx")),
        (("GET", "/measures/{id}"), foreign(Measure)),
        (("PUT", "/measures/{id}"), foreign(Measure).body(json!({"title": "Geändert"}))),
        (("DELETE", "/measures/{id}"), foreign(MeasureToDelete)),
        (("PUT", "/measures/{id}/status"), foreign(Measure).body(json!({"status": "in_arbeit"}))),
        (("PUT", "/measures/{id}/objects"), foreign(Measure).body(json!({"object_ids": []}))),
        (("POST", "/measures/{id}/notes"), foreign(Measure).body(json!({"body": "Notiz"}))),
        (("GET", "/assessments/{id}/measures/bulk"), foreign(Assessment)),
        (("POST", "/assessments/{id}/measures/bulk"), foreign(Assessment).body(json!({}))),
        (("GET", "/measure-templates"), office(Obj::Plain)),
        (("POST", "/measure-templates"), office(Obj::Plain).body(json!({"title": "Vorlage"}))),
        (("GET", "/measure-templates/{id}"), office(MeasureTemplate)),
        (("POST", "/measure-templates/{id}/push"), office(MeasureTemplate).body(json!({}))),
        (("GET", "/organisations/{id}/check"), foreign(Org)),
        (("GET", "/structure/objects/{id}/check"), foreign(StructureObject)),
        (("GET", "/check/rows/{id}"), foreign(CheckRow)),
        (("PUT", "/check/rows/{id}"), foreign(CheckRow).body(json!({"status": "yes"}))),
        (("GET", "/check/comparison"), office(Obj::Plain)),
        (("GET", "/pacts"), list()),
        (("POST", "/pacts"), office(Obj::Plain).body(json!({"name": "Neuer Pakt"}))),
        (("GET", "/pacts/{id}"), foreign(Pact)),
        (("PUT", "/pacts/{id}"), office(Pact).body(json!({"name": "Pakt umbenannt"}))),
        (("GET", "/pacts/{id}/dependency-map"), foreign(Pact)),
        (("GET", "/organisations/{id}/pact-handbook"), foreign(Org)),
        (("GET", "/pact-crises/{id}/settlement"), foreign(PactCrisis)),
        (("POST", "/pacts/{id}/members"), office(Pact).body(json!({"org": "$own", "lat": "50.01", "lon": "8.45"}))),
        (("POST", "/pacts/{id}/crises"), foreign(Pact).body(json!({"org": "$own", "severity": "low", "affected_services": "Drucker", "summary": "Störung"}))),
        (("GET", "/organisations/{id}/pact-registry"), foreign(Org)),
        (("POST", "/organisations/{id}/pact-resources"), foreign(Org).body(json!({"kind": "equipment", "name": "Drucker", "equipment_type": "printer", "count": 1}))),
        (("PUT", "/pact-resources/{id}"), foreign(PactResource).body(json!({"kind": "person", "name": "Firewall-Team", "skills": ["firewall", "network"]}))),
        (("DELETE", "/pact-resources/{id}"), foreign(PactResourceToDelete)),
        (("POST", "/pact-resources/{id}/confirm"), foreign(PactResource)),
        (("POST", "/organisations/{id}/pact-contacts"), foreign(Org).body(json!({"name": "Bereitschaft", "phone": "06142 1"}))),
        (("DELETE", "/pact-contacts/{id}"), foreign(PactContact)),
        (("GET", "/pact-crises/{id}"), foreign(PactCrisis)),
        (("POST", "/pact-crises/{id}/entries"), foreign(PactCrisis).body(json!({"text": "Meldung"}))),
        (("POST", "/pact-crises/{id}/requests"), foreign(PactCrisis).body(json!({"need_kind": "skill", "need": "network"}))),
        (("POST", "/pact-crises/{id}/close"), foreign(PactCrisisToClose).body(json!({"lessons_learned": "Gelernt"}))),
        (("GET", "/pact-requests/{id}/matches"), foreign(PactRequest)),
        (("POST", "/pact-requests/{id}/loans"), foreign(PactRequest).body(json!({"resource": c.pact_lendable}))),
        (("POST", "/pact-loans/{id}/decision"), foreign(PactLoan).body(json!({"status": "accepted", "hours": "2"}))),
        (("GET", "/jobs"), office(Obj::Plain)),
        (("GET", "/outbox"), office(Obj::Plain)),
        (("GET", "/reminder-settings"), office(Obj::Plain)),
        (("PUT", "/reminder-settings"), office(Obj::Plain).body(json!({"days_before": 7, "digest_weekday": 1}))),
        (("GET", "/me/calendar-feed"), free()),
        (("POST", "/me/calendar-feed"), free()),
        (("DELETE", "/me/calendar-feed"), free()),
    ])
}
