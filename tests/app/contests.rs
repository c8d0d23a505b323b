//! Contests (issue 16 item 6): entries by unit or person, judges' scores (trimmed mean from
//! five judges) or typed ranks, ties, awards by hand and by rank, 优秀组织奖, the results
//! page, the printable awards list, the workbook and the demo's two contests. Bad input
//! and who may do what are in `contests_input`.
//!
//! Over 300 lines because the first test is one flow from the entries to the printed list
//! and the workbook, so that the awards checked follow from the scores it records.

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::helpers::{Client, TestApp};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// A contest recorded by `client` for organisation `org`; its page's path.
pub(crate) async fn contest(client: &Client, org: &str, title: &str) -> String {
    let response = client
        .post_form(
            "/activities",
            &[
                ("organization_id", org),
                ("kind", "contest"),
                ("title", title),
                ("starts_at", "2018-06-28T10:00"),
                ("ends_at", "2018-06-28T17:00"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

pub(crate) async fn flashed(client: &Client, path: &str, fields: &[(&str, &str)]) -> String {
    let response = client.post_form(path, fields).await;
    assert_eq!(response.status(), 303, "{path}");
    client.follow(response).await.1
}

pub(crate) async fn enterprises(app: &TestApp, n: i64) -> Vec<String> {
    sqlx::query_scalar("select name from unit where kind = 'enterprise' order by name limit $1")
        .bind(n)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn entry_id(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("select contest_entry_id from contest_entry where title = $1")
        .bind(title)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn written(app: &TestApp) -> (i64, i64, i64) {
    sqlx::query_as(
        "select (select count(*) from contest_entry), (select count(*) from contest_score),
                (select count(*) from contest_entry where award is not null or typed_rank is not null)
                + (select count(*) from contest_organizing_award) + (select count(*) from contest)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_contest_is_scored_ranked_with_ties_and_awarded_and_its_list_printed() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let page = contest(&committee, &app.committee_org().await, "环保宣传片大赛").await;
    let results = format!("{page}/results");
    let units = enterprises(&app, 4).await;
    for (unit, title) in units
        .iter()
        .zip(["绿水青山", "蓝天卫士", "戈壁绿洲", "净土"])
    {
        let done = flashed(
            &committee,
            &format!("{page}/entries"),
            &[("by", "unit"), ("unit", unit), ("title", title)],
        )
        .await;
        assert!(done.contains("已登记参赛作品"), "{done}");
    }
    let again = flashed(
        &committee,
        &format!("{page}/entries"),
        &[("by", "unit"), ("unit", &units[0]), ("title", "又一部")],
    )
    .await;
    assert!(again.contains(&format!("“{}”已有参赛作品", units[0])));
    let person = flashed(
        &committee,
        &format!("{page}/entries"),
        &[
            ("by", "person"),
            ("name", "李青"),
            ("unit", &units[1]),
            ("title", "我的家园"),
        ],
    )
    .await;
    assert!(person.contains("已登记参赛作品"));

    // Five judges: the highest and lowest are left out of 绿水青山's mean.
    let first = entry_id(&app, "绿水青山").await;
    for (judge, score) in [
        ("甲", "99"),
        ("乙", "85"),
        ("丙", "86"),
        ("丁", "87"),
        ("戊", "60"),
    ] {
        let done = flashed(
            &committee,
            &format!("{page}/entries/{first}/scores"),
            &[("judge", judge), ("score", score)],
        )
        .await;
        assert!(done.contains("已保存评分"), "{done}");
    }
    // 蓝天卫士 and 戈壁绿洲 tie at 90.5 (two judges each); 净土 at 80.
    for (title, scores) in [
        ("蓝天卫士", [("甲", "90"), ("乙", "91")]),
        ("戈壁绿洲", [("甲", "90.5"), ("乙", "90.5")]),
        ("净土", [("甲", "80"), ("乙", "８０")]),
    ] {
        let id = entry_id(&app, title).await;
        for (judge, score) in scores {
            committee
                .post_form(
                    &format!("{page}/entries/{id}/scores"),
                    &[("judge", judge), ("score", score)],
                )
                .await;
        }
    }
    let (_, shown) = committee.get_text(&results).await;
    let at = shown.find("data-testid=\"ranking\"").unwrap();
    let ranking = &shown[at..];
    let order: Vec<usize> = ["蓝天卫士", "戈壁绿洲", "绿水青山", "净土", "我的家园"]
        .iter()
        .map(|t| ranking.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(ranking.matches("并列第1名").count(), 2);
    assert!(ranking.contains("第3名") && ranking.contains("第4名"));
    assert!(ranking.contains(">86<") && ranking.contains(">90.5<"));
    assert!(ranking.contains("（去掉最高、最低分）"));

    // A judge's second score replaces the first; the plain mean counts every judge.
    committee
        .post_form(
            &format!("{page}/entries/{first}/scores"),
            &[("judge", "戊"), ("score", "70")],
        )
        .await;
    let method = flashed(
        &committee,
        &format!("{page}/contest/method"),
        &[("method", "mean")],
    )
    .await;
    assert!(method.contains("计分方式已改为“评委平均分”"));
    assert!(method.contains(">85.4<"), "(99+85+86+87+70)/5");

    // Awards by rank: one first, one second — the tie at first takes both firsts.
    let awarded = flashed(
        &committee,
        &format!("{page}/awards/by-rank"),
        &[
            ("first", "1"),
            ("second", "1"),
            ("third", ""),
            ("excellent", "1"),
        ],
    )
    .await;
    assert!(
        awarded.contains("已按名次评定奖项（3个作品的奖项有变化）"),
        "{awarded}"
    );
    let awards: Vec<(String, Option<String>)> =
        sqlx::query_as("select title, award from contest_entry order by contest_entry_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let award = |t: &str| awards.iter().find(|(x, _)| x == t).unwrap().1.clone();
    assert_eq!(award("蓝天卫士").as_deref(), Some("first"));
    assert_eq!(award("戈壁绿洲").as_deref(), Some("first"));
    assert_eq!(award("绿水青山").as_deref(), Some("excellent"));
    assert_eq!(award("净土"), None);
    assert_eq!(award("我的家园"), None);
    // By hand: one award per entry, replaced.
    let jing = entry_id(&app, "净土").await;
    let done = flashed(
        &committee,
        &format!("{page}/entries/{jing}/award"),
        &[("award", "third")],
    )
    .await;
    assert!(done.contains("已评为三等奖"));
    let organizing = flashed(
        &committee,
        &format!("{page}/awards/organizing"),
        &[("unit", &units[3])],
    )
    .await;
    assert!(organizing.contains("获优秀组织奖"));

    let (status, print) = committee.get_text(&format!("{results}/print")).await;
    assert_eq!(status, 200);
    assert!(print.contains("《环保宣传片大赛》获奖名单"));
    let groups: Vec<usize> = [
        "一等奖（2）",
        "三等奖（1）",
        "优秀奖（1）",
        "优秀组织奖（1）",
    ]
    .iter()
    .map(|g| print.find(g).unwrap_or_else(|| panic!("{g}")))
    .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]));
    assert!(!print.contains("二等奖（"));
    assert!(print.contains("data-print") && print.contains("no-print"));

    let response = committee.get(&format!("{results}/export")).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let list = book.worksheet_range("获奖名单").unwrap();
    assert_eq!(
        list.get((0, 0)),
        Some(&Data::String("《环保宣传片大赛》获奖名单".into()))
    );
    assert_eq!(list.get((2, 0)), Some(&Data::String("一等奖".into())));
    let rank = book.worksheet_range("成绩排名").unwrap();
    assert_eq!(rank.get((2, 0)), Some(&Data::String("并列第1名".into())));
    assert_eq!(rank.get((2, 4)), Some(&Data::Float(90.5)));

    // Removing an entry takes its scores with it.
    let scores_before = written(&app).await.1;
    let done = flashed(&committee, &format!("{page}/entries/{first}/delete"), &[]).await;
    assert!(done.contains("已删除该参赛作品"));
    assert_eq!(written(&app).await.1, scores_before - 5);
    assert_eq!(app.audit_count("contest.entry_added").await, 5);
    assert_eq!(app.audit_count("contest.entry_removed").await, 1);
    assert!(app.audit_count("contest.scored").await >= 12);
    assert_eq!(app.audit_count("contest.awarded").await, 3);
    assert_eq!(app.audit_count("contest.method_changed").await, 1);
}

#[tokio::test]
async fn typed_ranks_place_entries_and_show_ties() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let page = contest(&committee, &app.committee_org().await, "好声音").await;
    // 甲歌手 takes part already: the entry by that name is linked to them.
    committee
        .post_form(
            &format!("{page}/participants/person"),
            &[
                ("name", "甲歌手"),
                ("phone", "13800138000"),
                ("role", "contestant"),
            ],
        )
        .await;
    committee
        .post_form(&format!("{page}/contest/method"), &[("method", "rank")])
        .await;
    for (name, song) in [("甲歌手", "歌一"), ("乙歌手", "歌二"), ("丙歌手", "歌三")]
    {
        committee
            .post_form(
                &format!("{page}/entries"),
                &[("by", "person"), ("name", name), ("title", song)],
            )
            .await;
    }
    for (song, rank) in [("歌一", "2"), ("歌二", "1"), ("歌三", "2")] {
        let id = entry_id(&app, song).await;
        let done = flashed(
            &committee,
            &format!("{page}/entries/{id}/rank"),
            &[("rank", rank)],
        )
        .await;
        assert!(done.contains("已保存名次"), "{done}");
    }
    let linked: Vec<(String, bool)> = sqlx::query_as(
        "select person_name, participation_id is not null from contest_entry order by contest_entry_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        linked,
        [
            ("甲歌手".to_string(), true),
            ("乙歌手".to_string(), false),
            ("丙歌手".to_string(), false)
        ]
    );
    let (_, shown) = committee.get_text(&format!("{page}/results")).await;
    assert!(shown.contains("直接录入名次"));
    assert_eq!(shown.matches("并列第2名").count(), 2);
    assert!(shown.find("歌二").unwrap() < shown.find("歌一").unwrap());
    assert!(!shown.contains("评委评分"));
}

#[tokio::test]
async fn the_demo_holds_the_seeds_two_contests_with_entries_scores_and_awards() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let per_contest: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "select a.title, count(distinct e.contest_entry_id), count(s.*),
                count(distinct e.contest_entry_id) filter (where e.person_name is not null),
                (select count(*) from contest_organizing_award o where o.activity_id = a.activity_id)
           from activity a join contest_entry e using (activity_id)
           left join contest_score s using (contest_entry_id)
          group by a.activity_id order by a.starts_at",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(per_contest.len(), 2, "{per_contest:?}");
    let (singing, video) = (&per_contest[0], &per_contest[1]);
    assert!(singing.0.contains("好声音") && video.0.contains("环保宣传片"));
    // Eight enterprises' videos, five judges each, entered by unit.
    assert_eq!((video.1, video.2, video.3, video.4), (8, 40, 0, 0));
    // Singers entered by person, with 优秀组织奖 for two units.
    assert!(singing.1 >= 3, "{singing:?}");
    assert_eq!(
        (singing.2, singing.3, singing.4),
        (singing.1 * 5, singing.1, 2)
    );
    let awards: Vec<(String, i64)> = sqlx::query_as(
        "select e.award, count(*) from contest_entry e join activity a using (activity_id)
          where a.title like '%宣传片%' and e.award is not null group by e.award order by e.award",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let count = |a: &str| awards.iter().find(|(x, _)| x == a).map_or(0, |(_, n)| *n);
    assert!(
        count("first") >= 1
            && count("first") + count("second") + count("third") + count("excellent") == 8
    );
    let video_id: i64 =
        sqlx::query_scalar("select activity_id from activity where title like '%宣传片%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (status, print) = app
        .signed_in("leader")
        .await
        .get_text(&format!("/activities/{video_id}/results/print"))
        .await;
    assert_eq!(status, 200);
    assert!(print.contains("《“美丽中国，青年先行者”环保宣传片大赛》获奖名单"));
    assert!(print.contains("一等奖（"));
}
