//! CPE names (NIST IR 7695): 2.3 formatted strings (`cpe:2.3:a:vendor:product:1.0:*:…`) and
//! 2.2 URIs (`cpe:/o:redhat:enterprise_linux:8::baseos`), read into the same eleven
//! attributes, and the name-matching relation between two names (NIST IR 7696) per attribute.
//!
//! A value is ANY (`*`, or an empty/missing URI component), NA (`-`), or a string that may
//! hold the wildcards `*` (any run) and `?` (one character) unless escaped (`\*`). Values are
//! compared case-insensitively, as CPE names are lower case by definition.

/// The attributes in order: part, vendor, product, version, update, edition, language,
/// sw_edition, target_sw, target_hw, other.
pub const ATTRIBUTES: [&str; 11] = [
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
];

/// One character of a value: literal, or a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ch {
    /// A literal character (escapes resolved, lower case).
    Lit(char),
    /// `*`: any run of characters.
    Many,
    /// `?`: one character.
    One,
}

/// One attribute value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Value {
    /// Any value (`*`).
    #[default]
    Any,
    /// Not applicable (`-`).
    Na,
    /// A value, possibly with wildcards.
    Val(Vec<Ch>),
}

impl Value {
    fn has_wildcards(&self) -> bool {
        matches!(self, Self::Val(v) if v.iter().any(|c| !matches!(c, Ch::Lit(_))))
    }

    /// The literal text (wildcards written as `*` and `?`), for messages.
    pub fn text(&self) -> String {
        match self {
            Self::Any => "*".to_owned(),
            Self::Na => "-".to_owned(),
            Self::Val(v) => v
                .iter()
                .map(|c| match c {
                    Ch::Lit(c) => *c,
                    Ch::Many => '*',
                    Ch::One => '?',
                })
                .collect(),
        }
    }
}

/// A parsed CPE name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cpe {
    /// The eleven attributes (see [`ATTRIBUTES`]).
    pub attrs: [Value; 11],
}

/// Why a CPE could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpeError {
    /// Neither `cpe:2.3:` nor `cpe:/`.
    #[error("not a CPE name (expected cpe:2.3:… or cpe:/…)")]
    Prefix,
    /// A 2.3 string without its 13 colon-separated components.
    #[error("a CPE 2.3 name has 13 components, this one {0}")]
    Components(usize),
    /// The part is not `a`, `o` or `h` (or ANY).
    #[error("the part must be a, o or h")]
    Part,
    /// A bad escape or percent sequence.
    #[error("bad escape in a CPE value")]
    Escape,
}

impl Cpe {
    /// Parses a 2.3 formatted string or a 2.2 URI.
    pub fn parse(text: &str) -> Result<Self, CpeError> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let cpe = if lower.starts_with("cpe:2.3:") {
            Self::parse_fs(&t[8..])?
        } else if lower.starts_with("cpe:/") {
            Self::parse_uri(&t[5..])?
        } else {
            return Err(CpeError::Prefix);
        };
        match &cpe.attrs[0] {
            Value::Any => {}
            Value::Val(v) if matches!(v.as_slice(), [Ch::Lit('a' | 'o' | 'h')]) => {}
            _ => return Err(CpeError::Part),
        }
        Ok(cpe)
    }

    fn parse_fs(rest: &str) -> Result<Self, CpeError> {
        // Split on colons that are not escaped.
        let mut parts: Vec<String> = vec![String::new()];
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let next = chars.next().ok_or(CpeError::Escape)?;
                    let last = parts.last_mut().ok_or(CpeError::Escape)?;
                    last.push('\\');
                    last.push(next);
                }
                ':' => parts.push(String::new()),
                c => parts.last_mut().ok_or(CpeError::Escape)?.push(c),
            }
        }
        if parts.len() != 11 {
            return Err(CpeError::Components(parts.len() + 2));
        }
        let mut attrs: [Value; 11] = Default::default();
        for (slot, p) in attrs.iter_mut().zip(parts) {
            *slot = fs_value(&p)?;
        }
        Ok(Self { attrs })
    }

    fn parse_uri(rest: &str) -> Result<Self, CpeError> {
        let mut attrs: [Value; 11] = Default::default();
        let comps: Vec<&str> = rest.split(':').collect();
        for (i, comp) in comps.iter().enumerate().take(7) {
            if i == 5 && comp.starts_with('~') {
                // Packed edition: ~edition~sw_edition~target_sw~target_hw~other
                let packed: Vec<&str> = comp[1..].split('~').collect();
                for (j, slot) in [5usize, 7, 8, 9, 10].into_iter().enumerate() {
                    attrs[slot] = uri_value(packed.get(j).copied().unwrap_or(""))?;
                }
                continue;
            }
            let slot = if i == 6 { 6 } else { i };
            attrs[slot] = uri_value(comp)?;
        }
        if comps.len() > 7 {
            return Err(CpeError::Components(comps.len()));
        }
        Ok(Self { attrs })
    }

    /// The vendor, product and version as text (ANY as `*`).
    pub fn vendor(&self) -> String {
        self.attrs[1].text()
    }

    /// The product as text.
    pub fn product(&self) -> String {
        self.attrs[2].text()
    }

    /// The version value.
    pub fn version(&self) -> &Value {
        &self.attrs[3]
    }
}

