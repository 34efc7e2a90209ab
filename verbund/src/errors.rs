//! What the operator reads when a command fails: the German message of the application's
//! error, its detail (file, line, column) and, where there is one, the next step.

use verbund_app::Error;
use verbund_i18n::Lang;

/// The message an operator needs: the German text of the error with its detail, and the
/// cause of an internal error (the operator owns the machine, so file and database errors may
/// be shown).
pub fn message(e: Error) -> anyhow::Error {
    match e {
        Error::BadInput { detail, .. } | Error::TooLarge { detail, .. } if !detail.is_empty() => {
            anyhow::anyhow!(detail)
        }
        Error::Internal(cause) => anyhow::anyhow!(cause),
        Error::Invalid(v) => anyhow::anyhow!(
            v.0.iter()
                .map(|f| format!("{}: {}", f.field, Lang::De.t(&f.code)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => anyhow::anyhow!(Lang::De.t(other.code())),
    }
}

/// A problem of the audit chain as a German sentence.
pub fn chain_problem(e: &verbund_domain::audit::ChainError) -> String {
    use verbund_domain::audit::ChainError::*;
    match e {
        Tampered { seq } => format!("Eintrag {seq}: Inhalt passt nicht zum Hash (geändert)"),
        Gap {
            expected_prev,
            found,
        } => format!("nach Eintrag {expected_prev} folgt {found}: Einträge fehlen (gelöscht)"),
        BrokenLink { seq } => {
            format!("Eintrag {seq}: verweist nicht auf seinen Vorgänger (Kette umgeschrieben)")
        }
        HeadMismatch { last_seq, head_seq } => format!(
            "die Kette endet bei {last_seq}, der Kopf nennt {head_seq}: Einträge am Ende fehlen"
        ),
        CheckpointMissing { seq } => format!(
            "Eintrag {seq} aus einem Prüfpunkt fehlt: das Protokoll wurde hinter den Prüfpunkt gekürzt"
        ),
        CheckpointMismatch { seq } => format!(
            "Eintrag {seq} hat einen anderen Hash als im Prüfpunkt: die Kette wurde umgeschrieben"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_federation_names_the_command_that_creates_it() {
        let text = message(Error::NotSetUp {
            code: "error-no-federation",
        })
        .to_string();
        assert!(text.contains("verbund create-admin"), "{text}");
    }

    #[test]
    fn field_errors_name_the_field_in_german() {
        let v = verbund_domain::validation::ValidationErrors::single("year", "error-year");
        let text = message(Error::Invalid(v)).to_string();
        assert!(text.starts_with("year: "), "{text}");
        assert!(!text.contains("error-year"), "{text}");
    }
}
