//! The work summary and plan composed from facts, in the seed's structure: 一、the period's
//! work, whose first item is organisation building with the survey round's figures and
//! whose next items are the committee's activities grouped by kind or series, then a
//! summary of the organisations' own; 二、next year's work-plan items. Every figure is a
//! `Part::Figure`; the staff's words (`Words`) follow the figures of each item.

use super::{Item, Link, Part, Period, Section, WorkSummary, day_span, deadline, month_day};
use crate::domain::activity::Kind;
use crate::domain::participation::hours_text;

mod facts;

pub use facts::{ActivityFacts, BranchFacts, Facts, ItemWords, PlanFacts, RoundFacts, Words};

fn words(text: &str) -> Part {
    Part::Words(text.to_string())
}

fn figure(value: impl ToString, link: Link) -> Part {
    Part::Figure {
        value: value.to_string(),
        link: Some(link),
    }
}

/// The first item: the round's figures in the seed's sentence.
fn organization(round: Option<&RoundFacts>) -> Vec<Part> {
    let Some(r) = round else {
        return vec![words("尚无摸排数据。")];
    };
    let units = |figure_key: &str| Link::Units {
        survey: r.survey,
        figure: figure_key.to_string(),
    };
    let mut parts = vec![
        words(&format!("截止{}，共计摸排实体运行企业", month_day(r.as_of))),
        figure(r.enterprises_operating, units("enterprises_operating")),
        words("家，部门"),
        figure(
            r.departments + r.communities,
            units("departments_communities"),
        ),
        words("个（"),
        figure(r.departments, units("departments")),
        words("个部门、"),
        figure(r.communities, units("communities")),
        words("个社区）。共摸底团员人数"),
        figure(r.members, units("members")),
        words("人，青年人数"),
        figure(r.youth, units("youth")),
        words("人；其中有团员的企业"),
        figure(
            r.enterprises_with_members,
            units("enterprises_with_members"),
        ),
        words("家，已组建团组织的"),
        figure(
            r.enterprises_with_organization,
            units("enterprises_with_organization"),
        ),
        words("家；已获取批复的部门及社区有"),
        figure(
            r.departments_communities_approved,
            units("departments_communities_approved"),
        ),
        words("个"),
    ];
    if r.departments_communities_pending > 0 {
        parts.push(words("，另有"));
        parts.push(figure(
            r.departments_communities_pending,
            units("departments_communities_pending"),
        ));
        parts.push(words("个部门及社区的建团申请待批复"));
    }
    parts.push(words("。"));
    let goal = r.deadline.map(|d| {
        format!(
            "确保{}前所有具备建立团支部条件的部门、社区及企业完成团支部的建立。",
            deadline(d)
        )
    });
    if r.reminded > 0 {
        parts.push(words("目前已督促"));
        parts.push(figure(r.reminded, Link::Reminders));
        parts.push(words("个具备建团条件而尚未上报申请的单位"));
        parts.push(words(&goal.map_or("。".into(), |g| format!("，{g}"))));
    } else if let Some(goal) = goal {
        parts.push(words(&goal));
    }
    parts
}

/// The heading an activity group has until the staff change it.
fn group_heading(kind: Kind, series: &str, only: Option<&str>) -> String {
    if !series.is_empty() {
        return match only {
            Some(title) => format!("组织{title}"),
            None => format!("开展“{series}”系列活动"),
        };
    }
    match kind {
        Kind::Volunteer => "加强志愿者服务，开展志愿服务活动",
        Kind::Contest => "积极搭建平台，展现青年风采",
        Kind::Culture => "丰富青年文化生活，开展文体活动",
        Kind::Study => "加强思想引领，开展学习教育",
        Kind::Meeting => "召开团的工作会议",
        Kind::Other => "开展其他活动",
    }
    .to_string()
}

/// One activity's sentence: when, who, what, and how many took part.
fn activity_parts(a: &ActivityFacts) -> Vec<Part> {
    let title = if a.title.contains('“') {
        a.title.clone()
    } else {
        format!("“{}”", a.title)
    };
    let link = || Link::Activity(a.id);
    let mut parts = vec![words(&format!(
        "{}，{}组织开展{title}",
        day_span(a.days.0, a.days.1),
        a.organizer
    ))];
    if a.units > 0 {
        parts.push(words("，"));
        parts.push(figure(a.units, link()));
        parts.push(words("家单位"));
    }
    if a.participants > 0 {
        parts.push(words(if a.units > 0 { "、" } else { "，" }));
        parts.push(figure(a.participants, link()));
        parts.push(words("人"));
    }
    if a.units > 0 || a.participants > 0 {
        parts.push(words("参加"));
    }
    if a.hours_tenths > 0 {
        parts.push(words("，志愿服务时长共"));
        parts.push(figure(hours_text(a.hours_tenths), link()));
        parts.push(words("小时"));
    }
    parts.push(words("。"));
    parts
}

