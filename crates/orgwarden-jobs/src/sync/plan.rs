//! Which sync a run does: partial (given users), incremental (what the events named) or full.

use chrono::{Duration, NaiveDateTime};
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::sync_runs::{SyncKind, SyncMode, SyncRun, SyncRunState};

/// What the choice looks at.
pub struct Facts<'a> {
    /// The run's kind.
    pub kind: SyncKind,
    /// The run names its users.
    pub partial: bool,
    /// The published mirror.
    pub published: Option<&'a MirrorState>,
    /// When the API key was last saved.
    pub key_saved_at: NaiveDateTime,
    /// The tenant's previous ended run over the whole organization.
    pub previous: Option<&'a SyncRun>,
    /// Now.
    pub now: NaiveDateTime,
    /// How often a full reconciliation runs at least.
    pub full_every: Duration,
}

/// The mode, and why a run that could have been incremental is full.
pub fn choose(f: &Facts<'_>) -> (SyncMode, Option<&'static str>) {
    let Some(published) = f.published else {
        return (SyncMode::Full, None);
    };
    if f.partial {
        return (SyncMode::Partial, None);
    }
    if f.kind != SyncKind::Daily {
        return (SyncMode::Full, None);
    }
    let why = if published.events_cursor.is_none() {
        "no events cursor"
    } else if published
        .reconciled_at
        .is_none_or(|at| f.now - at >= f.full_every)
    {
        "the periodic full reconciliation is due"
    } else if published
        .reconciled_at
        .is_some_and(|at| f.key_saved_at > at)
    {
        "the API key was replaced"
    } else if f.previous.is_some_and(|r| r.state == SyncRunState::Failed) {
        "the previous sync failed"
    } else {
        return (SyncMode::Incremental, None);
    };
    (SyncMode::Full, Some(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(cursor: Option<&str>, reconciled_days_ago: i64, now: NaiveDateTime) -> MirrorState {
        MirrorState {
            tenant_id: "t".into(),
            generation: 3,
            org_id: "o".into(),
            directory_id: "d".into(),
            synced_at: now,
            events_cursor: cursor.map(str::to_owned),
            reconciled_at: Some(now - Duration::days(reconciled_days_ago)),
        }
    }

    #[test]
    fn daily_syncs_are_incremental_only_while_the_events_can_be_trusted() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let trusted = mirror(Some("c"), 1, now);
        let facts = |kind, published, key_saved_at| Facts {
            kind,
            partial: false,
            published,
            key_saved_at,
            previous: None,
            now,
            full_every: Duration::days(7),
        };
        let old_key = now - Duration::days(30);
        let choose_mode = |f: &Facts<'_>| choose(f).0;
        assert_eq!(
            choose_mode(&facts(SyncKind::Daily, Some(&trusted), old_key)),
            SyncMode::Incremental
        );
        assert_eq!(
            choose_mode(&facts(SyncKind::Manual, Some(&trusted), old_key)),
            SyncMode::Full
        );
        assert_eq!(
            choose_mode(&facts(SyncKind::Daily, None, old_key)),
            SyncMode::Full
        );
        let no_cursor = mirror(None, 1, now);
        assert_eq!(
            choose(&facts(SyncKind::Daily, Some(&no_cursor), old_key)).1,
            Some("no events cursor")
        );
        let due = mirror(Some("c"), 7, now);
        assert_eq!(
            choose_mode(&facts(SyncKind::Daily, Some(&due), old_key)),
            SyncMode::Full
        );
        let replaced = now - Duration::hours(1);
        assert_eq!(
            choose(&facts(SyncKind::Daily, Some(&trusted), replaced)).1,
            Some("the API key was replaced")
        );
        let partial = Facts {
            partial: true,
            ..facts(SyncKind::PreOperation, Some(&trusted), old_key)
        };
        assert_eq!(choose_mode(&partial), SyncMode::Partial);
    }
}
