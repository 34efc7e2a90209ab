//! Risk analysis (BSI-Standard 200-3) for target objects with a high protection need: the
//! threats of an object (suggested by its type and high basic values), ratings before and after
//! treatment, the treatment, acceptance by the member's management with an expiry date, links
//! to measures, the member's register, the federation view and the office's risk matrix.
//!
//! Permissions follow the structure analysis: `ReadStructure` to read, `EditStructure` to
//! change (coordinators for their member, the office everywhere), `ManageStructureSettings`
//! (office) for the matrix and the federation's own threats. An object or risk the actor cannot
//! see is 404; one it sees but may not change is 403.

use serde::{Deserialize, Serialize};
use time::Date;
use verbund_domain::authz::{Actor, Denied, Permission};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::risk::model::{Risk, RiskFilter, Threat, ThreatSummary, TreatmentFilter};
use verbund_domain::risk::{RawRisk, RiskCategory, RiskMatrix, check_acceptance, threats};
use verbund_domain::settings::anonymous_figures_visible;
use verbund_domain::structure::Category;
use verbund_domain::structure::model::TargetObject;
use verbund_domain::validation::{
    ValidationErrors, format_date, optional_multiline, required_text,
};
use verbund_domain::{MeasureId, OrgId, RiskId, StructureObjectId, ThreatId, UserId};
use verbund_store::{AuditActor, NewThreat};

use crate::Services;
use crate::error::{Error, Result};

fn may_edit(actor: &Actor, org: OrgId) -> Result<()> {
    actor
        .check(Permission::EditStructure, org)
        .map_err(|d| match d {
            Denied::NotFound | Denied::Forbidden => Error::Forbidden,
        })
}

/// Today in Berlin by the services' clock (acceptances expire by calendar day).
pub fn today(st: &Services) -> Date {
    verbund_domain::localtime::berlin_date(st.clock.now_ms())
}

/// Which basic values of an object are high (hoch or sehr hoch): `[C, I, A]`.
pub fn high_goals(o: &TargetObject) -> [bool; 3] {
    let high = |c: Option<Category>| matches!(c, Some(Category::High | Category::VeryHigh));
    [
        high(o.effective.confidentiality),
        high(o.effective.integrity),
        high(o.effective.availability),
    ]
}

/// An object's risk analysis: the object, its risks, the threats suggested for it that it
/// has no risk for yet, and every other threat it has none for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObjectRisks {
    /// Whether a basic value's need is hoch or sehr hoch (only then may risks be added).
    pub high_need: bool,
    /// The object's risks, worst first.
    pub risks: Vec<Risk>,
    /// Threats suggested by the object's type and high basic values, and those imported
    /// libraries link to requirements the member left unmet, without a risk yet.
    pub suggested: Vec<Threat>,
    /// The other threats without a risk yet.
    pub other: Vec<Threat>,
}

/// The object (seen by the actor) and its risk analysis.
pub async fn object_risks(
    st: &Services,
    actor: &Actor,
    object: StructureObjectId,
) -> Result<(TargetObject, ObjectRisks)> {
    let scope = actor.scope(Permission::ReadStructure);
    let o = st.store.get_structure_object(&scope, object).await?;
    let filter = RiskFilter {
        object: Some(object),
        today: format_date(today(st)),
        ..RiskFilter::default()
    };
    let page = st
        .store
        .list_risks(&scope, &filter, PageRequest::new(Some(1), Some(200)))
        .await?;
    let now = today(st);
    let risks: Vec<Risk> = page.items.into_iter().map(|r| r.stamp(now)).collect();
    let used: std::collections::BTreeSet<ThreatId> = risks.iter().map(|r| r.threat.id).collect();
    let high = high_goals(&o);
    let suggested_numbers = threats::suggest(o.object_type, high);
    // Beside the elementary threats of its type: the threats imported libraries link to
    // requirements the member left unmet (in its assessments or this object's check).
    let linked: std::collections::BTreeSet<ThreatId> = st
        .store
        .threats_of_unmet_requirements(&scope, o.org_id, object)
        .await?
        .into_iter()
        .collect();
    let (mut suggested, mut other) = (Vec::new(), Vec::new());
    for t in st.store.list_threats().await? {
        if used.contains(&t.id) {
            continue;
        }
        let n = (t.source == "bsi")
            .then(|| threats::parse_code(&t.code))
            .flatten();
        if n.is_some_and(|n| suggested_numbers.contains(&n)) || linked.contains(&t.id) {
            suggested.push(t);
        } else {
            other.push(t);
        }
    }
    Ok((
        o,
        ObjectRisks {
            high_need: high.iter().any(|h| *h),
            risks,
            suggested,
            other,
        },
    ))
}

