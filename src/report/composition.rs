//! The composition of a work summary from facts: the seed's order of items, the staff's
//! words after the figures, and headings they changed.

use chrono::NaiveDate;

use super::work_summary::{
    ActivityFacts, BranchFacts, Facts, ItemWords, PlanFacts, Words, compose,
};
use super::{Period, text};
use crate::domain::activity::Kind;
use crate::domain::ids::ActivityId;

fn activity(id: i64, kind: Kind, title: &str, series: &str, day: (u32, u32)) -> ActivityFacts {
    let day = NaiveDate::from_ymd_opt(2018, day.0, day.1).unwrap();
    ActivityFacts {
        id: ActivityId(id),
        kind,
        title: title.into(),
        series: series.into(),
        days: (day, day),
        organizer: "开发区团工委".into(),
        units: id,
        participants: 10 * id,
        hours_tenths: if kind == Kind::Volunteer { 125 } else { 0 },
    }
}

fn facts(words: Words) -> Facts {
    Facts {
        committee: "开发区团工委".into(),
        period: Period::parse("2018H1").unwrap(),
        round: None,
        activities: vec![
            activity(
                1,
                Kind::Contest,
                "开发区迎新年暨第三届“好声音”歌唱比赛",
                "好声音",
                (1, 12),
            ),
            activity(2, Kind::Volunteer, "青年环保行，助力环塔赛", "", (6, 9)),
            activity(
                3,
                Kind::Contest,
                "“美丽中国，青年先行者”环保宣传片大赛",
                "",
                (6, 28),
            ),
        ],
        branches: BranchFacts {
            activities: 4,
            participants: 60,
            hours_tenths: 0,
        },
        plan: vec![PlanFacts {
            key: "plan:1".into(),
            heading: "加强组织领导".into(),
            text: "配备专人专岗。".into(),
        }],
        words,
    }
}

#[test]
fn the_seeds_activities_come_in_the_seeds_order_after_organisation_building() {
    let report = compose(&facts(Words::default()));
    let items: Vec<(&str, &str)> = report.sections[0]
        .items
        .iter()
        .map(|i| (i.number.as_str(), i.heading.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("（一）", "夯实工作基础，健全基层团组织"),
            ("（二）", "加强志愿者服务，开展志愿服务活动"),
            ("（三）", "积极搭建平台，展现青年风采"),
            ("（四）", "组织开发区迎新年暨第三届“好声音”歌唱比赛"),
            ("（五）", "基层团组织开展活动"),
        ]
    );
    assert_eq!(report.sections[0].items[0].text, "尚无摸排数据。");
    assert_eq!(
        report.sections[0].items[1].text,
        "6月9日，开发区团工委组织开展“青年环保行，助力环塔赛”，2家单位、20人参加，志愿服务时长共12.5小时。"
    );
    assert_eq!(
        report.sections[0].items[4].text,
        "2018年上半年，各基层团组织共开展活动4次，参加60人次。"
    );
    assert_eq!(
        report.title,
        "开发区团工委2018年上半年工作总结及2019年工作计划"
    );
    assert_eq!(report.sections[1].items[0].number, "（一）");
}

#[test]
fn the_staffs_words_follow_the_figures_and_their_headings_replace_the_default() {
    let mut words = Words {
        opening: "2018年，团工委在党工委领导下开展工作。".into(),
        closing: "请各位领导批评指正。".into(),
        ..Default::default()
    };
    words.items.insert(
        "kind:volunteer".into(),
        ItemWords {
            heading: Some("加强志愿者服务，建立各企业志愿服务联动".into()),
            text: "活动增进了各企业之间的交流。".into(),
        },
    );
    let report = compose(&facts(words));
    let rally = &report.sections[0].items[1];
    assert_eq!(rally.heading, "加强志愿者服务，建立各企业志愿服务联动");
    assert!(rally.text.ends_with("小时。活动增进了各企业之间的交流。"));
    let written = text::write(&report);
    assert!(
        written.starts_with("开发区团工委2018年上半年工作总结及2019年工作计划\n\n2018年，团工委")
    );
    assert!(written.contains("\n\n（一）加强组织领导。配备专人专岗。\n\n请各位领导批评指正。\n"));
}
