//! Finding, among many stored names, those that `name::possibly_same` would pair with a few
//! new ones, without comparing every pair: a zone holds up to a hundred thousand units and a
//! survey workbook up to 20,000 rows.
//!
//! Each pair `possibly_same` accepts is found through one of three hash probes on the names'
//! loose forms (letters and digits only, lower case):
//! - one holds the other: the shorter is a run of the longer's characters, so every run of
//!   the longer (of a length some shorter name has) is looked up among the shorter names;
//! - one edit apart: deleting the changed character from both, or the added one from the
//!   longer, gives the same string (symmetric deletion), so every one-character deletion of
//!   a new name is kept and the stored names' deletions are looked up among them;
//! - equal: a lookup of the whole name.
//!
//! Every candidate found is then checked with `possibly_same` itself, so the result is exactly
//! the pairs it accepts (a property test compares with the check of every pair).

use std::collections::{BTreeSet, HashMap};

use super::name::possibly_same;

/// A name's loose form, as `possibly_same` compares it.
fn loose(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `s` without its `i`-th character.
fn without(s: &[char], i: usize) -> Vec<char> {
    let mut d = Vec::with_capacity(s.len() - 1);
    d.extend_from_slice(&s[..i]);
    d.extend_from_slice(&s[i + 1..]);
    d
}

/// The shortest name that may hold another or be held (`possibly_same`'s rule).
const HELD_MIN: usize = 3;
/// The shortest names that may be one edit apart (`possibly_same`'s rule).
const EDIT_MIN: usize = 4;

/// The pairs `(new index, stored index)` of names `possibly_same` accepts, in order of the new
/// name and then the stored one, at most `per_new` for each new name. Both sides are names
/// already normalised (`name::normalize_name`).
pub fn near_pairs(new: &[&str], stored: &[&str], per_new: usize) -> Vec<(usize, usize)> {
    let new_loose: Vec<Vec<char>> = new.iter().map(|s| loose(s)).collect();
    let mut whole: HashMap<&[char], Vec<usize>> = HashMap::new();
    let mut deletions: HashMap<Vec<char>, Vec<usize>> = HashMap::new();
    let mut lengths = BTreeSet::new();
    for (i, name) in new_loose.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        whole.entry(name.as_slice()).or_default().push(i);
        lengths.insert(name.len());
        if name.len() >= EDIT_MIN {
            for d in 0..name.len() {
                deletions.entry(without(name, d)).or_default().push(i);
            }
        }
    }
    let stored_whole: HashMap<Vec<char>, Vec<usize>> = {
        let mut map: HashMap<Vec<char>, Vec<usize>> = HashMap::new();
        for (j, s) in stored.iter().enumerate() {
            let name = loose(s);
            if !name.is_empty() {
                map.entry(name).or_default().push(j);
            }
        }
        map
    };
    let mut found: BTreeSet<(usize, usize)> = BTreeSet::new();
    // A stored name held in a new one: every run of the new name, among the stored names.
    for (i, name) in new_loose.iter().enumerate() {
        for len in HELD_MIN..=name.len() {
            for run in name.windows(len) {
                if let Some(js) = stored_whole.get(run) {
                    found.extend(js.iter().map(|&j| (i, j)));
                }
            }
        }
    }
    for (name, js) in &stored_whole {
        // A new name held in a stored one (or equal): every run of the stored name of a
        // length some new name has.
        for &len in lengths.range(..=name.len()) {
            if len < HELD_MIN && len != name.len() {
                continue;
            }
            for run in name.windows(len) {
                if let Some(is) = whole.get(run) {
                    found.extend(is.iter().flat_map(|&i| js.iter().map(move |&j| (i, j))));
                }
            }
        }
        // One edit apart: the stored name as a deletion of a new one, or a deletion of the
        // stored name equal to a new name or to one of its deletions.
        if name.len() + 1 >= EDIT_MIN
            && let Some(is) = deletions.get(name)
        {
            found.extend(is.iter().flat_map(|&i| js.iter().map(move |&j| (i, j))));
        }
        if name.len() >= EDIT_MIN {
            for d in 0..name.len() {
                let shorter = without(name, d);
                for is in [whole.get(shorter.as_slice()), deletions.get(&shorter)]
                    .into_iter()
                    .flatten()
                {
                    found.extend(is.iter().flat_map(|&i| js.iter().map(move |&j| (i, j))));
                }
            }
        }
    }
    let mut pairs = Vec::new();
    let mut current = (usize::MAX, 0);
    for (i, j) in found {
        if !possibly_same(new[i], stored[j]) {
            continue;
        }
        if current.0 != i {
            current = (i, 0);
        }
        if current.1 < per_new {
            current.1 += 1;
            pairs.push((i, j));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_that_start_differently_are_found() {
        let stored = ["大井社区", "五彩湾社区", "准东宏达有限公司", "开发区财政局"];
        let new = [
            "开发区大井社区",
            "大进社区",
            "宏达有限公司",
            "财政局",
            "五彩湾",
        ];
        assert_eq!(
            near_pairs(&new, &stored, 5),
            [(0, 0), (1, 0), (2, 2), (3, 3), (4, 1)]
        );
    }

    #[test]
    fn each_new_name_gets_at_most_its_share() {
        let stored = ["大井社区一", "大井社区二", "大井社区三"];
        assert_eq!(near_pairs(&["大井社区"], &stored, 2), [(0, 0), (0, 1)]);
    }

    proptest! {
        /// The probes find exactly the pairs that checking every pair finds.
        #[test]
        fn the_same_pairs_as_checking_every_pair(
            new in prop::collection::vec("[大井社区五彩湾a-c.]{0,7}", 0..8),
            stored in prop::collection::vec("[大井社区五彩湾a-c.]{0,7}", 0..12),
        ) {
            let new: Vec<&str> = new.iter().map(String::as_str).collect();
            let stored: Vec<&str> = stored.iter().map(String::as_str).collect();
            let every: Vec<(usize, usize)> = (0..new.len())
                .flat_map(|i| (0..stored.len()).map(move |j| (i, j)))
                .filter(|&(i, j)| possibly_same(new[i], stored[j]))
                .collect();
            prop_assert_eq!(near_pairs(&new, &stored, usize::MAX), every);
        }
    }
}
