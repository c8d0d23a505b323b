//! Workbooks the app writes: every export escapes text a spreadsheet could take for a
//! formula, and the roster template and the survey export import back as written.

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::{Cell, SAMPLE_XLSX, grid};

const FORMULA: &str = "=HYPERLINK(\"x\")";

/// The texts of the first sheet's cells that mention HYPERLINK.
fn hyperlinks(bytes: &[u8]) -> Vec<String> {
    grid(bytes)
        .into_iter()
        .flatten()
        .filter_map(|cell| match cell {
            Cell::Text(t) if t.contains("HYPERLINK") => Some(t),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_name_that_looks_like_a_formula_is_escaped_in_every_export() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    // A unit on the reminder list, and the secretary's organisation (in the survey export
    // too) with one member.
    sqlx::query(
        "update unit set name = $1 where unit_id = (
           select u.unit_id from survey_entry e join unit u using (unit_id)
            where e.survey_id = $2 and e.members >= 3 and not u.has_organization
              and not u.application_pending
            order by u.name limit 1)",
    )
    .bind(FORMULA)
    .bind(done.survey_id)
    .execute(&app.db)
    .await
    .unwrap();
    let org = secretary_org(&app).await;
    sqlx::query("update organization set name = $1 where organization_id = $2")
        .bind(FORMULA)
        .bind(org)
        .execute(&app.db)
        .await
        .unwrap();
    let born = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    store(&app, &[new_member(org, "王小明".into(), born, 1)]).await;
    let committee = app.signed_in("committee").await;
    let escaped = format!("'{FORMULA}");

    for path in [
        "/reminders/export".to_string(),
        format!("/surveys/{}/export", done.survey_id),
        "/members/export".to_string(),
    ] {
        let response = committee.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        let bytes = response.bytes().await.unwrap();
        let found = hyperlinks(&bytes);
        assert!(!found.is_empty(), "{path}");
        assert!(found.iter().all(|t| *t == escaped), "{path}: {found:?}");
    }
}
