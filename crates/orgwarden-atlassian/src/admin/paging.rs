//! The paging styles as streams, and URL building.
//!
//! Every paged endpoint becomes a stream of pages (`Vec<T>`, possibly empty) that ends after the
//! last page or after the first error. The styles differ only in where the next cursor is found
//! and how it is sent back:
//! - v1 URL (`links.next` is a URL with `?cursor=`): the cursor is taken out of the URL and sent
//!   as `?cursor=` against our own base URL;
//! - v2 cursor (`links.next` is the cursor): sent as `?cursor=` (GET) or in the body (POST);
//! - workspaces: later requests carry `{"cursor": …}` and nothing else;
//! - events: the cursor is `meta.next`; the stream stops at an empty page because the events
//!   stream hands out a cursor even on its last page (for later polling).

use std::future::Future;

use futures::Stream;
use percent_encoding::{utf8_percent_encode, AsciiSet, PercentEncode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use super::errors::AdminError;

/// Everything but RFC 3986 unreserved characters is encoded: account ids contain `:`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment.
pub(crate) fn seg(value: &str) -> PercentEncode<'_> {
    utf8_percent_encode(value, SEGMENT)
}

/// `path?k=v&…` with form-encoded pairs; `None` values are left out.
pub(crate) fn with_query(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value {
            query.append_pair(name, value);
        }
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// `{data, links: {next}}`, the page body shared by the v1 URL and v2 cursor styles.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(crate) struct Page<T> {
    #[serde(
        default = "Vec::new",
        deserialize_with = "super::models::de::null_default"
    )]
    pub(crate) data: Vec<T>,
    #[serde(default)]
    pub(crate) links: Option<Links>,
}

/// `links` of a page; `next` is a cursor or a URL carrying one.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Links {
    #[serde(default)]
    pub(crate) next: Option<String>,
}

impl<T> Page<T> {
    /// The cursor of the next page, if there is one.
    pub(crate) fn next_cursor(&self) -> Option<String> {
        self.links
            .as_ref()
            .and_then(|l| l.next.as_deref())
            .and_then(cursor_of)
    }
}

/// The cursor in a `links.next` value: the `cursor` query parameter of a URL, or the value
/// itself when it is a bare cursor. Empty values mean "no next page".
pub(crate) fn cursor_of(next: &str) -> Option<String> {
    let next = next.trim();
    if next.is_empty() {
        return None;
    }
    if let Some((_, query)) = next.split_once('?') {
        if let Some((_, cursor)) =
            form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "cursor")
        {
            return Some(cursor.into_owned()).filter(|c| !c.is_empty());
        }
    }
    Some(next.to_owned())
}

/// A search body with the cursor of the page to fetch added (POST cursor style).
#[derive(Debug, Serialize)]
pub(crate) struct WithCursor<'a, T: Serialize> {
    #[serde(flatten)]
    pub(crate) request: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cursor: Option<&'a str>,
}

/// A stream of pages: `fetch(cursor)` returns one page and the next cursor (`None` on the first
/// call). Stops when there is no next cursor, when a cursor repeats, or after an error.
pub(crate) fn paginate<T, F, Fut>(
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, AdminError>> + Send + Unpin + 'static
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), AdminError>> + Send + 'static,
{
    let start: Option<Option<String>> = Some(None);
    Box::pin(futures::stream::try_unfold(
        (fetch, start),
        |(fetch, state)| async move {
            let Some(cursor) = state else {
                return Ok(None);
            };
            let (items, next) = fetch(cursor.clone()).await?;
            let next = next.filter(|n| Some(n) != cursor.as_ref());
            Ok(Some((items, (fetch, next.map(Some)))))
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cursors_in_urls_and_bare() {
        assert_eq!(
            cursor_of("https://api.atlassian.com/admin/v1/orgs?cursor=a%3Ab&x=1").as_deref(),
            Some("a:b")
        );
        assert_eq!(
            cursor_of("/admin/v1/orgs?cursor=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            cursor_of("kloHX1ZQVasDAkx_P48NYQ").as_deref(),
            Some("kloHX1ZQVasDAkx_P48NYQ")
        );
        assert_eq!(
            cursor_of("c29tZS1jdXJzb3I="),
            Some("c29tZS1jdXJzb3I=".to_owned())
        );
        assert_eq!(cursor_of(""), None);
    }

    #[test]
    fn encodes_segments_and_queries() {
        assert_eq!(seg("712020:ab/c d").to_string(), "712020%3Aab%2Fc%20d");
        assert_eq!(seg("-").to_string(), "-");
        assert_eq!(
            with_query("/p", &[("cursor", Some("a b&")), ("limit", None)]),
            "/p?cursor=a+b%26"
        );
        assert_eq!(with_query("/p", &[("limit", None)]), "/p");
    }
}
