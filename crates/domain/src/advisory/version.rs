//! Version comparison and version ranges as advisories write them.
//!
//! Versions compare token by token, the way dotted numeric and semver-like versions sort:
//! runs of digits numerically, runs of letters alphabetically (case-insensitive), separators
//! only separate. A version that goes on with a letter token after `-` or `~` is a
//! pre-release and sorts before the shorter one (`1.0.0-rc1` < `1.0.0`), any other extra
//! token makes it newer (`1.0.1` > `1.0`, `8.6.1` > `8.6`). An RPM epoch `1:` is ignored.
//!
//! Ranges are `vers:` URIs (`vers:generic/>=1.0|<2.0`, `vers:semver/*`) or the textual forms
//! seen in advisories' `product_version_range` branches (`<=4.2`, `>= 2.0 < 3.0`,
//! `<1.5.2`, `= 1.0`, `all versions`, `vor 1.2`/`before 1.2`).

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Num(u128),
    Alpha(String),
}

/// Splits a version into tokens; `pre` marks a token that came right after `-` or `~`.
fn tokens(v: &str) -> Vec<(Token, bool)> {
    let v = v.trim();
    let v = v
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(v);
    // An RPM epoch (`1:1.1.1k`) is not part of the comparison.
    let v = match v.split_once(':') {
        Some((epoch, rest)) if !epoch.is_empty() && epoch.chars().all(|c| c.is_ascii_digit()) => {
            rest
        }
        _ => v,
    };
    let mut out = Vec::new();
    let mut chars = v.chars().peekable();
    let mut after_dash = false;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                s.push(d);
                chars.next();
            }
            let n = s.trim_start_matches('0').parse::<u128>().unwrap_or(
                if s.chars().all(|c| c == '0') {
                    0
                } else {
                    u128::MAX
                },
            );
            out.push((Token::Num(n), after_dash));
            after_dash = false;
        } else if c.is_alphabetic() {
            let mut s = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                s.extend(d.to_lowercase());
                chars.next();
            }
            out.push((Token::Alpha(s), after_dash));
            after_dash = false;
        } else {
            after_dash = matches!(c, '-' | '~');
            chars.next();
        }
    }
    out
}

/// Compares two versions (see the module documentation).
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ta, tb) = (tokens(a), tokens(b));
    for i in 0..ta.len().max(tb.len()) {
        match (ta.get(i), tb.get(i)) {
            (Some((x, _)), Some((y, _))) => {
                let o = match (x, y) {
                    (Token::Num(m), Token::Num(n)) => m.cmp(n),
                    (Token::Alpha(m), Token::Alpha(n)) => m.cmp(n),
                    // A number is newer than letters at the same place (1.0.1 > 1.0.beta).
                    (Token::Num(_), Token::Alpha(_)) => Ordering::Greater,
                    (Token::Alpha(_), Token::Num(_)) => Ordering::Less,
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(extra), None) => {
                return if is_pre(extra) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            (None, Some(extra)) => {
                return if is_pre(extra) {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (None, None) => break,
        }
    }
    Ordering::Equal
}

fn is_pre((t, after_dash): &(Token, bool)) -> bool {
    matches!(t, Token::Alpha(_)) && *after_dash
}

/// Whether two versions are the same (`1.0` and `1.0.0` are not: `1.0.0` has a token more).
pub fn same(a: &str, b: &str) -> bool {
    compare(a, b) == Ordering::Equal
}

/// A comparison operator of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
    /// `!=`
    Ne,
}

impl Op {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Self::Lt => o == Ordering::Less,
            Self::Le => o != Ordering::Greater,
            Self::Gt => o == Ordering::Greater,
            Self::Ge => o != Ordering::Less,
            Self::Eq => o == Ordering::Equal,
            Self::Ne => o != Ordering::Equal,
        }
    }
}

/// A parsed version range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Range {
    /// Every version (`*`, `vers:…/*`, `all versions`).
    All,
    /// Constraints that must all hold (textual forms).
    Each(Vec<(Op, String)>),
    /// A `vers:` constraint list: intervals built from the sorted constraints, any may hold.
    Vers(Vec<(Op, String)>),
}

/// Why a range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a version range: {0}")]
pub struct RangeError(pub String);

fn split_op(s: &str) -> (Option<Op>, &str) {
    let s = s.trim();
    for (p, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("!=", Op::Ne),
        ("==", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
        ("≤", Op::Le),
        ("≥", Op::Ge),
    ] {
        if let Some(rest) = s.strip_prefix(p) {
            return (Some(op), rest.trim_start());
        }
    }
    (None, s)
}

fn is_version_like(s: &str) -> bool {
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '~' | ':'))
}

