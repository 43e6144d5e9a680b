//! Errors: the crate's [`Error`] (setting up and running a server) and the JSON error
//! responses of the API ([`ApiError`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Setting up or running the server failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The pipeline (dictionaries, coder, text model) could not be built.
    #[error("{0}")]
    Pipeline(#[from] dyad_pipeline::BuildError),
    /// The event store failed (opening it, or taking its writer).
    #[error("{0}")]
    Store(#[from] dyad_store::Error),
    /// Binding the address or serving connections failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Storing articles failed in the store itself ([`AppState::ingest_articles`]).
    ///
    /// [`AppState::ingest_articles`]: crate::AppState::ingest_articles
    #[error("cannot store the articles: {0}")]
    Ingest(ApiError),
}

/// An API error: an HTTP status and a message, sent as `{"error": message}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for the client.
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: the request is malformed (bad JSON, bad parameter).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422: the request is well formed but cannot be answered (a range that ends before
    /// it starts, an unknown interval).
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 500: the server failed.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<dyad_store::Error> for ApiError {
    fn from(e: dyad_store::Error) -> ApiError {
        use dyad_store::ErrorKind as K;
        let status = match e.kind() {
            K::InvalidDateRange { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            K::InvalidQuery(_) | K::BadCursor(_) => StatusCode::BAD_REQUEST,
            K::MissingDate { .. } | K::SentenceOutOfRange { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_statuses() {
        let range: ApiError = dyad_store::Error::from(dyad_store::ErrorKind::InvalidDateRange {
            from: dyad_types::Date::new(2024, 2, 1).unwrap(),
            to: dyad_types::Date::new(2024, 1, 1).unwrap(),
        })
        .into();
        assert_eq!(range.status, StatusCode::UNPROCESSABLE_ENTITY);
        let cursor: ApiError =
            dyad_store::Error::from(dyad_store::ErrorKind::BadCursor("x".into())).into();
        assert_eq!(cursor.status, StatusCode::BAD_REQUEST);
        let busy: ApiError = dyad_store::Error::from(dyad_store::ErrorKind::WriterBusy).into();
        assert_eq!(busy.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
