//! The dashboard's activity summary, counted while a full sync writes its users, so that
//! publishing stores a few thousand counts instead of aggregating every access row again.

use chrono::{NaiveDateTime, NaiveTime};

use super::rows::{NewAccess, NewUser};

/// Billable users per site, product and day of last activity (of joining, for access never
/// used), exactly as the summary's rebuild from the mirror counts them.
#[derive(Debug, Default)]
pub struct ActivityTally {
    /// Site → product → day → users (nested, so that counting a row allocates nothing).
    days: Map<String, Map<String, Map<Option<NaiveDateTime>, i64>>>,
}

type Map<K, V> = hashbrown::HashMap<K, V>;

impl ActivityTally {
    /// Counts the access rows of a batch; `users` holds every user `access` names.
    pub fn add(&mut self, users: &[NewUser], access: &[NewAccess]) {
        let billable: Map<&str, Option<NaiveDateTime>> = users
            .iter()
            .filter(|u| u.billable)
            .map(|u| (u.account_id.as_str(), u.added_to_org))
            .collect();
        for row in access {
            if let Some(added) = billable.get(row.account_id.as_str()) {
                let day = row
                    .last_active
                    .or(*added)
                    .map(|t| t.date().and_time(NaiveTime::MIN));
                *self
                    .days
                    .entry_ref(row.site_id.as_str())
                    .or_default()
                    .entry_ref(row.product_key.as_str())
                    .or_default()
                    .entry(day)
                    .or_default() += 1;
            }
        }
    }

    /// The counts: (site, product, day) and users.
    pub(crate) fn days(&self) -> impl Iterator<Item = (&str, &str, Option<NaiveDateTime>, i64)> {
        self.days.iter().flat_map(|(site, products)| {
            products.iter().flat_map(move |(product, days)| {
                days.iter()
                    .map(move |(day, n)| (site.as_str(), product.as_str(), *day, *n))
            })
        })
    }
}
