//! An incremental sync: the users and groups the organization's events named since the last
//! sync are read again and applied to the published generation in one transaction (only users
//! whose content hash changed are written). When the events cannot be trusted it gives way to a
//! full sync.

use orgwarden_ids::GroupId;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use orgwarden_atlassian::{AdminClient, GroupSearch};
use orgwarden_store::mirror::changes::{self, Changes, EventsPosition};
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::sync_runs::SyncRun;

use super::failure::message;
use super::map::{grant_rows, group_rows, user_rows};
use super::progress::Tracker;
use super::{blocking, events, partial, SyncContext};

/// Group ids per group search.
const GROUPS_PER_REQUEST: usize = 10;

/// How an incremental sync ended.
pub enum Outcome {
    /// The changes are applied.
    Applied,
    /// The events cannot be trusted (why): a full sync must run.
    NeedsFull(String),
}

/// Applies what changed since the published mirror's events cursor.
pub async fn run(
    ctx: &SyncContext,
    client: &AdminClient,
    run: &SyncRun,
    published: &MirrorState,
    tracker: &Arc<Tracker>,
) -> Result<Outcome, String> {
    let Some(cursor) = published.events_cursor.as_deref() else {
        return Ok(Outcome::NeedsFull("no events cursor".into()));
    };
    let key = (run.tenant_id.clone(), published.generation);
    let mirrored = {
        let key = key.clone();
        blocking(&ctx.db, move |conn| {
            changes::user_count(
                conn,
                orgwarden_store::mirror::MirrorRef {
                    tenant: &key.0,
                    generation: key.1,
                },
            )
        })
        .await
        .map_err(|e| e.to_string())?
    };
    // Reading n users by id costs n/10 requests, everyone costs n/100 pages and the groups.
    let max_users = (mirrored / 10).max(100);
    tracker.phase("events");
    let named = match events::since(client, &published.org_id, cursor, max_users).await {
        Ok(named) => named,
        Err(why) => return Ok(Outcome::NeedsFull(why)),
    };
    tracker.phase("groups");
    let reread_groups: Vec<String> = named.groups.iter().cloned().collect();
    let (groups, grants) = read_groups(client, run, published, &reread_groups).await?;
    let mut users: BTreeSet<String> = named.users.clone();
    // What a changed group grants reaches its members: they are read again too.
    let members = {
        let (key, ids) = (key.clone(), reread_groups.clone());
        blocking(&ctx.db, move |conn| {
            changes::group_member_ids(
                conn,
                orgwarden_store::mirror::MirrorRef {
                    tenant: &key.0,
                    generation: key.1,
                },
                &ids,
            )
        })
        .await
        .map_err(|e| e.to_string())?
    };
    users.extend(members);
    if users.len() > max_users {
        return Ok(Outcome::NeedsFull(format!(
            "more than {max_users} users changed: reading everyone is cheaper"
        )));
    }
    tracker.phase("users");
    let reread_users: Vec<String> = users.into_iter().collect();
    let fetched = partial::fetch_users(client, published, &reread_users).await?;
    tracker.users.store(
        i64::try_from(fetched.len()).unwrap_or(i64::MAX),
        Ordering::Relaxed,
    );
    let rows = user_rows(&run.tenant_id, published.generation, &fetched);
    let recount_groups = named
        .memberships
        .iter()
        .filter(|g| !named.groups.contains(*g))
        .cloned()
        .collect();
    let changes = Changes {
        reread_users,
        users: rows.users,
        access: rows.access,
        members: rows.members,
        reread_groups,
        groups,
        grants,
        recount_groups,
    };
    tracker.phase("publishing");
    let written = blocking(&ctx.db, move |conn| {
        let position = EventsPosition {
            cursor: Some(&named.cursor),
            reconciled_at: None,
        };
        changes::apply(
            conn,
            orgwarden_store::mirror::MirrorRef {
                tenant: &key.0,
                generation: key.1,
            },
            &changes,
            &position,
            Utc::now().naive_utc(),
        )
    })
    .await
    .map_err(|e| e.to_string())?;
    tracker.rows.store(
        i64::try_from(written).unwrap_or(i64::MAX),
        Ordering::Relaxed,
    );
    Ok(Outcome::Applied)
}

/// The groups (those gone are not returned) and what each grants.
async fn read_groups(
    client: &AdminClient,
    run: &SyncRun,
    published: &MirrorState,
    group_ids: &[String],
) -> Result<
    (
        Vec<orgwarden_store::mirror::NewGroup>,
        Vec<orgwarden_store::mirror::NewGrant>,
    ),
    String,
> {
    let (org, directory) = (&published.org_id, &published.directory_id);
    let (tenant, generation) = (&run.tenant_id, published.generation);
    let mut groups = Vec::new();
    for chunk in group_ids.chunks(GROUPS_PER_REQUEST) {
        let search = GroupSearch {
            limit: Some(100),
            group_ids: chunk.to_vec(),
            expand: vec!["counts.users".into(), "counts.resources".into()],
            ..GroupSearch::default()
        };
        let found: Vec<_> = client
            .search_groups(org, directory, search)
            .try_concat()
            .await
            .map_err(|e| message(&e))?;
        groups.extend(found);
    }
    let ids: Vec<GroupId> = groups.iter().map(|g| g.id.clone()).collect();
    let reads = futures::stream::iter(ids)
        .map(|group_id| async move {
            let assignments: Vec<_> = client
                .group_role_assignments(org, directory, &group_id)
                .try_concat()
                .await?;
            Ok::<_, orgwarden_atlassian::AdminError>((group_id, assignments))
        })
        .buffer_unordered(4);
    futures::pin_mut!(reads);
    let mut grants = Vec::new();
    while let Some(read) = reads.next().await {
        let (group_id, assignments) = read.map_err(|e| message(&e))?;
        grants.extend(grant_rows(tenant, generation, &group_id, &assignments));
    }
    Ok((group_rows(tenant, generation, &groups), grants))
}
