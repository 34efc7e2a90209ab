//! The command line: clap definitions with German help texts, headings and usage errors.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Help in German: clap's own headings and flag texts are English, so they are replaced here.
const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Aufruf: {usage}

{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "verbund",
    version,
    about = "Verbund – interkommunale Informationssicherheit",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Befehle",
    subcommand_value_name = "BEFEHL",
    next_help_heading = "Optionen",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Hilfe zu einem Befehl: verbund BEFEHL --help"
)]
pub struct Cli {
    /// Konfigurationsdatei (TOML); ohne Angabe `verbund.toml`, falls vorhanden.
    #[arg(long, global = true, env = "VERBUND_CONFIG", value_name = "DATEI")]
    pub config: Option<PathBuf>,
    /// Diese Hilfe anzeigen.
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Version anzeigen.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand)]
pub enum Cmd {
    /// Startet den Webserver (bringt die Datenbank vorher auf den neuesten Stand).
    Serve,
    /// Bringt die Datenbank auf den neuesten Stand und beendet sich.
    Migrate,
    /// Legt den Demo-Verbund (Kreis Groß-Gerau) in einer SQLite-Datei an und startet den Server.
    Demo {
        /// Datenbankdatei der Demo.
        #[arg(long, default_value = "verbund-demo.db", value_name = "DATEI")]
        db: String,
        /// Die Demo-Datenbank vorher löschen.
        #[arg(long)]
        reset: bool,
        /// Adresse, auf der der Server lauscht.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADRESSE")]
        bind: String,
        /// Nur anlegen, keinen Server starten.
        #[arg(long)]
        no_serve: bool,
        /// Zusätzlich N Mitglieder erzeugen (Namen, AGS und Einwohner aus der Gemeindeliste
        /// `gemeinden.csv` unter $VERBUND_DATASETS oder ../shared/datasets), einen
        /// synthetischen Katalog und je eine Bewertung mit Zufallsantworten (Lasttests).
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// Anforderungen des synthetischen Katalogs (mit --scale).
        #[arg(long, default_value_t = 300, requires = "scale", value_name = "ANZAHL")]
        catalog_items: usize,
    },
    /// Legt den Verbund an (falls noch keiner besteht) und eine Plattform-Administration.
    CreateAdmin {
        /// E-Mail-Adresse der Administration.
        #[arg(long, value_name = "E-MAIL")]
        email: String,
        /// Anzeigename.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Name des Verbunds, wenn er jetzt angelegt wird.
        #[arg(
            long,
            default_value = "Informationssicherheitsverbund",
            value_name = "NAME"
        )]
        federation: String,
        /// Name der Informationssicherheitsstelle, wenn sie jetzt angelegt wird.
        #[arg(
            long,
            default_value = "Informationssicherheitsstelle",
            value_name = "NAME"
        )]
        office: String,
        /// Passwort; aus VERBUND_ADMIN_PASSWORD gelesen, damit es nicht in der Shell-Historie landet.
        #[arg(
            long,
            env = "VERBUND_ADMIN_PASSWORD",
            hide_env_values = true,
            value_name = "PASSWORT"
        )]
        password: String,
    },
    /// Importiert Dateien.
    Import {
        #[command(subcommand)]
        cmd: ImportCmd,
    },
    /// Krisenpakt: Notfallhandbücher.
    Pact {
        #[command(subcommand)]
        cmd: PactCmd,
    },
    /// Kostenbeteiligung: Dokumente erstellter Abrechnungen.
    Costs {
        #[command(subcommand)]
        cmd: CostsCmd,
    },
    /// Änderungsprotokoll.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Schreibt eine konsistente, übertragbare Sicherung der Datenbank in DATEI (JSON-Zeilen,
    /// gzip-komprimiert, nur für den Eigentümer lesbar; mit --key-file oder --passphrase
    /// verschlüsselt). Schreibende Zugriffe laufen währenddessen weiter.
    Backup {
        /// Zieldatei.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
        #[command(flatten)]
        protection: ProtectionArgs,
    },
    /// Stellt eine Sicherung in einer leeren Datenbank wieder her (verschlüsselte Sicherungen
    /// mit --key-file oder --passphrase).
    Restore {
        /// Sicherungsdatei von `verbund backup`.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
        #[command(flatten)]
        protection: ProtectionArgs,
    },
    /// Legt einen neuen Schlüssel für verschlüsselte Sicherungen an (age, nur für den
    /// Eigentümer lesbar).
    BackupKey {
        /// Schlüsseldatei; eine vorhandene wird nicht überschrieben.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
    },
    /// Misst den Erinnerungslauf (ohne Versand) über einen erzeugten Verbund in einer neuen
    /// Datenbank und gibt die Zeiten aus.
    BenchReminders {
        /// Neue, leere Datenbank (SQLite-Datei oder postgres://…).
        #[arg(long, value_name = "URL")]
        db: String,
        /// Erzeugte Mitglieder.
        #[arg(long, default_value_t = 11000, value_name = "ANZAHL")]
        members: usize,
        /// Maßnahmen je Mitglied.
        #[arg(long, default_value_t = 50, value_name = "ANZAHL")]
        per_member: i64,
    },
}

