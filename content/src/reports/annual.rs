//! The annual operations report (Đ6.4b): publications, time to publish,
//! corrections and withdrawals, the Q&A against its deadlines (Đ11.1a),
//! consultations, search, page views, royalties (Đ17) and the units'
//! information deadlines (Đ11.1), for one calendar year in Vietnam time.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;

use super::{Cell, Measure, Table, col, month_columns};
use crate::calendar::Calendar;
use crate::entity::{
    draft_comment, entry, post, question, royalty_holder, royalty_proposal, section, transition, user,
};
use crate::error::{Error, Result};
use crate::time::date_vn;
use crate::views::Viewed;

/// A post first published: id, section, edition, creator, when.
type PostRow = (i32, i32, String, i32, Option<DateTime<Utc>>);
/// The year's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub year: i32,
    /// The day the figures stand on: the year's last day, or today for
    /// the current year.
    pub as_of: NaiveDate,
    pub tables: Vec<Table>,
}

impl Report {
    pub fn table(&self, key: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.key == key)
    }
}

/// The median and the 90th percentile (nearest rank) of `values`.
pub fn median_p90(values: &mut [f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n);
    Some((median, values[rank - 1]))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) if (1900..=2199).contains(&year) => Ok((a, b)),
        _ => Err(Error::invalid_in(
            "year",
            "must be between 1900 and 2199",
            "Năm không hợp lệ",
        )),
    }
}

fn month_of(t: DateTime<Utc>) -> usize {
    date_vn(t).month0() as usize
}

/// The leading columns, then one per month and the year's total.
fn with_months(mut lead: Vec<super::Column>) -> Vec<super::Column> {
    lead.extend(month_columns());
    lead.push(col("total", "Cả năm", "Year", Measure::Count));
    lead
}

/// The leading cells, then the twelve months and the year's total.
fn month_row(mut lead: Vec<Cell>, months: &[i64; 12]) -> Vec<Cell> {
    lead.extend(months.iter().map(|n| Cell::Int(*n)));
    lead.push(Cell::Int(months.iter().sum()));
    lead
}

/// One count per month, a row each (the charts read these).
fn by_month(
    key: &'static str,
    (vi, en): (&'static str, &'static str),
    count: super::Column,
    months: &[i64; 12],
) -> Table {
    Table {
        key,
        vi,
        en,
        columns: vec![col("month", "Tháng", "Month", Measure::Text), count],
        rows: months
            .iter()
            .enumerate()
            .map(|(i, n)| vec![Cell::Text(format!("{:02}", i + 1)), Cell::Int(*n)])
            .collect(),
    }
}

