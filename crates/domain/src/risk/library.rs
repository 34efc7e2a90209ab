//! What a risk library brings besides requirements: threats, reference controls and the links
//! of requirements to threats (CISO Assistant publishes libraries with only threats or only
//! controls, and frameworks whose requirements name the threats they counter).
//!
//! Threats become threats of the federation (source `import:<library urn>`), controls become
//! measure templates the office may push, and the links let the risk analysis suggest the
//! threats behind a member's unmet requirements.

/// A threat or a reference control of a library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryItem {
    /// Its URN (lower case), e.g. `urn:intuitem:risk:threat:cisa-cpg-2.0:t-01`.
    pub urn: String,
    /// Reference, e.g. `T.01` (the URN's last part when the library has none).
    pub ref_id: String,
    /// Short name (the German translation when the library has one).
    pub name: String,
    /// What it means.
    pub description: Option<String>,
}

/// The threats, controls and requirement links of one library.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RiskLibrary {
    /// The library's URN (lower case).
    pub urn: String,
    /// The library's name.
    pub name: String,
    /// Its threats, in file order.
    pub threats: Vec<LibraryItem>,
    /// Its reference controls, in file order.
    pub controls: Vec<LibraryItem>,
    /// (requirement URN, threat URN): a requirement that counters a threat. Only links to
    /// threats of this library are kept.
    pub links: Vec<(String, String)>,
}

impl RiskLibrary {
    /// Whether the library brings nothing for the risk analysis.
    pub fn is_empty(&self) -> bool {
        self.threats.is_empty() && self.controls.is_empty()
    }

    /// The source code its threats are stored under.
    pub fn source(&self) -> String {
        format!("import:{}", self.urn)
    }
}
