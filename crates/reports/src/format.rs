//! German number formats and labels for printed documents (`1.234,56 €`, `12,3454 %`).

use verbund_domain::costs::{Cents, CostCategory, Fraction, Metric, StepRule, Weight};

/// Groups the digits of a non-negative integer string in threes with dots: `"67277"` →
/// `"67.277"`.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A decimal string as written in English (`"-1234.5"`) in German notation (`"-1.234,5"`).
pub(crate) fn decimal(s: &str) -> String {
    let (sign, s) = s.strip_prefix('-').map_or(("", s), |rest| ("-", rest));
    match s.split_once('.') {
        Some((int, frac)) => format!("{sign}{},{frac}", group(int)),
        None => format!("{sign}{}", group(s)),
    }
}

/// An amount with two decimals and the euro sign: `Cents(2_345_619)` → `"23.456,19 €"`.
pub(crate) fn euros(amount: Cents) -> String {
    format!("{} €", decimal(&amount.to_string()))
}

/// An exact euro amount with more decimals as the domain writes it (`"23456.194750"`) →
/// `"23.456,194750 €"`.
pub(crate) fn exact_euros(s: &str) -> String {
    format!("{} €", decimal(s))
}

/// A whole number with thousands separators: `67_277` → `"67.277"`.
pub(crate) fn integer(n: impl Into<i128>) -> String {
    decimal(&n.into().to_string())
}

/// A fraction with grouped digits: `7399427/59936880` → `"7.399.427/59.936.880"`.
pub(crate) fn fraction(f: Fraction) -> String {
    if f.denominator() == 1 {
        integer(f.numerator())
    } else {
        format!("{}/{}", integer(f.numerator()), integer(f.denominator()))
    }
}

/// A percentage with the domain's four decimals (`"12.3454"`) → `"12,3454 %"`.
pub(crate) fn percent(s: &str) -> String {
    format!("{} %", decimal(s))
}

/// A weight in basis points → `"30,00 %"`.
pub(crate) fn weight(w: Weight) -> String {
    format!("{},{:02} %", integer(w.get() / 100), w.get() % 100)
}

/// The remainder of a cent (a fraction in `[0, 1)`) with four decimals: `"0,4750 Cent"`.
pub(crate) fn cent_remainder(r: Fraction) -> String {
    format!("{} Cent", decimal(&r.to_decimal(4)))
}

/// A fraction as a floating-point number, for spreadsheet cells (exact to about 15 digits).
pub(crate) fn to_f64(f: Fraction) -> f64 {
    f.numerator() as f64 / f.denominator() as f64
}

/// Cents as euros for spreadsheet cells.
pub(crate) fn euros_f64(amount: Cents) -> f64 {
    amount.get() as f64 / 100.0
}

/// A date written as `"23.11.2026"` (German) or `"2026-11-23"` (ISO) as year, month, day;
/// `None` for anything else. The day and month are not checked against the calendar.
pub(crate) fn date(s: &str) -> Option<(i32, u8, u8)> {
    let s = s.trim();
    let parts: Vec<&str> = if s.contains('.') {
        s.split('.').rev().collect()
    } else {
        s.split('-').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && y >= 1000).then_some((y, m, d))
}

/// The German name of a cost category.
pub(crate) fn category(c: CostCategory) -> &'static str {
    match c {
        CostCategory::Personnel => "Personalkosten",
        CostCategory::Material => "Sachkosten",
        CostCategory::ExternalServices => "Fremdleistungen",
        CostCategory::Overhead => "Gemeinkosten",
        CostCategory::Other => "Sonstige Kosten",
    }
}

/// The German name of a metric.
pub(crate) fn metric(m: Metric) -> &'static str {
    match m {
        Metric::Population => "Einwohnerzahl",
        Metric::Staff => "Beschäftigte",
        Metric::ItWorkplaces => "IT-Arbeitsplätze",
    }
}

/// A key step's rule in words, e.g. `"nach Einwohnerzahl (Summe 249.737)"`.
pub(crate) fn rule(r: &StepRule) -> String {
    match r {
        StepRule::Split { parts } => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}", p.label, weight(p.weight)))
                .collect();
            format!("Aufteilung: {}", parts.join("; "))
        }
        StepRule::Equal { count } if *count == 1 => "trägt ein Mitglied allein".to_owned(),
        StepRule::Equal { count } => format!("zu gleichen Teilen auf {count} Mitglieder"),
        StepRule::ByMetric { metric: m, total } => {
            format!("nach {} (Summe {})", metric(*m), integer(*total))
        }
        StepRule::Manual => "feste Anteile je Mitglied".to_owned(),
    }
}

/// A key node path for people: `"Schlüssel > Städte > gleiche Anteile"` with `›`.
pub(crate) fn path(p: &str) -> String {
    p.replace(" > ", " › ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i128, d: i128) -> Fraction {
        Fraction::new(n, d).expect("non-zero denominator")
    }

    #[test]
    fn amounts_use_dots_for_thousands_and_a_comma_for_cents() {
        assert_eq!(euros(Cents(2_345_619)), "23.456,19 €");
        assert_eq!(euros(Cents(19_000_000)), "190.000,00 €");
        assert_eq!(euros(Cents(5)), "0,05 €");
        assert_eq!(euros(Cents(-123_456)), "-1.234,56 €");
        assert_eq!(euros(Cents(100_000_000_000)), "1.000.000.000,00 €");
    }

    #[test]
    fn exact_amounts_and_percentages_keep_their_decimals() {
        assert_eq!(exact_euros("23456.194750"), "23.456,194750 €");
        assert_eq!(percent("12.3454"), "12,3454 %");
        assert_eq!(percent("100.0000"), "100,0000 %");
    }

    #[test]
    fn integers_and_fractions_group_digits() {
        assert_eq!(integer(67_277u64), "67.277");
        assert_eq!(integer(999u64), "999");
        assert_eq!(integer(1_000u64), "1.000");
        assert_eq!(fraction(f(7_399_427, 59_936_880)), "7.399.427/59.936.880");
        assert_eq!(fraction(Fraction::ONE), "1");
    }

    #[test]
    fn weights_and_remainders_read_as_percent_and_cent() {
        assert_eq!(weight(Weight::bp(3_000)), "30,00 %");
        assert_eq!(weight(Weight::bp(5)), "0,05 %");
        assert_eq!(cent_remainder(f(19, 40)), "0,4750 Cent");
    }

    #[test]
    fn issue_dates_parse_in_german_and_iso_notation() {
        assert_eq!(date("23.11.2026"), Some((2026, 11, 23)));
        assert_eq!(date(" 1.2.2026 "), Some((2026, 2, 1)));
        assert_eq!(date("2026-11-23"), Some((2026, 11, 23)));
        assert_eq!(date("23.13.2026"), None);
        assert_eq!(date("23. November 2026"), None);
        assert_eq!(date(""), None);
    }

    #[test]
    fn rules_read_as_german_sentences() {
        assert_eq!(
            rule(&StepRule::ByMetric {
                metric: Metric::Population,
                total: 249_737
            }),
            "nach Einwohnerzahl (Summe 249.737)"
        );
        assert_eq!(
            rule(&StepRule::Equal { count: 12 }),
            "zu gleichen Teilen auf 12 Mitglieder"
        );
    }
}