fn fs_value(p: &str) -> Result<Value, CpeError> {
    match p {
        "*" | "" => return Ok(Value::Any),
        "-" => return Ok(Value::Na),
        _ => {}
    }
    let mut out = Vec::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let n = chars.next().ok_or(CpeError::Escape)?;
                out.extend(n.to_lowercase().map(Ch::Lit));
            }
            '*' => out.push(Ch::Many),
            '?' => out.push(Ch::One),
            c => out.extend(c.to_lowercase().map(Ch::Lit)),
        }
    }
    Ok(Value::Val(out))
}

fn uri_value(p: &str) -> Result<Value, CpeError> {
    match p {
        "" | "*" => return Ok(Value::Any),
        "-" => return Ok(Value::Na),
        _ => {}
    }
    let bytes = p.as_bytes();
    let mut out = Vec::new();
    let mut raw = Vec::new();
    let mut i = 0;
    let flush = |raw: &mut Vec<u8>, out: &mut Vec<Ch>| -> Result<(), CpeError> {
        let s = String::from_utf8(std::mem::take(raw)).map_err(|_| CpeError::Escape)?;
        out.extend(s.chars().flat_map(char::to_lowercase).map(Ch::Lit));
        Ok(())
    };
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = p.get(i + 1..i + 3).ok_or(CpeError::Escape)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| CpeError::Escape)?;
            match b {
                0x01 => {
                    flush(&mut raw, &mut out)?;
                    out.push(Ch::One);
                }
                0x02 => {
                    flush(&mut raw, &mut out)?;
                    out.push(Ch::Many);
                }
                b => raw.push(b),
            }
            i += 3;
        } else {
            raw.push(bytes[i]);
            i += 1;
        }
    }
    flush(&mut raw, &mut out)?;
    Ok(Value::Val(out))
}

/// How a source value relates to a target value (NIST IR 7696, table 6-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The source covers more than the target.
    Superset,
    /// The source covers less than the target.
    Subset,
    /// The same.
    Equal,
    /// Nothing in common.
    Disjoint,
    /// Cannot be decided (the target holds wildcards).
    Undefined,
}

/// The relation of `source` (the advisory's value) to `target` (the inventory's value).
pub fn relate(source: &Value, target: &Value) -> Relation {
    use Relation::*;
    if target.has_wildcards() {
        return if source == target { Equal } else { Undefined };
    }
    match (source, target) {
        (Value::Any, Value::Any) | (Value::Na, Value::Na) => Equal,
        (Value::Any, _) => Superset,
        (_, Value::Any) => Subset,
        (Value::Na, _) | (_, Value::Na) => Disjoint,
        (Value::Val(s), Value::Val(t)) => {
            if s == t {
                Equal
            } else if glob(s, t) {
                Superset
            } else {
                Disjoint
            }
        }
    }
}

/// Whether the pattern (with `Many`/`One`) matches the literal text.
fn glob(pattern: &[Ch], text: &[Ch]) -> bool {
    // Classic iterative wildcard match with backtracking to the last `*`.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Ch::One) => {
                p += 1;
                t += 1;
            }
            Some(Ch::Lit(c)) if text[t] == Ch::Lit(*c) => {
                p += 1;
                t += 1;
            }
            Some(Ch::Many) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|c| *c == Ch::Many)
}

/// How well an advisory's CPE names an inventory object's CPE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpeMatch {
    /// Part, vendor, product and version: the advisory's name covers the object's (equal or
    /// superset), and no other attribute is disjoint.
    Covers,
    /// Part, vendor and product agree, but the object's version is unknown (ANY) while the
    /// advisory names one: the same product, version not established.
    SameProduct,
    /// Different products or versions.
    No,
}