impl Range {
    /// Parses a range (see the module documentation).
    pub fn parse(text: &str) -> Result<Self, RangeError> {
        let t = text.trim();
        let err = || RangeError(t.to_owned());
        if let Some(rest) = t.strip_prefix("vers:") {
            let (_scheme, list) = rest.split_once('/').ok_or_else(err)?;
            let list = list.trim();
            if list == "*" {
                return Ok(Self::All);
            }
            let mut cons = Vec::new();
            for c in list.split('|') {
                let (op, v) = split_op(c);
                let v = v.trim();
                if v.is_empty() || v.contains(char::is_whitespace) {
                    return Err(err());
                }
                cons.push((op.unwrap_or(Op::Eq), v.to_owned()));
            }
            return Ok(Self::Vers(cons));
        }
        let lower = t.to_lowercase();
        if t == "*" || lower == "all versions" || lower == "alle versionen" || lower == "all" {
            return Ok(Self::All);
        }
        // Words some advisories use: "before 1.2", "vor 1.2", "prior to 1.2", "up to 1.2".
        let normalised = lower
            .replace("prior to", "<")
            .replace("before", "<")
            .replace("vor ", "< ")
            .replace("up to", "<=")
            .replace("bis ", "<= ")
            .replace("through", "<=")
            .replace(',', " ");
        let mut cons = Vec::new();
        let mut rest = normalised.trim();
        while !rest.is_empty() {
            let (op, after) = split_op(rest);
            let op = op.ok_or_else(err)?;
            let end = after
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '=' | '!'))
                .unwrap_or(after.len());
            let v = &after[..end];
            if !is_version_like(v) {
                return Err(err());
            }
            cons.push((op, v.to_owned()));
            rest = after[end..].trim_start();
            rest = rest
                .strip_prefix("and")
                .or_else(|| rest.strip_prefix("und"))
                .or_else(|| rest.strip_prefix("&&"))
                .unwrap_or(rest)
                .trim_start();
        }
        if cons.is_empty() {
            return Err(err());
        }
        Ok(Self::Each(cons))
    }

    /// Whether `version` lies in the range.
    pub fn contains(&self, version: &str) -> bool {
        match self {
            Self::All => true,
            Self::Each(cons) => cons.iter().all(|(op, v)| op.holds(compare(version, v))),
            Self::Vers(cons) => vers_contains(cons, version),
        }
    }
}

/// The `vers` rule: `=` and `!=` decide on their own; the remaining comparators, sorted by
/// version, pair up into intervals (a lower bound with the next upper bound; an upper bound
/// first starts at minus infinity, a lower bound last runs to infinity).
fn vers_contains(cons: &[(Op, String)], version: &str) -> bool {
    if cons.iter().any(|(op, v)| *op == Op::Ne && same(version, v)) {
        return false;
    }
    if cons.iter().any(|(op, v)| *op == Op::Eq && same(version, v)) {
        return true;
    }
    let mut bounds: Vec<&(Op, String)> = cons
        .iter()
        .filter(|(op, _)| !matches!(op, Op::Eq | Op::Ne))
        .collect();
    if bounds.is_empty() {
        // Only `!=` constraints: everything else is in.
        return cons.iter().all(|(op, _)| *op == Op::Ne);
    }
    bounds.sort_by(|a, b| compare(&a.1, &b.1));
    let mut i = 0;
    while i < bounds.len() {
        let (op, v) = bounds[i];
        match op {
            Op::Gt | Op::Ge => {
                let above = op.holds(compare(version, v));
                match bounds.get(i + 1) {
                    Some((op2 @ (Op::Lt | Op::Le), v2)) => {
                        if above && op2.holds(compare(version, v2)) {
                            return true;
                        }
                        i += 2;
                    }
                    _ => {
                        if above {
                            return true;
                        }
                        i += 1;
                    }
                }
            }
            _ => {
                // An upper bound without a lower one before it.
                if op.holds(compare(version, v)) {
                    return true;
                }
                i += 1;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_numbers_compare_numerically() {
        assert_eq!(compare("1.10", "1.9"), Ordering::Greater);
        assert_eq!(compare("8.6", "8.6"), Ordering::Equal);
        assert_eq!(compare("8.6.1", "8.6"), Ordering::Greater);
        assert_eq!(compare("v2.0", "2.0"), Ordering::Equal);
    }

    #[test]
    fn pre_releases_sort_before_the_release() {
        assert_eq!(compare("1.0.0-alpha", "1.0.0"), Ordering::Less);
        assert_eq!(compare("1.0.0-rc1", "1.0.0-rc2"), Ordering::Less);
        assert_eq!(compare("1.0.0-dev3", "1.0.0-rc1"), Ordering::Less);
    }

    #[test]
    fn rpm_epoch_and_release_are_read() {
        assert_eq!(
            compare("1:1.1.1k-7.el8_6", "1.1.1k-8.el8_6"),
            Ordering::Less
        );
        assert_eq!(compare("1.1.1k", "1.1.1j"), Ordering::Greater);
    }

    #[test]
    fn textual_ranges_are_read() {
        let r = Range::parse("<=4.2").unwrap();
        assert!(r.contains("4.2") && r.contains("4.1.9") && !r.contains("4.2.1"));
        let r = Range::parse(">= 2.0 < 3.0").unwrap();
        assert!(r.contains("2.5") && !r.contains("3.0") && !r.contains("1.9"));
        let r = Range::parse("before 1.2").unwrap();
        assert!(r.contains("1.1") && !r.contains("1.2"));
        assert!(Range::parse("all versions").unwrap().contains("99"));
        assert!(Range::parse("some words").is_err());
        assert!(Range::parse("").is_err());
    }

    #[test]
    fn vers_ranges_pair_bounds_into_intervals() {
        let r = Range::parse("vers:generic/>=1.0|<2.0|>=3.0").unwrap();
        assert!(r.contains("1.5") && !r.contains("2.5") && r.contains("3.1"));
        let r = Range::parse("vers:semver/<1.2.3|!=1.0.0").unwrap();
        assert!(r.contains("1.1") && !r.contains("1.0.0") && !r.contains("1.2.3"));
        let r = Range::parse("vers:generic/1.0|2.0").unwrap();
        assert!(r.contains("2.0") && !r.contains("1.5"));
        assert!(Range::parse("vers:npm/*").unwrap().contains("0.0.1"));
        assert!(Range::parse("vers:generic").is_err());
    }
}
