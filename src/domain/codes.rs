//! National code lists the roster uses: ethnic groups (GB/T 3304), education (GB/T 4658)
//! and political status (GB/T 4762).

pub const ETHNICITIES: [(&str, &str); 58] = [
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
];

pub const EDUCATION: [(&str, &str); 8] = [
    ("10", "研究生"),
    ("20", "大学本科"),
    ("30", "大学专科"),
    ("40", "中等职业教育"),
    ("60", "普通高级中学"),
    ("70", "初级中学"),
    ("80", "小学"),
    ("90", "其他"),
];

pub const POLITICAL_STATUS: [(&str, &str); 4] = [
    ("03", "中国共产主义青年团团员"),
    ("01", "中国共产党党员"),
    ("02", "中国共产党预备党员"),
    ("13", "群众"),
];

/// The code for a code or a name (`01` or `汉族`), if the list has it.
pub fn code_of(list: &[(&'static str, &'static str)], value: &str) -> Option<&'static str> {
    let value = value.trim();
    list.iter()
        .find(|(code, name)| *code == value || *name == value)
        .map(|(code, _)| *code)
}

pub fn name_of(list: &[(&'static str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_find_each_other() {
        assert_eq!(code_of(&ETHNICITIES, "维吾尔族"), Some("05"));
        assert_eq!(code_of(&ETHNICITIES, "56"), Some("56"));
        assert_eq!(name_of(&ETHNICITIES, "56"), "基诺族");
        assert_eq!(code_of(&ETHNICITIES, "火星族"), None);
        assert_eq!(code_of(&EDUCATION, "大学本科"), Some("20"));
        let mut codes: Vec<_> = ETHNICITIES.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes.len(), 58);
    }
}
