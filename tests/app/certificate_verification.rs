//! The public verification page for 志愿服务记录证明 (issue 16 item 5): no account, only
//! the masked name, hours, issuer and date; unknown numbers and bad input said plainly;
//! lookups limited per address so that numbers cannot be enumerated.

use crate::certificates::{committee_name, issue, number_of, volunteer};
use crate::helpers::TestApp;

#[tokio::test]
async fn the_public_verification_shows_only_the_masked_name_hours_issuer_and_date() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    let committee = app.signed_in("committee").await;
    let certificate = issue(&committee, &format!("/members/{}/certificates", v.member)).await;
    let number = number_of(&app, &certificate).await;

    let anyone = app.client();
    let (status, form) = anyone.get_text("/verify").await;
    assert_eq!(status, 200);
    assert!(
        form.contains("id=\"verify-form\"") && !form.contains("data-testid=\"verify-message\"")
    );
    let (status, found) = anyone.get_text(&format!("/verify?number={number}")).await;
    assert_eq!(status, 200);
    assert!(
        found.contains("data-testid=\"verify-name\">志**甲<"),
        "{found}"
    );
    assert!(found.contains("data-testid=\"verify-hours\">109.5<"));
    assert!(found.contains(&format!(
        "data-testid=\"verify-issuer\">{}<",
        committee_name(&app).await
    )));
    assert!(found.contains("该证明真实有效"));
    for hidden in [
        "志愿小甲",
        "652301",
        "青年环保行",
        "社区关爱行动",
        "一星",
        "社会事业局",
    ] {
        assert!(!found.contains(hidden), "the verification shows {hidden}");
    }
    // Typed loosely: lower case, spaces for the hyphen, O for 0.
    let loose = number.to_lowercase().replace('-', " ").replace('0', "o");
    let (status, again) = anyone
        .get_text(&format!("/verify?number={}", loose.replace(' ', "+")))
        .await;
    assert_eq!(status, 200);
    assert!(again.contains("109.5"));

    // An unknown number says only that it was not found.
    let (status, unknown) = anyone.get_text("/verify?number=TJ2026-0000000000").await;
    assert_eq!(status, 404);
    assert!(unknown.contains("未找到该编号的志愿服务记录证明"));
    assert!(!unknown.contains("data-testid=\"verify-result\""));
    // Bad input is named as such.
    for bad in ["abc", "TJ2026-ABCDEFGHJU", "%3Cscript%3E"] {
        let (status, page) = anyone.get_text(&format!("/verify?number={bad}")).await;
        assert_eq!(status, 422, "{bad}");
        assert!(page.contains("证明编号格式不正确"), "{bad}");
        assert!(!page.contains("<script>"));
    }
}

#[tokio::test]
async fn verification_lookups_are_limited_per_address_so_numbers_cannot_be_enumerated() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    let committee = app.signed_in("committee").await;
    let certificate = issue(&committee, &format!("/members/{}/certificates", v.member)).await;
    let number = number_of(&app, &certificate).await;
    let anyone = app.client();
    for i in 0..10 {
        let (status, _) = anyone
            .get_text(&format!("/verify?number=TJ2026-00000000{i:02}"))
            .await;
        assert_eq!(status, 404);
    }
    // Past the limit even a real number is refused, and says so.
    let (status, page) = anyone.get_text(&format!("/verify?number={number}")).await;
    assert_eq!(status, 429);
    assert!(page.contains("查验过于频繁") && !page.contains("109.5"));
    // The form itself still answers; after the window, lookups work again.
    assert_eq!(anyone.get_text("/verify").await.0, 200);
    app.clock.advance(chrono::Duration::minutes(11));
    let (status, page) = anyone.get_text(&format!("/verify?number={number}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("109.5"));
}
