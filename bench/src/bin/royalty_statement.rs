//! The royalty statement of one year at a national newsroom's size (issue
//! 14): 2,000 people (a quarter with portal accounts, the rest external
//! contributors) paid on 50,000 lines over 25,000 works. Fills a fresh
//! database directly, then times reading and grouping the statement and
//! writing it as XLSX and CSV, per author and as the full payment list,
//! with the peak memory of each step (VmHWM, reset between steps).
//!
//! Usage: royalty_statement [database-url (a temporary SQLite file)] [lines (50000)] [people (2000)]

use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use content::entity::{royalty_line, royalty_proposal, royalty_sheet, user};
use content::lang::Lang;
use content::royalties::rules::Status;
use content::royalties::statements::{Grouping, Scope};
use sea_orm::{EntityTrait, Set};

/// A memory figure of this process from `/proc/self/status`, in MiB:
/// `VmHWM` (the peak since the last reset) or `VmRSS` (now).
fn memory_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak to the current resident size (Linux `clear_refs` 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = tempfile::tempdir()?;
    let url = args
        .get(1)
        .filter(|u| !u.is_empty() && *u != "-")
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let lines: usize = args.get(2).map_or(Ok(50_000), |s| s.parse())?;
    let people: usize = args.get(3).map_or(Ok(2_000), |s| s.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let db = content::db::connect(&url).await?;
        content::db::migrate(&db).await?;
        content::seed::run(&db).await?;
        let holders = content::royalties::holders::list(&db).await?;
        let holder_ids: Vec<i32> = holders.iter().map(|h| h.id).collect();
        let year = 2026;
        let start = Instant::now();
        let accounts = people / 4;
        let now = content::time::now();
        let mut user_ids = Vec::with_capacity(accounts);
        for chunk in (0..accounts).collect::<Vec<_>>().chunks(500) {
            let rows: Vec<user::ActiveModel> = chunk
                .iter()
                .map(|i| user::ActiveModel {
                    username: Set(format!("tacgia{i:05}")),
                    display_name: Set(format!("Tác giả trong ngành {i:05}")),
                    email: Set(None),
                    password_hash: Set("!".into()),
                    unit_id: Set(Some(1 + (*i as i32 % 10))),
                    disabled: Set(false),
                    failed_logins: Set(0),
                    failed_window_start: Set(None),
                    locked_until: Set(None),
                    password_changed_at: Set(now),
                    totp_secret: Set(None),
                    totp_enabled_at: Set(None),
                    totp_last_step: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .collect();
            let first = user::Entity::insert_many(rows)
                .exec(&db)
                .await?
                .last_insert_id
                .ok_or("no id")?;
            let n = chunk.len() as i32;
            user_ids.extend((first - n + 1)..=first);
        }
        let works = lines / 2;
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).ok_or("date")?;
        let genres = [
            "news",
            "commentary",
            "reportage",
            "interview",
            "photo",
            "answer_to_readers",
        ];
        for chunk in (0..works).collect::<Vec<_>>().chunks(1000) {
            let sheets: Vec<royalty_sheet::ActiveModel> = chunk
                .iter()
                .map(|w| {
                    let day = jan1 + Duration::days((*w * 364 / works.max(1)) as i64);
                    royalty_sheet::ActiveModel {
                        holder_id: Set(holder_ids[w % 5 / 4]),
                        post_id: Set(Some(*w as i32 + 1)),
                        question_id: Set(None),
                        title: Set(format!("Tác phẩm số {w}: chính sách bảo hiểm xã hội tự nguyện")),
                        published_on: Set(day),
                        people: Set("[]".into()),
                        translation: Set(false),
                        status: Set("paid".into()),
                        opened_by: Set(None),
                        opened_at: Set(now),
                        ..Default::default()
                    }
                })
                .collect();
            let last_sheet = royalty_sheet::Entity::insert_many(sheets)
                .exec(&db)
                .await?
                .last_insert_id
                .ok_or("no id")?;
            let first_sheet = last_sheet - chunk.len() as i32 + 1;
            let proposals: Vec<royalty_proposal::ActiveModel> = chunk
                .iter()
                .enumerate()
                .map(|(k, w)| {
                    let day = jan1 + Duration::days((*w * 364 / works.max(1)) as i64);
                    let paid = day + Duration::days(20);
                    let at = Utc.from_utc_datetime(&day.and_hms_opt(3, 0, 0).unwrap_or_default());
                    royalty_proposal::ActiveModel {
                        sheet_id: Set(first_sheet + k as i32),
                        holder_id: Set(holder_ids[w % 5 / 4]),
                        status: Set(Status::Paid.as_str().into()),
                        genre: Set(genres[w % genres.len()].into()),
                        coefficient: Set(500 + (*w as i64 % 20) * 50),
                        rate_date: Set(day),
                        base_salary: Set(2_530_000),
                        unit_value: Set(253_000),
                        translation_percent: Set(None),
                        incentive_percent: Set(None),
                        related_fee_percent: Set(None),
                        royalty: Set(3_000_000),
                        incentive: Set(0),
                        related_fee: Set(0),
                        total: Set(3_000_000),
                        budget_year: Set(year),
                        over_budget: Set(false),
                        adjusts_id: Set(None),
                        proposer_id: Set(1),
                        proposed_at: Set(at),
                        comment: Set(None),
                        decided_by: Set(Some(1)),
                        decided_at: Set(Some(at)),
                        decision: Set(None),
                        budget_override: Set(None),
                        paid_on: Set(Some(
                            paid.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(paid)),
                        )),
                        payment_reference: Set(Some(format!("PC-{year}-{w:06}"))),
                        paid_by: Set(Some(1)),
                        paid_at: Set(Some(at)),
                        ..Default::default()
                    }
                })
                .collect();
            let last = royalty_proposal::Entity::insert_many(proposals)
                .exec(&db)
                .await?
                .last_insert_id
                .ok_or("no id")?;
            let first = last - chunk.len() as i32 + 1;
            let mut rows = Vec::with_capacity(chunk.len() * 2);
            for (k, w) in chunk.iter().enumerate() {
                for (pos, amount) in [(0, 2_000_000_i64), (1, 1_000_000)] {
                    let person = (w * 2 + pos) % people;
                    let (user_id, name, unit_id, payroll) = if person < accounts {
                        (
                            Some(user_ids[person]),
                            format!("Tác giả trong ngành {person:05}"),
                            Some(1 + (person as i32 % 10)),
                            true,
                        )
                    } else {
                        (None, format!("Cộng tác viên {person:05}"), None, false)
                    };
                    let withheld = if !payroll && amount >= 2_000_000 {
                        amount / 10
                    } else {
                        0
                    };
                    rows.push(royalty_line::ActiveModel {
                        proposal_id: Set(first + k as i32),
                        position: Set(pos as i32),
                        user_id: Set(user_id),
                        name: Set(name),
                        unit_id: Set(unit_id),
                        contribution: Set("author".into()),
                        share: Set(if pos == 0 { 2 } else { 1 }),
                        payroll: Set(payroll),
                        amount: Set(amount),
                        withheld: Set(Some(withheld)),
                        net: Set(Some(amount - withheld)),
                        ..Default::default()
                    });
                }
            }
            royalty_line::Entity::insert_many(rows).exec(&db).await?;
        }
        println!(
            "filled {} lines, {} works, {} people ({} with accounts) in {:.1} s",
            works * 2,
            works,
            people,
            accounts,
            start.elapsed().as_secs_f64()
        );
        let scope = Scope {
            status: Status::Paid,
            from: Some(jan1),
            to: NaiveDate::from_ymd_opt(year, 12, 31),
            holders: holder_ids.clone(),
            user_id: None,
            name: None,
            unit_id: None,
            genre: None,
        };
        println!(
            "| statement | rows | read + group | XLSX | XLSX size | CSV | CSV size | memory before | peak |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for by in [Grouping::Author, Grouping::Line] {
            reset_peak();
            let before = memory_mib("VmRSS:");
            let t = Instant::now();
            let (statement, names) = portal::royalty_tables::statement(&db, &scope, by, Lang::Vi).await?;
            let read = t.elapsed();
            let table = portal::royalty_tables::statement_table(&statement, &names, &scope, by, Lang::Vi);
            let t = Instant::now();
            let xlsx = portal::spreadsheet::xlsx(&table).map_err(|e| format!("{e:?}"))?;
            let xlsx_time = t.elapsed();
            let t = Instant::now();
            let csv = portal::spreadsheet::csv(&table).map_err(|e| format!("{e:?}"))?;
            let csv_time = t.elapsed();
            println!(
                "| {} | {} | {:.0} ms | {:.0} ms | {:.1} MB | {:.0} ms | {:.1} MB | {:.0} MiB | {:.0} MiB |",
                by.as_str(),
                statement.rows.len(),
                read.as_secs_f64() * 1000.0,
                xlsx_time.as_secs_f64() * 1000.0,
                xlsx.len() as f64 / 1e6,
                csv_time.as_secs_f64() * 1000.0,
                csv.len() as f64 / 1e6,
                before,
                memory_mib("VmHWM:"),
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
