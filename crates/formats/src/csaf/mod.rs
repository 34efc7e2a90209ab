//! CSAF 2.0 security advisories: bytes in, the whole document as typed structs
//! ([`raw::CsafDocument`]) and what Verbund matches and shows ([`Advisory`]) out.
//!
//! **Own structs, not `csaf-rs`.** The product needs the product tree, statuses, scores,
//! remediations, threats, notes, references, TLP and tracking — a few hundred lines of serde
//! structs — while `csaf-rs` brings two JSON-schema validators and about five minutes of extra
//! release build on the two-core CI machine. The structs keep every field they do not model,
//! so documents serialise back unchanged (tested on every real file).
//!
//! **Never panics, names the place.** Input larger than the limit, invalid UTF-8, JSON
//! nested deeper than the limit, syntax errors (line and column), missing or mistyped
//! fields (JSON pointer, e.g. `/document/tracking/id`), products named in a status but not
//! defined (pointer to the status entry), and branches nested too deep are all a
//! [`CsafError`] naming the document. A document valid under the base profile whose
//! category is no profile Verbund knows imports with a warning.

pub mod provider;
pub mod raw;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use verbund_domain::advisory::{
    Advisory, AdvisoryProduct, ProductIdent, ProductState, Remediation, Severity, Tlp,
};

use raw::{Branch, CsafDocument, FullProductName};

/// Largest document accepted (bytes). Red Hat's largest advisories are a few megabytes.
pub const MAX_BYTES: usize = 16 << 20;

/// Deepest JSON nesting accepted (objects and arrays).
pub const MAX_JSON_DEPTH: usize = 64;

/// Deepest branch nesting accepted in the product tree.
pub const MAX_BRANCH_DEPTH: usize = 20;

/// The profiles (document categories) CSAF 2.0 defines.
pub const KNOWN_PROFILES: &[&str] = &[
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
];

/// Why a document could not be read. Every variant names the document; `pointer` is a JSON
/// pointer (RFC 6901) to the offending field, `""` for the document as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{document}: {pointer}: {message}")]
pub struct CsafError {
    /// The document's file name (or the upload's name).
    pub document: String,
    /// Where in the document.
    pub pointer: String,
    /// What is wrong (English, for logs and the CLI; the web shows a translated code).
    pub message: String,
    /// Stable code, also a translation key: `error-csaf-too-large`, `error-csaf-not-utf8`,
    /// `error-csaf-syntax`, `error-csaf-too-deep`, `error-csaf-schema`, `error-csaf-version`,
    /// `error-csaf-product-id`.
    pub code: &'static str,
}

/// Something imported but worth telling (unknown profile, unreadable identifiers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsafWarning {
    /// Where.
    pub pointer: String,
    /// What.
    pub message: String,
}

/// A read document.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAdvisory {
    /// Everything, typed.
    pub document: CsafDocument,
    /// What Verbund matches and shows.
    pub advisory: Advisory,
    /// Warnings.
    pub warnings: Vec<CsafWarning>,
}

fn fail(
    document: &str,
    pointer: impl Into<String>,
    code: &'static str,
    message: impl Into<String>,
) -> CsafError {
    CsafError {
        document: document.to_owned(),
        pointer: pointer.into(),
        message: message.into(),
        code,
    }
}

