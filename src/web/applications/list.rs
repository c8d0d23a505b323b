//! The applications list and, for the committee, the approval queue: oldest submission
//! first, paged by a keyset cursor, with the days each has waited.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::auth::extract::{Business, Require};
use crate::db::application::Application;
use crate::db::{self};
use crate::domain::application::State as AppState_;
use crate::domain::ids::ApplicationId;
use crate::domain::role::Role;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    /// The list's cursor: the last id shown (newest first).
    before: Option<String>,
    /// The queue's cursor: the last submission shown (time in microseconds, and id).
    queue_after: Option<String>,
}

pub struct QueueItem {
    pub app: Application,
    pub days_waiting: i64,
}

/// Applications per page, in the queue and in the list.
const PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "applications/index.html")]
pub struct ApplicationsPage {
    ctx: PageContext,
    queue: Vec<QueueItem>,
    queue_count: i64,
    queue_pager: Pager,
    rows: Vec<Application>,
    pager: Pager,
    state: String,
    states: [AppState_; 6],
    is_committee: bool,
    is_secretary: bool,
    today: String,
}

fn queue_cursor(text: &Option<String>) -> Option<(chrono::DateTime<chrono::Utc>, ApplicationId)> {
    let (micros, id) = crate::web::pair_cursor(text.as_deref())?;
    Some((
        chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        id,
    ))
}

fn encode_queue_cursor(item: &QueueItem) -> String {
    let micros = item.app.submitted_at.map_or(0, |t| t.timestamp_micros());
    crate::web::encode_pair(&micros.to_string(), item.app.formation_application_id)
}

pub async fn list_applications(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<ApplicationsPage> {
    let filter = query.state.as_deref().and_then(AppState_::from_code);
    let today = state.clock.today();
    let is_committee = user.has(Role::Committee);
    let queue_after = queue_cursor(&query.queue_after);
    let (mut queue, queue_count) = if is_committee {
        (
            db::application::queue(&state.db, queue_after, PAGE + 1)
                .await?
                .into_iter()
                .map(|app| QueueItem {
                    days_waiting: app.submitted_at.map_or(0, |t| {
                        (today - state.clock.local(t).date_naive()).num_days()
                    }),
                    app,
                })
                .collect(),
            db::application::queue_count(&state.db).await?,
        )
    } else {
        (Vec::new(), 0)
    };
    let queue_next = crate::web::next_page(&mut queue, PAGE, encode_queue_cursor);
    let before = query.before.as_deref().and_then(|b| b.parse().ok());
    let mut rows = db::application::list(&state.db, &user.scope, filter, before, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |a| a.formation_application_id.to_string());
    let state_query = serde_urlencoded::to_string([("state", filter.map_or("", AppState_::code))])
        .unwrap_or_default();
    Ok(ApplicationsPage {
        rows,
        pager: Pager::new("/applications", &state_query, "before", next.as_deref())
            .paged(before.is_some())
            .texts("← 最新的申请", "下一页 →")
            .labelled("分页", "list-next"),
        queue_pager: Pager::new(
            "/applications",
            &state_query,
            "queue_after",
            queue_next.as_deref(),
        )
        .paged(queue_after.is_some())
        .texts("← 最早的待批复", "后面的待批复 →")
        .labelled("待批复分页", "queue-next"),
        state: filter.map_or("", AppState_::code).to_string(),
        states: AppState_::ALL,
        is_committee,
        is_secretary: user.has(Role::Secretary),
        today: today.to_string(),
        queue,
        queue_count,
        ctx,
    })
}
