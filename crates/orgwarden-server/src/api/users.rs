//! The User Browser: search with a filter, select all matching, one user's detail.

use actix_web::web;
use chrono::Utc;
use orgwarden_ids::AccountId;
use orgwarden_store::users::{self, Filter, Page, Sort, SortField, UserDetail};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::mirror::with_mirror;
use crate::access::Reader;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Largest page a REST client may ask for (the browser offers 10, 25, 50 and 100).
pub const MAX_PAGE_SIZE: i64 = 1000;

/// A search: filter, sort and page.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserSearchRequest {
    /// Which users (empty = all).
    #[serde(default)]
    pub filter: Filter,
    /// Order.
    #[serde(default)]
    pub sort: Sort,
    /// Page number from 1 (default 1); ignored with `cursor`.
    #[serde(default)]
    pub page: Option<i64>,
    /// Users per page, 1 to 1000 (default 25).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1000)]
    pub page_size: Option<i64>,
    /// Cursor paging in name order: the `nextCursor` of the previous page (start without it
    /// and without `page`; every page then answers with the next cursor). Needs the name sort.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The same search as query parameters (`filter` is the JSON filter).
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct UserSearchQuery {
    /// The filter as JSON.
    pub filter: Option<String>,
    /// Shorthand for `filter.search`.
    pub search: Option<String>,
    /// Shorthand for `filter.inactiveDays`.
    pub inactive_days: Option<i64>,
    /// `name`, `email`, `lastActive` or `status`.
    pub sort: Option<String>,
    /// Sort descending.
    pub descending: Option<bool>,
    /// Page number from 1; ignored with `cursor`.
    pub page: Option<i64>,
    /// Users per page, 1 to 1000 (default 25).
    pub page_size: Option<i64>,
    /// The `nextCursor` of the previous page (cursor paging in name order).
    pub cursor: Option<String>,
}

/// Every account id a filter matches.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchingUsers {
    /// How many.
    pub total: usize,
    /// The account ids.
    pub account_ids: Vec<String>,
}

/// A filter alone.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterRequest {
    /// Which users.
    #[serde(default)]
    pub filter: Filter,
}

fn validated(filter: &Filter) -> Result<(), ApiError> {
    Ok(filter.validate("filter.")?)
}

