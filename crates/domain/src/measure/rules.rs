//! The rules of the implementation plan: who may move a measure where, when it is overdue, and
//! what its linked requirements say about it.

use serde::Serialize;

use super::MeasureStatus;
use crate::assessment::AnswerStatus;
use crate::authz::{Actor, Permission};
use crate::{OrgId, UserId};

/// How far a user reaches into the measures of one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureAccess {
    /// Creates, changes, deletes and checks (*geprüft*) every measure: the member's
    /// coordinator and the office (`ManageAssessments`).
    Manage,
    /// Reads every measure, changes none: management.
    Read,
    /// Reads and updates only the measures the user is owner of (status, notes): the measure
    /// owner role.
    OwnOnly,
    /// Nothing (the member is outside the user's reach).
    None,
}

impl MeasureAccess {
    /// What `actor` may do with the measures of `org`: `ManageAssessments` manages, a role
    /// that reads the structure analysis (management) reads, any other role reaching the member
    /// (the measure owner) works on its own measures.
    pub fn of(actor: &Actor, org: OrgId) -> Self {
        if actor.check(Permission::ManageAssessments, org).is_ok() {
            Self::Manage
        } else if actor.check(Permission::ReadStructure, org).is_ok() {
            Self::Read
        } else if actor.sees(org) {
            Self::OwnOnly
        } else {
            Self::None
        }
    }

    /// Whether a measure owned by `owner` is visible at all.
    pub fn sees(self, actor: UserId, owner: Option<UserId>) -> bool {
        match self {
            Self::Manage | Self::Read => true,
            Self::OwnOnly => owner == Some(actor),
            Self::None => false,
        }
    }

    /// Whether the user may set the status and add notes to a measure owned by `owner`.
    pub fn may_progress(self, actor: UserId, owner: Option<UserId>) -> bool {
        match self {
            Self::Manage => true,
            Self::OwnOnly => owner == Some(actor),
            Self::Read | Self::None => false,
        }
    }
}

/// Checks a status change. Allowed: any open status to any other open status or to
/// *umgesetzt*; *umgesetzt* back to *in Arbeit*; *geprüft* only from *umgesetzt* and only by a
/// reviewer (coordinator or office: the owner does not check their own work); a reviewer may
/// reopen a checked measure (to *in Arbeit*). Keeping the status is always allowed.
///
/// Errors: `error-measure-transition` (not a step of the workflow), `error-measure-review`
/// (a step only a reviewer may take).
pub fn check_transition(
    from: MeasureStatus,
    to: MeasureStatus,
    reviewer: bool,
) -> Result<(), &'static str> {
    use MeasureStatus::*;
    if from == to {
        return Ok(());
    }
    match (from, to) {
        (Open | InProgress, Open | InProgress | Implemented) => Ok(()),
        (Implemented, InProgress) => Ok(()),
        (Implemented, Verified) | (Verified, InProgress) if reviewer => Ok(()),
        (Implemented, Verified) | (Verified, InProgress) => Err("error-measure-review"),
        _ => Err("error-measure-transition"),
    }
}

/// The statuses a user may move a measure to from `from` (including `from` itself), in
/// display order: what a status menu or the board offers.
pub fn allowed_targets(from: MeasureStatus, reviewer: bool) -> Vec<MeasureStatus> {
    MeasureStatus::ALL
        .iter()
        .copied()
        .filter(|&to| check_transition(from, to, reviewer).is_ok())
        .collect()
}

/// The calendar date in Berlin (the federation's time zone) at Unix milliseconds `ms`.
pub fn berlin_date(ms: i64) -> time::Date {
    let utc = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    // Berlin is one or two hours ahead of UTC: the local date is the UTC date or the next.
    match utc.next_day() {
        Some(next) if crate::localtime::berlin_midnight_ms(next) <= ms => next,
        _ => utc,
    }
}

/// [`berlin_date`] as `YYYY-MM-DD`, the form deadlines are stored in.
pub fn berlin_today(ms: i64) -> String {
    crate::validation::format_date(berlin_date(ms))
}

