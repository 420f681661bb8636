//! GET query parsing: repeated keys (`?a=1&a=2`), `a[]=` keys and comma-separated values.

use std::collections::BTreeMap;

/// Decoded query parameters.
#[derive(Debug, Default, Clone)]
pub struct QueryParams(BTreeMap<String, Vec<String>>);

impl QueryParams {
    /// Parses a raw query string.
    pub fn parse(raw: &str) -> QueryParams {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let key = k.trim_end_matches("[]").to_string();
            map.entry(key).or_default().push(v.into_owned());
        }
        QueryParams(map)
    }

    /// All values of a list parameter (comma-separated values are split).
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        let values = self.0.get(name)?;
        Some(
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// The first value of a parameter.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// A boolean parameter; `Err` with the name when it is not `true`/`false`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, String> {
        match self.one(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(format!("{name} must be true or false, not {other:?}")),
        }
    }

    /// An integer parameter; `Err` with the name when it is not a number.
    pub fn int(&self, name: &str) -> Result<Option<i64>, String> {
        match self.one(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{name} must be an integer")),
        }
    }
}
