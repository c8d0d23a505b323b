//! The audit log's hash chain (migration 0041), as `tuanjian audit verify` checks it: the
//! canonical content of one event, its hash, and a walker that finds the first broken link.
//! The same rules are written in SQL in the migration's trigger; a test keeps both equal.
//! A little over 300 lines only because its unit tests sit beside the rules they pin down.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A SHA-256 value.
pub type Hash = [u8; 32];

/// The `prev_hash` of the first event ever written.
pub const GENESIS: Hash = [0; 32];

/// One event as the chain covers it: every column, `occurred_at` as microseconds since the
/// epoch and `before`/`after` as PostgreSQL's text of the jsonb value, so that the bytes
/// hashed are the bytes stored (and written to an archive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Link {
    pub id: i64,
    pub occurred_at_us: i64,
    pub account_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub address: String,
    #[serde(with = "hex32")]
    #[sqlx(try_from = "Vec<u8>")]
    pub prev_hash: Stored,
    #[serde(with = "hex32")]
    #[sqlx(try_from = "Vec<u8>")]
    pub hash: Stored,
}

/// A stored hash: 32 bytes, or whatever else a tampered row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored(pub Vec<u8>);

impl From<Vec<u8>> for Stored {
    fn from(bytes: Vec<u8>) -> Self {
        Stored(bytes)
    }
}

impl Stored {
    pub fn is(&self, hash: &Hash) -> bool {
        self.0 == hash
    }
}

impl Link {
    /// `<byte length>:<text>` or `-` for each column, joined with `|`.
    pub fn canonical(&self) -> String {
        let id = self.id.to_string();
        let at = self.occurred_at_us.to_string();
        let account = self.account_id.map(|a| a.to_string());
        let fields: [Option<&str>; 10] = [
            Some(&id),
            Some(&at),
            account.as_deref(),
            Some(&self.username),
            Some(&self.action),
            Some(&self.entity),
            Some(&self.entity_id),
            self.before.as_deref(),
            self.after.as_deref(),
            Some(&self.address),
        ];
        fields
            .iter()
            .map(|field| match field {
                Some(text) => format!("{}:{text}", text.len()),
                None => "-".to_string(),
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The hash this event should carry: SHA-256 of its stored `prev_hash` and its content.
    pub fn computed_hash(&self) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(&self.prev_hash.0);
        hasher.update(self.canonical().as_bytes());
        hasher.finalize().into()
    }
}

/// The first fault a walk along the chain meets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("审计事件 {id} 的内容与其哈希不符：该记录在写入后被改动")]
    Content { id: i64 },
    #[error(
        "审计事件 {id} 的前一哈希 {found} 与链上前一事件（{after}）的哈希 {expected} 不符：其前的事件被删除、插入或改动"
    )]
    Link {
        id: i64,
        after: String,
        expected: String,
        found: String,
    },
    #[error("审计事件 {id} 的编号不大于前一事件 {previous}：顺序被改动")]
    Order { id: i64, previous: i64 },
    #[error(
        "审计链的链头是事件 {head_id}（哈希 {head}），但链在 {last} 处结束（哈希 {found}）：末尾的事件被删除"
    )]
    Tail {
        head_id: i64,
        head: String,
        last: String,
        found: String,
    },
}

/// Walks events in chain order and remembers where the chain stands.
#[derive(Debug, Clone)]
pub struct Walker {
    expected_prev: Hash,
    last_id: Option<i64>,
    pub checked: u64,
}

impl Walker {
    /// A walk that starts after `prev` (GENESIS, or an archive's last hash), after event
    /// `last_id` when that is known.
    pub fn starting_after(prev: Hash, last_id: Option<i64>) -> Walker {
        Walker {
            expected_prev: prev,
            last_id,
            checked: 0,
        }
    }

    /// Checks the next event: its link to the one before, then its own content.
    pub fn step(&mut self, link: &Link) -> Result<(), Break> {
        if let Some(previous) = self.last_id
            && link.id <= previous
        {
            return Err(Break::Order {
                id: link.id,
                previous,
            });
        }
        if !link.prev_hash.is(&self.expected_prev) {
            return Err(Break::Link {
                id: link.id,
                after: self.position(),
                expected: hex(&self.expected_prev),
                found: hex(&link.prev_hash.0),
            });
        }
        let computed = link.computed_hash();
        if !link.hash.is(&computed) {
            return Err(Break::Content { id: link.id });
        }
        self.expected_prev = computed;
        self.last_id = Some(link.id);
        self.checked += 1;
        Ok(())
    }

