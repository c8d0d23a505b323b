//! Registered volunteers' star levels (星级志愿者) by cumulative confirmed service hours, as
//! 《中国注册志愿者管理办法》 (共青团中央, 2013) sets them: 一星 100 h, 二星 300 h, 三星 600 h,
//! 四星 1000 h, 五星 1500 h. The thresholds live here and nowhere else.

/// (threshold in hours, level), lowest first.
pub const STAR_LEVELS: [(i64, &str); 5] = [
    (100, "一星志愿者"),
    (300, "二星志愿者"),
    (600, "三星志愿者"),
    (1000, "四星志愿者"),
    (1500, "五星志愿者"),
];

/// The star level reached with `tenths` of an hour in all, or none below 100 hours.
pub fn star_level(tenths: impl Into<i64>) -> Option<&'static str> {
    let tenths = tenths.into();
    STAR_LEVELS
        .iter()
        .rev()
        .find(|(hours, _)| tenths >= hours * 10)
        .map(|(_, level)| *level)
}

/// The hours still needed for the next level, in tenths, and that level; none at 五星.
pub fn to_next_level(tenths: impl Into<i64>) -> Option<(i64, &'static str)> {
    let tenths = tenths.into();
    STAR_LEVELS
        .iter()
        .find(|(hours, _)| tenths < hours * 10)
        .map(|(hours, level)| (hours * 10 - tenths, *level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_start_at_each_threshold() {
        assert_eq!(star_level(999), None);
        assert_eq!(star_level(1000), Some("一星志愿者"));
        assert_eq!(star_level(2999), Some("一星志愿者"));
        assert_eq!(star_level(3000), Some("二星志愿者"));
        assert_eq!(star_level(6000), Some("三星志愿者"));
        assert_eq!(star_level(10000), Some("四星志愿者"));
        assert_eq!(star_level(15000), Some("五星志愿者"));
        assert_eq!(star_level(1_000_000), Some("五星志愿者"));
        assert_eq!(to_next_level(250), Some((750, "一星志愿者")));
        assert_eq!(to_next_level(15000), None);
    }
}
