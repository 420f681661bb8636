//! Groups: search (G1), one group (G4), create (G3), delete (G5), memberships (G6, G7), role
//! assignments (G8).

use futures::Stream;
use orgwarden_ids::{AccountId, DirectoryId, GroupId, OrgId};
use reqwest::Method;
use serde::Serialize;

use super::client::AdminClient;
use super::errors::AdminError;
use super::models::{Data, Group, GroupRoleAssignment, GroupSearch};
use super::paging::{paginate, seg, Page, WithCursor};

#[derive(Serialize)]
struct NewGroup<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Membership<'a> {
    account_id: &'a str,
}

fn groups_path(org_id: &OrgId, directory_id: &DirectoryId) -> String {
    format!(
        "/admin/v2/orgs/{}/directories/{}/groups",
        seg(org_id),
        seg(directory_id)
    )
}

fn group_path(org_id: &OrgId, directory_id: &DirectoryId, group_id: &GroupId) -> String {
    format!("{}/{}", groups_path(org_id, directory_id), seg(group_id))
}

impl AdminClient {
    /// G1: groups of a directory (`"-"` for all) matching `request`, page by page; the cursor
    /// travels in the request body.
    pub fn search_groups(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        request: GroupSearch,
    ) -> impl Stream<Item = Result<Vec<Group>, AdminError>> + Send + Unpin + 'static {
        let client = self.clone();
        let path = format!("{}/search", groups_path(org_id, directory_id));
        paginate(move |cursor: Option<String>| {
            let client = client.clone();
            let path = path.clone();
            let request = request.clone();
            async move {
                let body = WithCursor {
                    request: &request,
                    cursor: cursor.as_deref(),
                };
                let page: Page<Group> = client.post_json(&path, &body).await?;
                let next = page.next_cursor();
                Ok((page.data, next))
            }
        })
    }

    /// G4: one group.
    pub async fn get_group(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        group_id: &GroupId,
    ) -> Result<Group, AdminError> {
        let answer: Data<Group> = self
            .get_json(&group_path(org_id, directory_id, group_id))
            .await?;
        Ok(answer.data)
    }

    /// G8: the group's roles per resource, page by page.
    pub fn group_role_assignments(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        group_id: &GroupId,
    ) -> impl Stream<Item = Result<Vec<GroupRoleAssignment>, AdminError>> + Send + Unpin + 'static
    {
        self.query_cursor_pages(format!(
            "{}/role-assignments",
            group_path(org_id, directory_id, group_id)
        ))
    }

    /// G3: creates a group (a duplicate name is a [`AdminError::Conflict`]).
    pub async fn create_group(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        name: &str,
        description: Option<&str>,
    ) -> Result<(), AdminError> {
        let body = NewGroup { name, description };
        self.send(
            Method::POST,
            &groups_path(org_id, directory_id),
            Some(&body),
        )
        .await
    }

    /// G5: deletes a group; members lose the access it granted.
    pub async fn delete_group(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        group_id: &GroupId,
    ) -> Result<(), AdminError> {
        self.send::<()>(
            Method::DELETE,
            &group_path(org_id, directory_id, group_id),
            None,
        )
        .await
    }

    /// G6: adds a user to a group. An IdP-synced group answers [`AdminError::ReadOnlyGroup`].
    pub async fn add_group_member(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        group_id: &GroupId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let path = format!("{}/memberships", group_path(org_id, directory_id, group_id));
        self.send(Method::POST, &path, Some(&Membership { account_id }))
            .await
    }

    /// G7: removes a user from a group (access granted by other groups stays).
    pub async fn remove_group_member(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        group_id: &GroupId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let path = format!(
            "{}/memberships/{}",
            group_path(org_id, directory_id, group_id),
            seg(account_id)
        );
        self.send::<()>(Method::DELETE, &path, None).await
    }
}
