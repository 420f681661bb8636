//! After a crash, an item found `in_flight` may or may not have reached Atlassian. Instead of
//! repeating it blindly, its effect is read back: status (U5), direct roles (U8) or group
//! membership (U3 with the `groups` expand).

use futures::TryStreamExt;
use orgwarden_atlassian::{AdminError, DirectoryUserStatus, UserSearch};
use orgwarden_store::operations::{Item, Op};

use super::prepare::{direct_roles, Api};

/// The product ARI of a role item: `ari:cloud:<productKey>::site/<siteId>`.
pub(crate) fn product_ari(item: &Item) -> Option<String> {
    Some(format!(
        "ari:cloud:{}::site/{}",
        item.product_key.as_deref()?,
        item.site_id.as_deref()?
    ))
}

/// True when the item's change is already in effect.
pub(crate) async fn already_done(api: &Api, item: &Item, op: Op) -> Result<bool, AdminError> {
    let account = &item.account_id;
    match op {
        Op::Suspend | Op::Restore => {
            let user = api
                .client
                .get_user(&api.org_id, &api.directory_id, account)
                .await?;
            Ok(user.has_status(if op == Op::Suspend {
                DirectoryUserStatus::Suspended
            } else {
                DirectoryUserStatus::Active
            }))
        }
        Op::RevokeRole | Op::GrantRole => {
            let held = direct_roles(api, account).await?.into_iter().any(|d| {
                Some(d.site_id.as_str()) == item.site_id.as_deref()
                    && Some(d.product_key.as_str()) == item.product_key.as_deref()
                    && d.role.as_deref() == item.role.as_deref()
            });
            Ok(held == (op == Op::GrantRole))
        }
        Op::AddToGroup | Op::RemoveFromGroup => {
            let search = UserSearch {
                account_ids: vec![account.to_string()],
                expand: vec!["groups".to_owned()],
                ..UserSearch::default()
            };
            let users: Vec<_> = api
                .client
                .search_users(&api.org_id, &api.directory_id, search)
                .try_concat()
                .await?;
            let member = users.iter().filter(|u| u.account_id == *account).any(|u| {
                u.groups
                    .iter()
                    .any(|g| Some(g.id.as_str()) == item.group_id.as_deref())
            });
            Ok(member == (op == Op::AddToGroup))
        }
        Op::None => Ok(true),
    }
}
