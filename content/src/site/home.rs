//! The home page's blocks: which, in what order, how many items each. An
//! administrator sets them per edition; until then each edition has a
//! layout that puts first what citizens look for (the latest news, the
//! online services, the latest answers, the hotline and the VssID app).

use serde::{Deserialize, Serialize};

use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::roles::RoleSet;

use super::settings::{self, Setting};

/// A kind of block the home page can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// The newest story with its cover large, then the next ones smaller.
    Featured,
    LatestNews,
    /// Published Q&A answers (in Vietnamese only).
    LatestAnswers,
    /// Legal documents from the catalogue, when there are some.
    LatestDocuments,
    /// A search box over procedures and online services, with links.
    Services,
    /// The most read of the last 30 days, when page views exist.
    MostRead,
    /// The hotline and the VssID app.
    Hotline,
    /// The Government portal and the National Public Service Portal.
    GovernmentLinks,
}

impl Block {
    pub const ALL: [Block; 8] = [
        Block::Featured,
        Block::LatestNews,
        Block::LatestAnswers,
        Block::LatestDocuments,
        Block::Services,
        Block::MostRead,
        Block::Hotline,
        Block::GovernmentLinks,
    ];

    /// Most items the block may list; 0 for blocks without a list.
    pub fn max_items(self) -> u8 {
        match self {
            Block::Featured => 5,
            Block::LatestNews | Block::LatestAnswers | Block::LatestDocuments | Block::MostRead => 20,
            Block::Services | Block::Hotline | Block::GovernmentLinks => 0,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Block::Featured => "featured",
            Block::LatestNews => "latest_news",
            Block::LatestAnswers => "latest_answers",
            Block::LatestDocuments => "latest_documents",
            Block::Services => "services",
            Block::MostRead => "most_read",
            Block::Hotline => "hotline",
            Block::GovernmentLinks => "government_links",
        }
    }

    pub fn from_code(code: &str) -> Option<Block> {
        Block::ALL.into_iter().find(|b| b.code() == code)
    }

    /// Its name on the settings screen.
    pub fn name(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Block::Featured => ("Tin nổi bật (ảnh lớn)", "Featured story (large image)"),
            Block::LatestNews => ("Tin mới nhất", "Latest news"),
            Block::LatestAnswers => ("Hỏi - đáp mới trả lời", "Latest Q&A answers"),
            Block::LatestDocuments => ("Văn bản mới", "Latest legal documents"),
            Block::Services => (
                "Tra cứu thủ tục hành chính và dịch vụ công",
                "Procedures and online services search",
            ),
            Block::MostRead => ("Đọc nhiều nhất", "Most read"),
            Block::Hotline => ("Đường dây nóng và ứng dụng VssID", "Hotline and the VssID app"),
            Block::GovernmentLinks => (
                "Cổng TTĐT Chính phủ, Cổng Dịch vụ công quốc gia",
                "Government portal, National Public Service Portal",
            ),
        };
        lang.pick(vi, en)
    }
}

/// A block in its place, with how many items it lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub block: Block,
    #[serde(default)]
    pub items: u8,
}

/// An edition's home page: the blocks shown, top to bottom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeLayout {
    pub blocks: Vec<Placed>,
}

impl HomeLayout {
    /// What a new installation shows. The English edition has no answers
    /// (they are published in Vietnamese) and links the services from the
    /// Vietnamese edition through its menu.
    pub fn default_for(ed: Lang) -> HomeLayout {
        let placed = |block, items| Placed { block, items };
        let mut blocks = vec![
            placed(Block::Featured, 3),
            placed(Block::Services, 0),
            placed(Block::LatestNews, 8),
            placed(Block::LatestAnswers, 5),
            placed(Block::LatestDocuments, 5),
            placed(Block::MostRead, 5),
            placed(Block::Hotline, 0),
            placed(Block::GovernmentLinks, 0),
        ];
        if ed == Lang::En {
            blocks.retain(|p| !matches!(p.block, Block::LatestAnswers | Block::Services));
        }
        HomeLayout { blocks }
    }

