//! Splitting an amount into whole cents that add up exactly: the largest-remainder
//! (Hare) method.
//!
//! Each item's exact quota `total × weight / sum of weights` is cut down to whole cents;
//! the cents left over (fewer than the number of items) go one each to the items with
//! the largest cut-off remainders. Ties go to the smaller item (for members: the smaller
//! organisation ID, so the result does not depend on the input order).

use serde::Serialize;
use thiserror::Error;

use super::fraction::Fraction;
use super::money::Cents;

/// Why an amount cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SplitError {
    /// The amount is negative.
    #[error("cannot split a negative amount ({0})")]
    NegativeTotal(Cents),
    /// A weight is negative (position in the input).
    #[error("weight at position {0} is negative")]
    NegativeWeight(usize),
    /// There is nothing to split by: no items, or all weights are zero.
    #[error("all weights are zero")]
    ZeroWeights,
    /// The exact fractions exceed 128 bits.
    #[error("exact arithmetic exceeds 128 bits")]
    Overflow,
}

/// One item's part of a split, with the figures to check it by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitEntry<T> {
    /// The item (member, year, ...).
    pub item: T,
    /// Its exact share of the total (weight / sum of weights).
    pub share: Fraction,
    /// The exact quota cut down to whole cents.
    pub floor: Cents,
    /// The cut-off part of a cent, in `[0, 1)`; the largest ones get the leftover cents.
    pub remainder: Fraction,
    /// The exact quota in euros with 6 decimals (rounded half away from zero), e.g.
    /// `"33.333333"`.
    pub exact_euros: String,
    /// Whether this item received one of the leftover cents.
    pub extra_cent: bool,
    /// The final amount: `floor`, plus one cent if `extra_cent`.
    pub amount: Cents,
}

/// Splits `total` among `items` in proportion to their weights so that the amounts add
/// up to `total` exactly, by largest remainder; ties go to the smaller item.
///
/// Results come back in input order. Items with weight zero get zero. Fails on a
/// negative total or weight, when all weights are zero, or on 128-bit overflow.
pub fn split_largest_remainder<T: Ord + Clone>(
    total: Cents,
    items: &[(T, Fraction)],
) -> Result<Vec<SplitEntry<T>>, SplitError> {
    if total.is_negative() {
        return Err(SplitError::NegativeTotal(total));
    }
    if let Some(pos) = items.iter().position(|(_, w)| w.is_negative()) {
        return Err(SplitError::NegativeWeight(pos));
    }
    let sum = items
        .iter()
        .try_fold(Fraction::ZERO, |acc, (_, w)| acc.checked_add(*w))
        .ok_or(SplitError::Overflow)?;
    if sum.is_zero() {
        return Err(SplitError::ZeroWeights);
    }
    let mut entries = Vec::with_capacity(items.len());
    let mut allotted: i64 = 0;
    for (item, weight) in items {
        let share = if sum == Fraction::ONE {
            *weight
        } else {
            weight.checked_div(sum).ok_or(SplitError::Overflow)?
        };
        let (floor, remainder) = share.mul_floor(total.get()).ok_or(SplitError::Overflow)?;
        // Floors never exceed the total, so this sum cannot overflow.
        allotted += floor;
        entries.push(SplitEntry {
            item: item.clone(),
            share,
            floor: Cents(floor),
            remainder,
            exact_euros: exact_euros(floor, remainder),
            extra_cent: false,
            amount: Cents(floor),
        });
    }
    let leftover = usize::try_from(total.get() - allotted).map_err(|_| SplitError::Overflow)?;
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        entries[b]
            .remainder
            .cmp(&entries[a].remainder)
            .then_with(|| entries[a].item.cmp(&entries[b].item))
    });
    for &i in order.iter().take(leftover) {
        entries[i].extra_cent = true;
        entries[i].amount = Cents(entries[i].floor.get() + 1);
    }
    Ok(entries)
}

/// `floor + remainder` cents as euros with 6 decimals.
fn exact_euros(floor: i64, remainder: Fraction) -> String {
    let (mut sub, rest) = remainder.mul_floor(10_000).unwrap_or((0, Fraction::ZERO));
    let mut floor = floor;
    if rest >= Fraction::HALF {
        sub += 1;
    }
    if sub == 10_000 {
        floor += 1;
        sub = 0;
    }
    format!("{}{sub:04}", Cents(floor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn equal(n: i64) -> Vec<(i64, Fraction)> {
        (1..=n).map(|i| (i, Fraction::ONE)).collect()
    }

    fn amounts<T>(entries: &[SplitEntry<T>]) -> Vec<i64> {
        entries.iter().map(|e| e.amount.get()).collect()
    }

    #[test]
    fn hundred_euros_three_ways_gives_the_extra_cent_to_the_smallest_item() {
        let entries = split_largest_remainder(Cents::euros(100), &equal(3)).expect("splits");
        assert_eq!(amounts(&entries), vec![3_334, 3_333, 3_333]);
        assert_eq!(entries[0].exact_euros, "33.333333");
        assert_eq!(entries[0].remainder, Fraction::new(1, 3).expect("valid"));
        assert!(entries[0].extra_cent && !entries[1].extra_cent);
    }

    #[test]
    fn tie_break_follows_the_item_not_the_input_order() {
        let reversed: Vec<_> = equal(3).into_iter().rev().collect();
        let entries = split_largest_remainder(Cents::euros(100), &reversed).expect("splits");
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.item, e.amount.get()))
                .collect::<Vec<_>>(),
            vec![(3, 3_333), (2, 3_333), (1, 3_334)]
        );
    }

    #[test]
    fn larger_remainder_wins_before_the_tie_break() {
        // Quotas 1.4, 2.8, 5.8 cents: floors 1, 2, 5 leave 2 cents for the .8 remainders.
        let items = [
            (1, Fraction::integer(14)),
            (2, Fraction::integer(28)),
            (3, Fraction::integer(58)),
        ];
        let entries = split_largest_remainder(Cents(10), &items).expect("splits");
        assert_eq!(amounts(&entries), vec![1, 3, 6]);
    }

    #[test]
    fn zero_weight_items_get_nothing_and_zero_total_splits_to_zeros() {
        let items = [(1, Fraction::ZERO), (2, Fraction::ONE), (3, Fraction::ONE)];
        assert_eq!(
            amounts(&split_largest_remainder(Cents(3), &items).expect("splits")),
            vec![0, 2, 1]
        );
        assert_eq!(
            amounts(&split_largest_remainder(Cents(0), &items).expect("splits")),
            vec![0, 0, 0]
        );
    }

    #[test]
    fn invalid_inputs_are_rejected() {
        assert_eq!(
            split_largest_remainder(Cents(-1), &equal(2)),
            Err(SplitError::NegativeTotal(Cents(-1)))
        );
        assert_eq!(
            split_largest_remainder::<i64>(Cents(1), &[]),
            Err(SplitError::ZeroWeights)
        );
        let negative = [(1, Fraction::ONE), (2, Fraction::integer(-1))];
        assert_eq!(
            split_largest_remainder(Cents(1), &negative),
            Err(SplitError::NegativeWeight(1))
        );
    }

    #[test]
    fn exact_display_carries_rounding_into_the_cent() {
        let almost = Fraction::new(999_999, 1_000_000).expect("valid");
        assert_eq!(exact_euros(5, almost), "0.060000");
        assert_eq!(exact_euros(5, Fraction::ZERO), "0.050000");
    }
}
