//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`): type, namespace, name
//! and version; qualifiers (arch, epoch, distro) and subpath are read past and ignored for
//! matching.

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    /// Package type, lower case (`rpm`, `npm`, `maven`, …).
    pub ptype: String,
    /// Namespace segments joined by `/` (percent-decoded), lower case; empty when none.
    pub namespace: String,
    /// Name (percent-decoded), lower case.
    pub name: String,
    /// Version (percent-decoded), if any.
    pub version: Option<String>,
}

/// Why a package URL could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    /// Not starting with `pkg:`.
    #[error("not a package URL (expected pkg:type/name)")]
    Prefix,
    /// Type or name missing.
    #[error("a package URL needs a type and a name")]
    Missing,
    /// A bad percent sequence.
    #[error("bad percent-encoding in a package URL")]
    Encoding,
}

fn decode(s: &str) -> Result<String, PurlError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or(PurlError::Encoding)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| PurlError::Encoding)?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PurlError::Encoding)
}

impl Purl {
    /// Parses a package URL.
    pub fn parse(text: &str) -> Result<Self, PurlError> {
        let t = text.trim();
        let rest = t
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("pkg:"))
            .map(|_| &t[4..])
            .ok_or(PurlError::Prefix)?;
        let rest = rest.trim_start_matches('/');
        let rest = rest.split_once('#').map_or(rest, |(a, _)| a);
        let rest = rest.split_once('?').map_or(rest, |(a, _)| a);
        let (path, version) = match rest.rsplit_once('@') {
            Some((p, v)) if !v.is_empty() => (p, Some(decode(v)?)),
            Some((p, _)) => (p, None),
            None => (rest, None),
        };
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segs.len() < 2 {
            return Err(PurlError::Missing);
        }
        let ptype = segs[0].to_ascii_lowercase();
        let name = decode(segs[segs.len() - 1])?.to_lowercase();
        let namespace = segs[1..segs.len() - 1]
            .iter()
            .map(|s| decode(s).map(|d| d.to_lowercase()))
            .collect::<Result<Vec<_>, _>>()?
            .join("/");
        if ptype.is_empty() || name.is_empty() {
            return Err(PurlError::Missing);
        }
        Ok(Self {
            ptype,
            namespace,
            name,
            version,
        })
    }

    /// Whether both name the same package (type, namespace and name), whatever the version.
    pub fn same_package(&self, other: &Self) -> bool {
        self.ptype == other.ptype && self.namespace == other.namespace && self.name == other.name
    }

    /// `type/namespace/name` for messages.
    pub fn package(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.ptype, self.name)
        } else {
            format!("{}/{}/{}", self.ptype, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_hat_rpm_purl_is_read_and_qualifiers_ignored() {
        let p = Purl::parse("pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=x86_64&epoch=1").unwrap();
        assert_eq!(p.ptype, "rpm");
        assert_eq!(p.namespace, "redhat");
        assert_eq!(p.name, "openssl");
        assert_eq!(p.version.as_deref(), Some("1.1.1k-7.el8_6"));
        let q = Purl::parse("pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=aarch64").unwrap();
        assert_eq!(p, q);
    }

    #[test]
    fn namespaces_and_encoding_are_read() {
        let p = Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").unwrap();
        assert_eq!(p.package(), "maven/org.apache.logging.log4j/log4j-core");
        let n = Purl::parse("pkg:npm/%40angular/core@12.0.0").unwrap();
        assert_eq!(n.namespace, "@angular");
        let plain = Purl::parse("pkg:pypi/django").unwrap();
        assert_eq!(plain.version, None);
        assert_eq!(plain.namespace, "");
    }

    #[test]
    fn malformed_purls_are_refused() {
        assert_eq!(Purl::parse("cpe:/a:x:y"), Err(PurlError::Prefix));
        assert_eq!(Purl::parse("pkg:npm"), Err(PurlError::Missing));
        assert_eq!(Purl::parse("pkg:npm/a%zz"), Err(PurlError::Encoding));
    }
}
