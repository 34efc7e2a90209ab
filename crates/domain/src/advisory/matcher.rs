//! Which inventory objects an advisory's products name, how sure that is, and why.
//!
//! An object is compared with every way the advisory names a product ([`ProductIdent`]):
//!
//! 1. **CPE**: the advisory's CPE covers the object's (part, vendor, product and version equal
//!    or wider, no attribute disjoint) — [`Confidence::Exact`]; the same product but the
//!    object's version unknown — [`Confidence::NameOnly`] unless the object's version field
//!    settles it.
//! 2. **PURL**: same type, namespace and name; the versions equal (or the object's inside the
//!    advisory's range) — exact; a version missing on either side — name only.
//! 3. **Names**: vendor and product equal after normalising (case, punctuation, legal-form
//!    words such as GmbH or Inc.); the version equal or inside the range —
//!    [`Confidence::NameVersion`]; no version on either side — name only. A version on both
//!    sides that differs is no match at all.
//!
//! A relationship's platform (e.g. the Red Hat release a package belongs to) counts at most as
//! name + version and never suppresses.
//!
//! **VEX.** An object's strongest match on an affected or under-investigation product is
//! weighed against its strongest match on a fixed or not-affected product: when the latter is
//! at least as sure and more than a name-only match (the version is known to be a fixed or
//! unaffected one), the advisory says the object is not (or no longer) affected and no
//! warning arises.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::cpe::{self, Cpe, CpeMatch};
use super::purl::Purl;
use super::version::{self, Range};
use super::{Advisory, ProductIdent, ProductState};
use crate::StructureObjectId;
use crate::structure::code_enum;

code_enum!(
    /// How sure a match is (ordered: name only < name + version < exact identifier).
    Confidence, "error-advisory-confidence", {
        /// Vendor and product name only (to be confirmed by the office; not mailed).
        NameOnly = "name_only",
        /// Vendor, product name and version (or version range).
        NameVersion = "name_version",
        /// A CPE or package URL identifies the object, version included.
        Exact = "exact",
    }
);

/// An inventory object as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryItem {
    /// The object.
    pub object_id: StructureObjectId,
    /// Vendor.
    pub vendor: Option<String>,
    /// Product name.
    pub product: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// CPE 2.3 (or 2.2 URI).
    pub cpe: Option<String>,
    /// Package URL.
    pub purl: Option<String>,
}

impl InventoryItem {
    /// An object without any product data (fill in the fields).
    pub fn new(object_id: StructureObjectId) -> Self {
        Self {
            object_id,
            vendor: None,
            product: None,
            version: None,
            cpe: None,
            purl: None,
        }
    }
}

/// Why a match was made, as a translation key with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// Translation key, e.g. `advisory-reason-cpe`.
    pub key: String,
    /// Arguments of the message.
    pub args: BTreeMap<String, String>,
}

impl Reason {
    fn new(key: &str, args: &[(&str, &str)]) -> Self {
        Self {
            key: key.to_owned(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The reason in German without the translation files (for logs, the CLI and tests).
    pub fn german(&self) -> String {
        let a = |k: &str| self.args.get(k).cloned().unwrap_or_default();
        let base = match self.key.as_str() {
            "advisory-reason-cpe" => format!("CPE {} deckt {} ab", a("advisory"), a("object")),
            "advisory-reason-cpe-product" => {
                format!(
                    "CPE {} nennt dasselbe Produkt, Version unbekannt",
                    a("advisory")
                )
            }
            "advisory-reason-purl" => format!("Paket {} in Version {}", a("package"), a("version")),
            "advisory-reason-purl-package" => {
                format!("Paket {}, Version unbekannt", a("package"))
            }
            "advisory-reason-name-version" => format!(
                "Hersteller und Produkt {} {} in Version {}",
                a("vendor"),
                a("product"),
                a("version")
            ),
            "advisory-reason-name-range" => format!(
                "Produkt {} in Version {} liegt im Bereich {}",
                a("product"),
                a("version"),
                a("range")
            ),
            _ => format!(
                "nur Hersteller und Produktname {} {}",
                a("vendor"),
                a("product")
            ),
        };
        if self.args.contains_key("platform") {
            format!("{base} (Plattform von {})", a("platform"))
        } else {
            base
        }
    }
}

/// One object matched by one product of an advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectMatch {
    /// The object.
    pub object_id: StructureObjectId,
    /// The advisory's product id.
    pub product_id: String,
    /// The product's full name.
    pub product_name: String,
    /// What the advisory says about the product.
    pub state: ProductState,
    /// How sure.
    pub confidence: Confidence,
    /// Why.
    pub reason: Reason,
}

/// What an advisory means for one object.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The object is (or may be) affected.
    Warn(ObjectMatch),
    /// A fixed/not-affected statement covers the object at least as surely as any affected one.
    Suppressed(ObjectMatch),
}

/// Lower case, letters and digits only, words separated by one space, legal-form words
/// dropped (`Microsoft Corporation` → `microsoft`, `Foo GmbH & Co. KG` → `foo`).
pub fn normalise_name(name: &str) -> String {
    const LEGAL: &[&str] = &[
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "llc",
        "gmbh",
        "ag",
        "co",
        "kg",
        "se",
        "plc",
        "sa",
        "bv",
        "nv",
        "oy",
        "ab",
        "srl",
        "the",
    ];
    let lowered: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = lowered.split_whitespace().collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LEGAL.contains(w))
        .collect();
    // A name made only of such words (a product called `SE` or `NV`) keeps them: dropping
    // them would leave no name to match on.
    if kept.is_empty() { words } else { kept }.join(" ")
}

