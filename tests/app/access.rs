//! Every route as anonymous, as each wrong role and as a user of another unit:
//! the sign-in page (pages) or 401 (API) for anonymous, 403 for a wrong role, 404 out of scope.

use crate::helpers::TestApp;

const ROLES: [&str; 5] = ["committee", "leader", "secretary", "secretary2", "admin"];

/// GET routes with the roles that may use them; `{own}` is the secretary's unit.
pub fn get_routes() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("/", &ROLES),
        ("/dashboard", &["committee", "leader"]),
        (
            "/my-unit",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/units/{own}", &["committee", "leader", "secretary"]),
        ("/account/password", &ROLES),
        ("/account/second-factor", &ROLES),
        ("/login/code", &ROLES),
        ("/admin/accounts", &["admin"]),
        ("/admin/accounts/new", &["admin"]),
        ("/admin/accounts/{leader}", &["admin"]),
        ("/admin/audit", &["admin"]),
        (
            "/units",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/units/new", &["committee"]),
        ("/units/{own}/edit", &["committee"]),
        ("/units/{own}/report", &["committee", "secretary"]),
        ("/surveys", &["committee", "leader"]),
        ("/surveys/new", &["committee"]),
        ("/surveys/{round}", &["committee", "leader"]),
        ("/surveys/{round}/export", &["committee", "leader"]),
        ("/surveys/upload", &["committee"]),
        ("/dashboard/charts", &["committee", "leader"]),
        ("/inbox", &ROLES),
        ("/api/v1/me", &ROLES),
        (
            "/api/v1/units",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/api/v1/units/{own}", &["committee", "leader", "secretary"]),
        (
            "/api/v1/surveys",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/api/v1/survey/summary", &["committee", "leader"]),
        (
            "/applications",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/applications/new", &["secretary", "secretary2"]),
        ("/applications/{app}", &["committee", "leader", "secretary"]),
        ("/applications/{app}/edit", &["secretary"]),
        ("/reminders", &["committee", "leader"]),
        ("/reminders/export", &["committee", "leader"]),
        (
            "/organizations",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/organizations/terms",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/organizations/{org}", &["committee", "leader"]),
        (
            "/api/v1/organizations",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/api/v1/applications",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/api/v1/reminders", &["committee", "leader"]),
        ("/reports", &["committee", "leader"]),
        ("/reports/work-summary", &["committee", "leader"]),
        ("/reports/{report}", &["committee", "leader"]),
        ("/reports/{report}/download", &["committee", "leader"]),
        ("/reports/work-summary.docx", &["committee", "leader"]),
        ("/reports/{report}/edit", &["committee"]),
        ("/api/v1/reports/work-summary", &["committee", "leader"]),
        ("/organizations/{org}/members", &["committee", "leader"]),
        (
            "/organizations/{branch}/members/new",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/members/import",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/members/template",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/members/transfer-in",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/evaluation",
            &["committee", "leader", "secretary"],
        ),
        (
            "/members/transfers",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/api/v1/members",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/members",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/members/age",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/members/compare", &["committee", "leader"]),
        (
            "/members/export",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/members/{person}", &["committee", "leader", "secretary"]),
        ("/members/{person}/edit", &["committee", "secretary"]),
        (
            "/members/{person}/personal-data",
            &["committee", "secretary"],
        ),
        (
            "/applications/{app}/attachments/{attachment}",
            &["committee", "leader", "secretary"],
        ),
        (
            "/applications/{approved}/reply",
            &["committee", "leader", "secretary"],
        ),
        (
            "/applications/{approved}/reply.docx",
            &["committee", "leader", "secretary"],
        ),
        ("/surveys/upload/{upload}", &["committee"]),
        ("/surveys/upload/{upload}/faults", &["committee"]),
        (
            "/activities",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/activities/calendar",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/activities/new", &["committee", "secretary", "secretary2"]),
        (
            "/activities/{activity}",
            &["committee", "leader", "secretary"],
        ),
        ("/activities/{activity}/edit", &["committee", "secretary"]),
        (
            "/activities/{activity}/results",
            &["committee", "leader", "secretary"],
        ),
        (
            "/activities/{activity}/results/print",
            &["committee", "leader", "secretary"],
        ),
        (
            "/activities/{activity}/results/export",
            &["committee", "leader", "secretary"],
        ),
        (
            "/activities/{activity}/checkin/qr.svg",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/files/{file}",
            &["committee", "leader", "secretary"],
        ),
        (
            "/activities/{activity}/files/{file}/thumb",
            &["committee", "leader", "secretary"],
        ),
        (
            "/api/v1/activities",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/api/v1/volunteers/hours",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/teams",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/teams/new", &["committee", "secretary", "secretary2"]),
        (
            "/activities/export",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/volunteers",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        (
            "/volunteers/export",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/teams/{team}", &["committee", "leader", "secretary"]),
        (
            "/awards",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/awards/new", &["committee", "secretary", "secretary2"]),
        (
            "/awards/export",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/awards/{award}", &["committee", "leader", "secretary"]),
        ("/teams/{team}/edit", &["committee", "secretary"]),
        ("/volunteers/{volunteer}", &["committee", "secretary"]),
        ("/certificates/{certificate}", &["committee", "secretary"]),
        (
            "/certificates/{certificate}/download",
            &["committee", "secretary"],
        ),
        ("/assessments", &["committee", "leader"]),
        ("/assessments/export", &["committee", "leader"]),
        (
            "/assessments/mine",
            &["committee", "secretary", "secretary2"],
        ),
        ("/assessments/weights", &["committee"]),
        ("/assessments/{year}/{assessee}", &["committee"]),
        (
            "/plans",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/plans/new", &["committee"]),
        (
            "/plans/export",
            &["committee", "leader", "secretary", "secretary2"],
        ),
        ("/plans/{plan}", &["committee", "leader", "secretary"]),
        ("/plans/{plan}/edit", &["committee"]),
    ]
}

/// Who holds the route's role but finds the record outside their scope (404, not 403).
fn out_of_scope(route: &str, username: &str) -> bool {
    let another_unit = username == "secretary2"
        && [
            "{own}",
            "{app}",
            "{approved}",
            "{person}",
            "{activity}",
            "{team}",
            "{award}",
            "{volunteer}",
            "{certificate}",
            "{plan}",
        ]
        .iter()
        .any(|p| route.contains(p))
        && route != "/units/{own}/edit"
        && route != "/plans/{plan}/edit";
    let committee_only_org = route.contains("{org}") && username.starts_with("secretary");
    let own_branch = route.contains("{branch}") && username == "secretary2";
    another_unit || committee_only_org || own_branch
}

/// POST routes and the roles that may use them.
pub fn post_routes() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("/logout", &ROLES),
        ("/account/password", &ROLES),
        ("/account/second-factor", &ROLES),
        ("/account/second-factor/recovery-codes", &ROLES),
        ("/account/second-factor/disable", &ROLES),
        ("/login/code", &ROLES),
        ("/admin/accounts/{leader}/second-factor/reset", &["admin"]),
        ("/admin/accounts", &["admin"]),
        ("/admin/accounts/{leader}/roles", &["admin"]),
        ("/admin/accounts/{leader}/roles/{grant}/delete", &["admin"]),
        ("/admin/accounts/{leader}/password", &["admin"]),
        ("/admin/accounts/{leader}/disable", &["admin"]),
        ("/admin/accounts/{leader}/enable", &["admin"]),
        ("/admin/accounts/{leader}/unlock", &["admin"]),
        ("/units", &["committee"]),
        ("/units/{own}", &["committee"]),
        ("/reports", &["committee"]),
        ("/reports/{report}", &["committee"]),
        ("/reports/{report}/finalise", &["committee"]),
        ("/reports/{report}/copy", &["committee"]),
        ("/units/{own}/close", &["committee"]),
        ("/units/{own}/report", &["committee", "secretary"]),
        ("/surveys", &["committee"]),
        ("/surveys/{round}", &["committee"]),
        ("/surveys/{round}/lock", &["committee"]),
        ("/surveys/{round}/discard", &["committee"]),
        ("/surveys/{round}/remind", &["committee"]),
        ("/surveys/upload", &["committee"]),
        ("/inbox/read", &ROLES),
        ("/applications", &["secretary", "secretary2"]),
        ("/applications/{app}", &["secretary"]),
        ("/applications/{app}/submit", &["secretary"]),
        ("/applications/{app}/return", &["committee"]),
        ("/applications/{app}/approve", &["committee"]),
        ("/applications/{app}/reject", &["committee"]),
        ("/applications/{app}/attachments", &["secretary"]),
        ("/reminders/remind", &["committee"]),
        ("/organizations/{org}/term", &["committee"]),
        ("/organizations/{org}/cadres", &["committee"]),
        ("/organizations/{org}/units", &["committee"]),
        (
            "/organizations/{org}/members",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/organizations/{branch}/members/import",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/members/transfer-in",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/evaluation",
            &["committee", "secretary"],
        ),
        (
            "/organizations/{branch}/registration",
            &["committee", "secretary"],
        ),
        (
            "/members/{member}/transfer",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/transfers/{member}",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/members/{member}",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/members/{member}/reveal",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/members/{member}/age-out",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/members/{member}/delete",
            &["committee", "secretary", "secretary2"],
        ),
        ("/organizations/{org}/cadres/{cadre}/delete", &["committee"]),
        ("/surveys/upload/{upload}/commit", &["committee"]),
        ("/activities", &["committee", "secretary", "secretary2"]),
        ("/activities/{activity}", &["committee", "secretary"]),
        ("/activities/{activity}/state", &["committee", "secretary"]),
        ("/activities/{activity}/units", &["committee", "secretary"]),
        (
            "/activities/{activity}/units/{own}/delete",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/participants/member",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/participants/person",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/participants/import",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/participants/{participation}/delete",
            &["committee", "secretary"],
        ),
        ("/activities/{activity}/hours", &["committee", "secretary"]),
        ("/activities/{activity}/files", &["committee", "secretary"]),
        (
            "/activities/{activity}/files/{file}/delete",
            &["committee", "secretary"],
        ),
        ("/teams", &["committee", "secretary", "secretary2"]),
        ("/awards", &["committee", "secretary", "secretary2"]),
        ("/awards/{award}/steps", &["committee"]),
        ("/teams/{team}", &["committee", "secretary"]),
        ("/teams/{team}/members", &["committee", "secretary"]),
        (
            "/teams/{team}/members/{participation}/delete",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries/{entry}/delete",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries/{entry}/scores",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries/{entry}/scores/delete",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries/{entry}/rank",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/entries/{entry}/award",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/contest/method",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/awards/by-rank",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/awards/organizing",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/awards/organizing/{own}/delete",
            &["committee", "secretary"],
        ),
        (
            "/members/{member}/certificates",
            &["committee", "secretary", "secretary2"],
        ),
        (
            "/volunteers/{volunteer}/certificates",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/checkin",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/checkin/close",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/checkin/confirm",
            &["committee", "secretary"],
        ),
        (
            "/activities/{activity}/checkin/{entry}/confirm",
            &["committee", "secretary"],
        ),
        ("/assessments/weights", &["committee"]),
        ("/assessments/{year}/{assessee}", &["committee"]),
        ("/plans", &["committee"]),
        ("/plans/{plan}", &["committee"]),
        ("/plans/{plan}/notes", &["committee", "secretary"]),
    ]
}

/// Routes anyone may use, signed in or not: sign-in, health, static files, and check-in by
/// phone through a link's token (`{token}`, the fixture activity's open link).
pub const PUBLIC: [(&str, &str); 8] = [
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/static/{*path}"),
    ("GET", "/verify"),
    ("GET", "/checkin/{token}"),
    ("POST", "/checkin/{token}"),
];

/// The token of the check-in link `fill` opens for the fixture activity (43 characters,
/// as `random_token` makes them).
pub const CHECKIN_TOKEN: &str = "fixture-checkin-token-0123456789abcdefghijk";

/// The fixture activity's time, when its check-in link takes forms.
pub fn fixture_activity_time() -> chrono::DateTime<chrono::Utc> {
    "2019-06-09T02:00:00Z".parse().unwrap()
}

pub async fn fill(app: &TestApp, route: &str) -> String {
    let round: i64 = match sqlx::query_scalar("select survey_id from survey order by as_of desc limit 1")
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into survey (title, as_of, opens_on, closes_on) values ('测试轮次', '2019-06-01', '2019-05-01', '2099-06-30') returning survey_id",
        )
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let application: i64 = match sqlx::query_scalar("select formation_application_id from formation_application where unit_id = $1")
        .bind(own)
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
             values ($1, 'submitted', '社会事业局团支部', '团支部', 13, 25, now()) returning formation_application_id",
        )
        .bind(own)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let organization: i64 =
        sqlx::query_scalar("select organization_id from organization where kind = 'committee'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let branch: i64 =
        match sqlx::query_scalar("select organization_id from organization where unit_id = $1")
            .bind(own)
            .fetch_optional(&app.db)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => crate::members::secretary_org(app).await,
        };
    let leader = app.account_id("leader").await;
    let grant: i64 =
        sqlx::query_scalar("select account_role_id from account_role where account_id = $1")
            .bind(leader)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let fixtures = records(app, own, application, branch).await;
    let report: i64 = if route.contains("{report}") {
        match sqlx::query_scalar("select work_report_id from work_report order by 1 limit 1")
            .fetch_optional(&app.db)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => sqlx::query_scalar(
                "insert into work_report (period) values ('2018H1') returning work_report_id",
            )
            .fetch_one(&app.db)
            .await
            .unwrap(),
        }
    } else {
        0
    };
    // A cadre to assess: the secretary's account.
    let assessee = app.account_id("secretary").await;
    let plan = plan_record(app, branch).await;
    route
        .replace("{plan}", &plan.to_string())
        .replace("{report}", &report.to_string())
        .replace("{approved}", &fixtures.approved.to_string())
        .replace("{attachment}", &fixtures.attachment.to_string())
        .replace("{person}", &fixtures.person.to_string())
        .replace("{upload}", &fixtures.upload)
        .replace("{activity}", &fixtures.activity.to_string())
        .replace("{file}", &fixtures.file.to_string())
        .replace("{team}", &fixtures.team.to_string())
        .replace("{award}", &fixtures.award.to_string())
        .replace("{volunteer}", &fixtures.volunteer.to_string())
        .replace("{certificate}", &fixtures.certificate.to_string())
        .replace("{cadre}", "999999")
        .replace("{year}", "2018")
        .replace("{assessee}", &assessee.to_string())
        .replace("{participation}", "999999")
        .replace("{entry}", "999999")
        .replace("{token}", CHECKIN_TOKEN)
        .replace("{own}", &own.to_string())
        .replace("{leader}", &leader.to_string())
        .replace("{grant}", &grant.to_string())
        .replace("{round}", &round.to_string())
        .replace("{app}", &application.to_string())
        .replace("{org}", &organization.to_string())
        .replace("{branch}", &branch.to_string())
        .replace("{member}", "999999")
}

/// The records the deeper routes name: an approved application of the secretary's unit
/// (with a reply), an attachment of the pending one, a member of the secretary's branch,
/// a committee upload of the errors sample, and an activity of the branch with an open
/// check-in link. Made once per database.
struct Records {
    approved: i64,
    /// An activity the secretary's branch organised: a contest, so that the contest's
    /// routes answer too.
    activity: i64,
    /// A volunteer team the secretary's unit hosts.
    team: i64,
    /// A 青年文明号 creation of the secretary's unit.
    award: i64,
    /// A photo (with its thumbnail) of that activity.
    file: i64,
    attachment: i64,
    person: i64,
    upload: String,
    /// A young person who is not a member, taking part in that activity.
    volunteer: i64,
    /// A certificate the secretary's branch issued.
    certificate: i64,
}

async fn records(app: &TestApp, own: i64, application: i64, branch: i64) -> Records {
    let approved: i64 = match sqlx::query_scalar(
        "select formation_application_id from formation_application where state = 'approved' and unit_id = $1",
    )
    .bind(own)
    .fetch_optional(&app.db)
    .await
    .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count,
                                                submitted_at, decided_at, approval_number, approved_on)
             values ($1, 'approved', '社会事业局团支部', '团支部', 13, 25, now(), now(), '开团工委〔2019〕1号', '2019-07-01')
             returning formation_application_id",
        )
        .bind(own)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let attachment: i64 = match sqlx::query_scalar(
        "select application_attachment_id from application_attachment where formation_application_id = $1",
    )
    .bind(application)
    .fetch_optional(&app.db)
    .await
    .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into application_attachment (formation_application_id, file_name, content_type, content, size_bytes, uploaded_at)
             values ($1, '会议记录.pdf', 'application/pdf', '%PDF-1.4'::bytea, 8, now())
             returning application_attachment_id",
        )
        .bind(application)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let person: i64 =
        match sqlx::query_scalar("select member_id from member where organization_id = $1")
            .bind(branch)
            .fetch_optional(&app.db)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => {
                let birth = chrono::NaiveDate::from_ymd_opt(2000, 3, 4).unwrap();
                crate::members::store(
                    app,
                    &[crate::members::new_member(
                        branch,
                        "路由测试".into(),
                        birth,
                        11,
                    )],
                )
                .await;
                sqlx::query_scalar("select member_id from member where organization_id = $1")
                    .bind(branch)
                    .fetch_one(&app.db)
                    .await
                    .unwrap()
            }
        };
    let upload: uuid::Uuid = match sqlx::query_scalar("select upload_id from upload")
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into upload (upload_id, account_id, file_name, content, sha256, created_at)
             select gen_random_uuid(), account_id, 'errors.xlsx', $1, 'test', now()
               from account where username = 'committee'
             returning upload_id",
        )
        .bind(crate::workbooks::ERRORS_XLSX)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let activity: i64 =
        match sqlx::query_scalar("select activity_id from activity where organization_id = $1")
            .bind(branch)
            .fetch_optional(&app.db)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => sqlx::query_scalar(
                "insert into activity (kind, title, starts_at, ends_at, organization_id)
             values ('contest', '路由测试活动', '2019-06-09 01:00Z', '2019-06-09 09:00Z', $1)
             returning activity_id",
            )
            .bind(branch)
            .fetch_one(&app.db)
            .await
            .unwrap(),
        };
    let team: i64 = match sqlx::query_scalar("select volunteer_team_id from volunteer_team where unit_id = $1")
        .bind(own)
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into volunteer_team (name, domain, unit_id, leader_name, founded_on)
             values ('路由测试服务队', 'community', $1, '队长', '2019-05-04') returning volunteer_team_id",
        )
        .bind(own)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let award: i64 = match sqlx::query_scalar("select award_id from award where unit_id = $1")
        .bind(own)
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into award (name, collective, unit_id, leader_name, registered_on)
             values ('路由测试科', 'office', $1, '负责人', '2019-05-06') returning award_id",
        )
        .bind(own)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let (volunteer, certificate) = volunteer_records(app, activity, branch).await;
    let file: i64 = match sqlx::query_scalar("select activity_file_id from activity_file where activity_id = $1")
        .bind(activity)
        .fetch_optional(&app.db)
        .await
        .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into activity_file (activity_id, kind, file_name, content_type, size_bytes, content, thumbnail)
             values ($1, 'photo', '合影.jpg', 'image/jpeg', 3, '\\xffd8ff'::bytea, '\\xffd8ff'::bytea)
             returning activity_file_id",
        )
        .bind(activity)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    sqlx::query(
        "insert into checkin (activity_id, token_hash, token_cipher, token_version, opened_at)
         select $1, $2, $3, $4, '2019-06-01Z'
          where not exists (select 1 from checkin where activity_id = $1)",
    )
    .bind(activity)
    .bind(tuanjian::auth::session::token_hash(CHECKIN_TOKEN))
    .bind(crate::helpers::test_keys().encrypt(CHECKIN_TOKEN).1)
    .bind(crate::helpers::test_keys().encrypt(CHECKIN_TOKEN).0)
    .execute(&app.db)
    .await
    .unwrap();
    Records {
        approved,
        activity,
        team,
        award,
        file,
        volunteer,
        certificate,
        attachment,
        person,
        upload: upload.to_string(),
    }
}

