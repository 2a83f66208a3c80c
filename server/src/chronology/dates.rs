//! Dates and times as agencies write them in their chronologies: day first, as in
//! England ("02/07/2025", "2/7/25", "2 Jul 2025", "2nd July 2025"), partial ("July
//! 2025", "07/2025", "2025"), ISO ("2025-07-02", as spreadsheets export dates), with a
//! time after the date or in a column of its own ("14:30", "2.30pm", "1430"). The same
//! forms the board reads for an episode's date (web/src/board/dates.ts), one date each.

/// A date with what is known of it, as ISO 8601 of its precision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// "2025-07-02", "2025-07" or "2025".
    pub iso: String,
    /// Written with "about", "c." or similar.
    pub approximate: bool,
}

/// The year now, near enough for reading two-digit years.
pub fn this_year() -> i32 {
    1970 + (crate::clock::now_ms() / 31_556_952_000) as i32
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const APPROXIMATE: [&str; 8] = [
    "approximately ",
    "approx. ",
    "approx ",
    "around ",
    "about ",
    "circa ",
    "c. ",
    "~",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "sept" {
        return Some(9);
    }
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A year of four digits, or two (this century unless that is more than a year after
/// `this_year`).
fn year_of(text: &str, this_year: i32) -> Option<i32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        2 if 2000 + n > this_year + 1 => Some(1900 + n),
        2 => Some(2000 + n),
        _ => None,
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads a date cell, with a time after it when there is one ("02/07/2025 14:30",
/// "2025-07-02T14:30:00"); `Err` says what is wrong in words a lead can act on.
pub fn read_date(text: &str, this_year: i32) -> Result<(Day, Option<String>), String> {
    let mut t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    t = t.replace(',', "");
    if t.is_empty() {
        return Err("no date".into());
    }
    let mut approximate = false;
    for prefix in APPROXIMATE {
        if t.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            t = t[prefix.len()..].trim_start().to_string();
            approximate = true;
            break;
        }
    }
    // A time after the date: "2025-07-02T14:30:00", "02/07/2025 14:30", "2 Jul 2025 2pm".
    let (date_part, time) = split_time(&t)?;
    let (year, month, day) = read_parts(date_part, this_year).ok_or_else(|| {
        format!(
            "\"{}\" is not a date this board reads (write 02/07/2025, 2 Jul 2025, July 2025 or 2025)",
            text.trim()
        )
    })?;
    if !(1900..=2100).contains(&year) {
        return Err(format!("{year} is not a year a review covers"));
    }
    let iso = match (month, day) {
        (None, None) => format!("{year:04}"),
        (None, Some(_)) => return Err(format!("\"{}\" has a day but no month", text.trim())),
        (Some(m), _) if !(1..=12).contains(&m) => {
            return Err(format!(
                "there is no month {m} (write the day first, as in 02/07/2025 for 2 July 2025)"
            ));
        }
        (Some(m), None) => format!("{year:04}-{m:02}"),
        (Some(m), Some(d)) if d < 1 || d > days_in(year, m) => {
            return Err(format!(
                "\"{}\" is not a date: that month has {} days",
                text.trim(),
                days_in(year, m)
            ));
        }
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
    };
    Ok((Day { iso, approximate }, time))
}

/// Splits a trailing time off a date, read as "HH:MM".
fn split_time(t: &str) -> Result<(&str, Option<String>), String> {
    if let Some((date, time)) = t.split_once('T')
        && date.len() == 10
        && date.as_bytes().get(4) == Some(&b'-')
    {
        return Ok((date, Some(read_time(time)?)));
    }
    if let Some((date, last)) = t.rsplit_once(' ') {
        // "2 Jul 2025 2pm" or "02/07/2025 14:30": the last word is a time when it reads as one
        // and is not a plain year or day.
        let is_time = last.contains(':')
            || last.to_lowercase().ends_with("am")
            || last.to_lowercase().ends_with("pm");
        if is_time {
            return Ok((date, Some(read_time(last)?)));
        }
        // "02/07/2025 14:30 pm" and similar are left to fail as dates.
    }
    Ok((t, None))
}

/// Year, month and day as written (unchecked), or `None` when the form is unknown.
fn read_parts(t: &str, this_year: i32) -> Option<(i32, Option<u32>, Option<u32>)> {
    let numeric: Vec<&str> = t.split(['/', '.', '-']).collect();
    let all_digits = numeric
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if all_digits {
        return match numeric[..] {
            // ISO: 2025-07-02, 2025-07, 2025.
            [y] if y.len() == 4 => Some((year_of(y, this_year)?, None, None)),
            [y, m] if y.len() == 4 => Some((year_of(y, this_year)?, Some(number(m)?), None)),
            [y, m, d] if y.len() == 4 => {
                Some((year_of(y, this_year)?, Some(number(m)?), Some(number(d)?)))
            }
            // Day first: 02/07/2025, 2.7.25; and 07/2025.
            [d, m, y] => Some((year_of(y, this_year)?, Some(number(m)?), Some(number(d)?))),
            [m, y] if y.len() == 4 => Some((year_of(y, this_year)?, Some(number(m)?), None)),
            _ => None,
        };
    }
    let words: Vec<&str> = t.split(' ').collect();
    let day_of = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        (["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()))
            .then(|| number(digits))
            .flatten()
    };
    match words[..] {
        // 2 Jul 2025, 2nd July 2025.
        [d, m, y] => Some((year_of(y, this_year)?, Some(month_of(m)?), Some(day_of(d)?))),
        // July 2025.
        [m, y] => Some((year_of(y, this_year)?, Some(month_of(m)?), None)),
        _ => None,
    }
}

/// Reads a time of day: "14:30", "14:30:00", "14.30", "1430", "2pm", "2.30 pm".
pub fn read_time(text: &str) -> Result<String, String> {
    let t = text.trim().to_lowercase().replace(' ', "");
    let bad = || {
        format!(
            "\"{}\" is not a time this board reads (write 14:30 or 2.30pm)",
            text.trim()
        )
    };
    let (digits, pm, am) = if let Some(rest) = t.strip_suffix("pm") {
        (rest, true, false)
    } else if let Some(rest) = t.strip_suffix("am") {
        (rest, false, true)
    } else {
        (t.as_str(), false, false)
    };
    let parts: Vec<&str> = digits.split([':', '.']).collect();
    let field = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (mut hour, minute) = match parts[..] {
        [h] if h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()) && !pm && !am => {
            (field(&h[..2]), field(&h[2..]))
        }
        [h] => (field(h), Some(0)),
        [h, m] | [h, m, _] => (field(h), field(m)),
        _ => (None, None),
    };
    if let [_, _, s] = parts[..]
        && field(s).is_none_or(|s| s > 59)
    {
        return Err(bad());
    }
    let (Some(h), Some(minute)) = (hour.as_mut(), minute) else {
        return Err(bad());
    };
    if pm || am {
        if *h < 1 || *h > 12 {
            return Err(bad());
        }
        *h = match (pm, *h) {
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, 12) => 0,
            (false, h) => h,
        };
    }
    if *h > 23 || minute > 59 {
        return Err(bad());
    }
    Ok(format!("{:02}:{minute:02}", *h))
}

/// A spreadsheet's date serial (days since 30 Dec 1899, the fraction the time of day)
/// as ISO date and "HH:MM" time. A serial below 1 is a time alone.
pub fn from_serial(ymd_hms: (u16, u8, u8, u8, u8, u8), serial: f64) -> (Option<String>, String) {
    let (y, mo, d, h, mi, s) = ymd_hms;
    // Round to the minute: 14:29:59.999 is how spreadsheets hold 14:30.
    let (mut h, mut mi) = (u32::from(h), u32::from(mi));
    if s >= 30 {
        mi += 1;
        if mi == 60 {
            mi = 0;
            h = (h + 1) % 24;
        }
    }
    let time = if h == 0 && mi == 0 {
        String::new()
    } else {
        format!("{h:02}:{mi:02}")
    };
    let date = (serial >= 1.0).then(|| format!("{y:04}-{mo:02}-{d:02}"));
    (date, time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> String {
        match read_date(text, 2026) {
            Ok((day, time)) => format!(
                "{}{}{}",
                if day.approximate { "~" } else { "" },
                day.iso,
                time.map(|t| format!(" {t}")).unwrap_or_default()
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn english_dates_are_read_day_first() {
        assert_eq!(date("02/07/2025"), "2025-07-02");
        assert_eq!(date("2/7/25"), "2025-07-02");
        assert_eq!(date("2.7.2025"), "2025-07-02");
        assert_eq!(date("2-7-2025"), "2025-07-02");
        assert_eq!(date("2 Jul 2025"), "2025-07-02");
        assert_eq!(date("2nd July 2025"), "2025-07-02");
        assert_eq!(date("2 Sept, 2025"), "2025-09-02");
        assert_eq!(date("2025-07-02"), "2025-07-02");
        assert_eq!(date("  02/07/2025  "), "2025-07-02");
        assert_eq!(date("1/1/99"), "1999-01-01");
    }

    #[test]
    fn partial_and_approximate_dates_keep_their_precision() {
        assert_eq!(date("July 2025"), "2025-07");
        assert_eq!(date("07/2025"), "2025-07");
        assert_eq!(date("2025-07"), "2025-07");
        assert_eq!(date("2025"), "2025");
        assert_eq!(date("about March 2024"), "~2024-03");
        assert_eq!(date("c. 2023"), "~2023");
    }

    #[test]
    fn a_time_after_the_date_is_read_too() {
        assert_eq!(date("02/07/2025 14:30"), "2025-07-02 14:30");
        assert_eq!(date("2025-07-02T09:05:00"), "2025-07-02 09:05");
        assert_eq!(date("2 Jul 2025 2pm"), "2025-07-02 14:00");
    }

    #[test]
    fn what_is_not_a_date_says_why() {
        assert!(date("31/02/2025").contains("29") || date("31/02/2025").contains("28 days"));
        assert!(date("12/13/2025").contains("no month 13"));
        assert!(date("yesterday").contains("not a date this board reads"));
        assert!(date("").contains("no date"));
        assert!(date("02/07/1850").contains("not a year"));
        assert!(date("02/07/2025 25:00").contains("not a time"));
        assert!(date("2 Foo 2025").contains("not a date this board reads"));
    }

    #[test]
    fn times_are_read_as_people_write_them() {
        assert_eq!(read_time("14:30"), Ok("14:30".into()));
        assert_eq!(read_time("14:30:59"), Ok("14:30".into()));
        assert_eq!(read_time("14.30"), Ok("14:30".into()));
        assert_eq!(read_time("1430"), Ok("14:30".into()));
        assert_eq!(read_time("2pm"), Ok("14:00".into()));
        assert_eq!(read_time("2.30 pm"), Ok("14:30".into()));
        assert_eq!(read_time("12am"), Ok("00:00".into()));
        assert_eq!(read_time("9"), Ok("09:00".into()));
        assert!(read_time("13pm").is_err());
        assert!(read_time("24:00").is_err());
        assert!(read_time("noonish").is_err());
    }

    #[test]
    fn spreadsheet_serials_round_to_the_minute() {
        assert_eq!(
            from_serial((2025, 7, 2, 14, 29, 59), 45840.6),
            (Some("2025-07-02".into()), "14:30".into())
        );
        assert_eq!(
            from_serial((2025, 7, 2, 0, 0, 0), 45840.0),
            (Some("2025-07-02".into()), String::new())
        );
        assert_eq!(
            from_serial((1899, 12, 30, 9, 15, 0), 0.385),
            (None, "09:15".into())
        );
    }

    #[test]
    fn anything_typed_is_read_or_refused_without_a_panic() {
        use rand::{Rng, SeedableRng, rngs::StdRng};
        let pieces = [
            "0",
            "1",
            "2",
            "12",
            "2025",
            "/",
            "-",
            ".",
            ":",
            " ",
            "T",
            "am",
            "pm",
            "Jul",
            "about ",
            "c. ",
            "\u{20AC}",
            "\u{E9}",
            "\u{130}",
            "\u{212A}",
            "st",
            ",",
            "99",
            "a\u{20AC}0",
            "\u{20AC}1",
        ];
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..20_000 {
            let text: String = (0..rng.random_range(0..8))
                .map(|_| pieces[rng.random_range(0..pieces.len())])
                .collect();
            let _ = read_date(&text, 2026);
            let _ = read_time(&text);
        }
    }
}
