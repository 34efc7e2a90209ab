//! The demo structure analysis: Nauheim, Raunheim and the Kreis with their processes
//! (Meldewesen, Finanzwesen, Bauantragsverfahren), applications, servers, networks, rooms and
//! buildings, and an invented state IT provider whose hosted procedures and data centre all
//! three share. Names of the provider and its objects are made up; the needs are illustrative.

use verbund_domain::authz::Scope;
use verbund_domain::org::{OrgInput, OrgKind};
use verbund_domain::structure::{Category, Goal, LinkInput, LinkType, ObjectInput, RawObject};
use verbund_domain::{OrgId, StructureObjectId};
use verbund_store::{AuditActor, Federation, Store, StoreError};

use super::SYSTEM;

/// The invented provider.
pub const PROVIDER: &str = "Kommunales Rechenzentrum Südhessen (Demo)";

fn input(short: &str, name: &str, t: &str, count: i64) -> Result<ObjectInput, StoreError> {
    RawObject {
        short_id: short.into(),
        name: name.into(),
        object_type: t.into(),
        count: Some(count.to_string()),
        ..RawObject::default()
    }
    .validate()
    .map_err(StoreError::Invalid)
}

struct Seeder<'a> {
    store: &'a Store,
    by: AuditActor,
    scope: Scope,
}

impl Seeder<'_> {
    async fn object(
        &self,
        org: OrgId,
        short: &str,
        name: &str,
        t: &str,
        count: i64,
    ) -> Result<StructureObjectId, StoreError> {
        let i = input(short, name, t, count)?;
        Ok(self
            .store
            .create_structure_object(&self.by, &self.scope, org, &i)
            .await?
            .id)
    }

    async fn link(
        &self,
        from: StructureObjectId,
        to: StructureObjectId,
        t: LinkType,
    ) -> Result<(), StoreError> {
        let l = LinkInput::new(from.0, to.0, t).map_err(StoreError::Invalid)?;
        self.store
            .create_structure_link(&self.by, &self.scope, &l)
            .await?;
        Ok(())
    }

    async fn need(
        &self,
        o: StructureObjectId,
        g: Goal,
        c: Category,
        why: &str,
    ) -> Result<(), StoreError> {
        self.store
            .set_structure_need(&self.by, &self.scope, o, g, Some((c, None, why.to_owned())))
            .await?;
        Ok(())
    }
}

/// The provider's shared objects: (hosted registration procedure, hosted finance procedure,
/// the municipal WAN).
struct Shared {
    ewo: StructureObjectId,
    fin: StructureObjectId,
    wan: StructureObjectId,
}

async fn provider(s: &Seeder<'_>, fed: &Federation) -> Result<Shared, StoreError> {
    let p = s
        .store
        .create_org(
            &s.by,
            fed.id,
            &OrgInput {
                name: PROVIDER.into(),
                kind: OrgKind::Provider,
                ags: None,
                population: None,
                staff: None,
                it_workplaces: None,
                address: Some("Musterallee 1\n64283 Darmstadt".into()),
            },
        )
        .await?
        .id;
    let ewo = s
        .object(
            p,
            "KRZ-EWO",
            "Einwohnerwesen-Fachverfahren (gehostet)",
            "application",
            1,
        )
        .await?;
    let fin = s
        .object(p, "KRZ-FIN", "Finanzverfahren (gehostet)", "application", 1)
        .await?;
    let cluster = s
        .object(p, "KRZ-VM", "Virtualisierungscluster", "server", 12)
        .await?;
    let dc = s
        .object(p, "KRZ-RZ", "Rechenzentrum Darmstadt", "building", 1)
        .await?;
    let wan = s
        .object(
            p,
            "KRZ-WAN",
            "Kommunales Verbindungsnetz",
            "communication_link",
            1,
        )
        .await?;
    for app in [ewo, fin] {
        s.link(app, cluster, LinkType::RunsOn).await?;
    }
    s.link(cluster, dc, LinkType::LocatedIn).await?;
    s.link(cluster, wan, LinkType::CommunicatesOver).await?;
    Ok(Shared { ewo, fin, wan })
}

