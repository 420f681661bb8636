//! Fieldless enums stored as text: one declaration gives the enum its stored spelling in both
//! backends (diesel `ToSql`/`FromSql` for `Text`), the same spelling in JSON (serde) and in the
//! OpenAPI document (a `ToSchema` string enum, with the `schema` feature), and `as_str`/`Display`/`FromStr`.

/// Text that names no variant of a text enum (a row written by a newer release, or bad input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a known {type_name}")]
pub struct UnknownText {
    /// The enum's name.
    pub type_name: &'static str,
    /// The text read.
    pub text: String,
}

/// Declares a fieldless enum whose variants are stored, serialized and published as the given
/// strings: `text_enum! { /// docs \n pub enum State { /// docs \n Queued = "queued", } }`.
// The text is taken as a `tt`, not a `literal`: a `literal` fragment reaches derive macros wrapped
// in an invisible group, and utoipa then misses the `serde(rename)` (the schema would list the
// variant names instead of the stored text; `the_schema_lists_the_stored_spellings` checks it).
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored (and serialized) text.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::text_enum::UnknownText;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err($crate::text_enum::UnknownText {
                        type_name: stringify!($name),
                        text: other.to_owned(),
                    }),
                }
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(
                        bytes,
                    )?;
                Ok(text.parse()?)
            }
        }
    };
}
pub(crate) use text_enum;

#[cfg(test)]
mod tests {
    text_enum! {
        /// A test enum.
        pub enum Probe {
            /// One word.
            Plain = "plain",
            /// Snake case.
            TwoWords = "two_words",
            /// Camel case.
            CamelCase = "camelCase",
        }
    }

    #[test]
    fn text_round_trips_and_unknown_text_is_an_error() {
        for probe in Probe::ALL {
            assert_eq!(probe.as_str().parse::<Probe>(), Ok(*probe));
            assert_eq!(probe.to_string(), probe.as_str());
            let json = serde_json::to_string(probe).expect("serializes");
            assert_eq!(json, format!("\"{}\"", probe.as_str()));
        }
        let err = "Plain".parse::<Probe>().expect_err("case matters");
        assert_eq!(err.to_string(), "`Plain` is not a known Probe");
    }

    #[cfg(feature = "schema")]
    #[test]
    fn the_schema_lists_the_stored_spellings() {
        let schema =
            serde_json::to_value(<Probe as utoipa::PartialSchema>::schema()).expect("serializes");
        let spelled: Vec<&str> = Probe::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(schema["enum"], serde_json::json!(spelled));
        assert_eq!(schema["type"], "string");
    }
}
