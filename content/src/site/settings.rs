//! One stored value per site setting, changed by administrators only.

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use crate::audit::Actor;
use crate::entity::site_setting;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::roles::RoleSet;

/// The settings there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The blocks of an edition's home page.
    HomeBlocks(Lang),
    /// The search dictionary.
    SearchSynonyms,
}

impl Setting {
    pub const ALL: [Setting; 3] = [
        Setting::HomeBlocks(Lang::Vi),
        Setting::HomeBlocks(Lang::En),
        Setting::SearchSynonyms,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Setting::HomeBlocks(Lang::Vi) => "home_blocks.vi",
            Setting::HomeBlocks(Lang::En) => "home_blocks.en",
            Setting::SearchSynonyms => "search_synonyms",
        }
    }

    /// The id its changes carry in the change log (entity `setting`).
    pub fn change_id(self) -> i32 {
        match self {
            Setting::HomeBlocks(Lang::Vi) => 1,
            Setting::HomeBlocks(Lang::En) => 2,
            Setting::SearchSynonyms => 3,
        }
    }

    pub fn from_change_id(id: i32) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.change_id() == id)
    }

    fn edition(self) -> Lang {
        match self {
            Setting::HomeBlocks(ed) => ed,
            Setting::SearchSynonyms => Lang::Vi,
        }
    }
}

/// Only administrators change what every visitor sees on every page (the
/// IT Centre runs the portal, Đ7.2c).
pub fn may_change(roles: &RoleSet) -> bool {
    roles.is_admin()
}

/// The stored value, if an administrator ever set one.
pub async fn get(db: &impl ConnectionTrait, setting: Setting) -> Result<Option<String>> {
    Ok(site_setting::Entity::find_by_id(setting.key().to_owned())
        .one(db)
        .await?
        .map(|m| m.value))
}

/// Stores a value the caller has checked: audited (`setting.update`) and
/// logged for every node, in one transaction.
pub(crate) async fn put(
    db: &DatabaseConnection,
    actor: &Actor,
    roles: &RoleSet,
    setting: Setting,
    value: String,
) -> Result<()> {
    if !may_change(roles) {
        return Err(Error::Forbidden(
            "only administrators change site settings".into(),
        ));
    }
    let txn = db.begin().await?;
    let row = site_setting::ActiveModel {
        key: Set(setting.key().to_owned()),
        value: Set(value.clone()),
        updated_at: Set(crate::time::now()),
        updated_by: Set(actor.user_id),
    };
    site_setting::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(site_setting::Column::Key)
                .update_columns([
                    site_setting::Column::Value,
                    site_setting::Column::UpdatedAt,
                    site_setting::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    crate::audit::record(
        &txn,
        actor,
        "setting.update",
        Some(("setting", setting.key().to_owned())),
        serde_json::json!({ "value": value }),
    )
    .await?;
    crate::changelog::append(
        &txn,
        "setting",
        setting.change_id(),
        crate::changelog::ChangeKind::Update,
        setting.edition(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_has_its_own_key_and_change_id() {
        for s in Setting::ALL {
            assert_eq!(Setting::from_change_id(s.change_id()), Some(s));
            assert_eq!(Setting::ALL.iter().filter(|o| o.key() == s.key()).count(), 1);
        }
        use crate::roles::Role;
        assert!(may_change(&RoleSet::new(vec![Role::Admin])));
        assert!(!may_change(&RoleSet::new(vec![Role::Editor, Role::BoardHead])));
    }
}