/// One member's structure analysis. `bau` adds the building-permit process (the Kreis is the
/// building authority); towns run the registration office instead.
async fn member(
    s: &Seeder<'_>,
    org: OrgId,
    town: &str,
    bau: bool,
    shared: &Shared,
) -> Result<(), StoreError> {
    use Category::*;
    use Goal::*;
    let building = s
        .object(
            org,
            "B-01",
            if bau { "Kreishaus" } else { "Rathaus" },
            "building",
            1,
        )
        .await?;
    let room = s.object(org, "R-01", "Serverraum", "room", 1).await?;
    let net = s
        .object(org, "N-01", "Verwaltungsnetz", "network", 1)
        .await?;
    let file = s
        .object(org, "S-01", "Datei- und DMS-Server", "server", 1)
        .await?;
    let clients = s
        .object(
            org,
            "C-01",
            "Arbeitsplatzrechner",
            "client",
            if bau { 160 } else { 45 },
        )
        .await?;
    let dms = s
        .object(org, "A-DMS", "Dokumentenmanagement", "application", 1)
        .await?;
    let fin_app = s
        .object(
            org,
            "A-FIN",
            "Finanzwesen (Anbindung KRZ)",
            "application",
            1,
        )
        .await?;
    let gp_fin = s
        .object(org, "GP-FIN", "Finanzwesen", "business_process", 1)
        .await?;
    s.link(room, building, LinkType::LocatedIn).await?;
    s.link(file, room, LinkType::LocatedIn).await?;
    s.link(file, net, LinkType::CommunicatesOver).await?;
    s.link(clients, net, LinkType::CommunicatesOver).await?;
    s.link(net, shared.wan, LinkType::CommunicatesOver).await?;
    s.link(dms, file, LinkType::RunsOn).await?;
    s.link(fin_app, shared.fin, LinkType::ProvidedBy).await?;
    s.link(fin_app, gp_fin, LinkType::ProcessesDataOf).await?;
    s.link(dms, gp_fin, LinkType::ProcessesDataOf).await?;
    s.need(
        gp_fin,
        Confidentiality,
        Normal,
        "Haushaltsdaten sind überwiegend öffentlich.",
    )
    .await?;
    s.need(
        gp_fin,
        Integrity,
        High,
        "Falsche Buchungen und Zahlungen hätten erhebliche finanzielle Folgen.",
    )
    .await?;
    s.need(
        gp_fin,
        Availability,
        Normal,
        "Ein Ausfall bis zu einer Woche ist mit Notbuchungen überbrückbar.",
    )
    .await?;
    if bau {
        let gp = s
            .object(org, "GP-BAU", "Bauantragsverfahren", "business_process", 1)
            .await?;
        let app = s
            .object(org, "A-BAU", "Bauantragssoftware", "application", 1)
            .await?;
        let srv = s
            .object(org, "S-02", "Anwendungsserver Bauaufsicht", "server", 1)
            .await?;
        s.link(app, gp, LinkType::ProcessesDataOf).await?;
        s.link(dms, gp, LinkType::ProcessesDataOf).await?;
        s.link(app, srv, LinkType::RunsOn).await?;
        s.link(srv, room, LinkType::LocatedIn).await?;
        s.link(srv, net, LinkType::CommunicatesOver).await?;
        s.need(
            gp,
            Confidentiality,
            High,
            "Bauanträge enthalten personenbezogene und betriebliche Angaben.",
        )
        .await?;
        s.need(
            gp,
            Integrity,
            High,
            "Genehmigungen müssen rechtssicher und unverfälscht sein.",
        )
        .await?;
        s.need(
            gp,
            Availability,
            Normal,
            "Fristen erlauben einen Ausfall von einigen Tagen.",
        )
        .await?;
    } else {
        let gp = s
            .object(org, "GP-MELD", "Meldewesen", "business_process", 1)
            .await?;
        let app = s
            .object(
                org,
                "A-EWO",
                "Einwohnerwesen (Anbindung KRZ)",
                "application",
                1,
            )
            .await?;
        s.link(app, gp, LinkType::ProcessesDataOf).await?;
        s.link(app, shared.ewo, LinkType::ProvidedBy).await?;
        s.link(dms, gp, LinkType::ProcessesDataOf).await?;
        s.need(
            gp,
            Confidentiality,
            High,
            "Melderegister: personenbezogene Daten aller Einwohner.",
        )
        .await?;
        s.need(
            gp,
            Integrity,
            High,
            "Falsche Meldedaten wirken auf Wahlen, Steuern und Ausweise.",
        )
        .await?;
        let availability = if town == "Raunheim" { VeryHigh } else { Normal };
        let why = if town == "Raunheim" {
            "Im Wahljahr muss das Wählerverzeichnis jederzeit verfügbar sein."
        } else {
            "Ein Ausfall von zwei Tagen ist mit Terminverschiebungen tragbar."
        };
        s.need(gp, Availability, availability, why).await?;
    }
    Ok(())
}

/// Seeds the provider and the structure analyses of Nauheim, Raunheim and the Kreis.
pub async fn seed(store: &Store, fed: &Federation) -> Result<(), StoreError> {
    let s = Seeder {
        store,
        by: AuditActor::system(),
        scope: Scope::system(&SYSTEM),
    };
    let shared = provider(&s, fed).await?;
    let orgs = store
        .list_orgs(
            &s.scope,
            None,
            verbund_domain::page::PageRequest::new(Some(1), Some(200)),
        )
        .await?
        .items;
    for (name, bau) in [
        ("Nauheim", false),
        ("Raunheim", false),
        ("Kreis Groß-Gerau", true),
    ] {
        if let Some(o) = orgs.iter().find(|o| o.name == name) {
            member(&s, o.id, name, bau, &shared).await?;
        }
    }
    Ok(())
}