/// New risks for an object: one per threat, all with the same first rating.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewRisks {
    /// The threats (at least one).
    #[serde(default)]
    pub threats: Vec<i64>,
    /// Frequency before treatment (code).
    #[serde(default)]
    pub frequency: Option<String>,
    /// Impact before treatment (code).
    #[serde(default)]
    pub impact: Option<String>,
    /// Frequency after treatment (code).
    #[serde(default)]
    pub frequency_after: Option<String>,
    /// Impact after treatment (code).
    #[serde(default)]
    pub impact_after: Option<String>,
    /// Treatment (code; not `akzeptieren`: acceptance is recorded on the risk).
    #[serde(default)]
    pub treatment: Option<String>,
    /// Why.
    #[serde(default)]
    pub justification: Option<String>,
}

impl NewRisks {
    fn raw(&self) -> RawRisk {
        RawRisk {
            frequency: self.frequency.clone(),
            impact: self.impact.clone(),
            frequency_after: self.frequency_after.clone(),
            impact_after: self.impact_after.clone(),
            treatment: self.treatment.clone(),
            justification: self.justification.clone(),
            revision: None,
        }
    }
}

/// Adds risks for an object with a high need (`object` `error-risk-object-not-high`
/// otherwise); checks every threat before writing any.
pub async fn create(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    object: StructureObjectId,
    draft: &NewRisks,
) -> Result<Vec<Risk>> {
    let (o, current) = object_risks(st, actor, object).await?;
    may_edit(actor, o.org_id)?;
    let mut e = ValidationErrors::default();
    if !current.high_need {
        e.add("object", "error-risk-object-not-high");
    }
    let known: std::collections::BTreeSet<i64> = current
        .suggested
        .iter()
        .chain(&current.other)
        .map(|t| t.id.0)
        .collect();
    if draft.threats.is_empty() {
        e.add("threats", "error-risk-threat-required");
    } else if draft.threats.iter().any(|t| !known.contains(t)) {
        e.add("threats", "error-risk-threat-unknown");
    }
    let input = match draft.raw().validate(false) {
        Ok(i) => Some(i),
        Err(v) => {
            e.0.extend(v.0);
            None
        }
    };
    let input = e.into_result(input)?.ok_or(Error::NotFound)?;
    let write = actor.scope(Permission::EditStructure);
    let mut out = Vec::new();
    let mut threats = draft.threats.clone();
    threats.sort_unstable();
    threats.dedup();
    for t in threats {
        let r = st
            .store
            .create_risk(by, &write, object, ThreatId(t), &input)
            .await?;
        out.push(r.stamp(today(st)));
    }
    Ok(out)
}

/// One risk the actor sees.
pub async fn get(st: &Services, actor: &Actor, id: RiskId) -> Result<Risk> {
    Ok(st
        .store
        .get_risk(&actor.scope(Permission::ReadStructure), id)
        .await?
        .stamp(today(st)))
}

/// Changes a risk's ratings and treatment (acceptance goes through [`accept`]; a risk
/// accepted already may keep `akzeptieren`).
pub async fn update(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: RiskId,
    revision: Option<i64>,
    raw: &RawRisk,
) -> Result<Risk> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    let accepted = current.treatment == Some(verbund_domain::risk::Treatment::Accept);
    let input = raw.validate(accepted)?;
    Ok(st
        .store
        .update_risk(
            by,
            &actor.scope(Permission::EditStructure),
            id,
            revision,
            &input,
            None,
        )
        .await?
        .stamp(today(st)))
}

/// An acceptance: the approving management user and the expiry date, optionally a new
/// justification.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AcceptDraft {
    /// A user holding the management role in the risk's member.
    #[serde(default)]
    pub approver: Option<i64>,
    /// Last day the acceptance holds (`YYYY-MM-DD` or `TT.MM.JJJJ`), after today.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// Why the risk is accepted (kept as the risk's justification if given).
    #[serde(default)]
    pub justification: Option<String>,
    /// The revision read (optional; a changed risk is 409).
    #[serde(default)]
    pub revision: Option<i64>,
}