    /// Checks that the walk ended where the chain's head says it ends.
    pub fn finish(&self, head_id: i64, head: &Hash) -> Result<(), Break> {
        if &self.expected_prev == head {
            Ok(())
        } else {
            Err(Break::Tail {
                head_id,
                head: hex(head),
                last: self.position(),
                found: hex(&self.expected_prev),
            })
        }
    }

    /// The hash the next event must carry as its `prev_hash`.
    pub fn last_hash(&self) -> Hash {
        self.expected_prev
    }

    pub fn last_id(&self) -> Option<i64> {
        self.last_id
    }

    fn position(&self) -> String {
        match self.last_id {
            Some(id) => format!("事件 {id}"),
            None => "链的起点".to_string(),
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64 hex digits as a hash.
pub fn parse_hex(text: &str) -> Option<Hash> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A hash as its hex text in an archive file.
pub mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &super::Stored, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(&value.0))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Stored, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_hex(&text)
            .map(|h| super::Stored(h.to_vec()))
            .ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: i64, prev: Hash) -> Link {
        let mut link = Link {
            id,
            occurred_at_us: 1_500_000_000_000_000 + id,
            account_id: if id % 2 == 0 { Some(3) } else { None },
            username: "委员·甲".to_string(),
            action: "unit.updated".to_string(),
            entity: "unit".to_string(),
            entity_id: id.to_string(),
            before: Some(r#"{"a": 1, "名称": "x|y"}"#.to_string()),
            after: None,
            address: "127.0.0.1".to_string(),
            prev_hash: Stored(prev.to_vec()),
            hash: Stored(Vec::new()),
        };
        link.hash = Stored(link.computed_hash().to_vec());
        link
    }

    fn chain(n: i64) -> Vec<Link> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|id| {
                let l = link(id, prev);
                prev = l.computed_hash();
                l
            })
            .collect()
    }

    #[test]
    fn the_canonical_form_prefixes_byte_lengths_and_marks_nulls() {
        let l = link(1, GENESIS);
        assert_eq!(
            l.canonical(),
            "1:1|16:1500000000000001|-|11:委员·甲|12:unit.updated|4:unit|1:1|25:{\"a\": 1, \"名称\": \"x|y\"}|-|9:127.0.0.1"
        );
    }

    #[test]
    fn an_intact_chain_walks_to_its_head() {
        let links = chain(5);
        let mut walker = Walker::starting_after(GENESIS, None);
        for l in &links {
            walker.step(l).unwrap();
        }
        assert_eq!(walker.checked, 5);
        walker.finish(5, &links[4].computed_hash()).unwrap();
    }

    #[test]
    fn an_edit_a_removal_and_a_cut_tail_are_each_found() {
        let mut links = chain(5);
        links[2].username = "forged".to_string();
        let mut walker = Walker::starting_after(GENESIS, None);
        let found = links.iter().find_map(|l| walker.step(l).err());
        assert_eq!(found, Some(Break::Content { id: 3 }));

        let mut links = chain(5);
        links.remove(1);
        let mut walker = Walker::starting_after(GENESIS, None);
        let found = links.iter().find_map(|l| walker.step(l).err());
        assert!(
            matches!(found, Some(Break::Link { id: 3, .. })),
            "{found:?}"
        );

        let links = chain(5);
        let mut walker = Walker::starting_after(GENESIS, None);
        for l in &links[..4] {
            walker.step(l).unwrap();
        }
        assert!(matches!(
            walker.finish(5, &links[4].computed_hash()),
            Err(Break::Tail { head_id: 5, .. })
        ));
    }

    #[test]
    fn hashes_round_trip_through_hex() {
        let h = link(1, GENESIS).computed_hash();
        assert_eq!(parse_hex(&hex(&h)), Some(h));
        assert_eq!(parse_hex("zz"), None);
    }
}
