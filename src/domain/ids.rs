//! Typed ids, so an account id cannot be passed where a unit id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            sqlx::Type,
        )]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(AccountId);
id_type!(UnitId);
id_type!(AccountRoleId);
id_type!(SurveyId);
id_type!(MemberId);
id_type!(OrganizationId);
id_type!(
    /// An activity (`activity`): volunteer service, a contest, a cultural event ...
    ActivityId
);
id_type!(
    /// A volunteer team (`volunteer_team`, 志愿服务队).
    VolunteerTeamId
);
id_type!(
    /// A work summary the staff keep (`work_report`), a draft or finalised.
    WorkReportId
);
id_type!(
    /// A 青年文明号 creation or title (`award`).
    AwardId
);
id_type!(
    /// A 建团申请 (`formation_application`).
    ApplicationId
);
id_type!(
    /// A file attached to an application (`application_attachment`).
    AttachmentId
);
id_type!(
    /// A 团干部 of an organisation (`organization_cadre`).
    CadreId
);
id_type!(
    /// A 组织关系转接 (`member_transfer`).
    TransferId
);
id_type!(
    /// An item of a year's work plan (`work_plan_item`, 工作安排).
    WorkPlanItemId
);
id_type!(NotificationId);
id_type!(AuditEventId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_writes_as_its_number() {
        let id: MemberId = "42".parse().unwrap();
        assert_eq!(id, MemberId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert!("4x".parse::<ApplicationId>().is_err());
    }
}
