//! 青年文明号's forms refuse bad input with a message naming the field and write nothing:
//! the registration (every field, an unknown unit, a collective the unit does not have, a
//! unit outside a secretary's scope, a taken name) and each step's form.

use tuanjian::demo::SECRETARY2_UNIT;

use crate::awards::{ENTERPRISE, count, enterprise, fields, register, state_of, step};
use crate::helpers::TestApp;

#[tokio::test]
async fn bad_input_on_every_form_is_refused_with_a_message_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    let committee = app.signed_in("committee").await;
    let secretary = app.signed_in("secretary").await;
    let tomorrow = (app.clock.today() + chrono::Duration::days(1)).to_string();
    let tomorrow = tomorrow.as_str();

    let empty = [("name", ""), ("collective", ""), ("registered_on", "")];
    let response = committee.post_form("/awards", &empty).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for message in [
        "集体名称：请填写",
        "集体类型：请选择科室、工段、班组或团队",
        "所属单位：请填写所属单位的全称",
        "负责人：请填写",
        "备案日期：请填写",
    ] {
        assert!(body.contains(message), "{message}");
    }
    let refused = [
        (
            committee.clone(),
            fields("电仪工段", "section", "没有这个单位", "2019-03-01"),
            "所属单位：没有名为“没有这个单位”的单位",
        ),
        (
            committee.clone(),
            fields("电仪工段", "office", ENTERPRISE, "2019-03-01"),
            "集体类型：企业不设科室",
        ),
        (
            committee.clone(),
            fields("电仪工段", "section", ENTERPRISE, tomorrow),
            "备案日期：不能晚于今天",
        ),
        (
            committee.clone(),
            fields("电仪工段", "section", ENTERPRISE, "2019-02-30"),
            "备案日期：不是有效的日期",
        ),
        (
            secretary.clone(),
            fields("环境监测科", "office", SECRETARY2_UNIT, "2019-03-01"),
            "所属单位：“开发区生态环境局”不在您管理的范围内",
        ),
    ];
    for (client, form, message) in &refused {
        let response = client.post_form("/awards", form).await;
        assert_eq!(response.status(), 422, "{message}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}");
        assert!(
            body.contains("value=\"2019") || body.contains(tomorrow),
            "the form keeps what was typed"
        );
    }
    assert_eq!(count(&app, "award").await, 0);
    assert_eq!(app.audit_count("award.registered").await, 0);

    let page = register(
        &committee,
        &fields("电仪工段", "section", ENTERPRISE, "2019-03-01"),
    )
    .await;
    let response = committee
        .post_form(
            "/awards",
            &fields("电仪工段", "section", ENTERPRISE, "2019-04-01"),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("集体名称：“电仪工段”已有青年文明号创建记录")
    );

    // Each step's form, with what it must not take.
    let bad_steps: [(&[(&str, &str)], &str); 7] = [
        (
            &[("step", "approve"), ("dated_on", "2019-04-01")],
            "办理事项：请选择要办理的事项",
        ),
        (&[("step", "start"), ("dated_on", "")], "日期：请填写"),
        (
            &[("step", "start"), ("dated_on", "2019-04-31")],
            "日期：不是有效的日期",
        ),
        (
            &[("step", "start"), ("dated_on", tomorrow)],
            "日期：不能晚于今天",
        ),
        (
            &[
                ("step", "recognize"),
                ("dated_on", "2019-10-08"),
                ("level", "county"),
            ],
            "认定级别：请选择开发区级、地市级、省级或全国；认定文号：请填写",
        ),
        (
            &[("step", "warn"), ("dated_on", "2019-04-01"), ("note", " ")],
            "理由：请写明理由",
        ),
        (
            &[("step", "revoke"), ("dated_on", "2019-04-01")],
            "理由：请写明理由",
        ),
    ];
    for (form, message) in bad_steps {
        let said = step(&committee, &page, form).await;
        assert!(said.contains(message), "{message}: {said}");
    }
    let long = "很".repeat(2001);
    let said = step(
        &committee,
        &page,
        &[
            ("step", "start"),
            ("dated_on", "2019-04-01"),
            ("note", long.as_str()),
        ],
    )
    .await;
    assert!(said.contains("说明：不能超过2000个字"), "{said}");
    assert_eq!(state_of(&app, &page).await, "registered");
    assert_eq!(count(&app, "award_step").await, 1);
    assert_eq!(app.audit_count("award.advanced").await, 0);
}
