//! Exact fractions with `i128` parts, so shares never suffer float error.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An exact fraction `numerator / denominator`, always reduced, denominator positive.
///
/// Serialised as the string `"numerator/denominator"` (e.g. `"7/40"`) because JSON
/// numbers beyond 2^53 lose digits in many readers. Arithmetic is checked and
/// returns `None` when a part would leave `i128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    num: i128,
    den: i128,
}

impl Fraction {
    /// 0.
    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };
    /// 1/2.
    pub const HALF: Fraction = Fraction { num: 1, den: 2 };
    /// 1.
    pub const ONE: Fraction = Fraction { num: 1, den: 1 };

    /// `num / den`, reduced; `None` when `den` is zero or a part is `i128::MIN`.
    pub fn new(num: i128, den: i128) -> Option<Fraction> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs());
        // g fits: it divides den, and |den| < 2^127.
        let g = g as i128;
        let (num, den) = (num / g, den / g);
        Some(if den < 0 {
            Fraction {
                num: -num,
                den: -den,
            }
        } else {
            Fraction { num, den }
        })
    }

    /// The whole number `n`.
    pub const fn integer(n: i128) -> Fraction {
        Fraction { num: n, den: 1 }
    }

    /// The reduced numerator (carries the sign).
    pub const fn numerator(self) -> i128 {
        self.num
    }

    /// The reduced denominator (always positive).
    pub const fn denominator(self) -> i128 {
        self.den
    }

    /// Whether the value is zero.
    pub const fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether the value is below zero.
    pub const fn is_negative(self) -> bool {
        self.num < 0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Fraction) -> Option<Fraction> {
        // Scaling by den / gcd keeps intermediates as small as the result allows.
        let g = gcd(self.den.unsigned_abs(), other.den.unsigned_abs()) as i128;
        let left = self.num.checked_mul(other.den / g)?;
        let right = other.num.checked_mul(self.den / g)?;
        Fraction::new(
            left.checked_add(right)?,
            (self.den / g).checked_mul(other.den)?,
        )
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Fraction) -> Option<Fraction> {
        self.checked_add(Fraction {
            num: other.num.checked_neg()?,
            den: other.den,
        })
    }

    /// Product, or `None` on overflow.
    pub fn checked_mul(self, other: Fraction) -> Option<Fraction> {
        // Cross-reducing first avoids overflow where the reduced result fits.
        let g1 = gcd(self.num.unsigned_abs(), other.den.unsigned_abs()).max(1) as i128;
        let g2 = gcd(other.num.unsigned_abs(), self.den.unsigned_abs()).max(1) as i128;
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den / g2).checked_mul(other.den / g1)?;
        Fraction::new(num, den)
    }

    /// Quotient, or `None` on overflow or division by zero.
    pub fn checked_div(self, other: Fraction) -> Option<Fraction> {
        if other.num == 0 {
            return None;
        }
        self.checked_mul(Fraction::new(other.den, other.num)?)
    }

    /// `floor(self * factor)` and the remainder `self * factor - floor` as a fraction,
    /// for a non-negative fraction and factor; `None` if negative or the floor
    /// exceeds `i64`. Works even when `num * factor` would overflow `i128`.
    pub fn mul_floor(self, factor: i64) -> Option<(i64, Fraction)> {
        if self.num < 0 || factor < 0 {
            return None;
        }
        let (q, r) = mul_div_rem(
            self.num.unsigned_abs(),
            factor.unsigned_abs().into(),
            self.den.unsigned_abs(),
        )?;
        let q = i64::try_from(q).ok()?;
        // r < den, so it fits i128.
        Some((q, Fraction::new(r as i128, self.den)?))
    }

    /// The value as a decimal string with `places` decimals, rounded half away from zero,
    /// e.g. `1/3` with 4 places is `"0.3333"`.
    pub fn to_decimal(self, places: u32) -> String {
        let places = places.min(30);
        let neg = self.num < 0;
        let (n, d) = (self.num.unsigned_abs(), self.den.unsigned_abs());
        let mut int = n / d;
        let scale = 10u128.pow(places);
        let (mut frac, rest) = mul_div_rem(n % d, scale, d).unwrap_or((0, 0));
        if rest >= d - rest {
            frac += 1;
            if frac == scale {
                frac = 0;
                int += 1;
            }
        }
        let sign = if neg && (int != 0 || frac != 0) {
            "-"
        } else {
            ""
        };
        if places == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0width$}", width = places as usize)
        }
    }

    /// The value as a percentage with 4 decimals, e.g. `1/3` is `"33.3333"`.
    pub fn percent_display(self) -> String {
        match self.checked_mul(Fraction::integer(100)) {
            Some(p) => p.to_decimal(4),
            None => "overflow".to_owned(),
        }
    }
}

/// Greatest common divisor (Euclid); `gcd(0, 0)` is 0.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `(a * b) / den` and `(a * b) % den` without overflowing on the product;
/// `None` if `den` is zero or the quotient exceeds `u128`.
fn mul_div_rem(a: u128, b: u128, den: u128) -> Option<(u128, u128)> {
    if den == 0 {
        return None;
    }
    if let Some(p) = a.checked_mul(b) {
        return Some((p / den, p % den));
    }
    // Shift-and-add over the bits of b, keeping the partial product as q * den + r
    // with r < den, so nothing larger than den is ever formed.
    let (qa, ra) = (a / den, a % den);
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..128 - b.leading_zeros()).rev() {
        q = q.checked_mul(2)?;
        if r >= den - r {
            r -= den - r;
            q = q.checked_add(1)?;
        } else {
            r *= 2;
        }
        if (b >> bit) & 1 == 1 {
            q = q.checked_add(qa)?;
            if r >= den - ra {
                r -= den - ra;
                q = q.checked_add(1)?;
            } else {
                r += ra;
            }
        }
    }
    Some((q, r))
}

