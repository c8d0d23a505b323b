//! The seed's plan for 2019 (二、2019年工作安排, its five items with their headings and texts
//! as the seed writes them), entered through the service the committee's form calls, owned
//! by the committee and due at the end of 2019. Entered once: nothing when 2019 has items.

use chrono::NaiveDate;

use crate::domain::work_plan::PlanInput;
use crate::state::AppState;

/// The plan's year.
pub const YEAR: i32 = 2019;

/// (heading, text) of the seed's items, in their order (一 to 五): the heading is the
/// seed's first sentence of the item, the text the rest.
pub const ITEMS: [(&str, &str); 5] = [
    (
        "加强组织领导,明确职责分工,落实专人负责",
        "开发区团工委所有成员均为兼职,且大部门为企业干部,严重影响团的工作不能持续性的推进,应配备专人专岗,以体现该岗位的重要性,从而推动团的工作有序进行。加强对团工委成员进行考核机制,确保兼职干部能够积极发挥应有的作用。",
    ),
    (
        "持续推进基层团组织建设",
        "作为党的助手和后备军以及联系青年的纽带和桥梁,以党建带团建的工作思路,加强团的组织建设,将团组织的组建工作逐步融入于党建工作中,强化各部门、社区、企业对团工作的认识,切实增强基层团组织对广大青年的吸引力和凝聚力,力争使团的各项工作活动能够带动、激励全体青年。",
    ),
    (
        "创建“青年文明号”",
        "由团工委负责,对开发区辖区内各部门(科室)、社区、企业(工段)中有符合“青年文明号”条件的,创建“青年文明号”称号,展现当代青年的敬业意识、创业精神和质量、效益、安全、竞争、服务等观念,塑造行业和企事业单位的良好形象,倡导职业道德和职业文明。",
    ),
    (
        "符合特色的青年志愿者服务队伍",
        "建立符合产业结构及职业机构的青年志愿者服务队伍,围绕维护社会稳定、安全生产、环境保护、扶贫帮困、社区服务、创新技术、植树造林等,认真抓好队伍建设,以各规模以上企业、社区为基础,加强青年志愿者队伍管理,更好地调动青年参与社会、服务社会的积极性,建立一支具有准东特色、相对规模、相对稳定的志愿者大军。",
    ),
    (
        "“弘扬优秀传统文化,引领时代文明新风”系列活动",
        "以书法、国画、古书今读等形式,在开发区各社区开展系列主题活动,引导群众自觉传承民族优秀文化,不断增强文化自信,大力弘扬时代文明新风,为持续稳步推进各族群众对中华民族的认同感和归属感,营造良好的社会文化环境。",
    ),
];

/// Enters the seed's 2019 items unless that year has items already.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let any: bool =
        sqlx::query_scalar("select exists (select 1 from work_plan_item where year = $1)")
            .bind(YEAR)
            .fetch_one(&state.db)
            .await?;
    if any {
        return Ok(());
    }
    let committee = crate::db::organization::committee(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the committee's organisation"))?;
    let due_on = NaiveDate::from_ymd_opt(YEAR, 12, 31).ok_or_else(|| anyhow::anyhow!("a date"))?;
    for (number, (heading, text)) in (1..).zip(ITEMS) {
        let input = PlanInput {
            year: YEAR,
            number,
            heading: heading.into(),
            text: text.into(),
            owner_organization: Some(committee.name.clone()),
            owner_name: None,
            owner_username: None,
            due_on,
        };
        crate::services::work_plans::create(&state.db, &super::actor(), &input, state.clock.now())
            .await
            .map_err(|e| anyhow::anyhow!("the plan's item {number}: {e}"))?;
    }
    Ok(())
}
