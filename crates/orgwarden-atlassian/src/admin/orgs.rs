//! Organizations (O1, O2), directories (D1) and workspaces (W1).

use futures::{Stream, TryStreamExt};
use orgwarden_ids::OrgId;
use serde_json::json;

use super::client::AdminClient;
use super::errors::AdminError;
use super::models::{Data, Directory, Org, OrgModel, Workspace, WorkspaceModel};
use super::paging::{paginate, seg, with_query, Page};

/// Page size asked of the v2 cursor endpoints we page through ourselves.
pub(crate) const PAGE_LIMIT: &str = "100";
/// Page size asked of the workspaces search.
const WORKSPACE_LIMIT: u32 = 100;

impl AdminClient {
    /// O1: every organization the key can see, all pages (a scoped key sees none).
    pub async fn list_orgs(&self) -> Result<Vec<Org>, AdminError> {
        let client = self.clone();
        let pages = paginate(move |cursor: Option<String>| {
            let client = client.clone();
            async move {
                let path = with_query("/admin/v1/orgs", &[("cursor", cursor.as_deref())]);
                let page: Page<OrgModel> = client.get_json(&path).await?;
                let next = page.next_cursor();
                Ok((page.data.into_iter().map(Org::from).collect(), next))
            }
        });
        let pages: Vec<Vec<Org>> = pages.try_collect().await?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// O2: one organization.
    pub async fn get_org(&self, org_id: &OrgId) -> Result<Org, AdminError> {
        let path = format!("/admin/v1/orgs/{}", seg(org_id));
        let answer: Data<OrgModel> = self.get_json(&path).await?;
        Ok(answer.data.into())
    }

    /// D1: the organization's directories, page by page.
    pub fn directories(
        &self,
        org_id: &OrgId,
    ) -> impl Stream<Item = Result<Vec<Directory>, AdminError>> + Send + Unpin + 'static {
        let path = format!("/admin/v2/orgs/{}/directories", seg(org_id));
        self.query_cursor_pages(path)
    }

    /// W1: the organization's workspaces (one per product instance), page by page. Later pages
    /// are asked for with a body holding only the cursor, as the API requires.
    pub fn workspaces(
        &self,
        org_id: &OrgId,
    ) -> impl Stream<Item = Result<Vec<Workspace>, AdminError>> + Send + Unpin + 'static {
        let client = self.clone();
        let path = format!("/admin/v2/orgs/{}/workspaces", seg(org_id));
        paginate(move |cursor: Option<String>| {
            let client = client.clone();
            let path = path.clone();
            async move {
                let body = match cursor {
                    Some(cursor) => json!({ "cursor": cursor }),
                    None => json!({ "limit": WORKSPACE_LIMIT }),
                };
                let page: Page<WorkspaceModel> = client.post_json(&path, &body).await?;
                let next = page.next_cursor();
                Ok((page.data.into_iter().map(Workspace::from).collect(), next))
            }
        })
    }

    /// Pages of a v2 GET endpoint whose `links.next` is a cursor sent back as `?cursor=`.
    pub(crate) fn query_cursor_pages<T>(
        &self,
        path: String,
    ) -> impl Stream<Item = Result<Vec<T>, AdminError>> + Send + Unpin + 'static
    where
        T: serde::de::DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        paginate(move |cursor: Option<String>| {
            let client = client.clone();
            let path = with_query(
                &path,
                &[("cursor", cursor.as_deref()), ("limit", Some(PAGE_LIMIT))],
            );
            async move {
                let page: Page<T> = client.get_json(&path).await?;
                let next = page.next_cursor();
                Ok((page.data, next))
            }
        })
    }
}
