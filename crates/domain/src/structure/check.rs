//! IT-Grundschutz-Check (BSI 200-2): per target object and requirement of its modules, whether
//! the requirement is implemented (*ja / teilweise / nein / entbehrlich*, the same
//! [`Answer`](crate::assessment::Answer) and scoring as an assessment).
//!
//! Rules kept here, pure:
//! - **Level** of a requirement from the catalog's implementation groups ([`Level::of_groups`]):
//!   `B` Basis, `S` Standard, `H`/`E` for high protection needs (*erhöhter Schutzbedarf*); the
//!   lowest level named wins (a requirement listed for Basis applies from Basis on); no group
//!   at all counts as Standard.
//! - **Scope** ([`applies`]): Basis and Standard requirements apply to every object with the
//!   module; a high-level requirement only where the object's effective need (the maximum over
//!   confidentiality, integrity, availability) is *hoch* or *sehr hoch*. When the need falls, the
//!   row drops out of the check and the score but its answer is kept; it returns with the need.
//! - **Fulfilment by reference** ([`effective`]): a row may name another object (a
//!   higher-level object such as the building, or a provider's data centre) that fulfils the
//!   requirement for it; the row then counts with that object's answer for the same
//!   requirement, and as *offen* while that object has none.
//! - **Scoring per level** ([`LevelTallies`]): one [`Tally`] per level over the rows in scope;
//!   the federation comparison shows Basis and Standard.

use serde::{Deserialize, Serialize};

use super::{Category, code_enum};
use crate::assessment::{Answer, AnswerStatus, Tally};
use crate::validation::ValidationErrors;
use crate::{CatalogId, OrgId, StructureObjectId};

code_enum!(
    /// The level of a requirement (Anforderungsstufe).
    Level, "error-check-level", {
        /// Basis-Anforderung: the minimum for every object with the module.
        Basis = "basis",
        /// Standard-Anforderung: the state of the art for normal protection needs.
        Standard = "standard",
        /// Anforderung bei erhöhtem Schutzbedarf: only for high or very high needs.
        High = "high",
    }
);

impl Level {
    /// The level one implementation group stands for: `B` Basis, `S` Standard, `H` or `E`
    /// high (trimmed, any case); also the words `basis`, `standard`, `hoch`, `high`.
    pub fn of_group(code: &str) -> Option<Level> {
        match code.trim().to_lowercase().as_str() {
            "b" | "basis" => Some(Level::Basis),
            "s" | "standard" => Some(Level::Standard),
            "h" | "e" | "hoch" | "high" | "erhöht" => Some(Level::High),
            _ => None,
        }
    }

    /// The level of a requirement from the groups of the requirement and of its sentences:
    /// the lowest level named; Standard when none is.
    pub fn of_groups<'a>(groups: impl IntoIterator<Item = &'a str>) -> Level {
        groups
            .into_iter()
            .filter_map(Level::of_group)
            .min()
            .unwrap_or(Level::Standard)
    }

    /// Translation key of the level's name.
    pub fn label_key(self) -> String {
        format!("check-level-{}", self.code())
    }
}

/// An object's effective need for the check: the highest of its three goals (`None` while no
/// need is known).
pub fn object_need(goals: [Option<Category>; 3]) -> Option<Category> {
    goals.into_iter().flatten().max()
}

/// Whether a requirement of `level` applies to an object with the effective need `need`.
pub fn applies(level: Level, need: Option<Category>) -> bool {
    level != Level::High || need.is_some_and(|n| n >= Category::High)
}

/// The status and whether it has a justification, as the scoring reads it.
pub type Scored = (AnswerStatus, bool);

/// What a row counts with: its own answer, or — when another object fulfils it — that object's
/// answer for the same requirement (`Some(None)`: the object has no such row, so *offen*).
pub fn effective(own: Scored, reference: Option<Option<Scored>>) -> Scored {
    match reference {
        None => own,
        Some(r) => r.unwrap_or((AnswerStatus::Unanswered, false)),
    }
}

/// Checks a reference "`by` fulfils this requirement for `object`": not the object itself
/// (`error-check-reference-self`), and `by` must have the requirement in its own check
/// (`error-check-reference-requirement`). Field `fulfilled_by`.
pub fn check_reference(
    object: StructureObjectId,
    by: StructureObjectId,
    by_has_requirement: bool,
) -> Result<(), ValidationErrors> {
    if object == by {
        return Err(ValidationErrors::single(
            "fulfilled_by",
            "error-check-reference-self",
        ));
    }
    if !by_has_requirement {
        return Err(ValidationErrors::single(
            "fulfilled_by",
            "error-check-reference-requirement",
        ));
    }
    Ok(())
}

