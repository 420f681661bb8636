//! Which of an operation's steps a caller sees, and their users' names, from the published
//! mirror: [`StepsMirror`].

use std::collections::HashMap;

use orgwarden_ids::TenantId;
use orgwarden_store::access::Administered;
use orgwarden_store::{mirror, operations, users};

use super::results::{place_shown, ResultItem};
use crate::error::ApiError;

/// What the published mirror says of an operation's steps for one caller: which steps they may
/// see (limited admins: those of users with access to something they administer, on what they
/// administer) and their users' names. Read inside the snapshot the steps are read in.
pub(crate) struct StepsMirror {
    generation: Option<i64>,
    within: Option<Vec<Administered>>,
}

impl StepsMirror {
    /// The tenant's published mirror for a caller limited to `within` (`None`: sees everyone;
    /// before the first sync a limited caller sees nobody).
    pub(crate) fn read(
        conn: &mut orgwarden_store::DbConnection,
        tenant_id: &TenantId,
        within: Option<&[Administered]>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            generation: mirror::current(conn, tenant_id)?.map(|m| m.generation),
            within: within.map(<[Administered]>::to_vec),
        })
    }

    /// The published mirror's generation (`None` before the first sync).
    pub(crate) fn generation(&self) -> Option<i64> {
        self.generation
    }

    /// True when the caller sees every step.
    pub(crate) fn shows_all(&self) -> bool {
        self.within.is_none()
    }

    /// Of `items`, those the caller may see: a step of a user they may see, on a place they
    /// administer ([`place_shown`]); the mirror is asked about these items' users only.
    pub(crate) fn keep_shown(
        &self,
        conn: &mut orgwarden_store::DbConnection,
        tenant_id: &TenantId,
        mut items: Vec<operations::Item>,
    ) -> Result<Vec<operations::Item>, ApiError> {
        let Some(within) = self.within.as_deref() else {
            return Ok(items);
        };
        let Some(generation) = self.generation else {
            return Ok(Vec::new());
        };
        items.retain(|i| place_shown(Some(within), i.site_id.as_deref(), i.product_key.as_deref()));
        let visible = users::visible_among(conn, tenant_id, generation, within, &accounts(&items))?;
        items.retain(|i| visible.contains(i.account_id.as_str()));
        Ok(items)
    }

    /// Items per state of the tenant's operation `id` the caller may see (counted in the
    /// database: [`operations::shown_counts`]).
    pub(crate) fn shown_counts(
        &self,
        conn: &mut orgwarden_store::DbConnection,
        tenant_id: &TenantId,
        id: i64,
    ) -> Result<operations::Counts, ApiError> {
        Ok(match self.within.as_deref() {
            Some(within) => operations::shown_counts(conn, tenant_id, self.generation, id, within)?,
            None => operations::counts(conn, tenant_id, &[id])?
                .remove(&id)
                .unwrap_or_default(),
        })
    }

    /// True when the caller may read `op` at all: they see every step, or started it, or it has
    /// a step they may see (see [`super::views::load_for`]).
    pub(crate) fn reads(
        &self,
        conn: &mut orgwarden_store::DbConnection,
        op: &operations::Operation,
        me: &str,
    ) -> Result<bool, ApiError> {
        Ok(self.shows_all()
            || op.requested_by == me
            || self.shown_counts(conn, &op.tenant_id, op.id)?.total() > 0)
    }

    /// `items` as the API shows them, named from the mirror where it knows their users.
    pub(crate) fn named(
        &self,
        conn: &mut orgwarden_store::DbConnection,
        tenant_id: &TenantId,
        items: Vec<operations::Item>,
    ) -> Result<Vec<ResultItem>, ApiError> {
        let names = match self.generation {
            Some(generation) => users::names_of(conn, tenant_id, generation, &accounts(&items))?,
            None => HashMap::new(),
        };
        Ok(items
            .into_iter()
            .map(|item| ResultItem::new(item, &names))
            .collect())
    }
}

/// The users `items` are steps of, each once.
fn accounts(items: &[operations::Item]) -> Vec<String> {
    let mut ids: Vec<String> = items.iter().map(|i| i.account_id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
