//! A hash of one user's mirrored content, stored with the user so that a sync can tell which
//! users changed without reading their rows back.

use sha2::{Digest, Sha256};

use super::rows::{NewAccess, NewMember, NewUser};

/// The hash of a user's row, access rows and memberships (tenant, generation and the hash field
/// itself left out; `access` and `members` are the user's own rows, in any order).
pub fn content_hash(user: &NewUser, access: &[NewAccess], members: &[NewMember]) -> i64 {
    let mut access: Vec<String> = access
        .iter()
        .map(|a| {
            format!(
                "{}\u{1f}{}\u{1f}{:?}",
                a.site_id, a.product_key, a.last_active
            )
        })
        .collect();
    access.sort_unstable();
    let mut groups: Vec<&str> = members.iter().map(|m| m.group_id.as_str()).collect();
    groups.sort_unstable();
    let row = format!(
        "{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{}{}{}{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}",
        user.account_id,
        user.name,
        user.email,
        user.email_domain,
        user.account_type,
        user.status,
        user.claim_status,
        u8::from(user.billable),
        u8::from(user.org_admin),
        u8::from(user.site_admin),
        u8::from(user.user_access_admin),
        user.platform_roles,
        user.management_source,
        user.added_to_org,
        user.last_active,
        user.products,
        user.search_text,
    );
    let mut digest = Sha256::new();
    digest.update(row.as_bytes());
    for a in &access {
        digest.update(b"\x1ea\x1e");
        digest.update(a.as_bytes());
    }
    for g in &groups {
        digest.update(b"\x1eg\x1e");
        digest.update(g.as_bytes());
    }
    let bytes = digest.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&bytes[..8]);
    i64::from_le_bytes(first)
}