/// Records the acceptance of a risk: approver from the member's management, expiry after
/// today; the treatment becomes `akzeptieren`.
pub async fn accept(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: RiskId,
    d: &AcceptDraft,
) -> Result<Risk> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    let approvers = st
        .store
        .risk_approvers(&actor.scope(Permission::EditStructure), current.org_id)
        .await?;
    let is_management = d
        .approver
        .is_some_and(|a| approvers.iter().any(|(u, _)| u.0 == a));
    let mut e = ValidationErrors::default();
    let justification = e
        .check(
            "justification",
            optional_multiline(d.justification.as_deref(), 4000),
        )
        .flatten();
    let expires = match check_acceptance(
        d.approver,
        is_management,
        d.expires_on.as_deref(),
        today(st),
    ) {
        Ok(x) => Some(x),
        Err(v) => {
            e.0.extend(v.0);
            None
        }
    };
    let expires = e.into_result(expires)?.ok_or(Error::NotFound)?;
    let raw = RawRisk {
        frequency: Some(current.frequency.code().into()),
        impact: Some(current.impact.code().into()),
        frequency_after: current.frequency_after.map(|f| f.code().into()),
        impact_after: current.impact_after.map(|i| i.code().into()),
        treatment: Some("akzeptieren".into()),
        justification: justification.or(current.justification.clone()),
        revision: None,
    };
    let input = raw.validate(true)?;
    let approver = UserId(d.approver.unwrap_or_default());
    let expires = format_date(expires);
    Ok(st
        .store
        .update_risk(
            by,
            &actor.scope(Permission::EditStructure),
            id,
            d.revision,
            &input,
            Some((approver, expires.as_str())),
        )
        .await?
        .stamp(today(st)))
}

/// Deletes a risk.
pub async fn delete(st: &Services, by: &AuditActor, actor: &Actor, id: RiskId) -> Result<Risk> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    Ok(st
        .store
        .delete_risk(by, &actor.scope(Permission::EditStructure), id)
        .await?)
}

/// Links (`link`) a measure of the risk's member to the risk, or removes the link.
pub async fn link_measure(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: RiskId,
    measure: i64,
    link: bool,
) -> Result<Risk> {
    let current = get(st, actor, id).await?;
    may_edit(actor, current.org_id)?;
    Ok(st
        .store
        .link_risk_measure(
            by,
            &actor.scope(Permission::EditStructure),
            id,
            MeasureId(measure),
            link,
        )
        .await?
        .stamp(today(st)))
}

/// The possible approvers of a risk's acceptance (the member's management).
pub async fn approvers(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<(UserId, String)>> {
    actor.check(Permission::EditStructure, org)?;
    Ok(st
        .store
        .risk_approvers(&actor.scope(Permission::EditStructure), org)
        .await?)
}

/// `?org=&object=&category=&treatment=&page=&per_page=`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// Only this member.
    #[serde(default)]
    pub org: Option<i64>,
    /// Only this object.
    #[serde(default)]
    pub object: Option<i64>,
    /// Current category: `gering`, `mittel`, `hoch`, `sehr_hoch`.
    #[serde(default)]
    pub category: Option<String>,
    /// `vermeiden`, `reduzieren`, `uebertragen`, `akzeptieren`, `unbehandelt` (no treatment or
    /// a lapsed acceptance) or `abgelaufen` (lapsed acceptances).
    #[serde(default)]
    pub treatment: Option<String>,
}

/// The register: the risks the actor sees, worst first, filtered.
pub async fn register(
    st: &Services,
    actor: &Actor,
    q: &RegisterQuery,
    page: PageRequest,
) -> Result<Page<Risk>> {
    let mut e = ValidationErrors::default();
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let category = blank(&q.category).and_then(|c| e.check("category", RiskCategory::parse(&c)));
    let treatment =
        blank(&q.treatment).and_then(|t| e.check("treatment", TreatmentFilter::parse(&t)));
    e.into_result(())?;
    if let Some(org) = q.org {
        actor.check(Permission::ReadStructure, OrgId(org))?;
    }
    let now = today(st);
    let filter = RiskFilter {
        org: q.org.map(OrgId),
        object: q.object.map(StructureObjectId),
        category,
        treatment,
        today: format_date(now),
    };
    let page = st
        .store
        .list_risks(&actor.scope(Permission::ReadStructure), &filter, page)
        .await?;
    Ok(page.map(|r| r.stamp(now)))
}

