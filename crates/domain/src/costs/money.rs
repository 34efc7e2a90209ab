//! Money as integer euro cents, and weights as integer basis points.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of money in euro cents. Never a float, so sums are exact.
///
/// Arithmetic is checked: the `checked_*` methods return `None` on `i64` overflow
/// (about ± 92 trillion euros), which callers turn into a precise error.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// Zero euros.
    pub const ZERO: Cents = Cents(0);

    /// Whole euros as cents, e.g. `Cents::euros(85_000)` is 85,000.00 €.
    ///
    /// Panics beyond ± 92 trillion euros, so use it for literals only.
    pub const fn euros(euros: i64) -> Cents {
        match euros.checked_mul(100) {
            Some(cents) => Cents(cents),
            None => panic!("Cents::euros: amount out of range"),
        }
    }

    /// The raw number of cents.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }

    /// Sum of many amounts, or `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Cents>>(items: I) -> Option<Cents> {
        items.into_iter().try_fold(Cents::ZERO, Cents::checked_add)
    }
}

/// Formats as plain euros with two decimals and no thousands separator (`-1234.50`);
/// localised formatting belongs to the UI.
/// Parses a euro amount as people type it: `85000`, `85.000`, `85.000,50`, `85000,5`,
/// `85000.50`, optionally with `€` or `EUR`. A comma is the decimal separator and dots group
/// thousands; a lone dot followed by one or two digits is read as a decimal point.
/// Fails with `error-amount` on anything else (letters, three decimals, empty).
pub fn parse_euros(input: &str) -> Result<Cents, &'static str> {
    let s: String = input
        .trim()
        .trim_end_matches("EUR")
        .trim_end_matches('€')
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, s),
    };
    let (int, frac) = match s.rsplit_once(',') {
        Some((i, f)) => (i.replace('.', ""), f.to_owned()),
        None => match s.rsplit_once('.') {
            Some((i, f)) if !f.is_empty() && f.len() <= 2 && !i.contains('.') => {
                (i.to_owned(), f.to_owned())
            }
            _ => (s.replace('.', ""), String::new()),
        },
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(&int) || !(frac.is_empty() || (frac.len() <= 2 && digits(&frac))) {
        return Err("error-amount");
    }
    let euros: i64 = int.parse().map_err(|_| "error-amount")?;
    let cents: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| "error-amount")?
    };
    let total = euros
        .checked_mul(100)
        .and_then(|e| e.checked_add(cents))
        .ok_or("error-amount")?;
    Ok(Cents(if neg { -total } else { total }))
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn german_and_plain_amounts_parse_to_cents() {
        for (input, cents) in [
            ("85000", 8_500_000),
            ("85.000", 8_500_000),
            ("85.000,50", 8_500_050),
            ("85000,5", 8_500_050),
            ("85000.50", 8_500_050),
            ("1.234.567,89 €", 123_456_789),
            ("150 000 EUR", 15_000_000),
            ("0,01", 1),
            ("-12,30", -1_230),
        ] {
            assert_eq!(parse_euros(input), Ok(Cents(cents)), "{input}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for input in [
            "",
            "abc",
            "12,345",
            "1,2,3",
            "12.3.4,5x",
            "€",
            "99999999999999999999",
        ] {
            assert_eq!(parse_euros(input), Err("error-amount"), "{input}");
        }
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A weight or percentage in basis points: 1 bp = 0.01 %, so 100 % = 10,000 bp.
///
/// Integer basis points make "the weights add up to exactly 100 %" a plain integer
/// comparison instead of a float tolerance.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Weight(pub u32);

impl Weight {
    /// 100 %.
    pub const FULL: Weight = Weight(10_000);

    /// A weight in basis points, e.g. `Weight::bp(2_500)` is 25 %.
    pub const fn bp(bp: u32) -> Weight {
        Weight(bp)
    }

    /// A weight in whole percent, e.g. `Weight::percent(30)` is 30 %.
    ///
    /// Panics above 42,949,672 %, so use it for literals only.
    pub const fn percent(percent: u32) -> Weight {
        match percent.checked_mul(100) {
            Some(bp) => Weight(bp),
            None => panic!("Weight::percent: out of range"),
        }
    }

    /// The raw number of basis points.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// Formats as percent with two decimals (`30.00 %`).
impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02} %", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_display_shows_two_decimals_and_sign() {
        assert_eq!(Cents(0).to_string(), "0.00");
        assert_eq!(Cents(5).to_string(), "0.05");
        assert_eq!(Cents(-5).to_string(), "-0.05");
        assert_eq!(Cents::euros(190_000).to_string(), "190000.00");
        assert_eq!(Cents(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn cents_arithmetic_reports_overflow() {
        assert_eq!(Cents(i64::MAX).checked_add(Cents(1)), None);
        assert_eq!(Cents(i64::MIN).checked_sub(Cents(1)), None);
        assert_eq!(Cents::checked_sum([Cents(1), Cents(2)]), Some(Cents(3)));
        assert_eq!(Cents::checked_sum([Cents(i64::MAX), Cents(1)]), None);
    }

    #[test]
    fn weight_display_and_constructors_agree() {
        assert_eq!(Weight::percent(30), Weight::bp(3_000));
        assert_eq!(Weight::bp(250).to_string(), "2.50 %");
        assert_eq!(Weight::FULL.to_string(), "100.00 %");
    }
}
