//! The human message of an evaluation: where things stand, what is blocked and how to fix it.

use chrono::{DateTime, Utc};

use crate::{Edition, LicenseEvaluation, LicenseState};

/// One paragraph for the dashboard panel, the banner and the refusal error.
pub(crate) fn describe(e: &LicenseEvaluation) -> String {
    let basis = basis(e);
    let zero_site = zero_site_note(e);
    match (e.state, e.grace_ends_at) {
        (LicenseState::Ok, _) | (_, None) => format!(
            "{} of {} users managed ({}%); {basis}.{zero_site}",
            e.managed_users,
            e.limit,
            percent(e.usage_percent)
        ),
        (LicenseState::Grace, Some(ends)) => format!(
            "Over the license limit: {} users managed, limit {} ({basis}). The grace period ends \
             {} ({}); until then everything keeps working, after it operations and tasks are \
             refused (all data stays readable).{zero_site} To fix it, bring the organization's \
             billable users down to {} or fewer (remove product access or suspend users, then \
             sync), {}.",
            e.managed_users,
            e.limit,
            when(ends),
            days(e.grace_days_left.unwrap_or(0)),
            e.limit,
            upgrade(&e.edition)
        ),
        (LicenseState::Exceeded, Some(ends)) => format!(
            "License limit exceeded: operations and tasks are refused since {} (end of the \
             {}-day grace period); all data stays readable. {} users are managed, limit {} \
             ({basis}).{zero_site} To fix it, bring the organization's billable users down to {} \
             or fewer in Atlassian Administration (admin.atlassian.com) and run a sync, {}.",
            when(ends),
            e.edition.grace_days(),
            e.managed_users,
            e.limit,
            e.limit,
            upgrade(&e.edition)
        ),
    }
}

fn basis(e: &LicenseEvaluation) -> String {
    match e.multiplier {
        Some(multiplier) => format!(
            "{} edition: {multiplier} × {} billable users of the installation site",
            e.edition.label(),
            e.install_site_billable_users
        ),
        None => format!("{} license", e.edition.label()),
    }
}

fn zero_site_note(e: &LicenseEvaluation) -> &'static str {
    if e.limit == 0 && e.multiplier.is_some() && e.install_site_billable_users == 0 {
        " The installation site reports no billable users, so the limit is 0: check that the app \
         is licensed on the site and that its user count could be read."
    } else {
        ""
    }
}

fn upgrade(edition: &Edition) -> &'static str {
    match edition {
        Edition::Standard => {
            "or upgrade to the Advanced edition (5 × the installation site's billable users)"
        }
        Edition::Advanced => "or ask for a custom license",
        Edition::Custom { .. } | Edition::Fixed { .. } => "or ask for a higher custom limit",
    }
}

fn when(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day left".to_owned()
    } else {
        format!("{n} days left")
    }
}

fn percent(p: u32) -> String {
    if p == u32::MAX {
        "over".to_owned()
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use crate::{evaluate, Edition, LicenseInput};

    /// The message for a grace period that started on 2025-03-01 09:00 UTC, `days` later.
    fn message(edition: Edition, managed_users: u64, days: i64) -> String {
        let start = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
        evaluate(&LicenseInput {
            edition,
            install_site_billable_users: 100,
            managed_users,
            grace_started_at: Some(start),
            now: start + TimeDelta::days(days),
        })
        .message
    }

    #[test]
    fn ok_message() {
        assert_eq!(
            message(Edition::Standard, 150, 0),
            "150 of 200 users managed (75%); Standard edition: 2 × 100 billable users of the \
             installation site."
        );
        assert_eq!(
            message(Edition::Fixed { limit: 1000 }, 10, 0),
            "10 of 1000 users managed (1%); fixed-limit license."
        );
    }

    #[test]
    fn grace_message_says_when_and_how_to_fix() {
        let m = message(Edition::Standard, 250, 29);
        assert!(
            m.starts_with("Over the license limit: 250 users managed, limit 200"),
            "{m}"
        );
        assert!(m.contains("ends 2025-03-31 09:00 UTC (1 day left)"), "{m}");
        assert!(m.contains("down to 200 or fewer"), "{m}");
        assert!(m.contains("upgrade to the Advanced edition"), "{m}");
    }

    #[test]
    fn exceeded_message_says_what_is_blocked() {
        let m = message(Edition::Advanced, 600, 60);
        assert!(
            m.starts_with("License limit exceeded: operations and tasks are refused"),
            "{m}"
        );
        assert!(
            m.contains("since 2025-04-30 09:00 UTC (end of the 60-day grace"),
            "{m}"
        );
        assert!(m.contains("all data stays readable"), "{m}");
        assert!(
            m.contains("down to 500 or fewer in Atlassian Administration"),
            "{m}"
        );
        assert!(m.contains("custom license"), "{m}");
    }
}
