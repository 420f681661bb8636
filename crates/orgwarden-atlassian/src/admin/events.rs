//! The audit log through the events stream (E2), the polling API Atlassian recommends.

use futures::Stream;
use orgwarden_ids::OrgId;

use super::client::AdminClient;
use super::errors::AdminError;
use super::models::{Event, EventPage, EventPageModel};
use super::paging::{cursor_of, paginate, seg, with_query};

impl AdminClient {
    /// E2: events from `from_ms` (epoch milliseconds; all retained events when `None`), oldest
    /// first, page by page. Ends at the first empty page: the stream's cursor never runs out.
    pub fn events_stream(
        &self,
        org_id: &OrgId,
        from_ms: Option<i64>,
    ) -> impl Stream<Item = Result<Vec<Event>, AdminError>> + Send + Unpin + 'static {
        let client = self.clone();
        let org_id = org_id.to_owned();
        paginate(move |cursor: Option<String>| {
            let client = client.clone();
            let org_id = org_id.clone();
            async move {
                let page = client
                    .events_page(&org_id, from_ms, cursor.as_deref(), None)
                    .await?;
                let next = if page.events.is_empty() {
                    None
                } else {
                    page.next
                };
                Ok((page.events, next))
            }
        })
    }

    /// E2, one page: with `cursor` the page after it (other filters, `limit` too, are then
    /// ignored by Atlassian: the cursor keeps them), otherwise the first page from `from_ms` of
    /// `limit` events (the API's default when `None`). Keep `next` to poll later.
    pub async fn events_page(
        &self,
        org_id: &OrgId,
        from_ms: Option<i64>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<EventPage, AdminError> {
        let base = format!("/admin/v1/orgs/{}/events-stream", seg(org_id));
        let from = from_ms.map(|ms| ms.to_string());
        let limit = limit.map(|l| l.to_string());
        let path = match cursor {
            Some(cursor) => with_query(&base, &[("cursor", Some(cursor))]),
            None => with_query(
                &base,
                &[("from", from.as_deref()), ("limit", limit.as_deref())],
            ),
        };
        let page: EventPageModel = self.get_json(&path).await?;
        let next = page
            .meta
            .and_then(|m| m.next)
            .as_deref()
            .and_then(cursor_of);
        Ok(EventPage {
            events: page.data,
            next,
        })
    }
}
