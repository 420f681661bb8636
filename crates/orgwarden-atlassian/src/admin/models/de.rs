//! Lenient field readers: `null` where a list or text is expected, and the timestamp formats
//! Atlassian mixes (RFC 3339 with any precision, zone-less, or a bare date).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// Reads `null` (or a missing field, with `#[serde(default)]`) as the type's default.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An optional UTC timestamp; empty text is `None`, garbage is an error.
pub(crate) fn opt_datetime<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_datetime(text)
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("`{text}` is not a timestamp")))
}

/// An optional calendar date (`yyyy-MM-dd`, or the date part of a timestamp).
pub(crate) fn opt_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_datetime(text).map(|t| t.date_naive()))
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("`{text}` is not a date")))
}

fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_datetime")]
        at: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "opt_date")]
        day: Option<NaiveDate>,
        #[serde(default, deserialize_with = "null_default")]
        list: Vec<String>,
    }

    #[test]
    fn reads_the_formats_atlassian_mixes() {
        for at in [
            "2025-11-06T23:07:29.936941226Z",
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:00",
            "2024-01-01",
        ] {
            let probe: Probe =
                serde_json::from_str(&format!(r#"{{"at":"{at}","day":"{at}","list":null}}"#))
                    .unwrap();
            assert!(
                probe.at.is_some() && probe.day.is_some() && probe.list.is_empty(),
                "{at}"
            );
        }
        let empty: Probe = serde_json::from_str(r#"{"at":null,"day":""}"#).unwrap();
        assert!(empty.at.is_none() && empty.day.is_none());
        assert!(serde_json::from_str::<Probe>(r#"{"at":"yesterday"}"#).is_err());
    }
}
