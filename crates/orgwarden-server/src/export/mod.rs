//! The files the app hands out: users as CSV, JSON or XLSX, streamed from one snapshot of the
//! published mirror, and the one CSV writer every CSV goes through (users, operation results,
//! the audit trail). The HTTP handlers live in `api`; the bench measures [`write_export`] itself.
//! An export in the user browser's order is read by account id and reordered through a scratch
//! file (`reorder`): looking each user up by id in that order cost PostgreSQL one index
//! descent per user and table.

mod csv_safe;
mod formats;
mod reorder;
mod summary;
mod user_record;
mod xlsx;

use orgwarden_store::users::Sort;
use serde::Deserialize;
use utoipa::ToSchema;

pub use csv_safe::{neutralise, SafeCsvWriter};
pub use formats::{write_export, ExportMeta};
pub use user_record::{csv_record, CSV_HEADER};

/// The order an export lists users in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOrder {
    /// By account id: the fastest, written as it is read.
    AccountId,
    /// The user browser's sort: read by account id, then put in this order through a scratch
    /// file.
    Browser(Sort),
}

/// File formats of exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated values, one user per row.
    Csv,
    /// `{exportedBy, exportedAt, selection, users: [...], count}`.
    Json,
    /// A workbook with a summary sheet and a users sheet.
    Xlsx,
}

impl ExportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    /// The `Content-Type` of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}
