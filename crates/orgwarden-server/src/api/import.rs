//! `POST /api/v1/users/import-selection`: a CSV of emails or account ids → the users it names.

use std::collections::HashSet;

use actix_web::web;
use orgwarden_store::users::Directory;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::mirror::with_mirror;
use super::operations::results::visible_in;
use super::operations::types::MAX_ACCOUNT_IDS;
use crate::access::Reader;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Header names (any case, spaces ignored) of the column holding the values.
const VALUE_HEADERS: [&str; 5] = ["email", "emailaddress", "accountid", "id", "user"];

/// A CSV file's text.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportRequest {
    /// The file: one email or account id per row, or a header row naming an `email` or
    /// `accountId` column (e.g. an export of this app or of Atlassian Administration).
    pub csv: String,
}

/// A row that named a user.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedRow {
    /// Line number in the file, from 1 (the header counts).
    pub row: usize,
    /// The value read.
    pub value: String,
    /// The user.
    pub account_id: String,
}

/// A row that named nobody.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnmatchedRow {
    /// Line number in the file, from 1.
    pub row: usize,
    /// The value read.
    pub value: String,
    /// Why it matched nobody.
    pub reason: String,
}

/// Which rows matched which users.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    /// Rows read (header and blank rows excluded).
    pub rows: usize,
    /// The matched users, each once, in file order: the selection.
    pub account_ids: Vec<String>,
    /// Rows that matched.
    pub matched: Vec<MatchedRow>,
    /// Rows that did not.
    pub unmatched: Vec<UnmatchedRow>,
}

/// Selects the users a CSV names (by email or account id), as of the last sync.
#[utoipa::path(operation_id = "users_import_selection", post, path = "/api/v1/users/import-selection", tag = "users", security(("connect_jwt" = [])), request_body = ImportRequest,
    responses((status = 200, body = ImportResult), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn import_selection(
    caller: Reader,
    state: web::Data<AppState>,
    body: web::Json<ImportRequest>,
) -> Result<web::Json<ImportResult>, ApiError> {
    let values = read_values(&body.into_inner().csv)?;
    let within = caller.access.scope.clone();
    let result = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        let directory = Directory::load(conn, &m.tenant_id, m.generation)?;
        let visible = visible_in(conn, &m.tenant_id, m.generation, within.as_deref())?;
        Ok(match_rows(&directory, values, visible.as_ref()))
    })
    .await?;
    Ok(web::Json(result))
}

/// `(row number, value)` of every non-blank row, from the named column or the first one.
fn read_values(text: &str) -> Result<Vec<(usize, String)>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let newlines: Vec<usize> = text.match_indices('\n').map(|(at, _)| at).collect();
    let mut column = 0;
    let mut values = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| ApiError::invalid("csv", &format!("row {}: {e}", index + 1)))?;
        if index == 0 {
            let header = record.iter().position(|cell| {
                let name: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
                VALUE_HEADERS.contains(&name.to_lowercase().as_str())
            });
            if let Some(found) = header {
                column = found;
                continue;
            }
        }
        let value = record.get(column).unwrap_or("").trim();
        if !value.is_empty() {
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let first = text.as_bytes()[start.min(text.len())..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(text.len(), |skip| start + skip);
            let line = 1 + newlines.partition_point(|&at| at < first);
            values.push((line, value.to_owned()));
        }
    }
    if values.is_empty() {
        return Err(ApiError::invalid(
            "csv",
            "the file names no users: give one email or account id per row",
        ));
    }
    if values.len() > MAX_ACCOUNT_IDS {
        return Err(ApiError::invalid(
            "csv",
            "at most 20000 rows per import (use a filter for more)",
        ));
    }
    Ok(values)
}

/// Matches each value; for a caller limited to what they administer (`visible`: the users
/// they may see), someone outside it matches nobody, as the user browser does not show them.
fn match_rows(
    directory: &Directory,
    values: Vec<(usize, String)>,
    visible: Option<&HashSet<String>>,
) -> ImportResult {
    let mut seen = HashSet::new();
    let mut result = ImportResult {
        rows: values.len(),
        account_ids: Vec::new(),
        matched: Vec::new(),
        unmatched: Vec::new(),
    };
    for (row, value) in values {
        let found = directory
            .find(&value)
            .filter(|id| visible.is_none_or(|v| v.contains(*id)));
        match found {
            Some(account_id) => {
                if seen.insert(account_id.to_owned()) {
                    result.account_ids.push(account_id.to_owned());
                }
                result.matched.push(MatchedRow {
                    row,
                    value,
                    account_id: account_id.to_owned(),
                });
            }
            None => {
                let what = if value.contains('@') {
                    "email"
                } else {
                    "account id"
                };
                result.unmatched.push(UnmatchedRow {
                    row,
                    value,
                    reason: format!(
                        "no user with this {what} in the organization (as of the last sync)"
                    ),
                });
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_names_the_column() {
        let values = read_values("Name,Email\nAda,ada@x.io\n\nBob, bob@x.io \n").unwrap();
        assert_eq!(values, vec![(2, "ada@x.io".into()), (4, "bob@x.io".into())]);
    }

    #[test]
    fn without_a_header_the_first_column_is_read() {
        let values = read_values("ada@x.io\n557058:abc,extra\n").unwrap();
        assert_eq!(
            values,
            vec![(1, "ada@x.io".into()), (2, "557058:abc".into())]
        );
    }

    #[test]
    fn an_empty_file_is_refused_naming_the_field() {
        let error = read_values("email\n\n").unwrap_err();
        assert!(error.to_string().contains("csv"), "{error}");
    }
}