/// A work-plan item the secretary's branch owns.
async fn plan_record(app: &TestApp, branch: i64) -> i64 {
    match sqlx::query_scalar(
        "select work_plan_item_id from work_plan_item where owner_organization_id = $1",
    )
    .bind(branch)
    .fetch_optional(&app.db)
    .await
    .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into work_plan_item (year, number, heading, owner_organization_id, due_on)
             values (2019, 1, '路由测试工作安排', $1, '2019-12-31') returning work_plan_item_id",
        )
        .bind(branch)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    }
}

/// A non-member's participation in `activity` and a certificate `branch` issued for them.
async fn volunteer_records(app: &TestApp, activity: i64, branch: i64) -> (i64, i64) {
    let volunteer: i64 = match sqlx::query_scalar(
        "select participation_id from participation where activity_id = $1 and member_id is null",
    )
    .bind(activity)
    .fetch_optional(&app.db)
    .await
    .unwrap()
    {
        Some(id) => id,
        None => sqlx::query_scalar(
            "insert into participation (activity_id, person_name, phone_cipher, phone_version, phone_masked,
                                        phone_index, role, hours_tenths)
             values ($1, '路由青年', '\\x00', 1, '138****0000', '\\x01', 'volunteer', 20)
             returning participation_id",
        )
        .bind(activity)
        .fetch_one(&app.db)
        .await
        .unwrap(),
    };
    let certificate: i64 =
        match sqlx::query_scalar("select volunteer_certificate_id from volunteer_certificate")
            .fetch_optional(&app.db)
            .await
            .unwrap()
        {
            Some(id) => id,
            None => sqlx::query_scalar(
                "insert into volunteer_certificate (number, phone_index, person_name, phone_masked, hours_tenths,
                        lines, issuer_organization_id, issuer_name, issued_on, issued_by, issued_at)
                 select 'TJ2019-0000000001', '\\x01', '路由青年', '138****0000', 20, '[]', $1, '社会事业局团支部',
                        '2019-07-01', account_id, now()
                   from account where username = 'committee'
                 returning volunteer_certificate_id",
            )
            .bind(branch)
            .fetch_one(&app.db)
            .await
            .unwrap(),
        };
    (volunteer, certificate)
}