    /// Checks a layout: each block once, item counts within bounds.
    pub fn checked(self) -> Result<HomeLayout> {
        for (i, p) in self.blocks.iter().enumerate() {
            if self.blocks[..i].iter().any(|o| o.block == p.block) {
                return Err(Error::invalid_in(
                    "blocks",
                    format!("{} appears twice", p.block.code()),
                    format!("Khối “{}” xuất hiện hai lần.", p.block.name(Lang::Vi)),
                ));
            }
            let max = p.block.max_items();
            if max > 0 && !(1..=max).contains(&p.items) {
                return Err(Error::invalid_in(
                    "items",
                    format!("{}: from 1 to {max} items", p.block.code()),
                    format!("Khối “{}”: số mục từ 1 đến {max}.", p.block.name(Lang::Vi)),
                ));
            }
        }
        Ok(HomeLayout {
            blocks: self
                .blocks
                .into_iter()
                .map(|p| Placed {
                    items: if p.block.max_items() == 0 { 0 } else { p.items },
                    ..p
                })
                .collect(),
        })
    }

    /// How many items a block lists, if it is shown.
    pub fn items_of(&self, block: Block) -> Option<u8> {
        self.blocks.iter().find(|p| p.block == block).map(|p| p.items)
    }
}

/// The edition's layout: the stored one, or the default when none was
/// stored or the stored one no longer reads (a block removed in a later
/// release is skipped, not an error on the home page).
pub async fn load(db: &impl sea_orm::ConnectionTrait, ed: Lang) -> Result<HomeLayout> {
    let Some(stored) = settings::get(db, Setting::HomeBlocks(ed)).await? else {
        return Ok(HomeLayout::default_for(ed));
    };
    Ok(read(&stored).unwrap_or_else(|| HomeLayout::default_for(ed)))
}

fn read(stored: &str) -> Option<HomeLayout> {
    let raw: Vec<serde_json::Value> = serde_json::from_str(stored).ok()?;
    let blocks = raw
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Placed>(v).ok())
        .collect();
    HomeLayout { blocks }.checked().ok()
}

/// Saves an edition's layout, checked; administrators only.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    roles: &RoleSet,
    ed: Lang,
    layout: HomeLayout,
) -> Result<HomeLayout> {
    let layout = layout.checked()?;
    let value = serde_json::to_string(&layout.blocks).map_err(|e| Error::invalid("blocks", e.to_string()))?;
    settings::put(db, actor, roles, Setting::HomeBlocks(ed), value).await?;
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_english_has_no_answers() {
        for ed in Lang::ALL {
            let d = HomeLayout::default_for(ed);
            assert_eq!(d.clone().checked().unwrap(), d);
        }
        assert!(
            HomeLayout::default_for(Lang::En)
                .items_of(Block::LatestAnswers)
                .is_none()
        );
        assert_eq!(
            HomeLayout::default_for(Lang::Vi).items_of(Block::LatestNews),
            Some(8)
        );
    }

    #[test]
    fn duplicates_and_counts_out_of_bounds_are_refused() {
        let p = |block, items| Placed { block, items };
        let twice = HomeLayout {
            blocks: vec![p(Block::Hotline, 0), p(Block::Hotline, 0)],
        };
        assert!(twice.checked().is_err());
        let many = HomeLayout {
            blocks: vec![p(Block::Featured, 9)],
        };
        assert!(many.checked().is_err());
        let none = HomeLayout {
            blocks: vec![p(Block::LatestNews, 0)],
        };
        assert!(none.checked().is_err());
        let ignored = HomeLayout {
            blocks: vec![p(Block::Hotline, 7)],
        }
        .checked()
        .unwrap();
        assert_eq!(ignored.blocks[0].items, 0);
    }

    #[test]
    fn stored_layouts_skip_unknown_blocks() {
        let stored =
            r#"[{"block":"latest_news","items":4},{"block":"weather","items":3},{"block":"hotline"}]"#;
        let layout = read(stored).unwrap();
        assert_eq!(layout.blocks.len(), 2);
        assert_eq!(layout.items_of(Block::LatestNews), Some(4));
        assert!(read("not json").is_none());
    }
}