/// Builds the report for `year`, as of `today` (figures of the current
/// year stop at today).
pub async fn build(db: &impl ConnectionTrait, cal: &Calendar, year: i32, today: NaiveDate) -> Result<Report> {
    let (first, last) = year_bounds(year)?;
    let as_of = last.min(today);
    let from = crate::time::start_of_day_vn(first);
    let to = crate::time::start_of_day_vn(last + chrono::Duration::days(1));
    let in_year = |t: DateTime<Utc>| t >= from && t < to;

    let sections = section::Entity::find().all(db).await?;
    let section_name = |id: i32| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name_vi.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let section_edition: HashMap<i32, String> = sections.iter().map(|s| (s.id, s.edition.clone())).collect();
    let units = crate::units::list(db).await?;
    let unit_name = |id: Option<i32>| match id {
        Some(id) => units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name_vi.clone())
            .unwrap_or_else(|| format!("#{id}")),
        None => "(không rõ đơn vị)".to_owned(),
    };
    let user_units: HashMap<i32, Option<i32>> = user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.unit_id))
        .collect();

    // Posts first published in the year.
    let posts: Vec<PostRow> = post::Entity::find()
        .select_only()
        .columns([
            post::Column::Id,
            post::Column::SectionId,
            post::Column::Edition,
            post::Column::CreatorId,
            post::Column::PublishedAt,
        ])
        .filter(post::Column::PublishedAt.gte(from))
        .filter(post::Column::PublishedAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    let mut tables = Vec::new();

    // Publications per section and month.
    let mut per_section: BTreeMap<i32, [i64; 12]> = BTreeMap::new();
    let mut per_unit: BTreeMap<String, i64> = BTreeMap::new();
    let mut per_edition: BTreeMap<String, i64> = BTreeMap::new();
    let mut per_month = [0i64; 12];
    for (_, section_id, edition, creator, at) in &posts {
        let Some(at) = at else { continue };
        per_section.entry(*section_id).or_insert([0; 12])[month_of(*at)] += 1;
        per_month[month_of(*at)] += 1;
        *per_unit
            .entry(unit_name(user_units.get(creator).copied().flatten()))
            .or_default() += 1;
        *per_edition.entry(edition.clone()).or_default() += 1;
    }
    let columns = with_months(vec![
        col("section", "Chuyên mục", "Section", Measure::Text),
        col("edition", "Ấn bản", "Edition", Measure::Text),
    ]);
    tables.push(Table {
        key: "publications_by_section",
        vi: "Tin bài đăng theo chuyên mục và tháng",
        en: "Publications per section and month",
        columns,
        rows: per_section
            .iter()
            .map(|(id, months)| {
                month_row(
                    vec![
                        Cell::Text(section_name(*id)),
                        Cell::Text(section_edition.get(id).cloned().unwrap_or_default()),
                    ],
                    months,
                )
            })
            .collect(),
    });
    tables.push(by_month(
        "publications_by_month",
        ("Tin bài đăng theo tháng", "Publications per month"),
        col("posts", "Tin bài", "Posts", Measure::Count),
        &per_month,
    ));
    tables.push(Table {
        key: "publications_by_unit",
        vi: "Tin bài theo đơn vị cung cấp",
        en: "Publications per supplying unit",
        columns: vec![
            col("unit", "Đơn vị", "Unit", Measure::Text),
            col("posts", "Tin bài", "Posts", Measure::Count),
        ],
        rows: per_unit
            .into_iter()
            .map(|(u, n)| vec![Cell::Text(u), Cell::Int(n)])
            .collect(),
    });
    tables.push(Table {
        key: "publications_by_edition",
        vi: "Tin bài theo ấn bản",
        en: "Publications per edition",
        columns: vec![
            col("edition", "Ấn bản", "Edition", Measure::Text),
            col("posts", "Tin bài", "Posts", Measure::Count),
        ],
        rows: per_edition
            .into_iter()
            .map(|(e, n)| vec![Cell::Text(e), Cell::Int(n)])
            .collect(),
    });

    // Time from the first submission to publication, per section.
    let post_ids: HashMap<i32, (i32, DateTime<Utc>)> = posts
        .iter()
        .filter_map(|(id, s, _, _, at)| at.map(|at| (*id, (*s, at))))
        .collect();
    let moves: Vec<(i32, String, String, DateTime<Utc>)> = transition::Entity::find()
        .select_only()
        .columns([
            transition::Column::PostId,
            transition::Column::Action,
            transition::Column::ToState,
            transition::Column::At,
        ])
        .filter(transition::Column::At.lt(to))
        .filter(transition::Column::Action.is_in(["submit", "publish", "unpublish", "approve"]))
        .into_tuple()
        .all(db)
        .await?;
    let mut first_submit: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for (pid, action, _, at) in &moves {
        if action == "submit" && post_ids.contains_key(pid) {
            first_submit
                .entry(*pid)
                .and_modify(|t| *t = (*t).min(*at))
                .or_insert(*at);
        }
    }
    let mut waits: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for (pid, (sid, published)) in &post_ids {
        if let Some(sub) = first_submit.get(pid).filter(|s| *s <= published) {
            waits
                .entry(*sid)
                .or_default()
                .push((*published - *sub).num_seconds() as f64 / 3600.0);
        }
    }
    tables.push(Table {
        key: "time_to_publish",
        vi: "Thời gian từ khi gửi duyệt đến khi đăng (giờ)",
        en: "Time from submission to publication (hours)",
        columns: vec![
            col("section", "Chuyên mục", "Section", Measure::Text),
            col("posts", "Tin bài", "Posts", Measure::Count),
            col("median_hours", "Trung vị (giờ)", "Median (hours)", Measure::Hours),
            col(
                "p90_hours",
                "90% trong vòng (giờ)",
                "90th percentile (hours)",
                Measure::Hours,
            ),
        ],
        rows: waits
            .into_iter()
            .filter_map(|(sid, mut v)| {
                let n = v.len() as i64;
                median_p90(&mut v).map(|(m, p)| {
                    vec![
                        Cell::Text(section_name(sid)),
                        Cell::Int(n),
                        Cell::Float(round1(m)),
                        Cell::Float(round1(p)),
                    ]
                })
            })
            .collect(),
    });

    // Corrections (a published post published again) and withdrawals.
    let first_published: HashMap<i32, DateTime<Utc>> = post::Entity::find()
        .select_only()
        .columns([post::Column::Id, post::Column::PublishedAt])
        .filter(post::Column::PublishedAt.is_not_null())
        .into_tuple::<(i32, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, at)| at.map(|at| (id, at)))
        .collect();
    let mut corrections = [0i64; 12];
    let mut withdrawals = [0i64; 12];
    for (pid, action, to_state, at) in &moves {
        if !in_year(*at) {
            continue;
        }
        if action == "unpublish" {
            withdrawals[month_of(*at)] += 1;
        } else if to_state == "published"
            && first_published
                .get(pid)
                .is_some_and(|f| (*at - *f).num_seconds() > 60)
        {
            corrections[month_of(*at)] += 1;
        }
    }
    tables.push(Table {
        key: "corrections_withdrawals",
        vi: "Đính chính và gỡ bài theo tháng",
        en: "Corrections and withdrawals per month",
        columns: vec![
            col("month", "Tháng", "Month", Measure::Text),
            col(
                "corrections",
                "Đính chính, cập nhật",
                "Corrections",
                Measure::Count,
            ),
            col("withdrawals", "Gỡ bài", "Withdrawals", Measure::Count),
        ],
        rows: (0..12)
            .map(|i| {
                vec![
                    Cell::Text(format!("{:02}", i + 1)),
                    Cell::Int(corrections[i]),
                    Cell::Int(withdrawals[i]),
                ]
            })
            .collect(),
    });

    // Q&A (Đ11.1a).
    let questions = question::Entity::find()
        .filter(question::Column::ReceivedAt.lt(to))
        .all(db)
        .await?;
    // Per channel (questions, proposals and petitions): received,
    // answered, rejected, published, overdue at the end.
    let mut qa = [[0i64; 5]; 2];
    for q in &questions {
        let (sent, rejected, published, due) = (q.sent_at, q.rejected_at, q.published_at, q.due_on);
        let c = usize::from(q.channel == crate::questions::Channel::Petition.as_str());
        if in_year(q.received_at) {
            qa[c][0] += 1;
        }
        if sent.is_some_and(in_year) {
            qa[c][1] += 1;
        }
        if rejected.is_some_and(in_year) {
            qa[c][2] += 1;
        }
        if published.is_some_and(in_year) {
            qa[c][3] += 1;
        }
        let open_at_end = sent.is_none_or(|s| s >= to) && rejected.is_none_or(|r| r >= to);
        if open_at_end && due.is_some_and(|d| d < as_of) {
            qa[c][4] += 1;
        }
    }
    tables.push(Table {
        key: "qa_summary",
        vi: "Hỏi đáp, đề xuất và kiến nghị: tiếp nhận, trả lời, quá hạn",
        en: "Questions, proposals and petitions: received, answered, overdue",
        columns: vec![
            col("measure", "Chỉ tiêu", "Measure", Measure::Text),
            col("questions", "Câu hỏi", "Questions", Measure::Count),
            col(
                "petitions",
                "Đề xuất, kiến nghị",
                "Proposals and petitions",
                Measure::Count,
            ),
        ],
        rows: [
            "Tiếp nhận",
            "Đã trả lời (gửi người hỏi)",
            "Từ chối, chuyển nơi khác",
            "Đăng công khai",
            "Quá hạn, chưa trả lời cuối kỳ",
        ]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                Cell::Text((*l).to_owned()),
                Cell::Int(qa[0][i]),
                Cell::Int(qa[1][i]),
            ]
        })
        .collect(),
    });
    let on_time = crate::questions::report(db, cal, first, last, as_of).await?;
    tables.push(Table {
        key: "qa_on_time",
        vi: "Hỏi đáp: đúng hạn theo bước và đơn vị",
        en: "Q&A on time per stage and unit",
        columns: vec![
            col("stage", "Bước", "Stage", Measure::Text),
            col("unit", "Đơn vị", "Unit", Measure::Text),
            col("on_time", "Đúng hạn", "On time", Measure::Count),
            col("late", "Trễ hạn", "Late", Measure::Count),
            col("pending", "Chưa đến hạn", "Not yet due", Measure::Count),
            col("rate", "Tỷ lệ đúng hạn", "On-time rate", Measure::Rate),
        ],
        rows: on_time
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(
                        match r.stage {
                            "classify" => "Phân loại",
                            "answer" => "Trả lời",
                            "publish" => "Gửi và đăng",
                            other => other,
                        }
                        .to_owned(),
                    ),
                    Cell::Text(match r.unit_id {
                        Some(u) => unit_name(Some(u)),
                        None => "Tất cả".to_owned(),
                    }),
                    Cell::Int(i64::from(r.on_time)),
                    Cell::Int(i64::from(r.late)),
                    Cell::Int(i64::from(r.pending)),
                    r.on_time_rate()
                        .map_or(Cell::Empty, |p| Cell::Float(round1(p) / 100.0)),
                ]
            })
            .collect(),
    });

    // Consultations on drafts (Đ11.1a).
    let drafts: Vec<(i32, Option<DateTime<Utc>>)> = entry::Entity::find()
        .select_only()
        .columns([entry::Column::Id, entry::Column::PublishedAt])
        .filter(entry::Column::Kind.eq(crate::entries::CONSULTATION.name))
        .into_tuple()
        .all(db)
        .await?;
    let comments: Vec<(DateTime<Utc>, String)> = draft_comment::Entity::find()
        .select_only()
        .columns([draft_comment::Column::CreatedAt, draft_comment::Column::State])
        .filter(draft_comment::Column::CreatedAt.gte(from))
        .filter(draft_comment::Column::CreatedAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    tables.push(Table {
        key: "consultations",
        vi: "Lấy ý kiến dự thảo",
        en: "Consultations on drafts",
        columns: vec![
            col("measure", "Chỉ tiêu", "Measure", Measure::Text),
            col("count", "Số lượng", "Count", Measure::Count),
        ],
        rows: vec![
            vec![
                Cell::Text("Dự thảo đưa lên lấy ý kiến".into()),
                Cell::Int(drafts.iter().filter(|(_, p)| p.is_some_and(in_year)).count() as i64),
            ],
            vec![
                Cell::Text("Ý kiến nhận được".into()),
                Cell::Int(comments.len() as i64),
            ],
            vec![
                Cell::Text("Ý kiến đã công khai".into()),
                Cell::Int(comments.iter().filter(|(_, s)| s == "published").count() as i64),
            ],
        ],
    });

    // Search.
    let search = crate::search_log::report(db, from, to, 20).await?;
    tables.push(Table {
        key: "search_summary",
        vi: "Tìm kiếm",
        en: "Searches",
        columns: vec![
            col("measure", "Chỉ tiêu", "Measure", Measure::Text),
            col("count", "Số lượt", "Count", Measure::Count),
        ],
        rows: vec![
            vec![Cell::Text("Lượt tìm kiếm".into()), Cell::Int(search.searches)],
            vec![
                Cell::Text("Lượt không có kết quả".into()),
                Cell::Int(search.zero_result_searches),
            ],
        ],
    });
    let queries = |list: &[crate::search_log::Counted]| {
        list.iter()
            .map(|c| vec![Cell::Text(c.query.clone()), Cell::Int(c.count)])
            .collect::<Vec<_>>()
    };
    let query_columns = || {
        vec![
            col("query", "Từ khóa", "Query", Measure::Text),
            col("count", "Số lượt", "Searches", Measure::Count),
        ]
    };
    tables.push(Table {
        key: "search_top",
        vi: "Từ khóa được tìm nhiều nhất",
        en: "Top queries",
        columns: query_columns(),
        rows: queries(&search.top),
    });
    tables.push(Table {
        key: "search_top_zero",
        vi: "Từ khóa không có kết quả được tìm nhiều nhất",
        en: "Top queries without results",
        columns: query_columns(),
        rows: queries(&search.top_zero),
    });

    // Page views.
    // Summed in the database month by month: a year of day rows can be
    // millions.
    let post_section: HashMap<i32, i32> = post::Entity::find()
        .select_only()
        .columns([post::Column::Id, post::Column::SectionId])
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut views_section: BTreeMap<i32, [i64; 12]> = BTreeMap::new();
    let mut views_month = [0i64; 12];
    for m in 0..12u32 {
        let (Some(start), Some(next)) = (
            NaiveDate::from_ymd_opt(year, m + 1, 1),
            NaiveDate::from_ymd_opt(year + i32::from(m == 11), (m + 1) % 12 + 1, 1),
        ) else {
            continue;
        };
        for t in crate::views::totals(db, Viewed::Post, start, next - chrono::Duration::days(1)).await? {
            views_month[m as usize] += t.views;
            if let Some(s) = post_section.get(&t.item_id) {
                views_section.entry(*s).or_insert([0; 12])[m as usize] += t.views;
            }
        }
    }
    let columns = with_months(vec![col("section", "Chuyên mục", "Section", Measure::Text)]);
    tables.push(Table {
        key: "views_by_section",
        vi: "Lượt xem theo chuyên mục và tháng",
        en: "Page views per section and month",
        columns,
        rows: views_section
            .iter()
            .map(|(id, months)| month_row(vec![Cell::Text(section_name(*id))], months))
            .collect(),
    });
    tables.push(by_month(
        "views_by_month",
        ("Lượt xem tin bài theo tháng", "Article views per month"),
        col("views", "Lượt xem", "Views", Measure::Count),
        &views_month,
    ));
    let top = crate::views::most_read(db, Viewed::Post, first, last, 20).await?;
    let live: Vec<i32> = post::Entity::find()
        .select_only()
        .column(post::Column::LiveRevisionId)
        .filter(post::Column::Id.is_in(top.iter().map(|t| t.item_id)))
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let titles: HashMap<i32, String> = crate::entity::revision::Entity::find()
        .select_only()
        .columns([
            crate::entity::revision::Column::PostId,
            crate::entity::revision::Column::Title,
        ])
        .filter(crate::entity::revision::Column::Id.is_in(live))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    tables.push(Table {
        key: "most_read",
        vi: "Tin bài được đọc nhiều nhất",
        en: "Most read articles",
        columns: vec![
            col("title", "Tin bài", "Article", Measure::Text),
            col("section", "Chuyên mục", "Section", Measure::Text),
            col("views", "Lượt xem", "Views", Measure::Count),
        ],
        rows: top
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(
                        titles
                            .get(&t.item_id)
                            .cloned()
                            .unwrap_or_else(|| format!("#{}", t.item_id)),
                    ),
                    Cell::Text(
                        post_section
                            .get(&t.item_id)
                            .map(|s| section_name(*s))
                            .unwrap_or_default(),
                    ),
                    Cell::Int(t.views),
                ]
            })
            .collect(),
    });

    // Royalties by budget holder (Đ17).
    let holders = royalty_holder::Entity::find().all(db).await?;
    let proposals = royalty_proposal::Entity::find()
        .filter(royalty_proposal::Column::ProposedAt.lt(to))
        .all(db)
        .await?;
    tables.push(Table {
        key: "royalties_by_holder",
        vi: "Nhuận bút theo đơn vị chi trả",
        en: "Royalties by budget holder",
        columns: vec![
            col("holder", "Đơn vị chi trả", "Budget holder", Measure::Text),
            col("proposals", "Đề xuất trong năm", "Proposals", Measure::Count),
            col("approved", "Đã duyệt (đồng)", "Approved (VND)", Measure::Money),
            col("paid", "Đã chi (đồng)", "Paid (VND)", Measure::Money),
        ],
        rows: holders
            .iter()
            .map(|h| {
                let mine: Vec<&royalty_proposal::Model> =
                    proposals.iter().filter(|p| p.holder_id == h.id).collect();
                let proposed = mine.iter().filter(|p| in_year(p.proposed_at)).count() as i64;
                let approved: i64 = mine
                    .iter()
                    .filter(|p| {
                        matches!(p.status.as_str(), "approved" | "paid") && p.decided_at.is_some_and(in_year)
                    })
                    .map(|p| p.total)
                    .sum();
                let paid: i64 = mine
                    .iter()
                    .filter(|p| p.status == "paid" && p.paid_on.is_some_and(|d| d.year() == year))
                    .map(|p| p.total)
                    .sum();
                vec![
                    Cell::Text(unit_name(h.unit_id)),
                    Cell::Int(proposed),
                    Cell::Int(approved),
                    Cell::Int(paid),
                ]
            })
            .collect(),
    });

    // Information deadlines per unit (Đ11.1).
    let provisions = crate::provisions::tally(db, cal, year, as_of).await?;
    tables.push(Table {
        key: "provisions_by_unit",
        vi: "Cung cấp thông tin đúng hạn theo đơn vị (Điều 11.1)",
        en: "Information supplied on time per unit (Art. 11.1)",
        columns: vec![
            col("unit", "Đơn vị", "Unit", Measure::Text),
            col("met_on_time", "Đúng hạn", "On time", Measure::Count),
            col("met_late", "Muộn", "Late", Measure::Count),
            col("overdue", "Quá hạn chưa đăng", "Overdue", Measure::Count),
            col("open", "Chưa đến hạn", "Not yet due", Measure::Count),
            col("rate", "Tỷ lệ đúng hạn", "On-time rate", Measure::Rate),
        ],
        rows: provisions
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(unit_name(Some(t.unit_id))),
                    Cell::Int(i64::from(t.met_on_time)),
                    Cell::Int(i64::from(t.met_late)),
                    Cell::Int(i64::from(t.overdue)),
                    Cell::Int(i64::from(t.pending + t.due_soon)),
                    t.on_time_rate
                        .map_or(Cell::Empty, |r| Cell::Float((r * 1000.0).round() / 1000.0)),
                ]
            })
            .collect(),
    });
    Ok(Report { year, as_of, tables })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_ninetieth_percentile() {
        assert_eq!(median_p90(&mut []), None);
        assert_eq!(median_p90(&mut [5.0]), Some((5.0, 5.0)));
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median_p90(&mut v), Some((5.5, 9.0)));
        let mut v = vec![3.0, 1.0, 2.0];
        assert_eq!(median_p90(&mut v), Some((2.0, 3.0)));
    }
}
