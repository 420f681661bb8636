//! Linking entries that changes carried in their own statements (PostgreSQL) into their tenant's
//! chain, in the background, shortly after the change answered.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use orgwarden_ids::TenantId;
use orgwarden_store::{audit, Backend, Database};

/// How long a link waits after the first change that asks for it, so that a burst of changes
/// is linked in one transaction, off their requests.
const DELAY: Duration = Duration::from_millis(500);

/// Links carried entries in the background, at most one waiting link per tenant.
#[derive(Debug, Default)]
pub struct Linker {
    waiting: Mutex<HashSet<TenantId>>,
}

impl Linker {
    /// Links the tenant's carried entries soon (a no-op on SQLite, where entries are appended
    /// with their change). A link already waiting for the tenant takes this change's entry too.
    /// One that fails, or a process that stops first, leaves them for the next link: every read
    /// of the trail, a verify and the hourly seal link first.
    pub fn soon(self: &Arc<Self>, db: &Database, tenant: TenantId) {
        if db.backend() != Backend::Postgres || !self.wait_for(&tenant, true) {
            return;
        }
        let (db, linker) = (db.clone(), Arc::clone(self));
        actix_web::rt::spawn(async move {
            actix_web::rt::time::sleep(DELAY).await;
            // Changes committed from now on ask for a link of their own.
            linker.wait_for(&tenant, false);
            let linked = crate::db::run(&db, move |conn| audit::link_pending(conn, &tenant)).await;
            if let Err(e) = linked {
                tracing::warn!(error = %e, "linking carried audit entries failed; the next read of the trail links them");
            }
        });
    }

    /// Marks the tenant as waiting for a link (`true`: returns whether none was) or not.
    fn wait_for(&self, tenant: &TenantId, waiting: bool) -> bool {
        let mut set = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if waiting {
            set.insert(tenant.clone())
        } else {
            set.remove(tenant)
        }
    }
}
