//! The on-time report: how each stage of the Q&A kept its deadline.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::calendar::Calendar;
use crate::entity::question;
use crate::error::Result;
use crate::qa;

use super::schedule::timeline;

/// One line of the on-time report: a stage, optionally for one unit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReportRow {
    /// `classify`, `answer` or `publish`.
    pub stage: &'static str,
    pub unit_id: Option<i32>,
    /// Stages done on or before their deadline.
    pub on_time: u32,
    /// Stages done after their deadline, or still open past it.
    pub late: u32,
    /// Stages still open and not yet due.
    pub pending: u32,
}

impl ReportRow {
    /// Share of decided stages done on time, in percent.
    pub fn on_time_rate(&self) -> Option<f64> {
        let decided = self.on_time + self.late;
        (decided > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(decided))
    }
}

/// On-time performance of each stage (and of each unit's answers) for the
/// questions received from `from` to `to` (Vietnam dates, inclusive), for
/// the annual report (Đ6.4b) and the Support Centre's follow-up (Đ7.2b).
pub async fn report(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<ReportRow>> {
    let rows = question::Entity::find()
        .order_by_asc(question::Column::ReceivedAt)
        .all(db)
        .await?;
    let mut out: Vec<ReportRow> = Vec::new();
    let mut bump = |stage: &'static str, unit: Option<i32>, due: NaiveDate, done: Option<NaiveDate>| {
        let i = match out.iter().position(|r| r.stage == stage && r.unit_id == unit) {
            Some(i) => i,
            None => {
                out.push(ReportRow {
                    stage,
                    unit_id: unit,
                    on_time: 0,
                    late: 0,
                    pending: 0,
                });
                out.len() - 1
            }
        };
        let row = &mut out[i];
        match done {
            Some(d) if d <= due => row.on_time += 1,
            Some(_) => row.late += 1,
            None if today > due => row.late += 1,
            None => row.pending += 1,
        }
    };
    for q in rows
        .iter()
        .filter(|q| (from..=to).contains(&crate::time::date_vn(q.received_at)))
    {
        let received = crate::time::date_vn(q.received_at);
        let t = timeline(q);
        let d = qa::deadlines(cal, received, &t);
        if let Some(r) = t.rejected {
            bump("classify", None, received, Some(r));
            continue;
        }
        bump("classify", None, d.classify_by, t.classified.or(t.answered));
        bump("answer", None, d.answer_by, t.answered);
        if let Some(unit) = q.answer_unit_id.or_else(|| q.units().first().copied()) {
            bump("answer", Some(unit), d.answer_by, t.answered);
        }
        if let Some(due) = d.publish_by {
            let done = match (t.published, t.sent) {
                (Some(p), Some(s)) => Some(p.max(s)),
                _ => None,
            };
            bump("publish", None, due, done);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_time_rate_counts_decided_stages() {
        let r = ReportRow {
            stage: "answer",
            unit_id: None,
            on_time: 3,
            late: 1,
            pending: 5,
        };
        assert_eq!(r.on_time_rate(), Some(75.0));
        assert_eq!(
            ReportRow {
                on_time: 0,
                late: 0,
                ..r
            }
            .on_time_rate(),
            None
        );
    }
}
