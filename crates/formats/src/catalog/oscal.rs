//! NIST OSCAL catalogs and profiles (JSON, OSCAL 1.0.x and 1.1.x).
//!
//! Mapping of a catalog to the domain:
//!
//! - catalog `urn` = `urn:oscal:<catalog uuid>`, `name` = `metadata.title`, `version` =
//!   `metadata.version`, `ref_id` = the first `metadata.document-ids` identifier or else
//!   the uuid, `description` = `metadata.remarks`, `provider` = the party in the
//!   `creator` role; `locale` is `en` (OSCAL JSON carries no language);
//! - groups (nested to any depth) become non-assessable nodes, controls and their
//!   enhancements assessable nodes below them, in document order (at each level the
//!   controls before the sub-groups, as in the OSCAL model);
//! - node `urn` = `urn:oscal:<catalog uuid>:<id>`, `ref_id` = the `label` prop (e.g.
//!   `AC-2(1)`) or else the id upper-cased, `name` = `title`;
//! - `description` = the `statement` part flattened to lines (`a. …`, then `  1. …`
//!   indented two spaces per level), with parameter placeholders written as
//!   `[Assignment: <label>]` or `[Selection (one or more): a; b]`;
//! - `guidance` = the `guidance` part, flattened the same way; a group's description is
//!   its `statement` or `overview` part; other parts (assessment objectives and methods)
//!   are not imported;
//! - withdrawn controls (prop `status` = `withdrawn`) are kept so that ids and the
//!   hierarchy stay complete, but are **not assessable**; their description says where
//!   they went, e.g. `[Withdrawn: Incorporated into AC-2k.]`.

mod model;
mod profile;
mod prose;

use verbund_domain::catalog::{Catalog, CatalogNode, SourceFormat};

pub use profile::{resolve_profile, resolve_profile_bytes};

use super::de::{self, clean, order};
use super::error::ImportError;
pub(crate) use model::RawDocument;
use model::{Control, Group, Metadata, RawCatalog, prop};
use prose::Index;

/// Parses an OSCAL catalog in JSON.
///
/// Fails on JSON syntax errors (with line and column), values of the wrong type (with
/// their path), missing required fields such as `catalog.metadata.title` or
/// `catalog.groups[3].controls[0].id`, an OSCAL profile ([`ImportError::ProfileNeedsCatalog`]),
/// and catalog rule violations such as duplicate ids ([`ImportError::Invalid`]).
pub fn parse_catalog(bytes: &[u8]) -> Result<Catalog, ImportError> {
    from_document(de::from_json(de::text(bytes)?)?)
}

pub(crate) fn from_document(doc: RawDocument) -> Result<Catalog, ImportError> {
    match doc.catalog {
        Some(catalog) => convert(catalog),
        None if doc.profile.is_some() => Err(ImportError::ProfileNeedsCatalog),
        None => Err(ImportError::MissingField {
            path: "catalog".into(),
        }),
    }
}

fn missing(path: impl Into<String>) -> ImportError {
    ImportError::MissingField { path: path.into() }
}

fn convert(raw: RawCatalog) -> Result<Catalog, ImportError> {
    let uuid = clean(raw.uuid.clone()).ok_or_else(|| missing("catalog.uuid"))?;
    let metadata = raw
        .metadata
        .as_ref()
        .ok_or_else(|| missing("catalog.metadata"))?;
    let header = Header::read(metadata, "catalog")?;
    let urn = format!("urn:oscal:{uuid}");
    let mut builder = Builder {
        index: Index::build(&raw),
        prefix: urn.clone(),
        nodes: Vec::new(),
    };
    for (i, c) in raw.controls.iter().enumerate() {
        builder.control(c, None, 1, &format!("catalog.controls[{i}]"))?;
    }
    for (i, g) in raw.groups.iter().enumerate() {
        builder.group(g, None, 1, &format!("catalog.groups[{i}]"))?;
    }
    let catalog = Catalog {
        urn,
        ref_id: header.document_id.unwrap_or(uuid),
        name: header.title,
        description: header.remarks,
        version: header.version,
        locale: "en".to_owned(),
        provider: header.provider,
        copyright: None,
        source: SourceFormat::Oscal,
        translations: Default::default(),
        implementation_groups: Vec::new(),
        nodes: builder.nodes,
    };
    catalog.validate()?;
    Ok(catalog)
}

/// The metadata fields a catalog or profile contributes.
struct Header {
    title: String,
    version: String,
    document_id: Option<String>,
    remarks: Option<String>,
    provider: Option<String>,
}

