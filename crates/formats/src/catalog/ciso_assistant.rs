//! CISO Assistant libraries (YAML): `objects.framework` with its `requirement_nodes`.
//!
//! Only the fields a catalog needs are read; everything else in a library (reference
//! controls, threats, scores, questions, typical evidence, mappings ...) is skipped, so
//! any library imports without special-casing. Mapping to the domain:
//!
//! - catalog `urn`, `ref_id`, `name`, `description`, `translations` come from the
//!   framework, falling back to the library's own fields; `version`, `locale` (default
//!   `en`, as in CISO Assistant), `provider` and `copyright` from the library;
//! - URNs are lower-cased, as CISO Assistant does when it loads a library, so that a
//!   `parent_urn` written in other case still finds its parent;
//! - a node's `annotation` becomes its `guidance`; a missing `depth` (or depth 0) is
//!   computed from the parent chain; `order` is the position in `requirement_nodes`;
//! - texts are trimmed, and empty texts become `None`.
//!
//! Besides `objects.framework`, the list form `objects.frameworks` is read too.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use verbund_domain::catalog::{
    Catalog, CatalogNode, ImplementationGroup, SourceFormat, Translation,
};

use super::de::{self, clean, order};
use super::error::ImportError;

/// Parses a CISO Assistant library holding exactly one framework.
///
/// Fails on YAML syntax errors (with line and column), wrong value types, missing
/// required fields (with their path), a library without framework
/// ([`ImportError::NoFramework`]) or with several ([`ImportError::SeveralFrameworks`]),
/// and on catalog rule violations ([`ImportError::Invalid`]).
pub fn parse(bytes: &[u8]) -> Result<Catalog, ImportError> {
    let library = read(de::text(bytes)?)?;
    single(convert(library)?)
}

/// Parses every framework of a CISO Assistant library, in file order (`framework` before
/// `frameworks`).
///
/// Fails like [`parse`], except that several frameworks are fine.
pub fn parse_all(bytes: &[u8]) -> Result<Vec<Catalog>, ImportError> {
    convert(read(de::text(bytes)?)?)
}

pub(crate) fn read(text: &str) -> Result<RawLibrary, ImportError> {
    de::from_yaml(text)
}

pub(crate) fn single(mut catalogs: Vec<Catalog>) -> Result<Catalog, ImportError> {
    match catalogs.len() {
        0 => Err(ImportError::NoFramework),
        1 => catalogs.pop().ok_or(ImportError::NoFramework),
        _ => Err(ImportError::SeveralFrameworks {
            urns: catalogs.into_iter().map(|c| c.urn).collect(),
        }),
    }
}

type RawTranslations = Option<BTreeMap<String, Option<RawTranslation>>>;

/// The top level of a library; only read fields are listed.
#[derive(Deserialize)]
pub(crate) struct RawLibrary {
    ref_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    locale: Option<String>,
    version: Option<String>,
    provider: Option<String>,
    copyright: Option<String>,
    translations: RawTranslations,
    pub(crate) objects: Option<RawObjects>,
    /// Present in OSCAL documents written as YAML; only looked at to explain why such
    /// a file is not imported.
    pub(crate) catalog: Option<IgnoredAny>,
    /// See `catalog`.
    pub(crate) profile: Option<IgnoredAny>,
}

#[derive(Deserialize)]
pub(crate) struct RawObjects {
    framework: Option<RawFramework>,
    frameworks: Option<Vec<RawFramework>>,
}

#[derive(Deserialize)]
struct RawFramework {
    urn: Option<String>,
    ref_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    translations: RawTranslations,
    implementation_groups_definition: Option<Vec<RawGroup>>,
    requirement_nodes: Option<Vec<RawNode>>,
}

#[derive(Deserialize)]
struct RawGroup {
    ref_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    translations: RawTranslations,
}

#[derive(Deserialize)]
struct RawNode {
    urn: Option<String>,
    assessable: Option<bool>,
    depth: Option<u32>,
    parent_urn: Option<String>,
    ref_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    annotation: Option<String>,
    implementation_groups: Option<Vec<String>>,
    translations: RawTranslations,
}

#[derive(Deserialize, Clone)]
struct RawTranslation {
    name: Option<String>,
    description: Option<String>,
}

