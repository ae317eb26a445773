//! Rate limits of the public forms, per client address.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// A per-address limit of `n` per hour; `None` when switched off (0).
pub struct PerHour(Option<DefaultKeyedRateLimiter<IpAddr>>);

impl PerHour {
    pub fn new(n: u32) -> Self {
        PerHour(NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_hour(n))))
    }

    /// Whether `ip` may go ahead now (and counts the attempt).
    pub fn check(&self, ip: IpAddr) -> bool {
        self.0.as_ref().is_none_or(|l| l.check_key(&ip).is_ok())
    }
}
