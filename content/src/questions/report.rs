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

/// The askers' ratings of the answers to the questions received from
/// `from` to `to`: one line for all, one per category, one per answering
/// unit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Satisfaction {
    /// `None` on the overall line and on unit lines.
    pub category: Option<String>,
    /// `None` on the overall line and on category lines.
    pub unit_id: Option<i32>,
    pub satisfied: u32,
    pub unsatisfied: u32,
}

impl Satisfaction {
    /// Share of ratings that were "satisfied", in percent.
    pub fn rate(&self) -> Option<f64> {
        let all = self.satisfied + self.unsatisfied;
        (all > 0).then(|| f64::from(self.satisfied) * 100.0 / f64::from(all))
    }
}

/// Sums the ratings of the questions received from `from` to `to`
/// (Vietnam dates, inclusive): overall first, then per category, then per
/// answering unit.
pub async fn satisfaction(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Satisfaction>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let rated = question::Entity::find()
        .filter(question::Column::Satisfied.is_not_null())
        .filter(question::Column::ReceivedAt.gte(crate::time::start_of_day_vn(from)))
        .filter(question::Column::ReceivedAt.lt(crate::time::start_of_day_vn(to + chrono::Days::new(1))))
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    Ok(tally_ratings(&rated))
}

fn tally_ratings(rated: &[question::Model]) -> Vec<Satisfaction> {
    let mut out = vec![Satisfaction {
        category: None,
        unit_id: None,
        satisfied: 0,
        unsatisfied: 0,
    }];
    let mut bump = |category: Option<&str>, unit_id: Option<i32>, yes: bool| {
        let i = match out
            .iter()
            .position(|s| s.category.as_deref() == category && s.unit_id == unit_id)
        {
            Some(i) => i,
            None => {
                out.push(Satisfaction {
                    category: category.map(str::to_owned),
                    unit_id,
                    satisfied: 0,
                    unsatisfied: 0,
                });
                out.len() - 1
            }
        };
        if yes {
            out[i].satisfied += 1;
        } else {
            out[i].unsatisfied += 1;
        }
    };
    for q in rated {
        let Some(yes) = q.satisfied else { continue };
        bump(None, None, yes);
        bump(Some(&q.category), None, yes);
        if let Some(unit) = q.answer_unit_id {
            bump(None, Some(unit), yes);
        }
    }
    out.sort_by_key(|s| {
        (
            s.category.is_some() as u8 + 2 * s.unit_id.is_some() as u8,
            s.category.clone(),
            s.unit_id,
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> question::Model {
        let at = crate::time::now();
        question::Model {
            id: 1,
            tracking_code: "HD-1".into(),
            name: String::new(),
            email: String::new(),
            phone: None,
            address: None,
            category: "general".into(),
            channel: "question".into(),
            title: String::new(),
            content: String::new(),
            status: "sent".into(),
            complex: false,
            units: "[]".into(),
            answer: Some("…".into()),
            answer_unit_id: None,
            reject_reason: None,
            received_at: at,
            classified_at: None,
            promised_on: None,
            answered_at: None,
            approved_at: None,
            published_at: None,
            sent_at: Some(at),
            rejected_at: None,
            updated_at: at,
            due_on: None,
            warn_on: None,
            public_title: None,
            public_content: None,
            edition: "vi".into(),
            satisfied: None,
            rating_comment: None,
            rated_at: None,
        }
    }

    #[test]
    fn ratings_add_up_overall_per_category_and_per_unit() {
        let q = |category: &str, unit: Option<i32>, yes: Option<bool>| question::Model {
            category: category.into(),
            answer_unit_id: unit,
            satisfied: yes,
            ..sample()
        };
        let lines = tally_ratings(&[
            q("social_insurance", Some(7), Some(true)),
            q("social_insurance", Some(7), Some(false)),
            q("health_insurance", Some(8), Some(true)),
            q("health_insurance", None, None),
        ]);
        assert_eq!((lines[0].satisfied, lines[0].unsatisfied), (2, 1));
        assert!(lines[0].category.is_none() && lines[0].unit_id.is_none());
        let social = lines
            .iter()
            .find(|l| l.category.as_deref() == Some("social_insurance"))
            .unwrap();
        assert_eq!(social.rate(), Some(50.0));
        let unit8 = lines.iter().find(|l| l.unit_id == Some(8)).unwrap();
        assert_eq!((unit8.satisfied, unit8.unsatisfied), (1, 0));
        assert_eq!(lines.len(), 5);
    }

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
