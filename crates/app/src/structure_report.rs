//! A member's report "Strukturanalyse und Schutzbedarfsfeststellung" (BSI-Standard 200-2) as
//! PDF or workbook: objects, needs with their inheritance paths, links and the provider
//! objects it relies on with only its own contribution.
//!
//! Permission: `ReadStructure` for the organisation (another member's report is 404).
//! Modelling and the IT-Grundschutz check add their results as further sections in
//! [`sections`].

use std::collections::BTreeMap;

use verbund_domain::OrgId;
use verbund_domain::assessment::format_bp_de;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::localtime::fmt_ms;
use verbund_domain::page::PageRequest;
use verbund_domain::structure::check::{CheckFilter, CheckRow, Level, LevelTallies};
use verbund_domain::structure::model::MemberStructure;
use verbund_domain::validation::format_date_de;
use verbund_reports::{ReportTable, StructureReport};

use verbund_domain::structure::names_de::object_type as type_de;

use crate::Services;
use crate::error::Result;
use crate::file::{FileOut, slug};
use crate::modelling::Modelling;

pub use crate::file::ReportFormat;

/// Sections after the structure analysis: the modelling (modules per object) and the
/// IT-Grundschutz check (results per object and requirement in scope).
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
    let check = check_table(st, actor, data.org_id).await?;
    Ok(vec![modelling_table(&m, &names), check])
}

/// Every check row of `org` in scope, page by page (a member with many objects has thousands).
async fn all_check_rows(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<CheckRow>> {
    let scope = actor.scope(Permission::ReadStructure);
    let filter = CheckFilter::default();
    let per_page = verbund_domain::page::MAX_PER_PAGE;
    let mut rows = Vec::new();
    for page in 1.. {
        let p = st
            .store
            .check_rows(
                &scope,
                org,
                &filter,
                PageRequest::new(Some(page), Some(per_page)),
            )
            .await?;
        let last = p.items.len() < per_page as usize;
        rows.extend(p.items);
        if last || rows.len() as i64 >= p.total {
            break;
        }
    }
    Ok(rows)
}

/// The IT-Grundschutz check as a table: one row per object and requirement in scope, with
/// the status it counts with, who fulfils it where another object does, and the answer's
/// owner, date and note; the intro gives the fulfilment per level.
async fn check_table(st: &Services, actor: &Actor, org: OrgId) -> Result<ReportTable> {
    let rows = all_check_rows(st, actor, org).await?;
    let summary = st
        .store
        .check_summary(&actor.scope(Permission::ReadStructure), org)
        .await?;
    Ok(check_report_table(&rows, &summary))
}

fn level_de(l: Level) -> &'static str {
    match l {
        Level::Basis => "Basis",
        Level::Standard => "Standard",
        Level::High => "erhöht",
    }
}

fn check_report_table(rows: &[CheckRow], summary: &LevelTallies) -> ReportTable {
    let tally = |name: &str, t: &verbund_domain::assessment::Tally| {
        let score = t.score_bp().map_or_else(|| "–".to_owned(), format_bp_de);
        format!(
            "{name}: {} Anforderungen, {} ja, {} teilweise, {} nein, {} entbehrlich, {} offen; Erfüllung {score}",
            t.total, t.yes, t.partial, t.no, t.not_applicable, t.unanswered
        )
    };
    let intro = if rows.is_empty() {
        "Noch keine Prüfzeilen: Sobald Zielobjekten Bausteine zugeordnet sind, entsteht je Anforderung eine Zeile.".to_owned()
    } else {
        format!(
            "{}. {}. {}.",
            tally("Basis", &summary.basis),
            tally("Standard", &summary.standard),
            tally("Erhöhter Schutzbedarf", &summary.high)
        )
    };
    let rows = rows
        .iter()
        .map(|r| {
            let requirement = match &r.name {
                Some(n) if !n.trim().is_empty() => format!("{} {}", r.ref_id, n),
                _ => r.ref_id.clone(),
            };
            let by = r.fulfilled_by.as_ref().map_or_else(String::new, |f| {
                format!("{} {} ({})", f.short_id, f.name, f.org_name)
            });
            let owner_date = [
                r.answer.owner.clone().unwrap_or_default(),
                r.answer.due_on.map(format_date_de).unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            let note = [r.answer.comment.clone(), r.answer.justification.clone()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" – ");
            vec![
                format!("{} {}", r.object_short_id, r.object_name),
                requirement,
                level_de(r.level).to_owned(),
                r.effective_status.label_de().to_owned(),
                by,
                owner_date,
                note,
            ]
        })
        .collect();
    ReportTable {
        title: "IT-Grundschutz-Check".into(),
        sheet: "IT-Grundschutz-Check".into(),
        intro,
        header: [
            "Zielobjekt",
            "Anforderung",
            "Stufe",
            "Status",
            "Erfüllt durch",
            "Verantwortlich, bis",
            "Umsetzung / Begründung",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
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
