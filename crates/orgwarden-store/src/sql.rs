//! Hand-built SQL for the dynamic queries (filters) that diesel's typed DSL cannot express
//! across both backends: placeholders follow the backend (`?` or `$n`), binds are typed, and the
//! same text runs on SQLite and PostgreSQL.

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{QueryableByName, RunQueryDsl};

use crate::{Backend, DbConnection, StoreError};

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
    Bool(bool),
    Time(NaiveDateTime),
}

/// SQL text with its binds.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    text: String,
    binds: Vec<Bind>,
    backend: Backend,
}

impl Sql {
    pub(crate) fn new(backend: Backend) -> Self {
        Self {
            text: String::with_capacity(512),
            binds: Vec::new(),
            backend,
        }
    }

    pub(crate) fn for_conn(conn: &DbConnection) -> Self {
        Self::new(match conn {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        })
    }

    /// Whether the text is for PostgreSQL (for the rare planner hint only one backend needs).
    pub(crate) fn is_postgres(&self) -> bool {
        self.backend == Backend::Postgres
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(crate) fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.binds.len().to_string());
            }
        }
        self
    }

    /// Appends `(?, ?, …)` for a list of texts.
    pub(crate) fn bind_list<'a>(&mut self, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.push("(");
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(Bind::Text(value.to_owned()));
        }
        self.push(")")
    }

    /// Runs the query and maps the rows.
    pub(crate) fn load<T>(self, conn: &mut DbConnection) -> Result<Vec<T>, StoreError>
    where
        T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
    {
        match conn {
            DbConnection::Sqlite(c) => Ok(bind_all(
                diesel::sql_query(self.text).into_boxed::<Sqlite>(),
                self.binds,
            )
            .load(c)?),
            DbConnection::Pg(c) => Ok(bind_all(
                diesel::sql_query(self.text).into_boxed::<Pg>(),
                self.binds,
            )
            .load(c)?),
        }
    }

    /// Runs a statement that returns no rows; returns how many rows it changed.
    pub(crate) fn execute(self, conn: &mut DbConnection) -> Result<usize, StoreError> {
        match conn {
            DbConnection::Sqlite(c) => Ok(bind_all(
                diesel::sql_query(self.text).into_boxed::<Sqlite>(),
                self.binds,
            )
            .execute(c)?),
            DbConnection::Pg(c) => Ok(bind_all(
                diesel::sql_query(self.text).into_boxed::<Pg>(),
                self.binds,
            )
            .execute(c)?),
        }
    }
}

fn bind_all<'f, DB>(
    mut query: BoxedSqlQuery<'f, DB, diesel::query_builder::SqlQuery>,
    binds: Vec<Bind>,
) -> BoxedSqlQuery<'f, DB, diesel::query_builder::SqlQuery>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<BigInt>
        + diesel::sql_types::HasSqlType<Bool>
        + diesel::sql_types::HasSqlType<Timestamp>,
    String: diesel::serialize::ToSql<Text, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
    bool: diesel::serialize::ToSql<Bool, DB>,
    NaiveDateTime: diesel::serialize::ToSql<Timestamp, DB>,
{
    for bind in binds {
        query = match bind {
            Bind::Text(v) => query.bind::<Text, _>(v),
            Bind::Int(v) => query.bind::<BigInt, _>(v),
            Bind::Bool(v) => query.bind::<Bool, _>(v),
            Bind::Time(v) => query.bind::<Timestamp, _>(v),
        };
    }
    query
}

/// A `LIKE` pattern matching `text` (lower-cased) as a substring, with `\` escaping `%`, `_`
/// and `\`.
pub(crate) fn contains_pattern(text: &str) -> String {
    format!("%{}%", like_escaped(&text.to_lowercase()))
}

/// `text` with `\` before each `%`, `_` and `\`, to stand for itself in a `LIKE … ESCAPE '\'`
/// pattern.
pub(crate) fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