/// Whether a measure is overdue on `today` (a Berlin date, `YYYY-MM-DD`): still open and its
/// deadline (`YYYY-MM-DD`) lies before today. Due today is not overdue yet.
pub fn is_overdue(status: MeasureStatus, due_on: Option<&str>, today: &str) -> bool {
    status.is_open()
        && due_on
            .and_then(|d| crate::validation::parse_date(d).ok())
            .zip(crate::validation::parse_date(today).ok())
            .is_some_and(|(d, t)| d < t)
}

/// What the answers of a measure's linked requirements say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkState {
    /// Linked requirements.
    pub linked: u32,
    /// Of these, answered *ja*.
    pub met: u32,
    /// Every linked requirement is answered *ja* ("erfüllt"); false without links.
    pub fulfilled: bool,
    /// The measure and its requirements disagree, see [`LinkWarning`].
    pub warning: Option<LinkWarning>,
}

/// A disagreement between a measure's status and its linked answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkWarning {
    /// The measure is done (umgesetzt/geprüft) but a linked answer is not *ja*: update the
    /// assessment, or the measure was not enough.
    DoneButUnmet,
    /// Every linked answer is *ja* but the measure is still open: close it.
    MetButOpen,
}

/// The link state of a measure with `status` whose linked answers are `answers`.
pub fn link_state(status: MeasureStatus, answers: &[AnswerStatus]) -> LinkState {
    let linked = u32::try_from(answers.len()).unwrap_or(u32::MAX);
    let met = u32::try_from(answers.iter().filter(|a| **a == AnswerStatus::Yes).count())
        .unwrap_or(u32::MAX);
    link_state_counts(status, linked, met)
}

/// [`link_state`] from counts (what a list query returns).
pub fn link_state_counts(status: MeasureStatus, linked: u32, met: u32) -> LinkState {
    let fulfilled = linked > 0 && met == linked;
    let warning = if linked == 0 {
        None
    } else if !status.is_open() && !fulfilled {
        Some(LinkWarning::DoneButUnmet)
    } else if status.is_open() && fulfilled {
        Some(LinkWarning::MetButOpen)
    } else {
        None
    };
    LinkState {
        linked,
        met,
        fulfilled,
        warning,
    }
}

