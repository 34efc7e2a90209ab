use proptest::prelude::*;

use super::*;
use crate::validation::FieldError;

fn err(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
    }
}

#[test]
fn status_serde_names_are_snake_case_and_round_trip() {
    for s in AnswerStatus::ALL {
        let json = serde_json::to_string(&s).expect("serialises");
        assert_eq!(json, format!("\"{}\"", s.as_str()));
        assert_eq!(
            serde_json::from_str::<AnswerStatus>(&json).expect("parses"),
            s
        );
        assert_eq!(AnswerStatus::parse(s.as_str()), Some(s));
    }
    assert_eq!(AnswerStatus::NotApplicable.as_str(), "not_applicable");
}

#[test]
fn status_parses_german_labels_ignoring_case_and_spaces() {
    assert_eq!(AnswerStatus::parse("Ja"), Some(AnswerStatus::Yes));
    assert_eq!(
        AnswerStatus::parse(" TEILWEISE "),
        Some(AnswerStatus::Partial)
    );
    assert_eq!(AnswerStatus::parse("nein"), Some(AnswerStatus::No));
    assert_eq!(
        AnswerStatus::parse("Entbehrlich"),
        Some(AnswerStatus::NotApplicable)
    );
    assert_eq!(AnswerStatus::parse("offen"), Some(AnswerStatus::Unanswered));
    assert_eq!(AnswerStatus::parse(""), Some(AnswerStatus::Unanswered));
    assert_eq!(AnswerStatus::parse("   "), Some(AnswerStatus::Unanswered));
}

#[test]
fn status_parses_english_words() {
    assert_eq!(AnswerStatus::parse("Yes"), Some(AnswerStatus::Yes));
    assert_eq!(AnswerStatus::parse("partial"), Some(AnswerStatus::Partial));
    assert_eq!(AnswerStatus::parse("NO"), Some(AnswerStatus::No));
    assert_eq!(
        AnswerStatus::parse("N/A"),
        Some(AnswerStatus::NotApplicable)
    );
    assert_eq!(
        AnswerStatus::parse("not applicable"),
        Some(AnswerStatus::NotApplicable)
    );
}

#[test]
fn status_rejects_unknown_words() {
    assert_eq!(AnswerStatus::parse("vielleicht"), None);
    assert_eq!(AnswerStatus::parse("j"), None);
    assert_eq!(AnswerStatus::parse("yes!"), None);
}

#[test]
fn german_labels_parse_back_to_their_status() {
    let labels: Vec<_> = AnswerStatus::ALL.iter().map(|s| s.label_de()).collect();
    assert_eq!(labels, ["offen", "ja", "teilweise", "nein", "entbehrlich"]);
    for s in AnswerStatus::ALL {
        assert_eq!(AnswerStatus::parse(s.label_de()), Some(s));
    }
}

#[test]
fn default_answer_is_unanswered_and_empty() {
    let a = Answer::default();
    assert_eq!(a.status, AnswerStatus::Unanswered);
    assert_eq!(a.validated(), Ok(Answer::default()));
}

#[test]
fn validated_trims_texts_and_drops_blank_ones() {
    let a = Answer {
        status: AnswerStatus::Partial,
        justification: Some("  Nur im Rathaus  ".into()),
        owner: Some("   ".into()),
        due_on: Some(time::macros::date!(2027 - 03 - 31)),
        comment: Some("\n".into()),
    };

    let v = a.validated().expect("valid");

    assert_eq!(v.justification.as_deref(), Some("Nur im Rathaus"));
    assert_eq!(v.owner, None);
    assert_eq!(v.comment, None);
    assert_eq!(v.due_on, Some(time::macros::date!(2027 - 03 - 31)));
}

#[test]
fn not_applicable_without_justification_is_rejected() {
    let a = Answer {
        status: AnswerStatus::NotApplicable,
        justification: Some("  ".into()),
        ..Answer::default()
    };

    assert_eq!(
        a.validated(),
        Err(ValidationErrors(vec![err(
            "justification",
            "error-justification-required"
        )]))
    );
}

#[test]
fn not_applicable_with_justification_is_accepted() {
    let a = Answer {
        status: AnswerStatus::NotApplicable,
        justification: Some("Kein eigener Serverraum, Betrieb beim Dienstleister".into()),
        ..Answer::default()
    };
    assert!(a.validated().is_ok());
}

