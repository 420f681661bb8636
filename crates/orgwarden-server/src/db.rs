//! Running blocking store work from a handler: a pooled connection on actix's blocking pool.

use actix_web::web;
use orgwarden_store::{Database, DbConnection, StoreError};

use crate::error::ApiError;

/// Runs `work` with a pooled connection on the blocking pool; store errors become 500s.
pub async fn run<T, F>(db: &Database, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    let db = db.clone();
    Ok(web::block(move || -> Result<T, StoreError> { work(&mut *db.get()?) }).await??)
}

/// Like [`run`], for work that answers with its own [`ApiError`]s.
pub async fn try_run<T, F>(db: &Database, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let db = db.clone();
    web::block(move || -> Result<T, ApiError> { work(&mut *db.get()?) }).await?
}
