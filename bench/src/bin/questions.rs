//! Fills a portal database with citizens' questions for the inbox
//! benchmark (issue 6): `count` questions received over the past two
//! years, most of them closed (answered and sent, or rejected), the rest
//! open at every stage, a fifth of those forwarded to units.
//!
//! Usage: questions <database-url> [count (100000)]

use chrono::{Duration, Utc};
use content::entity::question;
use sea_orm::{EntityTrait, Set};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .ok_or("usage: questions <database-url> [count]")?
        .clone();
    let count: usize = args.get(2).map_or(Ok(100_000), |s| s.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let db = content::db::connect(&url).await?;
        content::db::migrate(&db).await?;
        let now = Utc::now();
        let statuses = [
            "sent",
            "sent",
            "sent",
            "sent",
            "sent",
            "sent",
            "rejected",
            "received",
            "classified",
            "forwarded",
            "answered",
            "approved",
        ];
        let rows: Vec<question::ActiveModel> = (0..count)
            .map(|i| {
                let status = statuses[i % statuses.len()];
                let received = now - Duration::minutes((count - i) as i64 * 10);
                let forwarded = status == "forwarded" || i % 5 == 0;
                question::ActiveModel {
                    tracking_code: Set(format!("BENCH{i:08}")),
                    name: Set("Nguyễn Văn Tải".into()),
                    email: Set(format!("tai{i}@example.vn")),
                    phone: Set(None),
                    address: Set(None),
                    category: Set(content::questions::CATEGORIES[i % 4].into()),
                    title: Set(format!("Câu hỏi số {i} về lương hưu")),
                    content: Set("Tôi đóng bảo hiểm xã hội 20 năm thì lương hưu được tính thế nào?".into()),
                    status: Set(status.into()),
                    complex: Set(i % 10 == 0),
                    units: Set(if forwarded {
                        format!("[{},{}]", 1 + i % 5, 6 + i % 3)
                    } else {
                        "[]".into()
                    }),
                    answer: Set(None),
                    answer_unit_id: Set(None),
                    reject_reason: Set(None),
                    received_at: Set(received),
                    classified_at: Set((status != "received").then_some(received + Duration::hours(20))),
                    promised_on: Set(None),
                    answered_at: Set(None),
                    approved_at: Set(None),
                    published_at: Set(None),
                    sent_at: Set(None),
                    rejected_at: Set(None),
                    updated_at: Set(received),
                    ..Default::default()
                }
            })
            .collect();
        for chunk in rows.chunks(1000) {
            question::Entity::insert_many(chunk.to_vec()).exec(&db).await?;
        }
        let start = std::time::Instant::now();
        let scheduled = content::questions::reschedule(&db).await?;
        println!(
            "inserted {count} questions; deadlines of {scheduled} open ones computed in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