#[tokio::test]
async fn the_certificate_verification_page_answers_everyone_without_signing_in() {
    let app = TestApp::spawn().await;
    let (status, body) = app.client().get_text("/verify").await;
    assert_eq!(status, 200);
    assert!(body.contains("志愿服务记录证明查验"));
    for username in ROLES {
        let client = app.signed_in(username).await;
        assert_eq!(client.get("/verify").await.status(), 200, "{username}");
    }
}

#[tokio::test]
async fn anonymous_requests_go_to_the_sign_in_page_or_get_401_from_the_api() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for (route, _) in get_routes() {
        let path = fill(&app, route).await;
        let response = client.get(&path).await;
        if path.starts_with("/api/") {
            assert_eq!(response.status(), 401, "{path}");
            let body: serde_json::Value = response.json().await.unwrap();
            assert!(body["error"].is_string());
        } else {
            assert_eq!(response.status(), 303, "{path}");
            let to = response.headers()["location"].to_str().unwrap();
            assert!(to.starts_with("/login"), "{path} → {to}");
        }
    }
    for (route, _) in post_routes() {
        let path = fill(&app, route).await;
        // With a valid pre-sign-in token, so that only the missing session stops it.
        let response = client.post_form(&path, &[]).await;
        assert_eq!(response.status(), 303, "POST {path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login")
        );
    }
    let (status, body) = client.get_text("/login").await;
    assert_eq!(status, 200);
    assert!(body.contains("name=\"username\"") && body.contains("name=\"password\""));
}