/// Matches an advisory's CPE (`source`) against an inventory object's CPE (`target`).
pub fn matches(source: &Cpe, target: &Cpe) -> CpeMatch {
    use Relation::*;
    let rel: Vec<Relation> = source
        .attrs
        .iter()
        .zip(&target.attrs)
        .map(|(s, t)| relate(s, t))
        .collect();
    if rel.iter().any(|r| matches!(r, Disjoint | Undefined)) {
        return CpeMatch::No;
    }
    let covered = |r: Relation| matches!(r, Superset | Equal);
    if rel[..3].iter().all(|r| covered(*r)) {
        if covered(rel[3]) {
            return CpeMatch::Covers;
        }
        if target.attrs[3] == Value::Any {
            return CpeMatch::SameProduct;
        }
    }
    CpeMatch::No
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpe(s: &str) -> Cpe {
        Cpe::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn uri_and_formatted_string_read_the_same_attributes() {
        let a = cpe("cpe:/o:redhat:rhel_eus:8.6::baseos");
        let b = cpe("cpe:2.3:o:redhat:rhel_eus:8.6:*:baseos:*:*:*:*:*");
        assert_eq!(a, b);
        assert_eq!(a.vendor(), "redhat");
    }

    #[test]
    fn escaped_characters_are_literal() {
        let a = cpe(r"cpe:2.3:a:foo\:bar:my\*app:1.0:*:*:*:*:*:*:*");
        assert_eq!(a.vendor(), "foo:bar");
        assert_eq!(
            a.attrs[2],
            Value::Val("my*app".chars().map(Ch::Lit).collect())
        );
        let u = cpe("cpe:/a:foo%3abar:app:1.0");
        assert_eq!(u.vendor(), "foo:bar");
    }

    #[test]
    fn any_covers_a_version_and_na_does_not() {
        let inv = cpe("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha:*:*:*:*:*:*:*");
        assert_eq!(
            matches(
                &cpe("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:*:*:*:*:*:*:*:*"),
                &inv
            ),
            CpeMatch::Covers
        );
        assert_eq!(
            matches(
                &cpe("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:-:*:*:*:*:*:*:*"),
                &inv
            ),
            CpeMatch::No
        );
    }

    #[test]
    fn wildcards_in_the_advisory_cover_versions() {
        let adv = cpe("cpe:2.3:a:vendor:app:1.2.*:*:*:*:*:*:*:*");
        assert_eq!(
            matches(&adv, &cpe("cpe:2.3:a:vendor:app:1.2.7:*:*:*:*:*:*:*")),
            CpeMatch::Covers
        );
        assert_eq!(
            matches(&adv, &cpe("cpe:2.3:a:vendor:app:1.3.0:*:*:*:*:*:*:*")),
            CpeMatch::No
        );
        let one = cpe("cpe:2.3:a:vendor:app:1.?:*:*:*:*:*:*:*");
        assert_eq!(
            matches(&one, &cpe("cpe:2.3:a:vendor:app:1.5:*:*:*:*:*:*:*")),
            CpeMatch::Covers
        );
        assert_eq!(
            matches(&one, &cpe("cpe:2.3:a:vendor:app:1.50:*:*:*:*:*:*:*")),
            CpeMatch::No
        );
    }

    #[test]
    fn an_inventory_without_version_is_the_same_product_only() {
        let adv = cpe("cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha");
        let inv = cpe("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:*:*:*:*:*:*:*:*");
        assert_eq!(matches(&adv, &inv), CpeMatch::SameProduct);
    }

    #[test]
    fn a_more_specific_advisory_edition_still_matches() {
        // Red Hat names the BaseOS edition; the inventory says only the version.
        let adv = cpe("cpe:/o:redhat:rhel_eus:8.6::baseos");
        let inv = cpe("cpe:2.3:o:redhat:rhel_eus:8.6:*:*:*:*:*:*:*");
        assert_eq!(matches(&adv, &inv), CpeMatch::Covers);
        assert_eq!(
            matches(&adv, &cpe("cpe:2.3:o:redhat:rhel_eus:8.4:*:*:*:*:*:*:*")),
            CpeMatch::No
        );
    }

    #[test]
    fn malformed_names_are_refused() {
        assert_eq!(Cpe::parse("cpe:2.3:a:b"), Err(CpeError::Components(4)));
        assert_eq!(Cpe::parse("pkg:npm/x"), Err(CpeError::Prefix));
        assert_eq!(Cpe::parse("cpe:/x:vendor:p"), Err(CpeError::Part));
        assert_eq!(Cpe::parse("cpe:/a:ven%zzdor"), Err(CpeError::Escape));
        assert!(Cpe::parse("cpe:2.3:a:v:p:1\\").is_err());
    }
}
