//! Royalties (nhuận bút, thù lao) for works published on the portal and
//! answers in the Q&A column (Đ7.2a, Đ7.2b, Đ7.2e, Đ17; Decree
//! 18/2014/NĐ-CP; Circular 111/2013/TT-BTC for withholding).
//!
//! - [`money`]: whole-đồng arithmetic, exact shares;
//! - [`rates`]: rates as dated data, the table in force on a day;
//! - [`amounts`]: what a proposal pays, and the tax withheld;
//! - [`rules`]: who proposes, approves and pays; a proposal's states;
//! - [`holders`]: budget holders, budgets, the meter and the estimate;
//! - [`sheets`]: one sheet per published work, opened on publication;
//! - [`proposals`]: proposing, approving, paying;
//! - [`statements`]: statements and payment lists.

pub mod amounts;
pub mod holders;
pub mod money;
pub mod proposals;
pub mod rates;
pub mod rules;
pub mod sheets;
pub mod statements;

use sea_orm::ConnectionTrait;

use crate::error::Result;

/// Seeds the holders and the rates. Returns (holders, rates) added.
pub async fn seed(db: &impl ConnectionTrait) -> Result<(usize, usize)> {
    Ok((holders::seed(db).await?, rates::seed(db).await?))
}
