//! The key figures of an organisation — population, staff, IT workplaces — that cost keys split
//! by. They decide how much every *other* member pays, so they belong to the office: a member
//! may propose a change, the office accepts or rejects it, and each organisation records when
//! its figures last changed (issued statements keep that date next to the values they used).

use serde::{Deserialize, Serialize};

use crate::org::{OrgInput, Organisation};
use crate::validation::{ValidationErrors, optional_multiline, optional_text};
use crate::{KeyFigureProposalId, OrgId};

/// The three figures, each optional (unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyFigures {
    /// Inhabitants.
    pub population: Option<i64>,
    /// Staff (head count).
    pub staff: Option<i64>,
    /// IT workplaces.
    pub it_workplaces: Option<i64>,
}

impl KeyFigures {
    /// The figures an organisation holds now.
    pub fn of(org: &Organisation) -> Self {
        Self {
            population: org.population,
            staff: org.staff,
            it_workplaces: org.it_workplaces,
        }
    }

    /// The figures an organisation input would set.
    pub fn of_input(input: &OrgInput) -> Self {
        Self {
            population: input.population,
            staff: input.staff,
            it_workplaces: input.it_workplaces,
        }
    }

    /// The field names whose values differ from `other`, in form order.
    pub fn changed_fields(&self, other: &KeyFigures) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.population != other.population {
            out.push("population");
        }
        if self.staff != other.staff {
            out.push("staff");
        }
        if self.it_workplaces != other.it_workplaces {
            out.push("it_workplaces");
        }
        out
    }
}

/// An edit of an organisation by someone who may not set its key figures (a member's
/// coordinator): a figure left out keeps its current value, a figure sent with its current
/// value is accepted, a changed figure is refused with `error-key-figures-proposal` (the
/// member proposes it instead). Returns the input with the current figures filled in.
pub fn member_edit(
    current: &Organisation,
    mut input: OrgInput,
) -> Result<OrgInput, ValidationErrors> {
    let now = KeyFigures::of(current);
    input.population = input.population.or(now.population);
    input.staff = input.staff.or(now.staff);
    input.it_workplaces = input.it_workplaces.or(now.it_workplaces);
    let mut e = ValidationErrors::default();
    for field in KeyFigures::of_input(&input).changed_fields(&now) {
        e.add(field, "error-key-figures-proposal");
    }
    e.into_result(input)
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProposalStatus {
    /// Waiting for the office.
    Open,
    /// The office took the figures over.
    Accepted,
    /// The office refused them.
    Rejected,
}

impl ProposalStatus {
    /// Stable code for database, forms and API.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    /// Parses a code; unknown codes fail with `error-proposal-status`.
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        [Self::Open, Self::Accepted, Self::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or("error-proposal-status")
    }
}

/// A member's proposal to change its key figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyFigureProposal {
    /// Its ID.
    pub id: KeyFigureProposalId,
    /// The organisation whose figures it changes.
    pub org_id: OrgId,
    /// That organisation's name.
    pub org_name: String,
    /// The figures when it was proposed.
    pub previous: KeyFigures,
    /// The proposed figures.
    pub proposed: KeyFigures,
    /// Why (e.g. "Einwohnerzahl laut Statistischem Landesamt, 31.12.2025").
    pub reason: Option<String>,
    /// Where it stands.
    pub status: ProposalStatus,
    /// Who proposed it (display name).
    pub proposed_by: String,
    /// When, Unix milliseconds.
    pub proposed_at_ms: i64,
    /// Who decided (display name).
    pub decided_by: Option<String>,
    /// When, Unix milliseconds.
    pub decided_at_ms: Option<i64>,
    /// The office's note to the decision.
    pub decision_note: Option<String>,
}

/// Validated proposal input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalInput {
    /// The proposed figures.
    pub proposed: KeyFigures,
    /// Why.
    pub reason: Option<String>,
}

/// A proposal as it comes from a form or JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalDraft {
    /// Inhabitants.
    #[serde(default)]
    pub population: Option<i64>,
    /// Staff.
    #[serde(default)]
    pub staff: Option<i64>,
    /// IT workplaces.
    #[serde(default)]
    pub it_workplaces: Option<i64>,
    /// Why (source and date of the figures).
    #[serde(default)]
    pub reason: Option<String>,
}