/// The committee's activities grouped: one item per series, and per kind for the rest;
/// kinds in their order, a kind's plain activities before its series, then by date.
fn activity_groups(activities: &[ActivityFacts]) -> Vec<(String, String, Vec<Part>)> {
    let mut groups: Vec<(String, Vec<&ActivityFacts>)> = Vec::new();
    for a in activities {
        let key = if a.series.is_empty() {
            format!("kind:{}", a.kind.code())
        } else {
            format!("series:{}", a.series)
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(a),
            None => groups.push((key, vec![a])),
        }
    }
    let rank = |a: &ActivityFacts| {
        let kind = Kind::ALL.iter().position(|k| *k == a.kind).unwrap_or(0);
        (kind, !a.series.is_empty(), a.days.0)
    };
    groups.sort_by_key(|(_, members)| members.iter().map(|a| rank(a)).min());
    groups
        .into_iter()
        .map(|(key, members)| {
            let first = members[0];
            let only = (members.len() == 1).then_some(first.title.as_str());
            let heading = group_heading(first.kind, &first.series, only);
            let parts = members.iter().flat_map(|a| activity_parts(a)).collect();
            (key, heading, parts)
        })
        .collect()
}

/// The organisations' own activities, added up, if there were any.
fn branch_parts(period: Period, b: BranchFacts) -> Option<Vec<Part>> {
    if b.activities == 0 {
        return None;
    }
    let link = || Link::Activities { period, kind: None };
    let mut parts = vec![
        words(&format!("{}，各基层团组织共开展活动", period.label())),
        figure(b.activities, link()),
        words("次，参加"),
        figure(b.participants, link()),
        words("人次"),
    ];
    if b.hours_tenths > 0 {
        parts.push(words("，志愿服务时长共"));
        parts.push(figure(hours_text(b.hours_tenths), link()));
        parts.push(words("小时"));
    }
    parts.push(words("。"));
    Some(parts)
}

/// Writes the work summary and plan from `facts`.
pub fn compose(facts: &Facts) -> WorkSummary {
    let w = &facts.words;
    let item = |key: String, number: usize, heading: String, parts: Vec<Part>| {
        let own = w.items.get(&key);
        let heading = own
            .and_then(|o| o.heading.clone())
            .filter(|h| !h.trim().is_empty())
            .unwrap_or(heading);
        Item::new(key, number, heading, parts, own.map(|o| o.text.as_str()))
    };
    let mut work = vec![item(
        "organization".into(),
        1,
        "夯实工作基础，健全基层团组织".into(),
        organization(facts.round.as_ref()),
    )];
    for (key, heading, parts) in activity_groups(&facts.activities) {
        work.push(item(key, work.len() + 1, heading, parts));
    }
    if let Some(parts) = branch_parts(facts.period, facts.branches) {
        let number = work.len() + 1;
        work.push(item(
            "branches".into(),
            number,
            "基层团组织开展活动".into(),
            parts,
        ));
    }
    let next = facts.period.year + 1;
    let plan = facts
        .plan
        .iter()
        .enumerate()
        .map(|(i, p)| {
            item(
                p.key.clone(),
                i + 1,
                p.heading.clone(),
                vec![Part::Words(p.text.clone())],
            )
        })
        .collect();
    WorkSummary {
        title: w
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                format!(
                    "{}{}工作总结及{next}年工作计划",
                    facts.committee,
                    facts.period.label()
                )
            }),
        period: facts.period.code(),
        survey_as_of: facts.round.as_ref().map(|r| r.as_of),
        sections: vec![
            Section {
                number: "一".into(),
                heading: format!("{}工作开展情况", facts.period.label()),
                items: work,
            },
            Section {
                number: "二".into(),
                heading: format!("{next}年工作安排"),
                items: plan,
            },
        ],
        opening: w.opening.clone(),
        closing: w.closing.clone(),
    }
}
