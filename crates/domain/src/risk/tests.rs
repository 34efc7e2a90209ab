use time::macros::date;

use super::matrix::DEFAULT_CELLS;
use super::threats::{ELEMENTARY, for_object_type, parse_code, suggest};
use super::*;
use crate::structure::ObjectType;

use Frequency::{Frequent as Fh, Medium as Fm, Rare as Fs, VeryFrequent as Fsh};
use Impact::{Considerable as Ib, Existential as Ie, Limited as Il, Negligible as Iv};
use RiskCategory::{High as H, Low as L, Medium as M, VeryHigh as V};

#[test]
fn every_cell_of_the_default_matrix() {
    let m = RiskMatrix::default();
    let expected = [
        (Fs, Iv, L),
        (Fs, Il, L),
        (Fs, Ib, M),
        (Fs, Ie, H),
        (Fm, Iv, L),
        (Fm, Il, M),
        (Fm, Ib, H),
        (Fm, Ie, V),
        (Fh, Iv, L),
        (Fh, Il, M),
        (Fh, Ib, H),
        (Fh, Ie, V),
        (Fsh, Iv, M),
        (Fsh, Il, H),
        (Fsh, Ib, V),
        (Fsh, Ie, V),
    ];
    assert_eq!(expected.len(), 16);
    for (f, i, c) in expected {
        assert_eq!(m.cell(f, i), c, "{f:?} × {i:?}");
    }
    assert_eq!(m.validate(), Ok(()));
}

#[test]
fn the_default_never_rates_existential_damage_below_high_nor_negligible_above_medium() {
    let m = RiskMatrix::default();
    for f in Frequency::ALL {
        assert!(m.cell(*f, Ie) >= H);
        assert!(m.cell(*f, Iv) <= M);
    }
}

#[test]
fn a_custom_matrix_is_used_cell_by_cell() {
    // Frequency ignored: the category is the impact's level.
    let row = vec![L, M, H, V];
    let m = RiskMatrix {
        cells: vec![row.clone(), row.clone(), row.clone(), row],
    };
    assert_eq!(m.validate(), Ok(()));
    for f in Frequency::ALL {
        assert_eq!(m.cell(*f, Iv), L);
        assert_eq!(m.cell(*f, Il), M);
        assert_eq!(m.cell(*f, Ib), H);
        assert_eq!(m.cell(*f, Ie), V);
    }
    let all_high = RiskMatrix {
        cells: vec![vec![V; 4]; 4],
    };
    assert_eq!(all_high.validate(), Ok(()));
    assert_eq!(all_high.cell(Fs, Iv), V);
}

#[test]
fn a_matrix_where_a_worse_rating_gives_a_lower_category_is_refused() {
    let mut cells: Vec<Vec<RiskCategory>> = DEFAULT_CELLS.iter().map(|r| r.to_vec()).collect();
    cells[2][1] = L; // häufig × begrenzt below mittel × begrenzt (M)
    let e = RiskMatrix { cells }.validate().unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "cells.2.1");
    assert_eq!(e.0[0].code, "error-risk-matrix-monotone");

    let mut cells: Vec<Vec<RiskCategory>> = DEFAULT_CELLS.iter().map(|r| r.to_vec()).collect();
    cells[0][3] = L; // selten × existenzbedrohend below selten × beträchtlich
    let e = RiskMatrix { cells }.validate().unwrap_err();
    assert_eq!(e.0[0].field, "cells.0.3");
}

#[test]
fn a_matrix_of_the_wrong_shape_is_refused_and_answers_very_high() {
    let m = RiskMatrix {
        cells: vec![vec![L; 4]; 3],
    };
    assert_eq!(
        m.validate().unwrap_err().0[0].code,
        "error-risk-matrix-shape"
    );
    assert_eq!(m.cell(Fsh, Iv), V);
    let m = RiskMatrix {
        cells: vec![vec![L; 5]; 4],
    };
    assert!(m.validate().is_err());
}