/// The answer statuses a measure is created for in bulk: *nein* and *teilweise*.
pub const UNMET_ANSWER_CODES_SQL: &str = "('no','partial')";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role};
    use MeasureStatus::*;

    #[test]
    fn open_work_moves_freely_and_only_reviewers_check() {
        assert_eq!(check_transition(Open, InProgress, false), Ok(()));
        assert_eq!(check_transition(InProgress, Open, false), Ok(()));
        assert_eq!(check_transition(Open, Implemented, false), Ok(()));
        assert_eq!(check_transition(Implemented, InProgress, false), Ok(()));
        assert_eq!(
            check_transition(Implemented, Verified, false),
            Err("error-measure-review")
        );
        assert_eq!(check_transition(Implemented, Verified, true), Ok(()));
        assert_eq!(
            check_transition(Verified, InProgress, false),
            Err("error-measure-review")
        );
        assert_eq!(check_transition(Verified, InProgress, true), Ok(()));
    }

    #[test]
    fn checking_needs_an_implemented_measure_and_checked_work_only_reopens() {
        for reviewer in [false, true] {
            assert_eq!(
                check_transition(Open, Verified, reviewer),
                Err("error-measure-transition")
            );
            assert_eq!(
                check_transition(InProgress, Verified, reviewer),
                Err("error-measure-transition")
            );
            assert_eq!(
                check_transition(Verified, Open, reviewer),
                Err("error-measure-transition")
            );
            assert_eq!(
                check_transition(Verified, Implemented, reviewer),
                Err("error-measure-transition")
            );
            assert_eq!(
                check_transition(Implemented, Open, reviewer),
                Err("error-measure-transition")
            );
            for s in MeasureStatus::ALL {
                assert_eq!(check_transition(*s, *s, reviewer), Ok(()), "{s:?} stays");
            }
        }
        assert_eq!(
            allowed_targets(Implemented, false),
            [InProgress, Implemented]
        );
        assert_eq!(
            allowed_targets(Implemented, true),
            [InProgress, Implemented, Verified]
        );
        assert_eq!(allowed_targets(Open, true), [Open, InProgress, Implemented]);
    }

    fn date(s: &str) -> time::Date {
        crate::validation::parse_date(s).unwrap()
    }

    #[test]
    fn overdue_means_open_and_due_before_today() {
        let today = "2026-12-02";
        assert!(is_overdue(Open, Some("2026-12-01"), today));
        assert!(is_overdue(InProgress, Some("2025-01-01"), today));
        assert!(
            !is_overdue(Open, Some("2026-12-02"), today),
            "due today is not overdue"
        );
        assert!(!is_overdue(Open, None, today));
        assert!(!is_overdue(Implemented, Some("2026-12-01"), today));
        assert!(!is_overdue(Verified, Some("2026-12-01"), today));
    }

    #[test]
    fn today_is_the_berlin_date_not_the_utc_date() {
        // 2026-12-01 23:30 UTC is 00:30 on 2 December in Berlin (winter, UTC+1).
        let winter = time::macros::datetime!(2026-12-01 23:30 UTC).unix_timestamp() * 1000;
        assert_eq!(berlin_date(winter), date("2026-12-02"));
        // 22:30 UTC in summer is 00:30 the next day (UTC+2), 21:30 UTC still the same day.
        let summer = time::macros::datetime!(2026-07-01 22:30 UTC).unix_timestamp() * 1000;
        assert_eq!(berlin_date(summer), date("2026-07-02"));
        let before = time::macros::datetime!(2026-07-01 21:30 UTC).unix_timestamp() * 1000;
        assert_eq!(berlin_date(before), date("2026-07-01"));
        // So a measure due on 1 December is overdue at 23:30 UTC that day.
        assert!(is_overdue(Open, Some("2026-12-01"), &berlin_today(winter)));
        assert_eq!(berlin_today(winter), "2026-12-02");
    }

    #[test]
    fn link_state_says_fulfilled_only_when_every_answer_is_yes() {
        use AnswerStatus as A;
        let s = link_state(InProgress, &[A::Yes, A::Partial]);
        assert_eq!(
            (s.linked, s.met, s.fulfilled, s.warning),
            (2, 1, false, None)
        );
        let s = link_state(InProgress, &[A::Yes, A::Yes]);
        assert!(s.fulfilled);
        assert_eq!(s.warning, Some(LinkWarning::MetButOpen));
        let s = link_state(Implemented, &[A::Yes, A::Yes]);
        assert_eq!((s.fulfilled, s.warning), (true, None));
        let s = link_state(Verified, &[A::Yes, A::No]);
        assert_eq!(s.warning, Some(LinkWarning::DoneButUnmet));
        let s = link_state(Implemented, &[A::NotApplicable]);
        assert_eq!(s.warning, Some(LinkWarning::DoneButUnmet));
        let none = link_state(Implemented, &[]);
        assert_eq!(
            (none.fulfilled, none.warning),
            (false, None),
            "no links, no claim"
        );
    }

    fn actor(grants: &[(i64, Role)]) -> Actor {
        Actor {
            user_id: UserId(9),
            office_org: OrgId(1),
            grants: grants
                .iter()
                .map(|&(o, role)| Grant {
                    org_id: OrgId(o),
                    role,
                })
                .collect(),
        }
    }

    #[test]
    fn access_follows_the_role_in_the_member() {
        let member = OrgId(5);
        assert_eq!(
            MeasureAccess::of(&actor(&[(1, Role::OfficeIsb)]), member),
            MeasureAccess::Manage
        );
        assert_eq!(
            MeasureAccess::of(&actor(&[(5, Role::Coordinator)]), member),
            MeasureAccess::Manage
        );
        assert_eq!(
            MeasureAccess::of(&actor(&[(5, Role::Management)]), member),
            MeasureAccess::Read
        );
        let owner = MeasureAccess::of(&actor(&[(5, Role::MeasureOwner)]), member);
        assert_eq!(owner, MeasureAccess::OwnOnly);
        assert_eq!(
            MeasureAccess::of(&actor(&[(6, Role::Coordinator)]), member),
            MeasureAccess::None
        );
        assert!(owner.sees(UserId(9), Some(UserId(9))));
        assert!(!owner.sees(UserId(9), Some(UserId(8))));
        assert!(!owner.sees(UserId(9), None));
        assert!(owner.may_progress(UserId(9), Some(UserId(9))));
        assert!(!MeasureAccess::Read.may_progress(UserId(9), Some(UserId(9))));
        assert!(MeasureAccess::Read.sees(UserId(9), None));
    }
}