impl Header {
    fn read(m: &Metadata, root: &str) -> Result<Self, ImportError> {
        let title =
            clean(m.title.clone()).ok_or_else(|| missing(format!("{root}.metadata.title")))?;
        let version =
            clean(m.version.clone()).ok_or_else(|| missing(format!("{root}.metadata.version")))?;
        let creator = m
            .responsible_parties
            .iter()
            .find(|r| r.role_id.as_deref() == Some("creator"))
            .and_then(|r| r.party_uuids.first());
        let provider = creator
            .and_then(|uuid| m.parties.iter().find(|p| p.uuid.as_ref() == Some(uuid)))
            .and_then(|p| clean(p.name.clone()));
        Ok(Self {
            title,
            version,
            document_id: m
                .document_ids
                .iter()
                .find_map(|d| clean(d.identifier.clone())),
            remarks: clean(m.remarks.clone()),
            provider,
        })
    }
}

struct Builder<'a> {
    index: Index<'a>,
    prefix: String,
    nodes: Vec<CatalogNode>,
}

impl Builder<'_> {
    fn node(&self, id: &str, parent: Option<&str>, depth: u32) -> CatalogNode {
        CatalogNode {
            parent_urn: parent.map(str::to_owned),
            depth,
            order: order(self.nodes.len()),
            ..CatalogNode::new(format!("{}:{id}", self.prefix))
        }
    }

    fn group(
        &mut self,
        g: &Group,
        parent: Option<&str>,
        depth: u32,
        path: &str,
    ) -> Result<(), ImportError> {
        // Group ids are optional in OSCAL; a position-based one keeps the URN unique.
        let id = clean(g.id.clone());
        let node_id = id
            .clone()
            .unwrap_or_else(|| format!("group-{}", self.nodes.len()));
        let mut node = self.node(&node_id, parent, depth);
        node.name = Some(clean(g.title.clone()).ok_or_else(|| missing(format!("{path}.title")))?);
        node.ref_id = match (prop(&g.props, "label"), id) {
            (Some(label), _) => clean(Some(label.to_owned())),
            (None, id) => id.map(|id| id.to_uppercase()),
        };
        node.description = self
            .part(&g.parts, "statement")
            .or_else(|| self.part(&g.parts, "overview"));
        node.guidance = self.part(&g.parts, "guidance");
        let urn = node.urn.clone();
        self.nodes.push(node);
        let below = depth.saturating_add(1);
        for (i, c) in g.controls.iter().enumerate() {
            self.control(c, Some(&urn), below, &format!("{path}.controls[{i}]"))?;
        }
        for (i, sub) in g.groups.iter().enumerate() {
            self.group(sub, Some(&urn), below, &format!("{path}.groups[{i}]"))?;
        }
        Ok(())
    }

    fn control(
        &mut self,
        c: &Control,
        parent: Option<&str>,
        depth: u32,
        path: &str,
    ) -> Result<(), ImportError> {
        let id = clean(c.id.clone()).ok_or_else(|| missing(format!("{path}.id")))?;
        let mut node = self.node(&id, parent, depth);
        node.name = Some(clean(c.title.clone()).ok_or_else(|| missing(format!("{path}.title")))?);
        node.ref_id = Some(prose::ref_id(&c.props, &id));
        let withdrawn =
            prop(&c.props, "status").is_some_and(|s| s.trim().eq_ignore_ascii_case("withdrawn"));
        let statement = self.part(&c.parts, "statement");
        node.description = if withdrawn {
            let note = self.withdrawal_note(c);
            Some(statement.map_or_else(|| note.clone(), |s| format!("{note}\n{s}")))
        } else {
            statement
        };
        node.guidance = self.part(&c.parts, "guidance");
        node.assessable = !withdrawn;
        let urn = node.urn.clone();
        self.nodes.push(node);
        for (i, sub) in c.controls.iter().enumerate() {
            self.control(
                sub,
                Some(&urn),
                depth.saturating_add(1),
                &format!("{path}.controls[{i}]"),
            )?;
        }
        Ok(())
    }

    fn part(&self, parts: &[model::Part], name: &str) -> Option<String> {
        parts
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .and_then(|p| self.index.render(p))
    }

    /// `[Withdrawn: Incorporated into AC-2k.]` from the control's `incorporated-into` and
    /// `moved-to` links.
    fn withdrawal_note(&self, c: &Control) -> String {
        let targets = |rel: &str| -> Vec<String> {
            c.links
                .iter()
                .filter(|l| l.rel.as_deref() == Some(rel))
                .filter_map(|l| l.href.as_deref())
                .map(|href| self.index.cite(href.trim().trim_start_matches('#')))
                .collect()
        };
        let mut notes = Vec::new();
        let incorporated = targets("incorporated-into");
        if !incorporated.is_empty() {
            notes.push(format!("Incorporated into {}", incorporated.join(", ")));
        }
        let moved = targets("moved-to");
        if !moved.is_empty() {
            notes.push(format!("Moved to {}", moved.join(", ")));
        }
        if notes.is_empty() {
            "[Withdrawn.]".to_owned()
        } else {
            format!("[Withdrawn: {}.]", notes.join("; "))
        }
    }
}