/// One row as the scoring sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFacts {
    /// The requirement's level.
    pub level: Level,
    /// The object's effective need.
    pub need: Option<Category>,
    /// The status the row counts with (see [`effective`]).
    pub status: Scored,
}

/// The tallies of a check per level, over the rows in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelTallies {
    /// Basis requirements.
    pub basis: Tally,
    /// Standard requirements.
    pub standard: Tally,
    /// Requirements for high needs (only objects with high needs).
    pub high: Tally,
}

impl LevelTallies {
    /// Adds up the rows in scope.
    pub fn of(rows: impl IntoIterator<Item = RowFacts>) -> LevelTallies {
        let mut t = LevelTallies::default();
        for r in rows {
            if applies(r.level, r.need) {
                t.get_mut(r.level).add(r.status.0, r.status.1);
            }
        }
        t
    }

    /// The tally of one level.
    pub fn get(&self, level: Level) -> &Tally {
        match level {
            Level::Basis => &self.basis,
            Level::Standard => &self.standard,
            Level::High => &self.high,
        }
    }

    fn get_mut(&mut self, level: Level) -> &mut Tally {
        match level {
            Level::Basis => &mut self.basis,
            Level::Standard => &mut self.standard,
            Level::High => &mut self.high,
        }
    }
}

/// The object that fulfils a row's requirement, as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    /// The fulfilling object.
    pub object_id: StructureObjectId,
    /// Its short id.
    pub short_id: String,
    /// Its name.
    pub name: String,
    /// Its organisation (a provider's name for a provider object).
    pub org_name: String,
    /// Its answer for the same requirement (`unanswered` if it has none).
    pub status: AnswerStatus,
}

/// One row of the check: an object and a requirement of one of its modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRow {
    /// The row.
    pub id: i64,
    /// The target object.
    pub object_id: StructureObjectId,
    /// Its organisation.
    pub org_id: OrgId,
    /// Its short id, e.g. `S001`.
    pub object_short_id: String,
    /// Its name.
    pub object_name: String,
    /// The catalog revision.
    pub catalog_id: CatalogId,
    /// The module's reference, e.g. `SYS.1.1`.
    pub module_ref: String,
    /// The requirement's catalog node.
    pub node_id: i64,
    /// The requirement's reference, e.g. `SYS.1.1.A1`.
    pub ref_id: String,
    /// The requirement's title.
    pub name: Option<String>,
    /// Its text: the sentences below it (or its own description), one per line.
    pub text: String,
    /// Its level.
    pub level: Level,
    /// Whether it applies to the object (level against the object's effective need).
    pub in_scope: bool,
    /// The own answer: status, justification, owner, date (`due_on`) and implementation note
    /// (`comment`).
    pub answer: Answer,
    /// The object that fulfils the requirement for this one, if any.
    pub fulfilled_by: Option<Reference>,
    /// The status the row counts with (the reference's where there is one).
    pub effective_status: AnswerStatus,
    /// Optimistic-lock counter: send it back with a change.
    pub version: i64,
    /// Who changed the answer last.
    pub updated_by: Option<String>,
    /// When (ms since the epoch).
    pub updated_at_ms: Option<i64>,
}

/// Which check rows to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckFilter {
    /// Only this object's rows.
    pub object: Option<StructureObjectId>,
    /// Only this module's rows (reference, any case).
    pub module: Option<String>,
    /// Only this level.
    pub level: Option<Level>,
    /// Only rows counting with this status.
    pub status: Option<AnswerStatus>,
    /// Also rows out of scope (high-level requirements of objects with normal needs).
    pub with_out_of_scope: bool,
}

/// One member's fulfilment of Basis and Standard requirements (the federation comparison).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberFulfilment {
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its Basis rows in scope.
    pub basis: Tally,
    /// Its Standard rows in scope.
    pub standard: Tally,
}

#[cfg(test)]
mod tests {
    use super::*;
    use AnswerStatus::*;

