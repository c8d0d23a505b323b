//! The composition root: `build_router(state)` merges the areas and adds the layers, and
//! `serve` runs it with graceful shutdown.

pub mod housekeeping;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;

use crate::auth::session::LoggedUser;
use crate::error::error_page;
use crate::state::AppState;
use crate::{auth, web};

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application. Layers run outside in: request id, log, panic catcher,
/// timeout, security headers, session, CSRF, then the areas' routers.
pub fn build_router(state: AppState) -> Router {
    Router::new()
        .merge(web::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::protect,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::flash::take_flash,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::session::load_session,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::security::headers,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
                .layer(middleware::from_fn(log_request))
                .layer(CatchPanicLayer::custom(|_| {
                    error_page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "系统出错了",
                        "处理请求时出现内部错误，已记录。请稍后再试或联系系统管理员。",
                    )
                }))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Duration::from_secs(30),
                )),
        )
        .with_state(state)
}

/// One line per request: id, user, route (the pattern, never the query), status, latency.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(unmatched)".to_string());
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("")
        .to_string();
    let response = next.run(request).await;
    let user_id = response.extensions().get::<LoggedUser>().map(|u| u.0);
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%request_id, ?user_id, %method, %route, status, latency_ms, "request");
    } else {
        tracing::info!(%request_id, ?user_id, %method, %route, status, latency_ms, "request");
    }
    response
}

/// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> anyhow::Result<()> {
    let app = build_router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
