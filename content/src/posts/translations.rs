//! Posts that translate each other (the Vietnamese and English editions):
//! they share a translation group, and each public page links the other.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{get_post, revisions::may_edit};
use crate::accounts::Account;
use crate::audit::{self, Actor};
use crate::changelog::{self, ChangeKind};
use crate::entity::post;
use crate::error::{Error, Result};

/// The post of the other edition in `p`'s translation group, if any.
pub async fn counterpart(db: &impl ConnectionTrait, p: &post::Model) -> Result<Option<post::Model>> {
    let group = p.translation_group.unwrap_or(p.id);
    Ok(post::Entity::find()
        .filter(
            Condition::any()
                .add(post::Column::TranslationGroup.eq(group))
                .add(post::Column::Id.eq(group)),
        )
        .filter(post::Column::Edition.ne(p.edition.as_str()))
        .one(db)
        .await?)
}

/// Links `id` with `other`, a post of the other edition, as translations
/// of each other. Refused when either already has a translation.
pub async fn link(db: &DatabaseConnection, actor: &Actor, who: &Account, id: i32, other: i32) -> Result<()> {
    let a = get_post(db, id).await?;
    let b = get_post(db, other)
        .await
        .map_err(|_| Error::invalid_in("translation", "no such post", "Không có tin bài mang số này."))?;
    let full = super::get(db, id).await?;
    if !may_edit(&a, &full.authors(), who) {
        return Err(Error::Forbidden(
            "only the post's authors, editors and the board may link it".into(),
        ));
    }
    if a.edition == b.edition {
        return Err(Error::invalid_in(
            "translation",
            "a translation belongs to the other edition",
            "Bản dịch phải thuộc phiên bản ngôn ngữ kia.",
        ));
    }
    for p in [&a, &b] {
        if counterpart(db, p).await?.is_some() {
            return Err(Error::invalid_in(
                "translation",
                format!("post {} already has a translation", p.id),
                format!("Tin bài số {} đã có bản dịch.", p.id),
            ));
        }
    }
    let group = a.translation_group.or(b.translation_group).unwrap_or(a.id);
    let txn = crate::db::begin_write(db).await?;
    post::Entity::update_many()
        .col_expr(post::Column::TranslationGroup, Expr::value(Some(group)))
        .filter(post::Column::Id.is_in([a.id, b.id]))
        .exec(&txn)
        .await?;
    for p in [&a, &b] {
        if p.live_revision_id.is_some() {
            changelog::append(&txn, "post", p.id, ChangeKind::Update, p.lang()).await?;
        }
    }
    audit::record(
        &txn,
        actor,
        "post.translation_link",
        Some(("post", a.id.to_string())),
        serde_json::json!({"other": b.id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
