//! The JSON request body and the query string of every route. Input that is not what
//! the route takes gets the API's own 400 answer (an `ErrorBody`, as the OpenAPI
//! document says), like every other refusal, instead of axum's plain-text 400, 415 or
//! 422.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Query, Request, rejection::JsonRejection},
    http::StatusCode,
    http::request::Parts,
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use super::ApiError;

/// Extracts a JSON body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            // A body over the size limit keeps its own answer (413).
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(rejection.into_response())
            }
            Err(rejection) => Err(ApiError::BadRequest(message(&rejection)).into_response()),
        }
    }
}

fn message(rejection: &JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "The request body must be JSON, sent with Content-Type: application/json.".into()
        }
        JsonRejection::JsonSyntaxError(_) => "The request body is not valid JSON.".into(),
        JsonRejection::JsonDataError(err) => {
            format!(
                "The request body is not what this route takes: {}",
                err.body_text()
            )
        }
        other => other.body_text(),
    }
}

/// Extracts a query string of type `T`.
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(QueryParams(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!(
                "The query string is not what this route takes: {}",
                rejection.body_text()
            ))),
        }
    }
}