/// How a backup is encrypted.
#[derive(clap::Args)]
pub struct ProtectionArgs {
    /// Schlüsseldatei von `verbund backup-key` (auch VERBUND_BACKUP_KEY_FILE): für
    /// unbeaufsichtigte Sicherungen.
    #[arg(long, value_name = "DATEI")]
    pub key_file: Option<PathBuf>,
    /// Mit einer Passphrase aus der Umgebungsvariable VERBUND_BACKUP_PASSPHRASE.
    #[arg(long)]
    pub passphrase: bool,
}

#[derive(Subcommand)]
pub enum ImportCmd {
    /// Importiert einen Anforderungskatalog (CISO-Assistant-YAML, OSCAL-Katalog oder ein
    /// OSCAL-Profil zusammen mit `--catalog`) als neue Revision.
    Catalog {
        /// Die Datei.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
        /// Format: auto, ciso oder oscal.
        #[arg(long, default_value = "auto", value_name = "FORMAT")]
        format: String,
        /// Bei einem OSCAL-Profil: der Katalog, aus dem es auswählt.
        #[arg(long, value_name = "DATEI")]
        catalog: Option<PathBuf>,
    },
    /// Importiert alle Sicherheitsmeldungen (CSAF 2.0, `*.json`) eines Verzeichnisses samt
    /// Unterverzeichnissen, gleicht sie mit den Inventaren ab und benachrichtigt die
    /// betroffenen Mitglieder. Eine fehlerhafte Datei hält den Lauf nicht an.
    Advisories {
        /// Das Verzeichnis.
        #[arg(value_name = "VERZEICHNIS")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum PactCmd {
    /// Schreibt das Notfallhandbuch (PDF) jedes Paktmitglieds in ein Verzeichnis
    /// (`notfallhandbuch-<mitglied>.pdf`, vorhandene Dateien werden ersetzt) und meldet je
    /// Mitglied, ob sich der Inhalt seit der letzten Erstellung geändert hat.
    Handbook {
        /// Zielverzeichnis; wird angelegt, falls es fehlt.
        #[arg(long, value_name = "VERZEICHNIS")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum CostsCmd {
    /// Schreibt die Abrechnung eines Jahres in ein Verzeichnis: ein PDF-Schreiben je Mitglied
    /// und eine XLSX-Arbeitsmappe mit der ganzen Berechnung (vorhandene Dateien werden ersetzt).
    Statements {
        /// Das Jahr.
        #[arg(long, value_name = "JAHR")]
        year: i32,
        /// Zielverzeichnis; wird angelegt, falls es fehlt.
        #[arg(long, value_name = "VERZEICHNIS")]
        out: PathBuf,
        /// Nummer der Abrechnung; ohne Angabe die neueste des Jahres.
        #[arg(long, value_name = "NR")]
        statement: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Prüft die Hash-Kette und die Prüfpunkte; listet jeden fehlerhaften Eintrag, Exit-Code 1,
    /// wenn ein Eintrag geändert oder gelöscht wurde.
    Verify {
        /// Datei mit Prüfpunkten (Voreinstellung: `audit_checkpoints` der Konfiguration).
        #[arg(long, value_name = "DATEI")]
        checkpoints: Option<PathBuf>,
    },
    /// Hält den aktuellen Stand der Hash-Kette außerhalb der Datenbank fest: hängt eine Zeile an
    /// die Prüfpunktdatei an und gibt sie aus (zum Mitschreiben in Protokoll oder E-Mail).
    Checkpoint {
        /// Datei mit Prüfpunkten (Voreinstellung: `audit_checkpoints` der Konfiguration).
        #[arg(long, value_name = "DATEI")]
        file: Option<PathBuf>,
    },
}

/// Applies the German headings and template to a command and all its subcommands (clap's
/// settings on the top command do not reach the subcommands).
pub fn german(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("Befehle")
        .subcommand_value_name("BEFEHL")
        .disable_help_subcommand(true)
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("Argumente")
            } else {
                a.help_heading("Optionen")
            }
        })
        .mut_subcommands(german)
}

/// Help and version are printed as clap renders them; a wrong call gets a German sentence
/// (clap's own error texts are English) and exit code 2.
pub fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ErrorKind};
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::InvalidSubcommand => "unbekannter Befehl",
        ErrorKind::UnknownArgument => "unbekannte Option",
        ErrorKind::MissingRequiredArgument => "es fehlt eine Angabe",
        ErrorKind::MissingSubcommand => "es fehlt der Befehl",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "ungültiger Wert",
        _ => "ungültiger Aufruf",
    };
    let detail = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| format!(": {v}"))
        .unwrap_or_default();
    eprintln!("Fehler: {what}{detail}\nHilfe: verbund --help");
    std::process::exit(2)
}
