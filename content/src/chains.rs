//! Approval chains: per section, the ordered steps and who may approve
//! each (Đ6.2a, Đ7.1c). Statistics and strategy need the VSS leadership's
//! approval before publication (Đ11.1c, Đ11.1d), so their chains end with
//! the head of the board.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

use crate::entity::{approval_step, section};
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::workflow::Step;

/// The default chain: an editor of the Communication Centre, then the
/// standing deputy head of the board.
pub const DEFAULT: [Role; 2] = [Role::Editor, Role::BoardDeputyStanding];
/// Statistics and strategy: the head of the board approves last.
pub const LEADERSHIP: [Role; 3] = [Role::Editor, Role::BoardDeputyStanding, Role::BoardHead];

/// The catalogue sections kept by the Office (Đ7.2d, Đ14): Vietnamese 11
/// (administrative procedures) and 12 (online public services). One Office
/// editor prepares a change, another Office editor (or an administrator)
/// approves it.
const CATALOGUE_SECTIONS: [&str; 2] = ["vi-11", "vi-12"];
/// The chain of the catalogue sections.
pub const CATALOGUE: [Role; 1] = [Role::ProceduresEditor];

/// Sections whose content needs the leadership chain: Vietnamese 17
/// (statistics), English 3.2 (Statistics), and Vietnamese 4 (direction and
/// administration, where strategies and plans are published).
const LEADERSHIP_SECTIONS: [&str; 3] = ["vi-17", "en-03-02", "vi-04"];

pub async fn chain(db: &impl ConnectionTrait, section_id: i32) -> Result<Vec<Step>> {
    let rows = approval_step::Entity::find()
        .filter(approval_step::Column::SectionId.eq(section_id))
        .order_by_asc(approval_step::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            r.role.parse::<Role>().ok().map(|role| Step {
                role,
                unit_id: r.unit_id,
            })
        })
        .collect())
}

/// Every section's chain, by section id (for listing them all at once).
pub async fn all(db: &impl ConnectionTrait) -> Result<std::collections::HashMap<i32, Vec<Step>>> {
    let mut out: std::collections::HashMap<i32, Vec<Step>> = std::collections::HashMap::new();
    let rows = approval_step::Entity::find()
        .order_by_asc(approval_step::Column::Position)
        .all(db)
        .await?;
    for r in rows {
        if let Ok(role) = r.role.parse::<Role>() {
            out.entry(r.section_id).or_default().push(Step {
                role,
                unit_id: r.unit_id,
            });
        }
    }
    Ok(out)
}

async fn write(db: &impl ConnectionTrait, section_id: i32, steps: &[Step]) -> Result<()> {
    approval_step::Entity::delete_many()
        .filter(approval_step::Column::SectionId.eq(section_id))
        .exec(db)
        .await?;
    for (i, s) in steps.iter().enumerate() {
        approval_step::ActiveModel {
            section_id: Set(section_id),
            position: Set(i as i32 + 1),
            role: Set(s.role.as_str().to_owned()),
            unit_id: Set(s.unit_id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Whether a section's content needs the VSS leadership's approval before
/// publication (Đ11.1c statistics, Đ11.1d strategies and plans): it is one
/// of [`LEADERSHIP_SECTIONS`] or lies under one.
pub async fn needs_leadership(db: &impl ConnectionTrait, section_id: i32) -> Result<bool> {
    let mut next = Some(section_id);
    let mut hops = 0;
    while let Some(id) = next {
        let s = crate::sections::get(db, id).await?;
        if LEADERSHIP_SECTIONS.contains(&s.code.as_str()) {
            return Ok(true);
        }
        next = s.parent_id;
        hops += 1;
        if hops > 16 {
            break;
        }
    }
    Ok(false)
}

/// Replaces a section's chain. A chain cannot be empty: nothing is
/// published without the board's approval (Đ6.2a), or, in the Office's
/// catalogue sections, without an Office editor's (Đ7.2d); statistics and
/// strategy keep the head of the board (Đ11.1c–d), whoever edits them.
pub async fn set_chain(db: &DatabaseConnection, section_id: i32, steps: &[Step]) -> Result<Vec<Step>> {
    if steps.is_empty() || steps.len() > 10 {
        return Err(Error::invalid("steps", "a chain has 1 to 10 steps"));
    }
    let txn = db.begin().await?;
    let section = crate::sections::get(&txn, section_id).await?;
    let catalogue = CATALOGUE_SECTIONS.contains(&section.code.as_str());
    if !steps
        .iter()
        .any(|s| s.role.is_board() || (catalogue && s.role == Role::ProceduresEditor))
    {
        return Err(Error::invalid(
            "steps",
            "the chain must include an editorial board role (Đ6.2a)",
        ));
    }
    if needs_leadership(&txn, section_id).await? && !steps.iter().any(|s| s.role == Role::BoardHead) {
        return Err(Error::invalid(
            "steps",
            "statistics, strategies and plans need the approval of the head of the board (board_head) before publication (Đ11.1c–d)",
        ));
    }
    for s in steps {
        if let Some(u) = s.unit_id {
            crate::units::get(&txn, u)
                .await
                .map_err(|_| Error::unknown("unit_id", "no such unit"))?;
        }
    }
    write(&txn, section_id, steps).await?;
    txn.commit().await?;
    chain(db, section_id).await
}

/// The chain a new section starts with: its parent's, else the default.
pub async fn init_for_new_section(db: &impl ConnectionTrait, section: &section::Model) -> Result<()> {
    let inherited = match section.parent_id {
        Some(p) => chain(db, p).await?,
        None => Vec::new(),
    };
    let steps = if inherited.is_empty() {
        DEFAULT
            .iter()
            .map(|r| Step {
                role: *r,
                unit_id: None,
            })
            .collect()
    } else {
        inherited
    };
    write(db, section.id, &steps).await
}

/// Gives every section without a chain its seeded one. Returns how many.
pub async fn seed(db: &impl ConnectionTrait) -> Result<usize> {
    let with_chain: std::collections::HashSet<i32> = approval_step::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.section_id)
        .collect();
    let mut added = 0;
    for s in section::Entity::find()
        .order_by_asc(section::Column::Id)
        .all(db)
        .await?
    {
        let catalogue = CATALOGUE_SECTIONS.contains(&s.code.as_str());
        if with_chain.contains(&s.id) {
            // Catalogue sections seeded before the catalogue existed get its
            // chain, unless an admin changed the default since.
            let current: Vec<Role> = chain(db, s.id).await?.iter().map(|st| st.role).collect();
            if !(catalogue && current == DEFAULT) {
                continue;
            }
        }
        let roles: &[Role] = if LEADERSHIP_SECTIONS.contains(&s.code.as_str()) {
            &LEADERSHIP
        } else if catalogue {
            &CATALOGUE
        } else {
            &DEFAULT
        };
        let steps: Vec<Step> = roles
            .iter()
            .map(|r| Step {
                role: *r,
                unit_id: None,
            })
            .collect();
        write(db, s.id, &steps).await?;
        added += 1;
    }
    Ok(added)
}