#[tokio::test]
async fn every_route_refuses_the_wrong_roles_with_403() {
    let app = TestApp::spawn().await;
    for username in ROLES {
        let client = app.signed_in(username).await;
        for (route, allowed) in get_routes() {
            let path = fill(&app, route).await;
            let status = client.get(&path).await.status().as_u16();
            if allowed.contains(&username) {
                assert!(
                    status == 200 || status == 303,
                    "{username} GET {path}: {status}"
                );
            } else if out_of_scope(route, username) {
                assert_eq!(status, 404, "{username} GET {path} (out of scope)");
            } else {
                assert_eq!(status, 403, "{username} GET {path}");
            }
        }
        for (route, allowed) in post_routes() {
            if allowed.contains(&username) || route == "/logout" {
                continue;
            }
            let path = fill(&app, route).await;
            let response = client
                .post_form(
                    &path,
                    &[("role", "admin"), ("new_password", "another-long-password")],
                )
                .await;
            // A secretary writing another unit's report finds no such unit.
            let expected =
                if out_of_scope(route, username) && !allowed.iter().all(|a| *a == "committee") {
                    404
                } else {
                    403
                };
            assert_eq!(response.status(), expected, "{username} POST {path}");
        }
    }
    // Nothing was changed by the refused requests.
    assert_eq!(app.audit_count("account.disabled").await, 0);
    assert_eq!(app.audit_count("account.role_added").await, 0);
    assert_eq!(app.audit_count("account.role_removed").await, 0);
    assert_eq!(app.audit_count("account.password_reset").await, 0);
    assert_eq!(app.audit_count("account.unlocked").await, 0);
    assert_eq!(app.audit_count("unit.closed").await, 0);
    assert_eq!(app.audit_count("survey.locked").await, 0);
    assert_eq!(app.audit_count("survey.discarded").await, 0);
    assert_eq!(app.audit_count("application.approved").await, 0);
    assert_eq!(app.audit_count("organization.updated").await, 0);
}

