//! What a route answers: bytes with their type, or an error as JSON that
//! names the parameter and what was expected, as the CLI's messages do.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use incidents::Error;
use serde_json::json;

/// An error answered as JSON.
#[derive(Debug)]
pub enum ApiError {
    /// A bad parameter (400).
    Bad {
        message: String,
        parameter: Option<String>,
        value: Option<String>,
        expected: Option<String>,
    },
    /// No such thing (404).
    NotFound(String),
    /// The request took longer than the server allows (503).
    Timeout(u64),
    /// The answer would be larger than the server sends (413).
    TooLarge(u64),
    /// Anything else (500), in the library's words.
    Failed(String),
}

impl ApiError {
    pub fn bad(parameter: &str, value: &str, expected: &str, message: String) -> ApiError {
        ApiError::Bad {
            message,
            parameter: Some(parameter.to_string()),
            value: Some(value.to_string()),
            expected: Some(expected.to_string()),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let message = e.to_string();
        match e {
            Error::Invalid {
                field,
                value,
                expected,
            } => ApiError::Bad {
                message,
                parameter: Some(parameter(&field)),
                value: Some(value),
                expected: Some(expected),
            },
            // Filters name what they cannot find as UnknownRegion or
            // NoPlace; NotFound is an incident, tally or its history.
            Error::NotFound { .. } => ApiError::NotFound(message),
            Error::UnknownRegion { query, .. } => ApiError::Bad {
                message,
                parameter: Some("region".into()),
                value: Some(query),
                expected: Some("a region name or code that `incidents regions` lists".into()),
            },
            Error::NoPlace { name, .. } | Error::Ambiguous { name, .. } => ApiError::Bad {
                message,
                parameter: Some("near".into()),
                value: Some(name),
                expected: Some("a known place, or LAT,LON".into()),
            },
            _ => ApiError::Failed(message),
        }
    }
}

/// The parameter a library error's field is: the flag without its dashes,
/// and the two fields the library names in words.
fn parameter(field: &str) -> String {
    match field.trim_start_matches('-') {
        "event type" | "event_type" => "type".into(),
        "sub-event type" | "sub_event_type" | "sub event type" => "sub-type".into(),
        other => other.replace(['_', ' '], "-"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Bad {
                message,
                parameter,
                value,
                expected,
            } => (
                StatusCode::BAD_REQUEST,
                json!({"error": message, "parameter": parameter, "value": value, "expected": expected}),
            ),
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, json!({"error": message})),
            ApiError::Timeout(secs) => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": format!("the request took longer than the server allows ({secs} s, --timeout); narrow the filters")}),
            ),
            ApiError::TooLarge(max) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": format!("the answer would be larger than the server sends ({max} bytes, --max-response); narrow the filters")}),
            ),
            ApiError::Failed(message) => {
                (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": message}))
            }
        };
        json_bytes(status, format!("{body}\n").into_bytes())
    }
}

/// A JSON body.
pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    typed(status, "application/json", bytes)
}

/// A body of this media type.
pub fn typed(status: StatusCode, media: &'static str, bytes: Vec<u8>) -> Response {
    let mut r = (status, bytes).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

/// 404 for a path no route serves.
pub fn no_route(path: &str) -> Response {
    let body = json!({"error": "not found", "path": path});
    json_bytes(StatusCode::NOT_FOUND, format!("{body}\n").into_bytes())
}
