//! Deterministic synthetic data in the zone's shape: survey workbook rows for the import
//! benchmark and tests, and whole databases of province scale (`tuanjian generate`) loaded
//! with COPY. Built only with the `generate` feature (the benchmark and the tests turn it
//! on), so none of it is in the served binary; the demo roster's members are
//! `demo::member`, whose `Rng` this shares.

mod activities;
mod applications;
mod copy;
mod load;
mod members;
mod names;
mod notices;
mod people;
mod sample;
mod scale;
mod tables;
mod tree;
mod write_applications;
mod write_rounds;
mod write_zone;
mod zone;

use crate::demo::member::Rng;
pub use load::{Options, Report, generate, run};
pub use sample::survey_rows;
pub use scale::Sizes;

/// Splitmix64 of a seed and a number: independent streams for each unit, organisation
/// and member, so any one can be made alone and on any thread.
pub(crate) fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed
        .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The ids already taken in each table (the generator numbers its rows after them) and
/// the committee's organisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ids {
    pub unit: i64,
    pub account: i64,
    pub org: i64,
    pub committee: i64,
    pub member: i64,
    pub survey: i64,
    pub application: i64,
}

impl Ids {
    pub fn unit(&self, index: usize) -> i64 {
        self.unit + 1 + index as i64
    }

    pub fn account(&self, index: u32) -> i64 {
        self.account + 1 + i64::from(index)
    }

    pub fn org(&self, index: usize) -> i64 {
        self.org + 1 + index as i64
    }
}
