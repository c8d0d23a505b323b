//! A team's members: roster members, or registered young people known by name and mobile
//! number (the phone encrypted, with its keyed blind index, shown masked).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::crypto::Keys;
use crate::domain::ids::{MemberId, VolunteerTeamId};
use crate::domain::phone::Phone;

/// One member of a team: a roster member, or a registered young person.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TeamMember {
    pub volunteer_team_member_id: i64,
    pub member_id: Option<MemberId>,
    pub name: String,
    /// The member's organisation, empty for a young person.
    pub organization: String,
    /// A young person's phone, masked.
    pub phone_masked: Option<String>,
    pub joined_on: NaiveDate,
}

/// A team's members, by name.
pub async fn members(db: &PgPool, id: VolunteerTeamId) -> sqlx::Result<Vec<TeamMember>> {
    sqlx::query_as(
        "select k.volunteer_team_member_id, k.member_id, coalesce(m.name, k.person_name) as name,
                coalesce(o.name, '') as organization, k.phone_masked, k.joined_on
           from volunteer_team_member k
           left join member m using (member_id)
           left join organization o on o.organization_id = m.organization_id
          where k.volunteer_team_id = $1
          order by 3, 1",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Who joins a team.
pub enum Joiner<'a> {
    Member(MemberId),
    Person { name: &'a str, phone: &'a Phone },
}

/// Adds someone to a team as of `joined_on`; false when they are in it already.
pub async fn add_member(
    tx: &mut PgConnection,
    keys: &Keys,
    id: VolunteerTeamId,
    joiner: &Joiner<'_>,
    joined_on: NaiveDate,
) -> sqlx::Result<bool> {
    let done = match joiner {
        Joiner::Member(member) => {
            sqlx::query(
                "insert into volunteer_team_member (volunteer_team_id, member_id, joined_on)
                 values ($1, $2, $3) on conflict do nothing",
            )
            .bind(id)
            .bind(member)
            .bind(joined_on)
            .execute(tx)
            .await?
        }
        Joiner::Person { name, phone } => {
            let (version, cipher) = keys.encrypt(phone.as_str());
            sqlx::query(
                "insert into volunteer_team_member (volunteer_team_id, person_name, phone_cipher,
                                                    phone_version, phone_masked, phone_index, joined_on)
                 values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
            )
            .bind(id)
            .bind(name)
            .bind(cipher)
            .bind(version)
            .bind(phone.masked())
            .bind(keys.blind_index(phone.as_str()))
            .bind(joined_on)
            .execute(tx)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// Takes someone off a team; false when they were not in it.
pub async fn remove_member(
    tx: &mut PgConnection,
    id: VolunteerTeamId,
    team_member: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "delete from volunteer_team_member where volunteer_team_id = $1 and volunteer_team_member_id = $2",
    )
    .bind(id)
    .bind(team_member)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