async fn run_search(
    caller: Reader,
    state: web::Data<AppState>,
    request: UserSearchRequest,
) -> Result<web::Json<Page>, ApiError> {
    validated(&request.filter)?;
    let page = request.page.unwrap_or(1);
    let page_size = request.page_size.unwrap_or(25);
    if !(1..=1_000_000).contains(&page) {
        return Err(ApiError::field("page", "page: must be 1 or more"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(ApiError::field(
            "pageSize",
            "pageSize: must be between 1 and 1000",
        ));
    }
    if request.cursor.is_some() || request.page.is_none() && request.sort.field == SortField::Name {
        return cursor_page(&caller, &state, request, page_size).await;
    }
    let filter = caller.limit(request.filter);
    let result = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        Ok(users::search(
            conn,
            &m.tenant_id,
            m.generation,
            &filter,
            request.sort,
            page,
            page_size,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(web::Json(result))
}

/// A page in name order after the request's cursor (from the first without one), with the
/// cursor of the next page while the page is full.
async fn cursor_page(
    caller: &Reader,
    state: &AppState,
    request: UserSearchRequest,
    page_size: i64,
) -> Result<web::Json<Page>, ApiError> {
    if request.sort.field != SortField::Name {
        return Err(invalid_cursor(
            "cursor paging walks the name order: sort by name or use page",
        ));
    }
    let after = request.cursor.as_deref().map(decode_cursor).transpose()?;
    let filter = caller.limit(request.filter);
    let descending = after.as_ref().map_or(request.sort.descending, |(d, _)| *d);
    let (mut page, next) = with_mirror(state, &caller.tenant.client_key, move |conn, m| {
        Ok(users::search_after(
            conn,
            &m.tenant_id,
            m.generation,
            &filter,
            descending,
            after.as_ref().map(|(_, a)| a),
            page_size,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    page.next_cursor = next.map(|a| encode_cursor(descending, &a));
    Ok(web::Json(page))
}

fn invalid_cursor(message: &str) -> ApiError {
    ApiError::field("cursor", format!("cursor: {message}"))
}

/// A cursor is opaque to clients: base64url of `[descending, name, accountId]`.
fn encode_cursor(descending: bool, after: &users::After) -> String {
    use base64::Engine;
    let raw = serde_json::json!([descending, after.name, after.account_id]).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(cursor: &str) -> Result<(bool, users::After), ApiError> {
    use base64::Engine;
    let bad = || invalid_cursor("not a cursor this API gave out; start again without one");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| bad())?;
    let (descending, name, account_id): (bool, String, String) =
        serde_json::from_slice(&raw).map_err(|_| bad())?;
    Ok((descending, users::After { name, account_id }))
}

/// Users matching a filter, one page, with the total.
#[utoipa::path(operation_id = "users_search", post, path = "/api/v1/users/search", tag = "users", security(("connect_jwt" = [])), request_body = UserSearchRequest,
    responses((status = 200, body = Page), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn search(
    caller: Reader,
    state: web::Data<AppState>,
    body: web::Json<UserSearchRequest>,
) -> Result<web::Json<Page>, ApiError> {
    run_search(caller, state, body.into_inner()).await
}

/// The same search with query parameters.
#[utoipa::path(operation_id = "users_list", get, path = "/api/v1/users", tag = "users", security(("connect_jwt" = [])), params(UserSearchQuery),
    responses((status = 200, body = Page), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<UserSearchQuery>,
) -> Result<web::Json<Page>, ApiError> {
    let q = query.into_inner();
    let mut filter: Filter = match q.filter.as_deref() {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| ApiError::field("filter", format!("filter: {e}")))?,
        None => Filter::default(),
    };
    if q.search.is_some() {
        filter.search = q.search;
    }
    if q.inactive_days.is_some() {
        filter.inactive_days = q.inactive_days;
    }
    let field = match q.sort.as_deref() {
        None => Sort::default().field,
        Some(name) => {
            serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
                ApiError::field("sort", "sort: must be name, email, lastActive or status")
            })?
        }
    };
    let sort = Sort {
        field,
        descending: q.descending.unwrap_or(false),
    };
    run_search(
        caller,
        state,
        UserSearchRequest {
            filter,
            sort,
            page: q.page,
            page_size: q.page_size,
            cursor: q.cursor,
        },
    )
    .await
}

/// Every account id matching a filter ("select all N matching").
#[utoipa::path(operation_id = "users_select", post, path = "/api/v1/users/select", tag = "users", security(("connect_jwt" = [])), request_body = FilterRequest,
    responses((status = 200, body = MatchingUsers), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn select(
    caller: Reader,
    state: web::Data<AppState>,
    body: web::Json<FilterRequest>,
) -> Result<web::Json<MatchingUsers>, ApiError> {
    let filter = body.into_inner().filter;
    validated(&filter)?;
    let filter = caller.limit(filter);
    let account_ids = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        Ok(users::matching_account_ids(
            conn,
            &m.tenant_id,
            m.generation,
            &filter,
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    Ok(web::Json(MatchingUsers {
        total: account_ids.len(),
        account_ids,
    }))
}

/// One user: access across sites and products and how it is granted, groups, roles.
#[utoipa::path(operation_id = "users_detail", get, path = "/api/v1/users/{accountId}", tag = "users", security(("connect_jwt" = [])),
    params(("accountId" = String, Path, description = "Atlassian account id")),
    responses((status = 200, body = UserDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    caller: Reader,
    state: web::Data<AppState>,
    path: web::Path<AccountId>,
) -> Result<web::Json<UserDetail>, ApiError> {
    let (account_id, within) = (path.into_inner(), caller.access.scope.clone());
    let found = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        Ok(users::user_detail(
            conn,
            &m.tenant_id,
            m.generation,
            &account_id,
            within.as_deref(),
            Utc::now().naive_utc(),
        )?)
    })
    .await?;
    found.map(web::Json).ok_or_else(|| {
        ApiError::not_found("No such user in the organization (as of the last sync).")
    })
}

/// Every group of the organization (as of the last sync), by name.
#[utoipa::path(operation_id = "users_groups", get, path = "/api/v1/groups", tag = "users", security(("connect_jwt" = [])),
    responses((status = 200, body = Vec<users::GroupInfo>), (status = 409, body = ErrorEnvelope)))]
pub async fn groups(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<users::GroupInfo>>, ApiError> {
    let all = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        Ok(users::groups(conn, &m.tenant_id, m.generation)?)
    })
    .await?;
    Ok(web::Json(all))
}