#[test]
fn matrix_form_fields_parse_and_report_each_bad_cell() {
    let ok = RiskMatrix::from_fields(|name| {
        let (f, i) = name.strip_prefix("cell_")?.split_once('_')?;
        let (f, i): (usize, usize) = (f.parse().ok()?, i.parse().ok()?);
        Some(DEFAULT_CELLS[f][i].code().to_owned())
    });
    assert_eq!(ok, Ok(RiskMatrix::default()));
    let bad = RiskMatrix::from_fields(|name| {
        (name != "cell_1_2")
            .then(|| "hoch".to_owned())
            .or(Some("rot".into()))
    });
    let e = bad.unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "cell_1_2");
    assert_eq!(e.0[0].code, "error-risk-category");
}

#[test]
fn an_acceptance_is_valid_through_its_expiry_day_and_lapses_the_day_after() {
    let expires = Some(date!(2027 - 03 - 31));
    let accept = Some(Treatment::Accept);
    assert_eq!(
        acceptance_state(accept, expires, date!(2026 - 12 - 02)),
        AcceptanceState::Valid
    );
    assert_eq!(
        acceptance_state(accept, expires, date!(2027 - 03 - 31)),
        AcceptanceState::Valid
    );
    assert_eq!(
        acceptance_state(accept, expires, date!(2027 - 04 - 01)),
        AcceptanceState::Lapsed
    );
    assert!(!is_untreated(accept, expires, date!(2027 - 03 - 31)));
    assert!(is_untreated(accept, expires, date!(2027 - 04 - 01)));
    assert_eq!(
        acceptance_state(accept, None, date!(2026 - 01 - 01)),
        AcceptanceState::Lapsed
    );
}

#[test]
fn other_treatments_never_lapse_and_no_treatment_is_untreated() {
    let day = date!(2030 - 01 - 01);
    for t in [Treatment::Avoid, Treatment::Reduce, Treatment::Transfer] {
        assert_eq!(acceptance_state(Some(t), None, day), AcceptanceState::None);
        assert!(!is_untreated(Some(t), None, day));
    }
    assert!(is_untreated(None, None, day));
}

#[test]
fn acceptance_needs_a_management_approver_and_a_future_expiry() {
    let today = date!(2026 - 12 - 02);
    assert_eq!(
        check_acceptance(Some(7), true, Some("31.03.2027"), today),
        Ok(date!(2027 - 03 - 31))
    );
    assert_eq!(
        check_acceptance(Some(7), true, Some("2026-12-03"), today),
        Ok(date!(2026 - 12 - 03))
    );
    let e = check_acceptance(Some(7), false, Some("31.03.2027"), today).unwrap_err();
    assert_eq!(
        e,
        crate::validation::ValidationErrors::single(
            "approver",
            "error-risk-approver-not-management"
        )
    );
    let e = check_acceptance(None, false, None, today).unwrap_err();
    let codes: Vec<_> =
        e.0.iter()
            .map(|x| (x.field.as_str(), x.code.as_str()))
            .collect();
    assert_eq!(
        codes,
        [
            ("approver", "error-required"),
            ("expires_on", "error-required")
        ]
    );
    let e = check_acceptance(Some(7), true, Some("02.12.2026"), today).unwrap_err();
    assert_eq!(e.0[0].code, "error-risk-expiry-past");
    let e = check_acceptance(Some(7), true, Some("31.02.2027"), today).unwrap_err();
    assert_eq!(e.0[0].code, "error-date-format");
}

fn raw(f: &str, i: &str, fa: &str, ia: &str, t: &str) -> RawRisk {
    let s = |v: &str| Some(v.to_owned());
    RawRisk {
        frequency: s(f),
        impact: s(i),
        frequency_after: s(fa),
        impact_after: s(ia),
        treatment: s(t),
        justification: None,
        revision: None,
    }
}

