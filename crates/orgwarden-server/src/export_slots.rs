//! How many exports may stream at once. An export reads from one pooled database connection
//! for as long as its client takes to read the file, so a few slow readers could otherwise hold
//! every connection and stall other tenants' requests. Each tenant gets at most
//! [`PER_TENANT`] running exports and all tenants together half of the pool; a slot is given back
//! when its export ends, however it ends.

use orgwarden_ids::TenantId;
use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

/// Exports one tenant may run at once.
pub const PER_TENANT: usize = 2;

/// The running exports, by tenant.
#[derive(Debug)]
pub struct ExportSlots {
    total_limit: usize,
    running: Mutex<(usize, HashMap<TenantId, usize>)>,
}

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// The tenant already runs [`PER_TENANT`] exports.
    Tenant,
    /// The server already runs as many exports as it allows.
    Server,
}

impl ExportSlots {
    /// Slots for a pool of `pool_size` connections: half of them (at least one) may export.
    pub fn for_pool(pool_size: u32) -> Arc<Self> {
        Arc::new(Self {
            total_limit: usize::try_from(pool_size / 2).unwrap_or(1).max(1),
            running: Mutex::new((0, HashMap::new())),
        })
    }

    /// A slot for one export of `tenant`, held until the returned guard drops.
    pub fn take(self: &Arc<Self>, tenant: &TenantId) -> Result<ExportSlot, Busy> {
        let mut running = self.running.lock();
        let (total, by_tenant) = &mut *running;
        let mine = by_tenant.get(tenant).copied().unwrap_or(0);
        if mine >= PER_TENANT {
            return Err(Busy::Tenant);
        }
        if *total >= self.total_limit {
            return Err(Busy::Server);
        }
        *total += 1;
        by_tenant.insert(tenant.clone(), mine + 1);
        Ok(ExportSlot {
            slots: Arc::clone(self),
            tenant: tenant.to_owned(),
        })
    }
}

/// One running export; its slot is given back on drop.
#[derive(Debug)]
pub struct ExportSlot {
    slots: Arc<ExportSlots>,
    tenant: TenantId,
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut running = self.slots.running.lock();
        let (total, by_tenant) = &mut *running;
        *total = total.saturating_sub(1);
        if let Some(n) = by_tenant.get_mut(&self.tenant) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                by_tenant.remove(&self.tenant);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_gets_two_and_the_server_half_its_pool_until_slots_come_back() {
        let slots = ExportSlots::for_pool(8);
        let a1 = slots.take(&TenantId::from("a")).unwrap();
        let _a2 = slots.take(&TenantId::from("a")).unwrap();
        assert_eq!(slots.take(&TenantId::from("a")).unwrap_err(), Busy::Tenant);
        let _b1 = slots.take(&TenantId::from("b")).unwrap();
        let _b2 = slots.take(&TenantId::from("b")).unwrap();
        assert_eq!(slots.take(&TenantId::from("c")).unwrap_err(), Busy::Server);
        drop(a1);
        let _c1 = slots.take(&TenantId::from("c")).unwrap();
        assert_eq!(slots.take(&TenantId::from("a")).unwrap_err(), Busy::Server);
        assert_eq!(ExportSlots::for_pool(1).total_limit, 1);
    }
}
