//! A member's data exported for them on request (PIPL art. 45, issue 18 item 7): the
//! committee, or the member's own secretary for an adult, downloads one workbook of all
//! that is held about them, full ID included; every export is audited; nobody else may.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::NaiveDate;
use tuanjian::domain::resident_id::ResidentId;

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::participation::{flashed, rally};
use crate::survey::import_sample;

/// Every sheet of a workbook: its name and its rows of text.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn a_members_data_is_exported_whole_for_those_who_may_see_their_full_id() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let branch = secretary_org(&app).await;
    let adult = NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    let minor = app.clock.today() - chrono::Days::new(16 * 366);
    store(
        &app,
        &[
            new_member(branch, "数据甲".into(), adult, 11),
            new_member(branch, "数据乙".into(), minor, 13),
        ],
    )
    .await;
    let ids: Vec<(i64, String)> =
        sqlx::query_as("select member_id, name from member order by member_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let (member, young) = (ids[0].0, ids[1].0);
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    flashed(
        &committee,
        &format!("{page}/participants/member"),
        &[("name", "数据甲"), ("role", "volunteer")],
    )
    .await;

    let path = format!("/members/{member}/personal-data");
    let (_, shown) = committee.get_text(&format!("/members/{member}")).await;
    assert!(
        shown.contains(&format!("href=\"{path}\"")),
        "the page offers it"
    );
    let response = committee.get(&path).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("personal-data.xlsx")
    );
    let book = sheets(&response.bytes().await.unwrap());
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "基本信息",
            "变动记录",
            "团员评议",
            "组织关系转接",
            "志愿服务"
        ]
    );
    let full = ResidentId::compose("652301", adult, 11)
        .unwrap()
        .as_str()
        .to_string();
    let record = &book[0].1;
    assert!(
        record.contains(&vec!["公民身份号码".to_string(), full.clone()]),
        "{record:?}"
    );
    assert!(record.contains(&vec!["姓名".to_string(), "数据甲".to_string()]));
    assert!(
        book[4]
            .1
            .iter()
            .any(|r| r.contains(&"青年环保行，助力环塔赛".to_string()))
    );
    assert_eq!(app.audit_count("member.data_exported").await, 1);

    // The member's own secretary for an adult; not for a minor, not the leader, not
    // another unit's secretary.
    let secretary = app.signed_in("secretary").await;
    assert_eq!(secretary.get(&path).await.status(), 200);
    assert_eq!(
        secretary
            .get(&format!("/members/{young}/personal-data"))
            .await
            .status(),
        403
    );
    assert_eq!(app.signed_in("leader").await.get(&path).await.status(), 403);
    assert_eq!(
        app.signed_in("secretary2").await.get(&path).await.status(),
        404
    );
    assert_eq!(app.signed_in("admin").await.get(&path).await.status(), 403);
    assert_eq!(app.audit_count("member.data_exported").await, 2);
}