#[test]
fn texts_are_limited_in_characters_not_bytes() {
    let ok = Answer {
        justification: Some("ä".repeat(MAX_TEXT_CHARS)),
        owner: Some("ö".repeat(MAX_OWNER_CHARS)),
        comment: Some("ü".repeat(MAX_TEXT_CHARS)),
        ..Answer::default()
    };
    assert!(ok.clone().validated().is_ok());

    let too_long = Answer {
        status: AnswerStatus::NotApplicable,
        justification: Some("ä".repeat(MAX_TEXT_CHARS + 1)),
        owner: Some("ö".repeat(MAX_OWNER_CHARS + 1)),
        comment: Some("ü".repeat(MAX_TEXT_CHARS + 1)),
        due_on: None,
    };
    assert_eq!(
        too_long.validated(),
        Err(ValidationErrors(vec![
            err("justification", "error-too-long"),
            err("owner", "error-too-long"),
            err("comment", "error-too-long"),
        ]))
    );
}

#[test]
fn answer_json_has_iso_due_date_and_snake_case_status() {
    let a = Answer {
        status: AnswerStatus::NotApplicable,
        justification: Some("kein WLAN".into()),
        owner: None,
        due_on: Some(time::macros::date!(2026 - 01 - 05)),
        comment: None,
    };

    let json = serde_json::to_value(&a).expect("serialises");

    assert_eq!(
        json,
        serde_json::json!({
            "status": "not_applicable",
            "justification": "kein WLAN",
            "owner": null,
            "due_on": "2026-01-05",
            "comment": null
        })
    );
    assert_eq!(serde_json::from_value::<Answer>(json).expect("parses"), a);
}

#[test]
fn answer_json_may_omit_every_field() {
    let a: Answer = serde_json::from_str("{}").expect("parses");
    assert_eq!(a, Answer::default());
    assert!(serde_json::from_str::<Answer>(r#"{"due_on":"05.01.2026"}"#).is_err());
}

#[test]
fn answer_points_use_its_justification() {
    let mut a = Answer {
        status: AnswerStatus::NotApplicable,
        ..Answer::default()
    };
    assert_eq!(a.points(), Some(0));
    a.justification = Some(" ".into());
    assert!(!a.is_justified());
    assert_eq!(a.points(), Some(0));
    a.justification = Some("kein Drucker".into());
    assert_eq!(a.points(), None);
}

fn any_status() -> impl Strategy<Value = AnswerStatus> {
    prop::sample::select(AnswerStatus::ALL.to_vec())
}

proptest! {
    #[test]
    fn remove_undoes_add(
        start in prop::collection::vec((any_status(), any::<bool>()), 0..20),
        status in any_status(),
        justified in any::<bool>(),
    ) {
        let before = Tally::of(start);
        let mut t = before;

        t.add(status, justified);
        t.remove(status, justified);

        prop_assert_eq!(t, before);
    }

    #[test]
    fn tally_counts_add_up_and_score_stays_in_range(
        answers in prop::collection::vec((any_status(), any::<bool>()), 1..50),
    ) {
        let t = Tally::of(answers.iter().copied());

        prop_assert_eq!(t.total as usize, answers.len());
        prop_assert_eq!(t.unanswered + t.yes + t.partial + t.no + t.not_applicable, t.total);
        prop_assert!(t.not_applicable_unjustified <= t.not_applicable);
        prop_assert!(t.score_bp().is_none_or(|s| s <= 10_000));
        prop_assert_eq!(t.score_bp().is_none(), t.scored() == 0);
        prop_assert!(t.compared_score_bp().is_none_or(|_| t.answered() > 0));
        prop_assert!(t.progress_bp().is_some_and(|p| p <= 10_000));
    }

    #[test]
    fn merging_halves_equals_tallying_the_whole(
        answers in prop::collection::vec((any_status(), any::<bool>()), 0..40),
        split in 0usize..40,
    ) {
        let split = split.min(answers.len());
        let mut left = Tally::of(answers[..split].iter().copied());
        left.merge(&Tally::of(answers[split..].iter().copied()));

        prop_assert_eq!(left, Tally::of(answers));
    }

    #[test]
    fn status_parse_never_panics(s in ".*") {
        let _ = AnswerStatus::parse(&s);
    }
}
