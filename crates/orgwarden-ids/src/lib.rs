#![doc = include_str!("../README.md")]

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Declares an id type: a transparent string newtype with its conversions.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(transparent)]
        pub struct $name(String);

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(&self.0, out)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)
                    .map(Self)
            }
        }

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(text: &String) -> Self {
                Self(text.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

id_type! {
    /// A tenant: the Connect `clientKey` of the Jira site that installed the app. Every row of a
    /// tenant's data carries it; it comes only from a verified token or the signed install.
    TenantId
}

id_type! {
    /// An Atlassian account (a user, an app user or a customer).
    AccountId
}

id_type! {
    /// An Atlassian organization (`/admin/v1/orgs/{orgId}`).
    OrgId
}

id_type! {
    /// A user directory of an organization (`/admin/v2/orgs/{orgId}/directories/{directoryId}`).
    DirectoryId
}

id_type! {
    /// A group of a directory.
    GroupId
}

impl DirectoryId {
    /// `-`: every directory the key manages, where the Admin API takes a directory.
    pub fn all() -> Self {
        Self::from("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_text_in_json_and_in_reading() {
        let id = AccountId::from("557058:abc");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"557058:abc\"");
        let back: AccountId = serde_json::from_str("\"557058:abc\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id.len(), 10);
        assert_eq!(id, "557058:abc");
        assert_eq!(
            format!("{id} {id:?}"),
            "557058:abc AccountId(\"557058:abc\")"
        );
        assert_eq!(String::from(id.clone()), id.into_string());
    }

    #[test]
    fn ids_look_up_by_their_text() {
        let mut seen = std::collections::HashSet::new();
        seen.insert(GroupId::from("g-1"));
        assert!(seen.contains("g-1"));
    }
}
