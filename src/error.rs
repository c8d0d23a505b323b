//! One error type for the web layer: the only place an error becomes a status code and
//! an error page. Internal details are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf check failed")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("too many requests")]
    TooManyRequests,
    #[error("payload too large")]
    TooLarge,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

/// Put on every error response so the API layer can answer JSON instead of a page.
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

#[derive(Template)]
#[template(path = "errors/status.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "页面不存在",
            AppError::Forbidden => "没有权限",
            AppError::Csrf => "请求已失效",
            AppError::BadRequest(_) => "请求有误",
            AppError::TooManyRequests => "操作过于频繁",
            AppError::TooLarge => "文件过大",
            AppError::Database(_) | AppError::Internal(_) => "系统出错了",
        }
    }

    fn message(&self) -> &str {
        match self {
            AppError::NotFound => "您访问的页面不存在，或您无权查看。",
            AppError::Forbidden => "您的账户没有访问此页面的权限。",
            AppError::Csrf => "页面已过期或来源不明，请刷新页面后重试。",
            AppError::BadRequest(m) => m,
            AppError::TooManyRequests => "请稍后再试。",
            AppError::TooLarge => "上传的文件超过 20 MB，已拒绝。请拆分后分别上传。",
            AppError::Database(_) | AppError::Internal(_) => {
                "处理请求时出现内部错误，已记录。请稍后再试或联系系统管理员。"
            }
        }
    }
}

/// Renders the error page for a status with the standard wording.
pub fn error_page(status: StatusCode, title: &'static str, message: &str) -> Response {
    let page = ErrorPage {
        status: status.as_u16(),
        title,
        message,
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), title));
    let mut response = (status, Html(body)).into_response();
    response
        .extensions_mut()
        .insert(ErrorMessage(title.to_string()));
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Database(e) => tracing::error!(error = %e, "database error"),
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            _ => {}
        }
        let mut response = error_page(self.status(), self.title(), self.message());
        // A refused request says what was wrong with it, to the API's callers too.
        if let AppError::BadRequest(message) = &self {
            response
                .extensions_mut()
                .insert(ErrorMessage(message.clone()));
        }
        response
    }
}
