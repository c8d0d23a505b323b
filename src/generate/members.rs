//! The member rows, the bulk of the data: worker threads make and encrypt batches of
//! whole organisations' rosters (AES-GCM and the HMAC blind index are the CPU cost) while
//! this task streams finished batches into one COPY. Every row carries its own id, so
//! the order batches arrive in does not matter.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::PgConnection;

use super::Ids;
use super::copy::{Rows, Sink};
use super::people::person;
use super::tree::post;
use super::zone::Zone;
use crate::crypto::Keys;

/// About 6 MB of COPY text a batch.
const BATCH_MEMBERS: u64 = 16_000;

/// Consecutive organisations holding about `BATCH_MEMBERS` members together.
fn batches(zone: &Zone) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, org) in zone.orgs.iter().enumerate() {
        if org.first_member + u64::from(org.roster) - zone.orgs[start].first_member >= BATCH_MEMBERS
        {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < zone.orgs.len() {
        out.push(start..zone.orgs.len());
    }
    out
}

/// The rows of one batch, exactly as `db::member::create` writes a member.
fn batch_rows(zone: &Zone, ids: &Ids, keys: &Keys, orgs: Range<usize>) -> Rows {
    let mut rows = Rows::new();
    for index in orgs {
        let org = &zone.orgs[index];
        for j in 0..org.roster {
            let cadre = j < org.cadres;
            let k = org.first_member + u64::from(j);
            let p = person(zone.seed, k, zone.today, cadre);
            let id = p.resident_id.as_str();
            let (id_version, id_cipher) = keys.encrypt(id);
            rows.int(ids.member + 1 + k as i64)
                .int(ids.org(index))
                .text(&p.name)
                .text(p.sex.label())
                .text(p.ethnicity)
                .date(p.resident_id.birth_date())
                .bytes(&id_cipher)
                .int(id_version)
                .bytes(&keys.blind_index(id))
                .text(&p.resident_id.masked());
            match &p.phone {
                Some(phone) => {
                    let (version, cipher) = keys.encrypt(phone.as_str());
                    rows.bytes(&cipher).int(version).text(&phone.masked());
                }
                None => {
                    rows.null().null().null();
                }
            }
            rows.date(p.joined_on)
                .text(p.education)
                .text(p.political_status)
                .opt_text(cadre.then(|| post(org.kind, j)))
                .text(p.state);
            rows.end();
        }
    }
    rows
}

pub async fn write(
    db: &mut PgConnection,
    zone: Arc<Zone>,
    ids: Ids,
    keys: Arc<Keys>,
) -> anyhow::Result<u64> {
    let batches = Arc::new(batches(&zone));
    let next = Arc::new(AtomicUsize::new(0));
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Rows>(workers * 2);
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (zone, keys, batches, next, tx) = (
                zone.clone(),
                keys.clone(),
                batches.clone(),
                next.clone(),
                tx.clone(),
            );
            std::thread::spawn(move || {
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    let Some(range) = batches.get(b) else { break };
                    // A closed channel means the COPY failed: stop quietly.
                    if tx
                        .blocking_send(batch_rows(&zone, &ids, &keys, range.clone()))
                        .is_err()
                    {
                        break;
                    }
                }
            })
        })
        .collect();
    drop(tx);
    let result = async {
        let mut sink = Sink::start(
            db,
            "member (member_id, organization_id, name, sex, ethnicity, birth_date,
                     resident_id_cipher, resident_id_version, resident_id_index, resident_id_masked,
                     phone_cipher, phone_version, phone_masked,
                     joined_on, education, political_status, league_post, state)",
        )
        .await?;
        while let Some(rows) = rx.recv().await {
            let count = rows.count;
            sink.send_text(rows.buf, count).await?;
        }
        sink.finish().await
    }
    .await;
    drop(rx);
    tokio::task::spawn_blocking(move || {
        for handle in handles {
            // A panicking worker has already been reported on stderr.
            let _ = handle.join();
        }
    })
    .await
    .ok();
    let written = result?;
    anyhow::ensure!(
        written == zone.sizes.members,
        "a member worker stopped early: {written} of {} members written",
        zone.sizes.members
    );
    Ok(written)
}

/// The history of members no longer active: left on age at 28, transferred or left.
pub async fn events(
    db: &mut PgConnection,
    ids: &Ids,
    today: chrono::NaiveDate,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into member_event (member_id, from_state, to_state, actor_name, note, occurred_at)
         select member_id, 'active', state, '团工委',
                case state when 'aged_out' then '年满28周岁，超龄离团'
                           when 'transferred' then '组织关系转出'
                           else '本人申请离团' end,
                (case when state = 'aged_out' then (birth_date + interval '28 years')::date
                      else least(joined_on + (member_id % 900)::int, $2) end + time '10:00')
                  at time zone 'Asia/Shanghai'
           from member where member_id > $1 and state <> 'active'",
    )
    .bind(ids.member)
    .bind(today)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
