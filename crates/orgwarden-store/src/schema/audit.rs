//! The append-only audit trail, the checkpoints retention leaves behind and the seals that vouch
//! for it.

diesel::table! {
    audit_entries (tenant_id, id) {
        id -> BigInt,
        tenant_id -> Text,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Text,
        actor_name -> Text,
        via -> Text,
        token_id -> Nullable<BigInt>,
        summary -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
        form -> SmallInt,
    }
}

diesel::table! {
    audit_checkpoints (tenant_id) {
        tenant_id -> Text,
        entry_id -> BigInt,
        hash -> Text,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    audit_seals (tenant_id, entry_id) {
        tenant_id -> Text,
        entry_id -> BigInt,
        hash -> Text,
        mac -> Text,
        sealed_at -> Timestamp,
    }
}
