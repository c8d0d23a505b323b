//! Static files, built into the binary so a deployment is one file. Served with an ETag
//! and revalidated on each use.

use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::AppError;

struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "css/app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../static/css/app.css"),
    },
    Asset {
        path: "js/app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/js/app.js"),
    },
    Asset {
        path: "js/charts.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/js/charts.js"),
    },
    Asset {
        path: "vendor/echarts/echarts-6.1.0.common.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/vendor/echarts/echarts-6.1.0.common.min.js"),
    },
    Asset {
        path: "vendor/htmx/htmx-2.0.11.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/vendor/htmx/htmx-2.0.11.min.js"),
    },
];

fn etag(body: &[u8]) -> String {
    let hash = body.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    });
    format!("\"{hash:016x}\"")
}

pub async fn serve_asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.path == path) else {
        return AppError::NotFound.into_response();
    };
    let tag = etag(asset.body);
    if headers
        .get(IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = asset.body.into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    h.insert(ETAG, HeaderValue::from_str(&tag).expect("hex etag"));
    response
}

/// The static files built into the binary.
pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(serve_asset))
}
