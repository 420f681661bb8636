//! The groups whose members an operation's steps change, read again from the Admin API right
//! before the steps execute (G4, then G8 for what each grants). The plan checked them against
//! the mirror of the last sync; a group that has since become synced from an identity provider,
//! been exempted, or been given an admin role (or, for an admin limited to what they
//! administer, a role beyond it) is skipped now, never changed.

use std::collections::{BTreeSet, HashMap};

use futures::TryStreamExt;
use orgwarden_atlassian::AdminError;
use orgwarden_ids::{GroupId, TenantId};
use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{GroupFacts, GroupGrant, Item, Op};

use super::guards::{group_refusal, Actor};
use super::prepare::Api;
use super::skip_reason::SkipReason;
use crate::sync::map::grant_rows;

/// Why a step must not be sent now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Skip it, for this reason.
    Skip(String),
    /// Fail it: what it depends on could not be read again (the error).
    Fail(String),
}

/// The verdict on every group the `items` add members to or remove them from that must not be
/// changed now (a group absent from the answer may be).
pub(super) async fn group_verdicts(
    api: &Api,
    tenant_id: &TenantId,
    items: &[Item],
    exemptions: &ExemptionSet,
    actor: &Actor,
) -> HashMap<String, Refusal> {
    let groups: BTreeSet<&GroupId> = items
        .iter()
        .filter(|i| matches!(i.op, Op::AddToGroup | Op::RemoveFromGroup))
        .filter_map(|i| i.group_id.as_ref())
        .collect();
    let mut verdicts = HashMap::new();
    for group_id in groups {
        let verdict = match read_group(api, tenant_id, group_id).await {
            Ok(Some(group)) => group_refusal(&group, exemptions, actor)
                .map(|why| Refusal::Skip(SkipReason::Rechecked(Box::new(why)).message())),
            Ok(None) => Some(Refusal::Skip(
                SkipReason::Rechecked(Box::new(SkipReason::UnknownGroup(group_id.to_string())))
                    .message(),
            )),
            Err(e) => Some(Refusal::Fail(format!(
                "the group could not be read again before acting: {e}"
            ))),
        };
        if let Some(verdict) = verdict {
            verdicts.insert(group_id.to_string(), verdict);
        }
    }
    verdicts
}

/// The group as the organization has it now (`None` once it is gone).
async fn read_group(
    api: &Api,
    tenant_id: &TenantId,
    group_id: &GroupId,
) -> Result<Option<GroupFacts>, AdminError> {
    let (org, dir) = (&api.org_id, &api.directory_id);
    let group = match api.client.get_group(org, dir, group_id).await {
        Ok(group) => group,
        Err(AdminError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let assignments: Vec<_> = api
        .client
        .group_role_assignments(org, dir, group_id)
        .try_concat()
        .await?;
    let grants = grant_rows(tenant_id, 0, group_id, &assignments)
        .into_iter()
        .map(|g| GroupGrant {
            site_id: g.site_id,
            product_key: g.product_key,
            role: g.role,
        })
        .collect();
    Ok(Some(GroupFacts {
        id: group_id.to_string(),
        name: group.name.clone(),
        idp_synced: group.is_read_only(),
        grants,
    }))
}
