//! What the store's suites share.

/// One test per backend, so each runs (and fails) alone: `on_both_backends!(name, …)` makes
/// `sqlite::name` and `postgres::name`, each a `#[test]` calling `super::name(Backend::…)`
/// (nextest's `-E 'test(/::postgres::/)'` then runs one backend's).
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(orgwarden_store::Backend::Sqlite);
            })+
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name(orgwarden_store::Backend::Postgres);
            })+
        }
    };
}
pub(crate) use on_both_backends;
