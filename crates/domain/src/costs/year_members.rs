//! Which organisations take part in a year's split, and for how long: membership periods
//! clipped to the calendar year.

use super::MemberSnapshot;
use crate::org::{Membership, Organisation};

/// The member data for `year`: metrics as stored now and the membership period overlapping
/// the year (the earliest start and latest end if several overlap).
pub fn member_snapshots(
    year: i32,
    members: &[(Organisation, Vec<Membership>)],
) -> Vec<MemberSnapshot> {
    let Ok(first) = time::Date::from_calendar_date(year, time::Month::January, 1) else {
        return vec![];
    };
    let Ok(last) = time::Date::from_calendar_date(year, time::Month::December, 31) else {
        return vec![];
    };
    members
        .iter()
        .filter_map(|(o, ms)| {
            let overlapping: Vec<&Membership> = ms
                .iter()
                .filter(|m| m.starts_on <= last && m.ends_on.is_none_or(|e| e >= first))
                .collect();
            let start = overlapping.iter().map(|m| m.starts_on).min()?;
            let end = if overlapping.iter().any(|m| m.ends_on.is_none()) {
                None
            } else {
                overlapping.iter().filter_map(|m| m.ends_on).max()
            };
            let metric = |v: Option<i64>| v.and_then(|n| u64::try_from(n).ok());
            Some(MemberSnapshot {
                id: o.id,
                name: o.name.clone(),
                population: metric(o.population),
                staff: metric(o.staff),
                it_workplaces: metric(o.it_workplaces),
                starts_on: Some(start.max(first)),
                ends_on: end.map(|e| e.min(last)),
                figures_changed_at_ms: o.figures_changed_at_ms,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgKind;
    use crate::validation::parse_date;
    use crate::{FederationId, MembershipId, OrgId};

    fn org(id: i64, name: &str) -> Organisation {
        Organisation {
            id: OrgId(id),
            federation_id: FederationId(1),
            name: name.into(),
            kind: OrgKind::Gemeinde,
            ags: None,
            population: Some(1000),
            staff: Some(-1),
            it_workplaces: None,
            address: None,
            version: 1,
            figures_changed_at_ms: Some(1_767_225_600_000),
        }
    }

    fn m(org: i64, from: &str, to: Option<&str>) -> Membership {
        Membership {
            id: MembershipId(1),
            org_id: OrgId(org),
            starts_on: parse_date(from).unwrap(),
            ends_on: to.map(|t| parse_date(t).unwrap()),
            note: None,
        }
    }

    #[test]
    fn snapshots_clip_memberships_to_the_year_and_skip_non_members() {
        let rows = vec![
            (org(1, "Alt"), vec![m(1, "2020-01-01", None)]),
            (org(2, "Neu"), vec![m(2, "2026-07-01", None)]),
            (org(3, "Weg"), vec![m(3, "2020-01-01", Some("2026-03-31"))]),
            (org(4, "Nie"), vec![m(4, "2027-01-01", None)]),
            (org(5, "Ohne"), vec![]),
        ];
        let s = member_snapshots(2026, &rows);
        let d = |x: &str| Some(parse_date(x).unwrap());
        let got: Vec<_> = s
            .iter()
            .map(|x| (x.name.as_str(), x.starts_on, x.ends_on))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Alt", d("2026-01-01"), None),
                ("Neu", d("2026-07-01"), None),
                ("Weg", d("2026-01-01"), d("2026-03-31"))
            ]
        );
        assert_eq!(s[0].staff, None, "a negative figure is no metric");
        assert_eq!(s[0].population, Some(1000));
        assert_eq!(
            s[0].figures_changed_at_ms,
            Some(1_767_225_600_000),
            "the statement records when the figures it used last changed"
        );
    }
}
