//! Directory users: search (U3), one user (U5), count (U6), role assignments (U8) and
//! last-active dates (U2).

use futures::Stream;
use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use serde::Deserialize;

use super::client::AdminClient;
use super::errors::AdminError;
use super::models::{Data, DirectoryUser, LastActiveDates, UserRoleAssignment, UserSearch};
use super::paging::{cursor_of, paginate, seg, with_query, Page, WithCursor};

/// U2's page: `{data: {product_access, added_to_org, …}, links: {next}}`.
#[derive(Deserialize)]
struct LastActivePage {
    data: LastActiveDates,
    #[serde(default)]
    links: Option<super::paging::Links>,
}

#[derive(Deserialize)]
struct Count {
    count: u64,
}

impl AdminClient {
    /// U3: users of a directory (`"-"` for all directories the key manages) matching `request`,
    /// page by page; the cursor travels in the request body.
    pub fn search_users(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        request: UserSearch,
    ) -> impl Stream<Item = Result<Vec<DirectoryUser>, AdminError>> + Send + Unpin + 'static {
        let client = self.clone();
        let path = format!(
            "/admin/v2/orgs/{}/directories/{}/users/search",
            seg(org_id),
            seg(directory_id)
        );
        paginate(move |cursor: Option<String>| {
            let client = client.clone();
            let path = path.clone();
            let request = request.clone();
            async move {
                let body = WithCursor {
                    request: &request,
                    cursor: cursor.as_deref(),
                };
                let page: Page<DirectoryUser> = client.post_json(&path, &body).await?;
                let next = page.next_cursor();
                Ok((page.data, next))
            }
        })
    }

    /// U5: one user of a directory.
    pub async fn get_user(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        account_id: &AccountId,
    ) -> Result<DirectoryUser, AdminError> {
        let path = format!(
            "/admin/v2/orgs/{}/directories/{}/users/{}",
            seg(org_id),
            seg(directory_id),
            seg(account_id)
        );
        let answer: Data<DirectoryUser> = self.get_json(&path).await?;
        Ok(answer.data)
    }

    /// U6: how many users the directory has (no filters), e.g. to show sync progress.
    pub async fn count_users(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
    ) -> Result<u64, AdminError> {
        let path = format!(
            "/admin/v2/orgs/{}/directories/{}/users/count",
            seg(org_id),
            seg(directory_id)
        );
        let answer: Count = self.get_json(&path).await?;
        Ok(answer.count)
    }

    /// U8: the user's roles per resource and how each is granted, page by page.
    pub fn user_role_assignments(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        account_id: &AccountId,
    ) -> impl Stream<Item = Result<Vec<UserRoleAssignment>, AdminError>> + Send + Unpin + 'static
    {
        let path = format!(
            "/admin/v2/orgs/{}/directories/{}/users/{}/role-assignments",
            seg(org_id),
            seg(directory_id),
            seg(account_id)
        );
        self.query_cursor_pages(path)
    }

    /// U2: last-active dates per product of one user, all pages merged.
    pub async fn last_active_dates(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
    ) -> Result<LastActiveDates, AdminError> {
        let base = format!(
            "/admin/v1/orgs/{}/directory/users/{}/last-active-dates",
            seg(org_id),
            seg(account_id)
        );
        let mut merged: Option<LastActiveDates> = None;
        let mut cursor: Option<String> = None;
        loop {
            let path = with_query(&base, &[("cursor", cursor.as_deref())]);
            let page: LastActivePage = self.get_json(&path).await?;
            let next = page
                .links
                .and_then(|l| l.next)
                .as_deref()
                .and_then(cursor_of);
            match merged.as_mut() {
                None => merged = Some(page.data),
                Some(all) => {
                    all.product_access.extend(page.data.product_access);
                    all.added_to_org = all.added_to_org.or(page.data.added_to_org);
                    all.added_to_org_timestamp = all
                        .added_to_org_timestamp
                        .or(page.data.added_to_org_timestamp);
                }
            }
            match next {
                Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
                _ => return Ok(merged.unwrap_or_default()),
            }
        }
    }
}
