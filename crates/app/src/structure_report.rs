//! A member's report "Strukturanalyse und Schutzbedarfsfeststellung" (BSI-Standard 200-2) as
//! PDF or workbook: objects, needs with their inheritance paths, links and the provider
//! objects it relies on with only its own contribution.
//!
//! Permission: `ReadStructure` for the organisation (another member's report is 404).
//! Modelling and the IT-Grundschutz check add their results as further sections in
//! [`sections`].

use std::collections::BTreeMap;

use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::localtime::fmt_ms;
use verbund_domain::structure::model::MemberStructure;
use verbund_reports::{ReportTable, StructureReport};

use verbund_domain::structure::names_de::object_type as type_de;

use crate::Services;
use crate::error::Result;
use crate::file::{FileOut, slug};
use crate::modelling::Modelling;

pub use crate::file::ReportFormat;

/// Sections after the structure analysis: the modelling (modules per object); the
/// IT-Grundschutz check adds its results per object and requirement here as a further
/// [`ReportTable`].
async fn sections(
    st: &Services,
    actor: &Actor,
    data: &MemberStructure,
) -> Result<Vec<ReportTable>> {
    let m = crate::modelling::modelling(st, actor, data.org_id).await?;
    let names: BTreeMap<String, String> = st
        .store
        .catalog_modules()
        .await?
        .into_iter()
        .filter_map(|m| Some((m.ref_id.to_ascii_uppercase(), m.name?)))
        .collect();
    Ok(vec![modelling_table(&m, &names)])
}

/// The modelling as a table: one row per object with its modules (reference and title) and
/// what is missing (no module at all, or suggested modules that no object of the member has).
fn modelling_table(m: &Modelling, names: &BTreeMap<String, String>) -> ReportTable {
    let named = |r: &str| match names.get(&r.to_ascii_uppercase()) {
        Some(n) => format!("{r} {n}"),
        None => r.to_owned(),
    };
    let rows = m
        .objects
        .iter()
        .map(|o| {
            let suggested: Vec<&str> = m
                .gaps
                .unused_modules
                .iter()
                .filter(|(_, objects)| objects.contains(&o.id))
                .map(|(r, _)| r.as_str())
                .collect();
            let mut note = Vec::new();
            if o.modules.is_empty() {
                note.push("kein Baustein zugeordnet".to_owned());
            }
            if !suggested.is_empty() {
                note.push(format!("vorgeschlagen: {}", suggested.join(", ")));
            }
            vec![
                o.short_id.clone(),
                o.name.clone(),
                type_de(o.object_type).to_owned(),
                o.modules
                    .iter()
                    .map(|r| named(r))
                    .collect::<Vec<_>>()
                    .join(", "),
                note.join("; "),
            ]
        })
        .collect();
    ReportTable {
        title: "Modellierung".into(),
        sheet: "Modellierung".into(),
        intro: format!(
            "{} Zielobjekte, davon {} ohne Baustein. Vorgeschlagene Bausteine, die kein Objekt hat: {}.",
            m.objects.len(),
            m.gaps.objects_without_modules.len(),
            m.gaps.unused_modules.len()
        ),
        header: ["Kürzel", "Name", "Typ", "Bausteine", "Lücken"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// `org`'s report as PDF or XLSX. Fails with `NotFound` for an organisation outside the
/// actor's reach.
pub async fn report(
    st: &Services,
    actor: &Actor,
    org: OrgId,
    format: ReportFormat,
) -> Result<FileOut> {
    actor.check(Permission::ReadStructure, org)?;
    let data = st
        .store
        .member_structure(&actor.scope(Permission::ReadStructure), org)
        .await?;
    let fed = crate::federation(&st.store).await?;
    let sections = sections(st, actor, &data).await?;
    let logo = crate::file::member_logo(st, &fed, org).await?;
    let date: String = fmt_ms(st.now_ms()).chars().take(10).collect();
    let stem = format!("schutzbedarf-{}", slug(&data.org_name));
    crate::file::render_report(format, &stem, move |format| {
        let r = StructureReport {
            federation: fed.name,
            date,
            data: &data,
            sections,
            logo,
        };
        match format {
            ReportFormat::Pdf => verbund_reports::structure_pdf(&r),
            ReportFormat::Xlsx => verbund_reports::structure_xlsx(&r),
        }
    })
    .await
}