#[test]
fn a_risk_needs_its_rating_before_treatment_and_a_complete_rating_after() {
    let ok = raw(
        "haeufig",
        "betraechtlich",
        "selten",
        "betraechtlich",
        "reduzieren",
    )
    .validate(false)
    .unwrap();
    assert_eq!(
        ok.before,
        Rating {
            frequency: Fh,
            impact: Ib
        }
    );
    assert_eq!(
        ok.after,
        Some(Rating {
            frequency: Fs,
            impact: Ib
        })
    );
    assert_eq!(ok.treatment, Some(Treatment::Reduce));
    let open = raw("mittel", "begrenzt", "", "", "")
        .validate(false)
        .unwrap();
    assert_eq!((open.after, open.treatment), (None, None));

    let e = raw("", "riesig", "", "", "").validate(false).unwrap_err();
    let codes: Vec<_> =
        e.0.iter()
            .map(|x| (x.field.as_str(), x.code.as_str()))
            .collect();
    assert_eq!(
        codes,
        [
            ("impact", "error-risk-impact"),
            ("frequency", "error-required")
        ]
    );
    let e = raw("mittel", "begrenzt", "selten", "", "")
        .validate(false)
        .unwrap_err();
    assert_eq!(e.0[0].code, "error-risk-after-incomplete");
    let e = raw("mittel", "begrenzt", "", "", "uebertragen")
        .validate(false)
        .unwrap_err();
    assert_eq!(e.0[0].code, "error-risk-after-required");
    let e = raw("mittel", "begrenzt", "", "", "akzeptieren")
        .validate(false)
        .unwrap_err();
    assert_eq!(e.0[0].code, "error-risk-accept-via-acceptance");
    assert!(
        raw("mittel", "begrenzt", "", "", "akzeptieren")
            .validate(true)
            .is_ok()
    );
}

#[test]
fn the_elementary_threats_are_47_numbered_in_order_with_goals() {
    assert_eq!(ELEMENTARY.len(), 47);
    for (k, t) in ELEMENTARY.iter().enumerate() {
        assert_eq!(usize::from(t.number), k + 1);
        assert!(
            !t.goals.is_empty() && t.goals.chars().all(|c| "CIA".contains(c)),
            "{}",
            t.code()
        );
        assert!(t.description.len() > 20);
    }
    assert_eq!(ELEMENTARY[17].code(), "G 0.18");
    assert_eq!(ELEMENTARY[38].name, "Schadprogramme");
}

#[test]
fn every_object_type_has_suggestions_of_existing_threats() {
    for t in ObjectType::ALL {
        let list = for_object_type(*t);
        assert!(!list.is_empty());
        assert!(list.iter().all(|n| (1..=47).contains(n)));
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "{t:?} sorted, no duplicates"
        );
    }
}

#[test]
fn suggestions_follow_the_high_basic_values() {
    // A server with only a high availability need: threats touching A, not pure-C ones.
    let a_only = suggest(ObjectType::Server, [false, false, true]);
    assert!(a_only.contains(&25)); // Ausfall von Geräten oder Systemen
    assert!(a_only.contains(&1)); // Feuer
    let c_only = suggest(ObjectType::MobileDevice, [true, false, false]);
    assert!(c_only.contains(&15)); // Abhören
    assert!(!c_only.contains(&45)); // Datenverlust touches A only
    assert_eq!(
        suggest(ObjectType::Room, [false; 3]),
        for_object_type(ObjectType::Room)
    );
}

#[test]
fn threat_references_from_files_parse() {
    assert_eq!(parse_code("G 0.18"), Some(18));
    assert_eq!(parse_code(" g0.47 "), Some(47));
    assert_eq!(parse_code("G 0.48"), None);
    assert_eq!(parse_code("G 1.1"), None);
    assert_eq!(parse_code(""), None);
}

#[test]
fn labels_are_translation_keys() {
    assert_eq!(
        Frequency::VeryFrequent.label_key(),
        "risk-frequency-sehr-haeufig"
    );
    assert_eq!(
        RiskCategory::VeryHigh.label_key(),
        "risk-category-sehr-hoch"
    );
    assert_eq!(Impact::Existential.index(), 3);
}
