//! The list of German municipalities `gemeinden.csv` (Destatis GV-ISys GV100AD, converted as
//! described in the datasets' `PROVENANCE.md`): a header row, comma-separated, quoted where a
//! field contains a comma. Read are `ags`, `name`, `kreis_name`, `population` and
//! `gemeinde_typ`; other columns are ignored.

use verbund_domain::org::{Ags, OrgKind};

/// One municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Official municipality key (8 digits).
    pub ags: Ags,
    /// Name, e.g. `Flensburg`.
    pub name: String,
    /// Name of its Kreis (for a kreisfreie Stadt, itself).
    pub kreis_name: String,
    /// [`OrgKind::Stadt`] for every kind of town, otherwise [`OrgKind::Gemeinde`].
    pub kind: OrgKind,
    /// Inhabitants on the reference date.
    pub population: i64,
}

/// Why the file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GemeindenError {
    /// A required column is missing from the header.
    #[error("gemeinden.csv: column {0:?} is missing")]
    MissingColumn(&'static str),
    /// A row is malformed.
    #[error("gemeinden.csv line {line}: {message}")]
    Row {
        /// Line number, 1-based (the header is line 1).
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Reads every municipality in file order; stops at the first malformed row.
pub fn parse(bytes: &[u8]) -> Result<Vec<Municipality>, GemeindenError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers().map_err(|e| GemeindenError::Row {
        line: 1,
        message: e.to_string(),
    })?;
    let column = |name: &'static str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(GemeindenError::MissingColumn(name))
    };
    let (ags, name, kreis, population, kind) = (
        column("ags")?,
        column("name")?,
        column("kreis_name")?,
        column("population")?,
        column("gemeinde_typ")?,
    );
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(2);
        let row = |message: String| GemeindenError::Row { line, message };
        let record = record.map_err(|e| row(e.to_string()))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let code = Ags::parse(field(ags)).map_err(|c| row(format!("ags: {c}")))?;
        let inhabitants = field(population).parse::<i64>().map_err(|_| {
            row(format!(
                "population {:?} is not a number",
                field(population)
            ))
        })?;
        if field(name).is_empty() {
            return Err(row("name is empty".into()));
        }
        out.push(Municipality {
            ags: code,
            name: field(name).to_owned(),
            kreis_name: field(kreis).to_owned(),
            kind: if field(kind).to_lowercase().contains("stadt") {
                OrgKind::Stadt
            } else {
                OrgKind::Gemeinde
            },
            population: inhabitants,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "ags,name,kreis_ags,kreis_name,land,population,area_km2,reference_date,ars,name_official,gemeinde_typ\n";

    #[test]
    fn reads_towns_and_municipalities_with_quoted_fields() {
        let text = format!(
            "{HEADER}01001000,Flensburg,01001,Flensburg,01,92550,56.73,2022-12-31,010010000000,\"Flensburg, Stadt\",Kreisfreie Stadt\n\
             06433009,Nauheim,06433,Groß-Gerau,06,10840,13.33,2022-12-31,064330009009,Nauheim,Kreisangehoerige Gemeinde\n"
        );
        let rows = parse(text.as_bytes()).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Flensburg");
        assert_eq!(rows[0].kind, OrgKind::Stadt);
        assert_eq!(rows[1].ags.as_str(), "06433009");
        assert_eq!(rows[1].kind, OrgKind::Gemeinde);
        assert_eq!(rows[1].population, 10840);
        assert_eq!(rows[1].kreis_name, "Groß-Gerau");
    }

    #[test]
    fn names_the_line_of_a_bad_population() {
        let text = format!("{HEADER}06433009,Nauheim,06433,Groß-Gerau,06,viele,,,,,Markt\n");
        assert!(matches!(
            parse(text.as_bytes()),
            Err(GemeindenError::Row { line: 2, .. })
        ));
    }

    #[test]
    fn refuses_a_file_without_the_ags_column() {
        assert_eq!(
            parse(b"name,population\nNauheim,1\n"),
            Err(GemeindenError::MissingColumn("ags"))
        );
    }
}