impl ProposalDraft {
    /// Validates against the current figures: a figure left out keeps its value, and at least
    /// one figure must change (`error-key-figures-unchanged`).
    pub fn validate(&self, current: &KeyFigures) -> Result<ProposalInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let population = e.check("population", crate::org::key_figure(self.population));
        let staff = e.check("staff", crate::org::key_figure(self.staff));
        let it_workplaces = e.check("it_workplaces", crate::org::key_figure(self.it_workplaces));
        let reason = e.check("reason", optional_multiline(self.reason.as_deref(), 500));
        let (Some(population), Some(staff), Some(it_workplaces), Some(reason)) =
            (population, staff, it_workplaces, reason)
        else {
            return Err(e);
        };
        let proposed = KeyFigures {
            population: population.or(current.population),
            staff: staff.or(current.staff),
            it_workplaces: it_workplaces.or(current.it_workplaces),
        };
        if proposed.changed_fields(current).is_empty() {
            e.add("population", "error-key-figures-unchanged");
        }
        e.into_result(ProposalInput { proposed, reason })
    }
}

/// The office's decision on a proposal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionDraft {
    /// A note to the member (why it was rejected, or a source).
    #[serde(default)]
    pub note: Option<String>,
}

impl DecisionDraft {
    /// The trimmed note (at most 500 characters).
    pub fn validate(&self) -> Result<Option<String>, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let note = e.check("note", optional_text(self.note.as_deref(), 500));
        e.into_result(note.flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FederationId;
    use crate::org::OrgKind;

    fn nauheim() -> Organisation {
        Organisation {
            id: OrgId(2),
            federation_id: FederationId(1),
            name: "Nauheim".into(),
            kind: OrgKind::Gemeinde,
            ags: None,
            population: Some(10_840),
            staff: Some(98),
            it_workplaces: None,
            address: None,
            version: 3,
            figures_changed_at_ms: None,
        }
    }

    fn input(population: Option<i64>, staff: Option<i64>) -> OrgInput {
        OrgInput {
            name: "Gemeinde Nauheim".into(),
            kind: OrgKind::Gemeinde,
            ags: None,
            population,
            staff,
            it_workplaces: None,
            address: Some("Weingartenstraße 46".into()),
        }
    }

    #[test]
    fn a_member_edit_keeps_the_figures_it_leaves_out_and_refuses_changed_ones() {
        // The coordinator renames the member and leaves the figures out: they stay.
        let kept = member_edit(&nauheim(), input(None, None)).unwrap();
        assert_eq!((kept.population, kept.staff), (Some(10_840), Some(98)));
        assert_eq!(kept.name, "Gemeinde Nauheim");
        // Sending the current values back (a form that shows them) is fine.
        assert!(member_edit(&nauheim(), input(Some(10_840), Some(98))).is_ok());
        // Population 10,840 → 1 would move about 2,900 € onto the others: refused per field.
        let e = member_edit(&nauheim(), input(Some(1), Some(99))).unwrap_err();
        let fields: Vec<_> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            fields,
            [
                ("population", "error-key-figures-proposal"),
                ("staff", "error-key-figures-proposal")
            ]
        );
    }

    #[test]
    fn a_proposal_fills_in_what_it_leaves_out_and_must_change_something() {
        let now = KeyFigures::of(&nauheim());
        let draft = ProposalDraft {
            population: Some(10_912),
            reason: Some("  Statistisches Landesamt, 31.12.2025 ".into()),
            ..Default::default()
        };
        let p = draft.validate(&now).unwrap();
        assert_eq!(
            p.proposed,
            KeyFigures {
                population: Some(10_912),
                staff: Some(98),
                it_workplaces: None
            }
        );
        assert_eq!(
            p.reason.as_deref(),
            Some("Statistisches Landesamt, 31.12.2025")
        );
        assert_eq!(p.proposed.changed_fields(&now), ["population"]);

        let same = ProposalDraft {
            population: Some(10_840),
            ..Default::default()
        };
        assert_eq!(
            same.validate(&now).unwrap_err().0[0].code,
            "error-key-figures-unchanged"
        );
        let negative = ProposalDraft {
            staff: Some(-1),
            ..Default::default()
        };
        assert_eq!(negative.validate(&now).unwrap_err().0[0].field, "staff");
    }

    #[test]
    fn status_codes_round_trip() {
        for s in [
            ProposalStatus::Open,
            ProposalStatus::Accepted,
            ProposalStatus::Rejected,
        ] {
            assert_eq!(ProposalStatus::parse(s.code()), Ok(s));
        }
        assert!(ProposalStatus::parse("pending").is_err());
    }
}
