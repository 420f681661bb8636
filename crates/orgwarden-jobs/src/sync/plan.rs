//! Which sync a run does: partial (given users), incremental (what the events named) or full.

use chrono::{Duration, NaiveDateTime};
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::sync_runs::SyncRun;

/// What a sync reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every user, into a new generation.
    Full,
    /// What the organization's events named since the last sync, in place.
    Incremental,
    /// Given users, in place.
    Partial,
}

impl Mode {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Incremental => "incremental",
            Self::Partial => "partial",
        }
    }
}

/// What the choice looks at.
pub struct Facts<'a> {
    /// The run's kind (`daily`, `manual`, …).
    pub kind: &'a str,
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
pub fn choose(f: &Facts<'_>) -> (Mode, Option<&'static str>) {
    let Some(published) = f.published else {
        return (Mode::Full, None);
    };
    if f.partial {
        return (Mode::Partial, None);
    }
    if f.kind != super::SyncKind::Daily.as_str() {
        return (Mode::Full, None);
    }
    let why = if published.events_cursor.is_none() {
        "no events cursor"
    } else if published
        .reconciled_at
        .is_none_or(|at| f.now - at >= f.full_every)
    {
        "the weekly full reconciliation is due"
    } else if published
        .reconciled_at
        .is_some_and(|at| f.key_saved_at > at)
    {
        "the API key was replaced"
    } else if f.previous.is_some_and(|r| r.state == "failed") {
        "the previous sync failed"
    } else {
        return (Mode::Incremental, None);
    };
    (Mode::Full, Some(why))
}