/// Builds one catalog per framework; an empty list means the library has none.
pub(crate) fn convert(mut library: RawLibrary) -> Result<Vec<Catalog>, ImportError> {
    let mut frameworks = Vec::new();
    if let Some(objects) = library.objects.take() {
        if let Some(f) = objects.framework {
            frameworks.push(("objects.framework".to_owned(), f));
        }
        for (i, f) in objects.frameworks.into_iter().flatten().enumerate() {
            frameworks.push((format!("objects.frameworks[{i}]"), f));
        }
    }
    frameworks
        .into_iter()
        .map(|(path, f)| framework(&library, f, &path))
        .collect()
}

fn framework(lib: &RawLibrary, f: RawFramework, path: &str) -> Result<Catalog, ImportError> {
    let missing = |field: &str| ImportError::MissingField {
        path: format!("{path}.{field}"),
    };
    // Library-level fields are cloned rather than moved because several frameworks of one
    // library share them.
    let urn = clean(f.urn).ok_or_else(|| missing("urn"))?.to_lowercase();
    let ref_id = clean(f.ref_id)
        .or_else(|| clean(lib.ref_id.clone()))
        .ok_or_else(|| missing("ref_id"))?;
    let name = clean(f.name)
        .or_else(|| clean(lib.name.clone()))
        .ok_or_else(|| missing("name"))?;
    let version = clean(lib.version.clone()).ok_or_else(|| ImportError::MissingField {
        path: "version".into(),
    })?;

    let mut implementation_groups = Vec::new();
    for (i, g) in f
        .implementation_groups_definition
        .into_iter()
        .flatten()
        .enumerate()
    {
        let ref_id = clean(g.ref_id).ok_or_else(|| ImportError::MissingField {
            path: format!("{path}.implementation_groups_definition[{i}].ref_id"),
        })?;
        implementation_groups.push(ImplementationGroup {
            name: clean(g.name).unwrap_or_else(|| ref_id.clone()),
            ref_id,
            description: clean(g.description),
            translations: translations(g.translations),
        });
    }

    let nodes = f
        .requirement_nodes
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, n)| node(n, i, path))
        .collect::<Result<Vec<_>, _>>()?;

    let own_translations = translations(f.translations);
    let mut catalog = Catalog {
        urn,
        ref_id,
        name,
        description: clean(f.description).or_else(|| clean(lib.description.clone())),
        version,
        locale: clean(lib.locale.clone()).unwrap_or_else(|| "en".to_owned()),
        provider: clean(lib.provider.clone()),
        copyright: clean(lib.copyright.clone()),
        source: SourceFormat::CisoAssistant,
        translations: if own_translations.is_empty() {
            translations(lib.translations.clone())
        } else {
            own_translations
        },
        implementation_groups,
        nodes,
    };
    catalog.fill_missing_depths();
    catalog.validate()?;
    Ok(catalog)
}

fn node(n: RawNode, index: usize, path: &str) -> Result<CatalogNode, ImportError> {
    let urn = clean(n.urn).ok_or_else(|| ImportError::MissingField {
        path: format!("{path}.requirement_nodes[{index}].urn"),
    })?;
    Ok(CatalogNode {
        urn: urn.to_lowercase(),
        parent_urn: clean(n.parent_urn).map(|p| p.to_lowercase()),
        ref_id: clean(n.ref_id),
        name: clean(n.name),
        description: clean(n.description),
        guidance: clean(n.annotation),
        assessable: n.assessable.unwrap_or(false),
        depth: n.depth.unwrap_or(0),
        order: order(index),
        implementation_groups: n
            .implementation_groups
            .into_iter()
            .flatten()
            .filter_map(|g| clean(Some(g)))
            .collect(),
        translations: translations(n.translations),
    })
}

fn translations(raw: RawTranslations) -> BTreeMap<String, Translation> {
    raw.into_iter()
        .flatten()
        .filter_map(|(locale, t)| {
            let t = t?;
            let t = Translation {
                name: clean(t.name),
                description: clean(t.description),
            };
            let locale = locale.trim();
            (!locale.is_empty() && (t.name.is_some() || t.description.is_some()))
                .then(|| (locale.to_owned(), t))
        })
        .collect()
}