/// The normalised product name with a leading vendor name removed (`Red Hat Enterprise
/// Linux` of vendor `Red Hat` → `enterprise linux`).
fn product_key(vendor: Option<&str>, product: &str) -> String {
    let p = normalise_name(product);
    if let Some(v) = vendor.map(normalise_name).filter(|v| !v.is_empty())
        && let Some(rest) = p.strip_prefix(&v)
        && rest.starts_with(' ')
    {
        return rest.trim_start().to_owned();
    }
    p
}

fn vendors_agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(normalise_name), b.map(normalise_name)) {
        (Some(x), Some(y)) if !x.is_empty() && !y.is_empty() => {
            x == y || x.replace(' ', "") == y.replace(' ', "")
        }
        _ => true,
    }
}

/// An inventory object with its identifiers parsed once.
#[derive(Debug, Clone)]
struct Prepared {
    item: InventoryItem,
    cpe: Option<Cpe>,
    purl: Option<Purl>,
    product_key: Option<String>,
}

impl Prepared {
    fn new(item: InventoryItem) -> Self {
        let cpe = item.cpe.as_deref().and_then(|c| Cpe::parse(c).ok());
        let purl = item.purl.as_deref().and_then(|p| Purl::parse(p).ok());
        let product_key = item
            .product
            .as_deref()
            .map(|p| product_key(item.vendor.as_deref(), p))
            .filter(|k| !k.is_empty());
        Self {
            item,
            cpe,
            purl,
            product_key,
        }
    }

    /// The object's version: the version field, else the CPE's or package URL's.
    fn version(&self) -> Option<String> {
        if let Some(v) = self
            .item
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return Some(v.to_owned());
        }
        if let Some(c) = &self.cpe
            && let cpe::Value::Val(_) = c.version()
        {
            return Some(c.version().text());
        }
        self.purl.as_ref().and_then(|p| p.version.clone())
    }
}

/// The inventory, indexed by product keys so an advisory looks only at candidates.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    items: Vec<Prepared>,
    by_key: HashMap<String, Vec<usize>>,
}

fn cpe_key(c: &Cpe) -> Option<String> {
    match (&c.attrs[1], &c.attrs[2]) {
        (cpe::Value::Val(v), cpe::Value::Val(p))
            if v.iter().chain(p).all(|ch| matches!(ch, cpe::Ch::Lit(_))) =>
        {
            Some(format!("cpe:{}:{}", c.vendor(), c.product()))
        }
        _ => None,
    }
}

impl Inventory {
    /// Prepares the items (identifiers parsed, names normalised, indexed).
    pub fn new(items: Vec<InventoryItem>) -> Self {
        let mut inv = Self::default();
        for item in items {
            let p = Prepared::new(item);
            let i = inv.items.len();
            let mut keys = Vec::new();
            if let Some(k) = p.cpe.as_ref().and_then(cpe_key) {
                keys.push(k);
            }
            if let Some(pu) = &p.purl {
                keys.push(format!("purl:{}", pu.package()));
            }
            if let Some(k) = &p.product_key {
                keys.push(format!("name:{k}"));
            }
            for k in keys {
                inv.by_key.entry(k).or_default().push(i);
            }
            inv.items.push(p);
        }
        inv
    }

    /// How many objects it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The index keys of the objects (CPE vendor and product, package, normalised name):
    /// an advisory whose [`AdvisoryKeys`] share none cannot match any of them.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }

    /// Indices of the objects an ident may match (all of them for a wildcard CPE).
    fn candidates(&self, ident: &PreparedIdent) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(c) = &ident.cpe {
            match cpe_key(c) {
                Some(k) => out.extend(self.by_key.get(&k).into_iter().flatten()),
                None => out.extend(0..self.items.len()),
            }
        }
        if let Some(p) = &ident.purl {
            out.extend(
                self.by_key
                    .get(&format!("purl:{}", p.package()))
                    .into_iter()
                    .flatten(),
            );
        }
        if let Some(k) = &ident.product_key {
            out.extend(self.by_key.get(&format!("name:{k}")).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[derive(Debug, Clone)]
struct PreparedIdent<'a> {
    ident: &'a ProductIdent,
    cpe: Option<Cpe>,
    purl: Option<Purl>,
    range: Option<Result<Range, ()>>,
    product_key: Option<String>,
    platform: Option<&'a str>,
}

impl<'a> PreparedIdent<'a> {
    fn new(ident: &'a ProductIdent, platform: Option<&'a str>) -> Self {
        Self {
            ident,
            cpe: ident.cpe.as_deref().and_then(|c| Cpe::parse(c).ok()),
            purl: ident.purl.as_deref().and_then(|p| Purl::parse(p).ok()),
            range: ident
                .version_range
                .as_deref()
                .map(|r| Range::parse(r).map_err(|_| ())),
            product_key: ident
                .product
                .as_deref()
                .map(|p| product_key(ident.vendor.as_deref(), p))
                .filter(|k| !k.is_empty()),
            platform,
        }
    }

    /// Checks the object's version against the ident's version or range: `Some(true)` fits,
    /// `Some(false)` contradicts, `None` cannot tell.
    fn version_fits(&self, object_version: Option<&str>) -> Option<bool> {
        let v = object_version?;
        if let Some(x) = self.ident.version.as_deref() {
            return Some(version::same(x, v));
        }
        match &self.range {
            Some(Ok(r)) => Some(r.contains(v)),
            _ => None,
        }
    }
}

fn match_ident(ident: &PreparedIdent<'_>, obj: &Prepared) -> Option<(Confidence, Reason)> {
    let object_version = obj.version();
    let mut best: Option<(Confidence, Reason)> = None;
    let mut consider = |c: Confidence, r: Reason| {
        if best.as_ref().is_none_or(|(b, _)| c > *b) {
            best = Some((c, r));
        }
    };
    // 1. CPE
    if let (Some(a), Some(o)) = (&ident.cpe, &obj.cpe) {
        let adv = ident.ident.cpe.as_deref().unwrap_or_default();
        let objc = obj.item.cpe.as_deref().unwrap_or_default();
        match cpe::matches(a, o) {
            CpeMatch::Covers => {
                // A CPE without version leaves the version to the branch.
                let fits = if *a.version() == cpe::Value::Any {
                    ident.version_fits(object_version.as_deref())
                } else {
                    Some(true)
                };
                if fits != Some(false) {
                    consider(
                        Confidence::Exact,
                        Reason::new(
                            "advisory-reason-cpe",
                            &[("advisory", adv), ("object", objc)],
                        ),
                    );
                }
            }
            CpeMatch::SameProduct => {
                let v = object_version.as_deref();
                let fits = match a.version() {
                    cpe::Value::Val(_) => v.map(|v| version::same(&a.version().text(), v)),
                    _ => ident.version_fits(v),
                };
                match fits {
                    Some(true) => consider(
                        Confidence::NameVersion,
                        Reason::new(
                            "advisory-reason-name-version",
                            &[
                                ("vendor", &a.vendor()),
                                ("product", &a.product()),
                                ("version", v.unwrap_or_default()),
                            ],
                        ),
                    ),
                    Some(false) => {}
                    None => consider(
                        Confidence::NameOnly,
                        Reason::new("advisory-reason-cpe-product", &[("advisory", adv)]),
                    ),
                }
            }
            CpeMatch::No => {}
        }
    }
    // 2. PURL
    if let (Some(a), Some(o)) = (&ident.purl, &obj.purl)
        && a.same_package(o)
    {
        let pkg = a.package();
        let adv_version = a.version.clone().or_else(|| ident.ident.version.clone());
        let v = object_version.as_deref();
        let fits = match (&adv_version, v) {
            (Some(x), Some(v)) => Some(version::same(x, v)),
            (None, v) => ident.version_fits(v),
            (Some(_), None) => None,
        };
        match fits {
            Some(true) => consider(
                Confidence::Exact,
                Reason::new(
                    "advisory-reason-purl",
                    &[("package", &pkg), ("version", v.unwrap_or_default())],
                ),
            ),
            Some(false) => {}
            None => consider(
                Confidence::NameOnly,
                Reason::new("advisory-reason-purl-package", &[("package", &pkg)]),
            ),
        }
    }
    // 3. Names
    if let (Some(ak), Some(ok)) = (&ident.product_key, &obj.product_key)
        && ak == ok
        && vendors_agree(ident.ident.vendor.as_deref(), obj.item.vendor.as_deref())
    {
        let vendor = ident
            .ident
            .vendor
            .as_deref()
            .or(obj.item.vendor.as_deref())
            .unwrap_or_default();
        let product = ident.ident.product.as_deref().unwrap_or_default();
        let v = object_version.as_deref();
        match ident.version_fits(v) {
            Some(true) => {
                let r = match (&ident.ident.version, &ident.ident.version_range) {
                    (None, Some(range)) => Reason::new(
                        "advisory-reason-name-range",
                        &[
                            ("product", product),
                            ("version", v.unwrap_or_default()),
                            ("range", range),
                        ],
                    ),
                    _ => Reason::new(
                        "advisory-reason-name-version",
                        &[
                            ("vendor", vendor),
                            ("product", product),
                            ("version", v.unwrap_or_default()),
                        ],
                    ),
                };
                consider(Confidence::NameVersion, r);
            }
            Some(false) => {}
            None => consider(
                Confidence::NameOnly,
                Reason::new(
                    "advisory-reason-name-only",
                    &[("vendor", vendor), ("product", product)],
                ),
            ),
        }
    }
    let (mut c, mut r) = best?;
    if let Some(p) = ident.platform {
        c = c.min(Confidence::NameVersion);
        r.args.insert("platform".to_owned(), p.to_owned());
    }
    Some((c, r))
}

/// The index keys an advisory's products look up (see [`Inventory::keys`]), computed once so
/// that re-matching one object skips the advisories that cannot name it.
#[derive(Debug, Clone, Default)]
pub struct AdvisoryKeys {
    keys: std::collections::HashSet<String>,
    /// A product with a wildcard CPE vendor or product may match any object.
    any: bool,
}

impl AdvisoryKeys {
    /// The keys of every product the matcher considers.
    pub fn new(advisory: &Advisory) -> Self {
        let mut out = Self::default();
        for product in &advisory.products {
            if product.state == ProductState::Unknown {
                continue;
            }
            for (n, ident) in product.idents.iter().enumerate() {
                let platform = (n > 0).then_some(product.name.as_str());
                let p = PreparedIdent::new(ident, platform);
                if let Some(c) = &p.cpe {
                    match cpe_key(c) {
                        Some(k) => {
                            out.keys.insert(k);
                        }
                        None => out.any = true,
                    }
                }
                if let Some(pu) = &p.purl {
                    out.keys.insert(format!("purl:{}", pu.package()));
                }
                if let Some(k) = &p.product_key {
                    out.keys.insert(format!("name:{k}"));
                }
            }
        }
        out
    }

    /// Whether the advisory may match an object of `inventory` (false only when it surely
    /// cannot).
    pub fn may_match(&self, inventory: &Inventory) -> bool {
        self.any || inventory.keys().any(|k| self.keys.contains(k))
    }
}

/// Matches an advisory against the inventory: one verdict per object that any product names.
pub fn match_advisory(
    advisory: &Advisory,
    inventory: &Inventory,
) -> BTreeMap<StructureObjectId, Verdict> {
    // Best warning and best suppressing match per object.
    let mut warn: HashMap<usize, ObjectMatch> = HashMap::new();
    let mut suppress: HashMap<usize, ObjectMatch> = HashMap::new();
    for product in &advisory.products {
        if product.state == ProductState::Unknown {
            continue;
        }
        for (n, ident) in product.idents.iter().enumerate() {
            // The second ident of a relationship is its platform.
            let platform = (n > 0).then_some(product.name.as_str());
            let prepared = PreparedIdent::new(ident, platform);
            if prepared.platform.is_some() && product.state.suppresses() {
                continue;
            }
            for i in inventory.candidates(&prepared) {
                let Some((confidence, reason)) = match_ident(&prepared, &inventory.items[i]) else {
                    continue;
                };
                let m = ObjectMatch {
                    object_id: inventory.items[i].item.object_id,
                    product_id: product.product_id.clone(),
                    product_name: product.name.clone(),
                    state: product.state,
                    confidence,
                    reason,
                };
                let slot = if product.state.warns() {
                    &mut warn
                } else {
                    &mut suppress
                };
                if slot.get(&i).is_none_or(|b| confidence > b.confidence) {
                    slot.insert(i, m);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (i, w) in warn {
        let id = w.object_id;
        match suppress.remove(&i) {
            // "Some version is fixed" says nothing about an object of unknown version: a
            // name-only statement never clears it.
            Some(s) if s.confidence >= w.confidence && s.confidence > Confidence::NameOnly => {
                out.insert(id, Verdict::Suppressed(s));
            }
            _ => {
                out.insert(id, Verdict::Warn(w));
            }
        }
    }
    for (_, s) in suppress {
        out.insert(s.object_id, Verdict::Suppressed(s));
    }
    out
}
