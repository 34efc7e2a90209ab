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

#[cfg(test)]
mod tests {
    use super::fmt_ms;

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