/// The federation view: the threats members rate hoch or sehr hoch most often. The office
/// sees every row; a member sees a row only when enough other members are in it (the
/// comparison's rule, `anonymity_min_others`), and never which members.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FederationRisks {
    /// Threats, most members first.
    pub rows: Vec<ThreatSummary>,
    /// Rows withheld from a member because too few other members are in them.
    pub withheld: usize,
    /// The minimum of other members a row needs for a member.
    pub min_others: u32,
}

/// The federation view (see [`FederationRisks`]).
pub async fn federation(st: &Services, actor: &Actor) -> Result<FederationRisks> {
    let scope = actor.scope(Permission::ReadStructure);
    let fed = crate::federation(&st.store).await?;
    let settings = st.store.settings(fed.id).await?;
    let min_others = settings.anonymity_min_others;
    if scope.is_empty() {
        return Ok(FederationRisks {
            rows: Vec::new(),
            withheld: 0,
            min_others,
        });
    }
    let rows = st.store.risk_threat_summary_federation_wide(&scope).await?;
    if actor.check_office(Permission::ReadStructure).is_ok() {
        let rows = rows
            .into_iter()
            .map(|r| ThreatSummary { own: false, ..r })
            .collect();
        return Ok(FederationRisks {
            rows,
            withheld: 0,
            min_others,
        });
    }
    let total = rows.len();
    let rows: Vec<ThreatSummary> = rows
        .into_iter()
        .filter(|r| anonymous_figures_visible(r.members, i64::from(r.own), min_others))
        .collect();
    Ok(FederationRisks {
        withheld: total - rows.len(),
        rows,
        min_others,
    })
}

/// Every threat of the federation (no member data: every signed-in user).
pub async fn list_threats(st: &Services, _actor: &Actor) -> Result<Vec<Threat>> {
    Ok(st.store.list_threats().await?)
}

/// A threat the office defines.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ThreatDraft {
    /// Reference, e.g. `V 1` (unique among the federation's own threats).
    #[serde(default)]
    pub code: String,
    /// Short name.
    #[serde(default)]
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
    /// Basic values it touches: letters of `CIA` (e.g. `CI`).
    #[serde(default)]
    pub goals: String,
}

/// Adds a threat of the federation's own (office).
pub async fn create_threat(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    d: &ThreatDraft,
) -> Result<Threat> {
    actor.check_office(Permission::ManageStructureSettings)?;
    let mut e = ValidationErrors::default();
    let code = e.check("code", required_text(&d.code, 40));
    let name = e.check("name", required_text(&d.name, 200));
    let description = e
        .check(
            "description",
            optional_multiline(d.description.as_deref(), 4000),
        )
        .flatten();
    let goals: String = d
        .goals
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if goals.is_empty() || !goals.chars().all(|c| "CIA".contains(c)) {
        e.add("goals", "error-risk-goals");
    }
    let (Some(code), Some(name)) = (code, name) else {
        return Err(e.into());
    };
    e.into_result(())?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .create_threat(
            by,
            fed.id,
            &NewThreat {
                source: "federation",
                code: &code,
                name: &name,
                description: description.as_deref(),
                goals: &goals,
            },
        )
        .await?)
}

/// The federation's risk matrix (every signed-in user reads it).
pub async fn matrix(st: &Services, _actor: &Actor) -> Result<RiskMatrix> {
    Ok(st.store.risk_matrix().await?)
}

/// Saves the federation's risk matrix (office): 4 × 4 and monotone; every risk's category
/// follows.
pub async fn save_matrix(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    m: RiskMatrix,
) -> Result<RiskMatrix> {
    actor.check_office(Permission::ManageStructureSettings)?;
    m.validate()?;
    let fed = crate::federation(&st.store).await?;
    st.store.save_risk_matrix(by, fed.id, &m).await?;
    Ok(m)
}
