//! The 47 elementary threats (elementare Gefährdungen G 0.1 – G 0.47 of IT-Grundschutz): the
//! numbers and official short names are facts; the descriptions and the basic values each
//! threat touches are Verbund's own wording and judgement. The suggestion by object type is
//! Verbund's own mapping too.

use serde::Serialize;

use crate::structure::ObjectType;

/// One elementary threat as shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ElementaryThreat {
    /// Number n of `G 0.n`.
    pub number: u8,
    /// Official short name.
    pub name: &'static str,
    /// Verbund's own description (German).
    pub description: &'static str,
    /// Basic values it touches: any of `C`, `I`, `A`.
    pub goals: &'static str,
}

impl ElementaryThreat {
    /// The reference, e.g. `G 0.18`.
    pub fn code(&self) -> String {
        format!("G 0.{}", self.number)
    }
}

macro_rules! threats {
    ($(($n:literal, $name:literal, $goals:literal, $desc:literal)),* $(,)?) => {
        /// All 47, in order.
        pub const ELEMENTARY: &[ElementaryThreat] = &[$(ElementaryThreat {
            number: $n, name: $name, goals: $goals, description: $desc,
        }),*];
    };
}

threats!(
    (
        1,
        "Feuer",
        "IA",
        "Ein Brand oder seine Folgen (Hitze, Rauch, Löschwasser) zerstören Technik, Akten und Räume."
    ),
    (
        2,
        "Ungünstige klimatische Bedingungen",
        "IA",
        "Zu hohe oder zu niedrige Temperatur oder Luftfeuchte lässt Geräte ausfallen oder altern."
    ),
    (
        3,
        "Wasser",
        "IA",
        "Leitungswasser, Regen, Hochwasser oder Kondenswasser dringt in Räume oder Geräte ein."
    ),
    (
        4,
        "Verschmutzung, Staub, Korrosion",
        "IA",
        "Schmutz, Staub oder Korrosion beeinträchtigen Lüfter, Kontakte und Datenträger."
    ),
    (
        5,
        "Naturkatastrophen",
        "A",
        "Sturm, Hochwasser, Erdbeben oder Unwetter treffen den Standort großflächig."
    ),
    (
        6,
        "Katastrophen im Umfeld",
        "A",
        "Ein Unglück in der Nachbarschaft (Chemieunfall, Großbrand) macht den Standort unbenutzbar."
    ),
    (
        7,
        "Großereignisse im Umfeld",
        "A",
        "Veranstaltungen, Demonstrationen oder Sperrungen behindern Zugang und Betrieb."
    ),
    (
        8,
        "Ausfall oder Störung der Stromversorgung",
        "IA",
        "Stromausfall, Spannungsschwankungen oder Überspannung legen Technik lahm oder beschädigen sie."
    ),
    (
        9,
        "Ausfall oder Störung von Kommunikationsnetzen",
        "A",
        "Telefon-, Internet- oder Verbindungsleitungen zum Dienstleister stehen nicht zur Verfügung."
    ),
    (
        10,
        "Ausfall oder Störung von Versorgungsnetzen",
        "A",
        "Wasser, Heizung, Kühlung oder Gas fallen aus und damit Räume oder Technik."
    ),
    (
        11,
        "Ausfall oder Störung von Dienstleistern",
        "CIA",
        "Ein IT-Dienstleister oder Lieferant kann seine Leistung nicht oder nicht wie vereinbart erbringen."
    ),
    (
        12,
        "Elektromagnetische Störstrahlung",
        "IA",
        "Elektromagnetische Felder stören Geräte oder verfälschen übertragene Daten."
    ),
    (
        13,
        "Abfangen kompromittierender Strahlung",
        "C",
        "Aus der Abstrahlung von Geräten oder Leitungen werden Inhalte rekonstruiert."
    ),
    (
        14,
        "Ausspähen von Informationen (Spionage)",
        "C",
        "Jemand beschafft sich gezielt vertrauliche Informationen der Verwaltung."
    ),
    (
        15,
        "Abhören",
        "C",
        "Gespräche, Telefonate oder ungeschützte Datenübertragungen werden mitgehört."
    ),
    (
        16,
        "Diebstahl von Geräten, Datenträgern oder Dokumenten",
        "CA",
        "Laptops, Sticks, Festplatten oder Akten werden entwendet; Daten fehlen und können missbraucht werden."
    ),
    (
        17,
        "Verlust von Geräten, Datenträgern oder Dokumenten",
        "CA",
        "Geräte oder Unterlagen gehen verloren oder werden liegen gelassen."
    ),
    (
        18,
        "Fehlplanung oder fehlende Anpassung",
        "CIA",
        "Abläufe, Technik oder Regeln passen nicht (mehr) zum tatsächlichen Bedarf."
    ),
    (
        19,
        "Offenlegung schützenswerter Informationen",
        "C",
        "Vertrauliche Informationen gelangen, absichtlich oder versehentlich, an Unbefugte."
    ),
    (
        20,
        "Informationen oder Produkte aus unzuverlässiger Quelle",
        "CIA",
        "Software, Geräte oder Auskünfte zweifelhafter Herkunft werden ungeprüft verwendet."
    ),
    (
        21,
        "Manipulation von Hard- oder Software",
        "CIA",
        "Geräte oder Programme werden verändert, um sie auszuspähen, zu stören oder zu missbrauchen."
    ),
    (
        22,
        "Manipulation von Informationen",
        "I",
        "Daten werden unbefugt oder unbemerkt verändert, etwa Bescheide, Zahlungen oder Register."
    ),
    (
        23,
        "Unbefugtes Eindringen in IT-Systeme",
        "CIA",
        "Angreifende verschaffen sich Zugang zu Systemen und handeln dort mit fremden Rechten."
    ),
    (
        24,
        "Zerstörung von Geräten oder Datenträgern",
        "A",
        "Technik oder Datenträger werden mutwillig oder versehentlich unbrauchbar gemacht."
    ),
    (
        25,
        "Ausfall von Geräten oder Systemen",
        "A",
        "Ein Gerät oder System fällt aus, etwa durch Verschleiß oder einen Defekt."
    ),
    (
        26,
        "Fehlfunktion von Geräten oder Systemen",
        "IA",
        "Ein System arbeitet fehlerhaft und liefert falsche oder unvollständige Ergebnisse."
    ),
    (
        27,
        "Ressourcenmangel",
        "A",
        "Speicher, Rechenleistung, Bandbreite, Budget oder Personal reichen nicht aus."
    ),
    (
        28,
        "Software-Schwachstellen oder -Fehler",
        "CIA",
        "Fehler in Programmen lassen sich ausnutzen oder führen zu Störungen."
    ),
    (
        29,
        "Verstoß gegen Gesetze oder Regelungen",
        "CIA",
        "Vorgaben wie Datenschutz, Haushalts- oder Archivrecht werden nicht eingehalten."
    ),
    (
        30,
        "Unberechtigte Nutzung oder Administration von Geräten und Systemen",
        "CIA",
        "Jemand ohne Befugnis bedient oder verwaltet Geräte oder Systeme."
    ),
    (
        31,
        "Fehlerhafte Nutzung oder Administration von Geräten und Systemen",
        "CIA",
        "Bedien- oder Konfigurationsfehler schwächen den Schutz oder stören den Betrieb."
    ),
    (
        32,
        "Missbrauch von Berechtigungen",
        "CIA",
        "Vorhandene Rechte werden für nicht vorgesehene Zwecke genutzt."
    ),
    (
        33,
        "Personalausfall",
        "A",
        "Wichtige Personen fallen durch Krankheit, Kündigung oder Urlaub aus, Wissen fehlt."
    ),
    (
        34,
        "Anschlag",
        "IA",
        "Ein gewaltsamer Angriff richtet sich gegen Gebäude, Technik oder Beschäftigte."
    ),
    (
        35,
        "Nötigung, Erpressung oder Korruption",
        "CIA",
        "Beschäftigte werden unter Druck gesetzt oder bestochen, um Schutzmaßnahmen zu umgehen."
    ),
    (
        36,
        "Identitätsdiebstahl",
        "CI",
        "Jemand gibt sich mit fremden Zugangsdaten oder Merkmalen als eine andere Person aus."
    ),
    (
        37,
        "Abstreiten von Handlungen",
        "I",
        "Eine Person bestreitet, eine Handlung vorgenommen zu haben, und das lässt sich nicht widerlegen."
    ),
    (
        38,
        "Missbrauch personenbezogener Daten",
        "C",
        "Personenbezogene Daten werden für andere als die erlaubten Zwecke verwendet."
    ),
    (
        39,
        "Schadprogramme",
        "CIA",
        "Viren, Trojaner oder Verschlüsselungstrojaner gelangen auf Systeme und richten Schaden an."
    ),
    (
        40,
        "Verhinderung von Diensten (Denial of Service)",
        "A",
        "Ein Dienst wird durch gezielte Überlastung für die Nutzenden unerreichbar."
    ),
    (
        41,
        "Sabotage",
        "IA",
        "Abläufe oder Technik werden absichtlich gestört, oft von innen."
    ),
    (
        42,
        "Social Engineering",
        "CI",
        "Beschäftigte werden durch Täuschung zu Auskünften oder Handlungen verleitet."
    ),
    (
        43,
        "Einspielen von Nachrichten",
        "I",
        "Aufgezeichnete oder gefälschte Nachrichten werden erneut oder unter falschem Absender eingespielt."
    ),
    (
        44,
        "Unbefugtes Eindringen in Räumlichkeiten",
        "CIA",
        "Unbefugte gelangen in Gebäude oder Räume mit schützenswerter Technik oder Akten."
    ),
    (
        45,
        "Datenverlust",
        "A",
        "Daten sind nicht mehr vorhanden und lassen sich nicht (rechtzeitig) wiederherstellen."
    ),
    (
        46,
        "Integritätsverlust schützenswerter Informationen",
        "I",
        "Informationen sind verfälscht oder unvollständig, ohne dass es auffällt."
    ),
    (
        47,
        "Schädliche Seiteneffekte IT-gestützter Angriffe",
        "CIA",
        "Ein Angriff auf Dritte trifft die eigene Verwaltung mit, etwa über gemeinsame Dienste."
    ),
);

