//! Asking and tracking: a citizen's question is checked field by field,
//! recorded with its schedule, acknowledged by mail with its tracking code
//! and expected answer date, and followed by the asker with that code and
//! their e-mail address.

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};

use super::schedule::{clocks_of, store_schedule};
use super::{Channel, Mail, QuestionState, event};
use crate::calendar::Calendar;
use crate::entity::question;
use crate::error::{Error, Result};
use crate::text::{clean_line, nfc};

/// A question as the asker sends it.
#[derive(Clone, Debug, Default)]
pub struct Asked {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub category: String,
    pub title: String,
    pub content: String,
    pub consent: bool,
    /// A question (the default) or a proposal or petition.
    pub channel: Channel,
    /// The edition it is asked in: the language of the mails.
    pub edition: crate::lang::Lang,
}

fn tracking_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn check(asked: &Asked) -> Result<Asked> {
    let name = clean_line(&asked.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("name", "must be 1 to 200 characters"));
    }
    let email = crate::text::email("email", &asked.email)?;
    let opt = |v: &Option<String>, field: &str| -> Result<Option<String>> {
        match v.as_deref().map(clean_line).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > 300 => {
                Err(Error::invalid(field, "must be at most 300 characters"))
            }
            other => Ok(other),
        }
    };
    let categories = asked.channel.categories();
    if !categories.contains(&asked.category.as_str()) {
        return Err(Error::invalid(
            "category",
            format!("one of {}", categories.join(", ")),
        ));
    }
    let title = clean_line(&asked.title);
    if title.is_empty() || title.chars().count() > 300 {
        return Err(Error::invalid("title", "must be 1 to 300 characters"));
    }
    let content = nfc(asked.content.trim());
    if content.is_empty() || content.chars().count() > 10_000 {
        return Err(Error::invalid("content", "must be 1 to 10000 characters"));
    }
    for (field, v) in [
        ("name", Some(&name)),
        ("title", Some(&title)),
        ("content", Some(&content)),
        ("phone", asked.phone.as_ref()),
        ("address", asked.address.as_ref()),
    ] {
        if let Some(v) = v {
            crate::text::check_text(field, v)?;
        }
    }
    if !asked.consent {
        return Err(Error::invalid(
            "consent",
            "the processing of personal data needs your consent",
        ));
    }
    Ok(Asked {
        name,
        email,
        phone: opt(&asked.phone, "phone")?,
        address: opt(&asked.address, "address")?,
        category: asked.category.clone(),
        title,
        content,
        consent: true,
        channel: asked.channel,
        edition: asked.edition,
    })
}