impl Ord for Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        // Compare by continued-fraction expansion: never multiplies, so never overflows.
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flipped = false;
        loop {
            let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
            let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
            let ord = qa.cmp(&qc).then_with(|| match (ra == 0, rc == 0) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => Ordering::Equal,
            });
            if ord != Ordering::Equal || ra == 0 {
                return if flipped { ord.reverse() } else { ord };
            }
            // ra/b vs rc/d, both in (0, 1), compares inversely to b/ra vs d/rc.
            (a, b, c, d) = (b, ra, d, rc);
            flipped = !flipped;
        }
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Fraction) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Formats as `numerator/denominator`, or just the numerator for whole numbers.
impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// Why a string is not a fraction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a fraction: {0:?} (expected \"numerator/denominator\" with a non-zero denominator)")]
pub struct ParseFractionError(String);

impl FromStr for Fraction {
    type Err = ParseFractionError;

    /// Parses `"7/40"` or `"3"`; fails on anything else or a zero denominator.
    fn from_str(s: &str) -> Result<Fraction, ParseFractionError> {
        let err = || ParseFractionError(s.to_owned());
        let (num, den) = s.split_once('/').unwrap_or((s, "1"));
        let num = num.trim().parse().map_err(|_| err())?;
        let den = den.trim().parse().map_err(|_| err())?;
        Fraction::new(num, den).ok_or_else(err)
    }
}

impl Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Fraction, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i128, d: i128) -> Fraction {
        Fraction::new(n, d).expect("test fractions have non-zero denominators")
    }

    #[test]
    fn new_reduces_and_normalises_sign() {
        assert_eq!(f(6, -4), f(-3, 2));
        assert_eq!(f(-3, 2).numerator(), -3);
        assert_eq!(f(-3, 2).denominator(), 2);
        assert_eq!(f(0, 7), Fraction::ZERO);
        assert_eq!(Fraction::new(1, 0), None);
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(f(1, 3).checked_add(f(1, 6)), Some(f(1, 2)));
        assert_eq!(f(1, 3).checked_sub(f(1, 2)), Some(f(-1, 6)));
        assert_eq!(f(7, 10).checked_mul(f(1, 2)), Some(f(7, 20)));
        assert_eq!(f(7, 20).checked_div(f(7, 10)), Some(f(1, 2)));
        assert_eq!(f(1, 2).checked_div(Fraction::ZERO), None);
    }

    #[test]
    fn arithmetic_reports_overflow_instead_of_wrapping() {
        let huge = f(i128::MAX, 1);
        assert_eq!(huge.checked_add(Fraction::ONE), None);
        assert_eq!(huge.checked_mul(f(2, 1)), None);
    }

    #[test]
    fn ordering_never_overflows_on_large_parts() {
        let a = f(i128::MAX - 1, i128::MAX);
        let b = f(i128::MAX - 2, i128::MAX - 1);
        assert!(b < a);
        assert!(f(-1, 2) < f(1, 3));
        assert!(f(2, 4) == f(1, 2));
        assert_eq!(f(5, 3).cmp(&f(5, 3)), Ordering::Equal);
        assert!(f(3, 2) > f(1, 1));
    }

    #[test]
    fn mul_floor_splits_whole_and_remainder_beyond_i128_products() {
        assert_eq!(f(1, 3).mul_floor(10_000), Some((3_333, f(1, 3))));
        let near_one = f(i128::MAX - 1, i128::MAX);
        let (q, r) = near_one.mul_floor(i64::MAX).expect("quotient fits i64");
        assert_eq!(q, i64::MAX - 1);
        assert!(r > Fraction::ZERO && r < Fraction::ONE);
        assert_eq!(f(-1, 3).mul_floor(3), None);
    }

    #[test]
    fn decimal_display_rounds_half_away_from_zero() {
        assert_eq!(f(1, 3).to_decimal(4), "0.3333");
        assert_eq!(f(2, 3).to_decimal(4), "0.6667");
        assert_eq!(f(1, 8).to_decimal(2), "0.13");
        assert_eq!(f(-1, 8).to_decimal(2), "-0.13");
        assert_eq!(f(99_999, 100_000).to_decimal(2), "1.00");
        assert_eq!(f(-1, 1_000).to_decimal(2), "0.00");
        assert_eq!(f(7, 2).to_decimal(0), "4");
        assert_eq!(f(1, 3).percent_display(), "33.3333");
    }

    #[test]
    fn serde_round_trips_as_string() {
        let json = serde_json::to_string(&f(7, 40)).expect("serialises");
        assert_eq!(json, "\"7/40\"");
        let back: Fraction = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, f(7, 40));
        assert!(serde_json::from_str::<Fraction>("\"1/0\"").is_err());
        assert_eq!("3".parse::<Fraction>(), Ok(f(3, 1)));
    }
}