/// Escapes a key for a JSON pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The nesting depth of JSON text, counted without parsing (strings skipped), so a hostile
/// document is refused before any parser recurses into it.
fn json_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Reads a CSAF 2.0 document. `name` only names the document in errors.
pub fn parse(bytes: &[u8], name: &str) -> Result<ParsedAdvisory, CsafError> {
    if bytes.len() > MAX_BYTES {
        return Err(fail(
            name,
            "",
            "error-csaf-too-large",
            format!("larger than {} MB", MAX_BYTES >> 20),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(
            name,
            "",
            "error-csaf-not-utf8",
            format!("not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    if json_depth(text) > MAX_JSON_DEPTH {
        return Err(fail(
            name,
            "",
            "error-csaf-too-deep",
            format!("JSON nested deeper than {MAX_JSON_DEPTH} levels"),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        fail(
            name,
            "",
            "error-csaf-syntax",
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    check_shape(&value, name)?;
    let document: CsafDocument = serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer: String = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => Some(format!("/{}", escape(key))),
                _ => None,
            })
            .collect();
        fail(name, pointer, "error-csaf-schema", e.inner().to_string())
    })?;
    let mut warnings = Vec::new();
    let version = document.document.csaf_version.as_str();
    if version != "2.0" {
        if version == "2.1" {
            warnings.push(CsafWarning {
                pointer: "/document/csaf_version".into(),
                message:
                    "CSAF 2.1 document read as 2.0 (fields new in 2.1 are kept, not interpreted)"
                        .into(),
            });
        } else {
            return Err(fail(
                name,
                "/document/csaf_version",
                "error-csaf-version",
                format!("CSAF version {version:?} is not supported (2.0)"),
            ));
        }
    }
    let category = document.document.category.as_str();
    if !KNOWN_PROFILES.contains(&category) {
        warnings.push(CsafWarning {
            pointer: "/document/category".into(),
            message: format!("unknown profile {category:?}: imported under the base profile"),
        });
    }
    if matches!(category, "csaf_security_advisory" | "csaf_vex") {
        if document.product_tree.is_none() {
            return Err(fail(
                name,
                "/product_tree",
                "error-csaf-schema",
                format!("the profile {category} requires a product tree"),
            ));
        }
        if document.vulnerabilities.as_ref().is_none_or(Vec::is_empty) {
            return Err(fail(
                name,
                "/vulnerabilities",
                "error-csaf-schema",
                format!("the profile {category} requires vulnerabilities"),
            ));
        }
    }
    let advisory = convert(&document, name, &mut warnings)?;
    Ok(ParsedAdvisory {
        document,
        advisory,
        warnings,
    })
}

/// Checks the required fields and their types with a JSON pointer for each problem (serde's
/// own messages lose the path inside structs that keep unknown fields).
fn check_shape(v: &Value, name: &str) -> Result<(), CsafError> {
    let obj = |v: &Value, p: &str| -> Result<(), CsafError> {
        if v.is_object() {
            Ok(())
        } else {
            Err(fail(name, p, "error-csaf-schema", "expected an object"))
        }
    };
    let field = |v: &Value, p: &str, key: &str, want: &str| -> Result<(), CsafError> {
        let pointer = format!("{p}/{}", escape(key));
        match (v.get(key), want) {
            (None, _) => Err(fail(
                name,
                pointer,
                "error-csaf-schema",
                format!("required field {key:?} is missing"),
            )),
            (Some(Value::String(_)), "string")
            | (Some(Value::Object(_)), "object")
            | (Some(Value::Array(_)), "array")
            | (Some(Value::Number(_)), "number") => Ok(()),
            (Some(_), _) => Err(fail(
                name,
                pointer,
                "error-csaf-schema",
                format!("expected {want}"),
            )),
        }
    };
    obj(v, "")?;
    field(v, "", "document", "object")?;
    let d = &v["document"];
    for (k, t) in [
        ("category", "string"),
        ("csaf_version", "string"),
        ("publisher", "object"),
        ("title", "string"),
        ("tracking", "object"),
    ] {
        field(d, "/document", k, t)?;
    }
    for (k, t) in [
        ("category", "string"),
        ("name", "string"),
        ("namespace", "string"),
    ] {
        field(&d["publisher"], "/document/publisher", k, t)?;
    }
    let tr = &d["tracking"];
    for (k, t) in [
        ("id", "string"),
        ("version", "string"),
        ("status", "string"),
        ("initial_release_date", "string"),
        ("current_release_date", "string"),
        ("revision_history", "array"),
    ] {
        field(tr, "/document/tracking", k, t)?;
    }
    for (i, r) in tr["revision_history"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("/document/tracking/revision_history/{i}");
        obj(r, &p)?;
        for k in ["date", "number", "summary"] {
            field(r, &p, k, "string")?;
        }
    }
    if let Some(tree) = v.get("product_tree") {
        obj(tree, "/product_tree")?;
        if let Some(b) = tree.get("branches") {
            check_branches(b, "/product_tree/branches", name, 1)?;
        }
        for (i, f) in tree
            .get("full_product_names")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            check_fpn(f, &format!("/product_tree/full_product_names/{i}"), name)?;
        }
        for (i, r) in tree
            .get("relationships")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("/product_tree/relationships/{i}");
            obj(r, &p)?;
            for k in [
                "category",
                "product_reference",
                "relates_to_product_reference",
            ] {
                field(r, &p, k, "string")?;
            }
            field(r, &p, "full_product_name", "object")?;
            check_fpn(
                &r["full_product_name"],
                &format!("{p}/full_product_name"),
                name,
            )?;
        }
    }
    for (i, vuln) in v
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("/vulnerabilities/{i}");
        obj(vuln, &p)?;
        for (j, s) in vuln
            .get("scores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let sp = format!("{p}/scores/{j}");
            obj(s, &sp)?;
            field(s, &sp, "products", "array")?;
            for cv in ["cvss_v3", "cvss_v4"] {
                if let Some(c) = s.get(cv) {
                    let cp = format!("{sp}/{cv}");
                    obj(c, &cp)?;
                    field(c, &cp, "baseScore", "number")?;
                    field(c, &cp, "baseSeverity", "string")?;
                    field(c, &cp, "vectorString", "string")?;
                }
            }
        }
        for (j, r) in vuln
            .get("remediations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let rp = format!("{p}/remediations/{j}");
            obj(r, &rp)?;
            field(r, &rp, "category", "string")?;
            field(r, &rp, "details", "string")?;
        }
    }
    Ok(())
}

fn check_branches(v: &Value, p: &str, name: &str, depth: usize) -> Result<(), CsafError> {
    if depth > MAX_BRANCH_DEPTH {
        return Err(fail(
            name,
            p,
            "error-csaf-too-deep",
            format!("branches nested deeper than {MAX_BRANCH_DEPTH} levels"),
        ));
    }
    let Some(list) = v.as_array() else {
        return Err(fail(name, p, "error-csaf-schema", "expected an array"));
    };
    for (i, b) in list.iter().enumerate() {
        let bp = format!("{p}/{i}");
        if !b.is_object() {
            return Err(fail(name, bp, "error-csaf-schema", "expected an object"));
        }
        for k in ["category", "name"] {
            if !b.get(k).is_some_and(Value::is_string) {
                return Err(fail(
                    name,
                    format!("{bp}/{k}"),
                    "error-csaf-schema",
                    format!("required text field {k:?} is missing"),
                ));
            }
        }
        if let Some(prod) = b.get("product") {
            check_fpn(prod, &format!("{bp}/product"), name)?;
        }
        if let Some(sub) = b.get("branches") {
            check_branches(sub, &format!("{bp}/branches"), name, depth + 1)?;
        }
    }
    Ok(())
}

fn check_fpn(v: &Value, p: &str, name: &str) -> Result<(), CsafError> {
    if !v.is_object() {
        return Err(fail(name, p, "error-csaf-schema", "expected an object"));
    }
    for k in ["name", "product_id"] {
        if !v.get(k).is_some_and(Value::is_string) {
            return Err(fail(
                name,
                format!("{p}/{k}"),
                "error-csaf-schema",
                format!("required text field {k:?} is missing"),
            ));
        }
    }
    Ok(())
}

/// Collects products from branches, carrying vendor, product name and version down.
fn walk(branches: &[Branch], ctx: &ProductIdent, out: &mut Vec<(FullProductName, ProductIdent)>) {
    for b in branches {
        let mut ident = ctx.clone();
        match b.category.as_str() {
            "vendor" => ident.vendor = Some(b.name.clone()),
            "product_name" => ident.product = Some(b.name.clone()),
            "product_family" if ident.product.is_none() => ident.product = Some(b.name.clone()),
            "product_version" => ident.version = Some(b.name.clone()),
            "product_version_range" => ident.version_range = Some(b.name.clone()),
            _ => {}
        }
        if let Some(p) = &b.product {
            let mut leaf = ident.clone();
            if let Some(h) = &p.product_identification_helper {
                leaf.cpe = h.cpe.clone();
                leaf.purl = h.purl.clone();
            }
            out.push((p.clone(), leaf));
        }
        if let Some(sub) = &b.branches {
            walk(sub, &ident, out);
        }
    }
}

fn helper_ident(p: &FullProductName) -> ProductIdent {
    let h = p.product_identification_helper.as_ref();
    ProductIdent {
        product: Some(p.name.clone()),
        cpe: h.and_then(|h| h.cpe.clone()),
        purl: h.and_then(|h| h.purl.clone()),
        ..ProductIdent::default()
    }
}

/// One status list: its key, the product ids, the state it gives (`None`: `recommended`).
type StatusList<'a> = (&'a str, &'a Option<Vec<String>>, Option<ProductState>);

fn convert(
    doc: &CsafDocument,
    name: &str,
    warnings: &mut Vec<CsafWarning>,
) -> Result<Advisory, CsafError> {
    // Products in document order, by id.
    let mut order: Vec<String> = Vec::new();
    let mut products: HashMap<String, AdvisoryProduct> = HashMap::new();
    fn add(
        order: &mut Vec<String>,
        products: &mut HashMap<String, AdvisoryProduct>,
        id: String,
        name: String,
        idents: Vec<ProductIdent>,
    ) {
        if !products.contains_key(&id) {
            order.push(id.clone());
        }
        products.insert(
            id.clone(),
            AdvisoryProduct {
                product_id: id,
                name,
                idents,
                state: ProductState::Unknown,
            },
        );
    }
    let mut groups: HashMap<&str, &[String]> = HashMap::new();
    if let Some(tree) = &doc.product_tree {
        let mut leaves = Vec::new();
        walk(
            tree.branches.as_deref().unwrap_or_default(),
            &ProductIdent::default(),
            &mut leaves,
        );
        for (p, ident) in leaves {
            add(
                &mut order,
                &mut products,
                p.product_id.clone(),
                p.name.clone(),
                vec![ident],
            );
        }
        for p in tree.full_product_names.iter().flatten() {
            add(
                &mut order,
                &mut products,
                p.product_id.clone(),
                p.name.clone(),
                vec![helper_ident(p)],
            );
        }
        let known: HashMap<String, Vec<ProductIdent>> = order
            .iter()
            .filter_map(|id| products.get(id).map(|p| (id.clone(), p.idents.clone())))
            .collect();
        for (i, r) in tree.relationships.iter().flatten().enumerate() {
            let mut idents = Vec::new();
            for (key, reference) in [
                ("product_reference", &r.product_reference),
                (
                    "relates_to_product_reference",
                    &r.relates_to_product_reference,
                ),
            ] {
                match known.get(reference) {
                    Some(found) => idents.extend(found.first().cloned()),
                    None => {
                        return Err(fail(
                            name,
                            format!("/product_tree/relationships/{i}/{key}"),
                            "error-csaf-product-id",
                            format!("product {reference:?} is not defined in the product tree"),
                        ));
                    }
                }
            }
            // The component's ident first; its helper on the relationship (rare) wins.
            if let Some(h) = &r.full_product_name.product_identification_helper
                && let Some(first) = idents.first_mut()
            {
                first.cpe = h.cpe.clone().or(first.cpe.take());
                first.purl = h.purl.clone().or(first.purl.take());
            }
            add(
                &mut order,
                &mut products,
                r.full_product_name.product_id.clone(),
                r.full_product_name.name.clone(),
                idents,
            );
        }
        for g in tree.product_groups.iter().flatten() {
            groups.insert(g.group_id.as_str(), g.product_ids.as_slice());
        }
    }
    let mut cves = Vec::new();
    let mut max_score: Option<f64> = None;
    let mut severity = Severity::None;
    let mut remediations = Vec::new();
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        if let Some(c) = &v.cve {
            cves.push(c.clone());
        }
        if let Some(st) = &v.product_status {
            let lists: [StatusList<'_>; 8] = [
                (
                    "first_affected",
                    &st.first_affected,
                    Some(ProductState::Affected),
                ),
                (
                    "known_affected",
                    &st.known_affected,
                    Some(ProductState::Affected),
                ),
                (
                    "last_affected",
                    &st.last_affected,
                    Some(ProductState::Affected),
                ),
                (
                    "under_investigation",
                    &st.under_investigation,
                    Some(ProductState::UnderInvestigation),
                ),
                ("fixed", &st.fixed, Some(ProductState::Fixed)),
                ("first_fixed", &st.first_fixed, Some(ProductState::Fixed)),
                (
                    "known_not_affected",
                    &st.known_not_affected,
                    Some(ProductState::NotAffected),
                ),
                ("recommended", &st.recommended, None),
            ];
            for (key, list, state) in lists {
                for (j, id) in list.iter().flatten().enumerate() {
                    let Some(p) = products.get_mut(id) else {
                        return Err(fail(
                            name,
                            format!("/vulnerabilities/{i}/product_status/{key}/{j}"),
                            "error-csaf-product-id",
                            format!("product {id:?} is not defined in the product tree"),
                        ));
                    };
                    if let Some(s) = state {
                        p.state = p.state.combine(s);
                    }
                }
            }
        }
        for s in v.scores.iter().flatten() {
            for c in [&s.cvss_v3, &s.cvss_v4].into_iter().flatten() {
                let score = c.base_score.as_f64().unwrap_or(0.0);
                max_score = Some(max_score.map_or(score, |m| m.max(score)));
                let sev = Severity::from_text(&c.base_severity)
                    .unwrap_or_else(|| Severity::from_score(score));
                severity = severity.max(sev);
            }
        }
        if max_score.is_none() {
            for t in v
                .threats
                .iter()
                .flatten()
                .filter(|t| t.category == "impact")
            {
                if let Some(sev) = Severity::from_text(&t.details) {
                    severity = severity.max(sev);
                }
            }
        }
        for r in v.remediations.iter().flatten() {
            let mut ids: Vec<String> = r.product_ids.clone().unwrap_or_default();
            for g in r.group_ids.iter().flatten() {
                ids.extend(
                    groups
                        .get(g.as_str())
                        .copied()
                        .unwrap_or_default()
                        .iter()
                        .cloned(),
                );
            }
            ids.sort();
            ids.dedup();
            remediations.push(Remediation {
                category: r.category.clone(),
                details: r.details.clone(),
                url: r.url.clone(),
                product_ids: ids,
            });
        }
    }
    if severity == Severity::None
        && let Some(a) = &doc.document.aggregate_severity
    {
        severity = Severity::from_text(&a.text).unwrap_or(Severity::None);
    }
    cves.sort();
    cves.dedup();
    let d = &doc.document;
    let tlp = match d.distribution.as_ref().and_then(|x| x.tlp.as_ref()) {
        Some(t) => Tlp::from_csaf(&t.label).ok_or_else(|| {
            fail(
                name,
                "/document/distribution/tlp/label",
                "error-csaf-schema",
                format!("unknown TLP label {:?}", t.label),
            )
        })?,
        None => {
            warnings.push(CsafWarning {
                pointer: "/document/distribution/tlp".into(),
                message: "no TLP label: treated as TLP:CLEAR".into(),
            });
            Tlp::Clear
        }
    };
    let summary = d
        .notes
        .iter()
        .flatten()
        .find(|n| n.category == "summary")
        .map(|n| n.text.clone())
        .unwrap_or_else(|| d.title.clone());
    let summary: String = summary.chars().take(2000).collect();
    let change_summary = d
        .tracking
        .revision_history
        .iter()
        .find(|r| r.number == d.tracking.version)
        .or_else(|| d.tracking.revision_history.last())
        .map(|r| r.summary.clone());
    let mut by_id: BTreeMap<usize, AdvisoryProduct> = BTreeMap::new();
    for (n, id) in order.iter().enumerate() {
        if let Some(p) = products.remove(id) {
            by_id.insert(n, p);
        }
    }
    Ok(Advisory {
        tracking_id: d.tracking.id.trim().to_owned(),
        version: d.tracking.version.trim().to_owned(),
        title: d.title.clone(),
        category: d.category.clone(),
        publisher: d.publisher.name.clone(),
        tlp,
        severity,
        max_score,
        cves,
        released: d.tracking.current_release_date.clone(),
        summary,
        change_summary,
        products: by_id.into_values().collect(),
        remediations,
    })
}