    #[test]
    fn the_lowest_level_named_wins_and_none_is_standard() {
        assert_eq!(Level::of_groups(["B"]), Level::Basis);
        assert_eq!(Level::of_groups(["S", "B"]), Level::Basis);
        assert_eq!(Level::of_groups(["H", "S"]), Level::Standard);
        assert_eq!(Level::of_groups(["e"]), Level::High);
        assert_eq!(Level::of_groups([" h "]), Level::High);
        assert_eq!(Level::of_groups([]), Level::Standard);
        assert_eq!(Level::of_groups(["IG1"]), Level::Standard, "unknown groups");
    }

    #[test]
    fn high_requirements_apply_only_to_high_needs() {
        for l in [Level::Basis, Level::Standard] {
            assert!(applies(l, None));
            assert!(applies(l, Some(Category::Normal)));
        }
        assert!(!applies(Level::High, None));
        assert!(!applies(Level::High, Some(Category::Normal)));
        assert!(applies(Level::High, Some(Category::High)));
        assert!(applies(Level::High, Some(Category::VeryHigh)));
    }

    #[test]
    fn the_object_need_is_the_highest_goal() {
        assert_eq!(object_need([None, None, None]), None);
        assert_eq!(
            object_need([Some(Category::Normal), None, Some(Category::High)]),
            Some(Category::High)
        );
        assert_eq!(
            object_need([Some(Category::VeryHigh), Some(Category::Normal), None]),
            Some(Category::VeryHigh)
        );
    }

    #[test]
    fn a_reference_counts_with_the_fulfilling_objects_answer() {
        assert_eq!(effective((No, false), None), (No, false));
        assert_eq!(
            effective((No, false), Some(Some((Yes, false)))),
            (Yes, false)
        );
        assert_eq!(
            effective((Yes, false), Some(None)),
            (Unanswered, false),
            "an object without the requirement fulfils nothing"
        );
        assert_eq!(
            effective((Unanswered, false), Some(Some((NotApplicable, true)))),
            (NotApplicable, true)
        );
    }

    #[test]
    fn a_reference_must_name_another_object_with_the_requirement() {
        let a = StructureObjectId(1);
        let b = StructureObjectId(2);
        assert!(check_reference(a, b, true).is_ok());
        let e = check_reference(a, a, true).unwrap_err();
        assert!(format!("{e:?}").contains("error-check-reference-self"));
        let e = check_reference(a, b, false).unwrap_err();
        assert!(format!("{e:?}").contains("error-check-reference-requirement"));
    }

    /// Worked example: a server with normal needs and SYS.1.1 (2 Basis, 1 Standard, 1 high):
    /// Basis ja + teilweise = 75 %, Standard nein = 0 %, the high row is out of scope. When the
    /// need rises to hoch, the high row (ja) counts: 100 %.
    #[test]
    fn scores_per_level_count_rows_in_scope_only() {
        let rows = |need| {
            [
                (Level::Basis, (Yes, false)),
                (Level::Basis, (Partial, false)),
                (Level::Standard, (No, false)),
                (Level::High, (Yes, false)),
            ]
            .map(|(level, status)| RowFacts {
                level,
                need,
                status,
            })
        };
        let normal = LevelTallies::of(rows(Some(Category::Normal)));
        assert_eq!(normal.basis.score_bp(), Some(7_500));
        assert_eq!(normal.standard.score_bp(), Some(0));
        assert_eq!(normal.high.total, 0);
        assert_eq!(normal.get(Level::High).score_bp(), None);
        let high = LevelTallies::of(rows(Some(Category::High)));
        assert_eq!(high.high.total, 1);
        assert_eq!(high.high.score_bp(), Some(10_000));
        assert_eq!(high.basis, normal.basis, "other levels unchanged");
    }

    /// A justified entbehrlich leaves the score as in an assessment: 1 ja, 1 entbehrlich with
    /// justification → 100 %; without justification it counts like nein → 50 %.
    #[test]
    fn justified_not_applicable_leaves_the_score() {
        let row = |status| RowFacts {
            level: Level::Basis,
            need: None,
            status,
        };
        let t = LevelTallies::of([row((Yes, false)), row((NotApplicable, true))]);
        assert_eq!(t.basis.score_bp(), Some(10_000));
        let t = LevelTallies::of([row((Yes, false)), row((NotApplicable, false))]);
        assert_eq!(t.basis.score_bp(), Some(5_000));
    }

    #[test]
    fn level_codes_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Ok(*l));
        }
        assert_eq!(Level::parse("x"), Err("error-check-level"));
        assert_eq!(Level::High.label_key(), "check-level-high");
    }
}