/// Whether the form's hidden honeypot field was filled: only a program
/// fills a field people cannot see.
pub fn is_honeypot_filled(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

/// What a bot that filled the honeypot is told: the same answer a person
/// gets (a tracking code and an answer date), so it learns nothing to
/// change, while nothing is stored and no mail is sent. The input is
/// still checked, so a bad field is refused the same way.
pub fn decoy(cal: &Calendar, asked: &Asked) -> Result<(String, chrono::NaiveDate)> {
    check(asked)?;
    let today = crate::time::today_vn();
    let t = crate::qa::Timeline {
        days: asked.channel.days(),
        ..Default::default()
    };
    let answer_by = crate::qa::deadlines(cal, today, &t).answer_by;
    Ok((tracking_code(), answer_by))
}

/// Records a question; `received_at` is now, or the original receipt date
/// for questions moved from the old portal. Returns it with the asker's
/// acknowledgement.
pub async fn ask(
    db: &DatabaseConnection,
    cal: &Calendar,
    asked: &Asked,
    received_at: Option<DateTime<Utc>>,
) -> Result<(question::Model, Mail)> {
    let a = check(asked)?;
    if let Some(t) = received_at {
        crate::text::check_time("received_at", t)?;
    }
    let now = crate::time::now();
    let txn = crate::db::begin_write(db).await?;
    let q = question::ActiveModel {
        tracking_code: Set(tracking_code()),
        name: Set(a.name.clone()),
        email: Set(a.email.clone()),
        phone: Set(a.phone.clone()),
        address: Set(a.address.clone()),
        category: Set(a.category.clone()),
        channel: Set(a.channel.as_str().to_owned()),
        title: Set(a.title.clone()),
        content: Set(a.content.clone()),
        status: Set(QuestionState::Received.as_str().into()),
        complex: Set(false),
        units: Set("[]".into()),
        answer: Set(None),
        answer_unit_id: Set(None),
        reject_reason: Set(None),
        received_at: Set(received_at.unwrap_or(now)),
        classified_at: Set(None),
        promised_on: Set(None),
        answered_at: Set(None),
        approved_at: Set(None),
        published_at: Set(None),
        sent_at: Set(None),
        rejected_at: Set(None),
        updated_at: Set(now),
        edition: Set(a.edition.as_str().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let q = store_schedule(&txn, cal, q).await?;
    event(
        &txn,
        q.id,
        if received_at.is_some() { "import" } else { "ask" },
        None,
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    let (deadlines, _) = clocks_of(cal, &q, crate::time::date_vn(now));
    let answer_by = deadlines.answer_by.format("%d/%m/%Y");
    let mail = match (a.edition, a.channel) {
        (crate::lang::Lang::En, channel) => {
            let what = match channel {
                Channel::Question => "question",
                Channel::Petition => "petition",
            };
            Mail {
                to: q.email.clone(),
                subject: format!(
                    "[Vietnam Social Security] Your {what} {} was received",
                    q.tracking_code
                ),
                body: format!(
                    "Dear {},\n\nVietnam Social Security has received your {what} \"{}\".\nTracking code: {}\nExpected answer by: {answer_by}\n\nYou can follow it on the portal with this code and this e-mail address.\n",
                    q.name, q.title, q.tracking_code
                ),
            }
        }
        (crate::lang::Lang::Vi, channel) => {
            let what = match channel {
                Channel::Question => "câu hỏi",
                Channel::Petition => "kiến nghị",
            };
            Mail {
                to: q.email.clone(),
                subject: format!("[BHXH Việt Nam] Đã nhận {what} {}", q.tracking_code),
                body: format!(
                    "Kính gửi {},\n\nBảo hiểm xã hội Việt Nam đã nhận {what} \"{}\" của Quý vị.\nMã tra cứu: {}\nNgày dự kiến trả lời: {answer_by}\n\nQuý vị có thể tra cứu tình trạng {what} trên Cổng Thông tin điện tử bằng mã tra cứu và địa chỉ thư điện tử này.\n",
                    q.name, q.title, q.tracking_code
                ),
            }
        }
    };
    Ok((q, mail))
}

/// The asker's view: only with the matching e-mail address.
pub async fn track(db: &impl ConnectionTrait, code: &str, email: &str) -> Result<Option<question::Model>> {
    let q = question::Entity::find()
        .filter(question::Column::TrackingCode.eq(code.trim().to_uppercase()))
        .one(db)
        .await?;
    Ok(q.filter(|q| q.email.eq_ignore_ascii_case(email.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_checked_field_by_field() {
        let good = Asked {
            name: "Nguyễn Văn A".into(),
            email: "A@Example.vn".into(),
            category: "social_insurance".into(),
            title: "Hỏi về lương hưu".into(),
            content: "Tôi muốn hỏi…".into(),
            consent: true,
            ..Asked::default()
        };
        let a = check(&good).unwrap();
        assert_eq!(a.email, "a@example.vn");
        let field = |asked: Asked| match check(&asked) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(Asked {
                consent: false,
                ..good.clone()
            }),
            "consent"
        );
        assert_eq!(
            field(Asked {
                email: "not-mail".into(),
                ..good.clone()
            }),
            "email"
        );
        assert_eq!(
            field(Asked {
                category: "taxes".into(),
                ..good.clone()
            }),
            "category"
        );
        assert_eq!(
            field(Asked {
                title: " ".into(),
                ..good.clone()
            }),
            "title"
        );
        assert_eq!(
            field(Asked {
                name: String::new(),
                ..good
            }),
            "name"
        );
    }

    #[test]
    fn tracking_codes_are_unambiguous() {
        let c = tracking_code();
        assert_eq!(c.len(), 10);
        assert!(c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()));
        assert!(!c.contains('O') && !c.contains('0') && !c.contains('I') && !c.contains('1'));
    }
}
