//! Times shown to people: German local time (Europe/Berlin) without a time-zone database.

/// Formats Unix milliseconds as German local time (Europe/Berlin: CET, CEST in summer).
pub fn fmt_ms(ms: i64) -> String {
    let fmt = time::macros::format_description!("[day].[month].[year] [hour]:[minute]");
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
    else {
        return String::new();
    };
    let hours = if berlin_summer_time(utc) { 2 } else { 1 };
    (utc + time::Duration::hours(hours))
        .format(fmt)
        .unwrap_or_default()
}

/// Midnight at the start of `date` in Berlin as Unix milliseconds (the clocks change at 02:00
/// and 03:00, so midnight always exists once).
pub fn berlin_midnight_ms(date: time::Date) -> i64 {
    let midnight_utc = date.midnight().assume_utc();
    let summer = midnight_utc - time::Duration::hours(2);
    let local = if berlin_summer_time(summer) {
        summer
    } else {
        midnight_utc - time::Duration::hours(1)
    };
    i64::try_from(local.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
fn berlin_summer_time(utc: time::OffsetDateTime) -> bool {
    let last_sunday = |month: time::Month| {
        let mut d = time::Date::from_calendar_date(
            utc.year(),
            month,
            time::util::days_in_month(month, utc.year()),
        )
        .unwrap_or(utc.date());
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().unwrap_or(d);
        }
        d.with_hms(1, 0, 0).map(|t| t.assume_utc()).unwrap_or(utc)
    };
    utc >= last_sunday(time::Month::March) && utc < last_sunday(time::Month::October)
}

/// The calendar day in Berlin at Unix milliseconds `ms` (deadlines and expiry dates are days).
pub fn berlin_date(ms: i64) -> time::Date {
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
    else {
        return time::Date::MIN;
    };
    let hours = if berlin_summer_time(utc) { 2 } else { 1 };
    (utc + time::Duration::hours(hours)).date()
}

#[cfg(test)]
mod tests {
    use super::{berlin_midnight_ms, fmt_ms};

    #[test]
    fn berlin_midnight_is_one_or_two_hours_before_utc_midnight() {
        let d = |y, m, day| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
        };
        // 15.01.2026 00:00 CET = 14.01.2026 23:00 UTC; 15.07.2026 00:00 CEST = 22:00 UTC.
        assert_eq!(
            fmt_ms(berlin_midnight_ms(d(2026, 1, 15))),
            "15.01.2026 00:00"
        );
        assert_eq!(berlin_midnight_ms(d(2026, 1, 15)), 1_768_431_600_000);
        assert_eq!(
            fmt_ms(berlin_midnight_ms(d(2026, 7, 15))),
            "15.07.2026 00:00"
        );
        assert_eq!(
            fmt_ms(berlin_midnight_ms(d(2026, 3, 29))),
            "29.03.2026 00:00"
        );
        assert_eq!(
            fmt_ms(berlin_midnight_ms(d(2026, 10, 25))),
            "25.10.2026 00:00"
        );
    }

    #[test]
    fn times_are_shown_in_berlin_time_across_daylight_saving() {
        // 2026-03-29 00:59 UTC is still winter time (01:59 CET); 01:00 UTC is 03:00 CEST.
        assert_eq!(fmt_ms(1_774_745_940_000), "29.03.2026 01:59");
        assert_eq!(fmt_ms(1_774_746_000_000), "29.03.2026 03:00");
        // 2026-10-25 00:59 UTC is 02:59 CEST; 01:00 UTC is 02:00 CET.
        assert_eq!(fmt_ms(1_792_889_940_000), "25.10.2026 02:59");
        assert_eq!(fmt_ms(1_792_890_000_000), "25.10.2026 02:00");
        assert_eq!(fmt_ms(1_798_761_600_000), "01.01.2027 01:00");
    }
}