/// Verbund's mapping of object types to the elementary threats (numbers) to look at first.
pub fn for_object_type(t: ObjectType) -> &'static [u8] {
    match t {
        ObjectType::BusinessProcess => &[11, 18, 19, 29, 31, 32, 33, 35, 37, 38, 42, 45],
        ObjectType::Application => &[18, 19, 20, 22, 23, 28, 30, 31, 32, 36, 39, 40, 45, 46],
        ObjectType::Server => &[1, 2, 3, 8, 11, 21, 23, 25, 26, 27, 28, 30, 31, 39, 40, 45],
        ObjectType::Client => &[14, 16, 17, 19, 23, 25, 28, 31, 36, 39, 42, 45],
        ObjectType::NetworkComponent => &[8, 9, 21, 23, 25, 26, 28, 30, 31, 40, 43],
        ObjectType::MobileDevice => &[14, 15, 16, 17, 19, 23, 28, 36, 39, 45],
        ObjectType::IcsIot => &[8, 12, 21, 23, 25, 26, 28, 30, 41, 47],
        ObjectType::Room => &[1, 2, 3, 4, 8, 10, 16, 41, 44],
        ObjectType::Building => &[1, 3, 5, 6, 7, 8, 10, 34, 44],
        ObjectType::CommunicationLink => &[9, 11, 15, 40, 43],
        ObjectType::Network => &[9, 15, 23, 30, 40, 43, 47],
    }
}

/// The elementary threats to suggest for an object: those of its type that touch at least one
/// basic value whose need is high (`high` = `[C, I, A]`, true for hoch or sehr hoch). Without
/// any high value the type's whole list is suggested.
pub fn suggest(t: ObjectType, high: [bool; 3]) -> Vec<u8> {
    let any = high.iter().any(|h| *h);
    for_object_type(t)
        .iter()
        .copied()
        .filter(|n| {
            !any || ELEMENTARY.get(usize::from(*n) - 1).is_some_and(|e| {
                e.goals.chars().any(|g| {
                    matches!(g, 'C' if high[0])
                        || matches!(g, 'I' if high[1])
                        || matches!(g, 'A' if high[2])
                })
            })
        })
        .collect()
}

/// Whether a threat reference given by a file (`G 0.18`, `G0.18`, `g 0.18`) names elementary
/// threat `n`; returns `n`.
pub fn parse_code(code: &str) -> Option<u8> {
    let c: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = c.strip_prefix("G0.").or_else(|| c.strip_prefix("g0."))?;
    let n: u8 = rest.parse().ok()?;
    (1..=47).contains(&n).then_some(n)
}