#[tokio::test]
async fn a_secretary_cannot_reach_another_units_page_or_api_by_changing_the_id() {
    let app = TestApp::spawn().await;
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let other = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let secretary = app.signed_in("secretary").await;
    let (status, body) = secretary.get_text(&format!("/units/{own}")).await;
    assert_eq!(status, 200);
    assert!(body.contains(tuanjian::demo::SECRETARY_UNIT));
    let (status, body) = secretary.get_text(&format!("/units/{other}")).await;
    assert_eq!(status, 404);
    assert!(!body.contains(tuanjian::demo::SECRETARY2_UNIT));
    let response = secretary.get(&format!("/api/v1/units/{other}")).await;
    assert_eq!(response.status(), 404);
    let response = secretary.get(&format!("/api/v1/units/{own}")).await;
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["name"], tuanjian::demo::SECRETARY_UNIT);
    // The committee sees both.
    let committee = app.signed_in("committee").await;
    assert_eq!(
        committee.get(&format!("/units/{other}")).await.status(),
        200
    );
    // An id that does not exist is 404 for everyone.
    assert_eq!(committee.get("/units/999999").await.status(), 404);
}

#[tokio::test]
async fn unknown_paths_get_a_chinese_404_page_that_shows_nothing_internal() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    let (status, body) = client.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"));
    let (status, body) = client.get_text("/units/not-a-number").await;
    assert!(status == 400 || status == 404, "{status}");
    assert!(!body.contains("ParseIntError") && !body.to_lowercase().contains("sqlx"));
    let response = client.get("/api/v1/nothing").await;
    assert_eq!(response.status(), 404);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["error"], "页面不存在");
}

#[tokio::test]
async fn health_and_readiness_answer_without_signing_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let (status, body) = client.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, body) = client.get_text("/readyz").await;
    assert_eq!((status, body.as_str()), (200, "ready"));
    app.state.db.close().await;
    let (status, _) = client.get_text("/readyz").await;
    assert_eq!(status, 503);
}

#[tokio::test]
async fn a_database_failure_shows_a_chinese_500_page_with_nothing_internal() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    app.state.db.close().await;
    let (status, body) = client.get_text("/dashboard").await;
    assert_eq!(status, 500);
    assert!(body.contains("系统出错了"));
    for internal in ["pool", "sqlx", "PgDatabaseError", "closed", "src/"] {
        assert!(!body.contains(internal), "the page shows {internal}");
    }
}
