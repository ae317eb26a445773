//! The daily reminder mail of due-soon and overdue questions, sent once a
//! day across nodes ([`crate::daily`]).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};

use super::Mail;
use super::inbox::{Inbox, open_select};
use super::rules::{self, Facts, Standing};
use super::schedule::clocks_of;
use crate::calendar::Calendar;
use crate::entity::question;
use crate::error::Result;
use crate::qa::{Clocks, Deadlines};
use crate::roles::Role;

/// The daily reminders (Đ7.2b: the Support Centre follows every deadline):
/// to each coordinator everything due soon or overdue, to each responder
/// what their unit must answer, to board members the answers awaiting
/// their approval. Users without an e-mail address are skipped.
pub async fn reminders(db: &impl ConnectionTrait, cal: &Calendar, today: NaiveDate) -> Result<Vec<Mail>> {
    use crate::qa::ClockStatus;
    // Due soon or overdue means warned by today (`warn_on <= due_on`).
    let open = open_select(Inbox::All)
        .filter(question::Column::WarnOn.lte(today))
        .order_by_asc(question::Column::DueOn)
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    let urgent: Vec<(&question::Model, Deadlines, Clocks)> = open
        .iter()
        .map(|q| {
            let (d, c) = clocks_of(cal, q, today);
            (q, d, c)
        })
        .filter(|(_, _, c)| matches!(c.overall, ClockStatus::DueSoon | ClockStatus::Overdue))
        .collect();
    let line = |q: &question::Model, d: &Deadlines, c: &Clocks| {
        let state = if c.overall == ClockStatus::Overdue {
            "QUÁ HẠN"
        } else {
            "sắp đến hạn"
        };
        format!(
            "- [{state}] {} (mã {}, hạn trả lời {})",
            q.title,
            q.tracking_code,
            d.answer_by.format("%d/%m/%Y")
        )
    };
    let mut mails = Vec::new();
    for account in crate::accounts::list(db).await? {
        let Some(email) = account.user.email.clone().filter(|_| !account.user.disabled) else {
            continue;
        };
        let roles = &account.roles;
        let mine: Vec<String> = urgent
            .iter()
            .filter(|(q, _, _)| {
                // Coordinators follow every deadline; responders and board
                // members hear of the questions waiting for their own action.
                let standing = Standing {
                    coordinator: false,
                    ..Standing::of(roles, account.user.unit_id, &q.units())
                };
                let facts = Facts {
                    state: q.state(),
                    sent: q.sent_at.is_some(),
                };
                roles.has(Role::QaCoordinator) || !rules::allowed(facts, &standing).is_empty()
            })
            .map(|(q, d, c)| line(q, d, c))
            .collect();
        if mine.is_empty() {
            continue;
        }
        mails.push(Mail {
            to: email,
            subject: format!("[Cổng TTĐT BHXH] {} câu hỏi sắp đến hạn hoặc quá hạn", mine.len()),
            body: format!(
                "Kính gửi {},\n\nCác câu hỏi cần xử lý ngày {}:\n{}\n",
                account.user.display_name,
                today.format("%d/%m/%Y"),
                mine.join("\n")
            ),
        });
    }
    Ok(mails)
}
