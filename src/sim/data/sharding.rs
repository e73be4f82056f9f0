//! Sharding: which shard a query lands on, by hash, range or geography, with key skew.
//!
//! ```text
//!                      ┌─▶ shard 0  (UserID % N = 0)   ◀── the celebrity's key lives here
//!   query ─▶ router ───┼─▶ shard 1
//!   (shard key)        ├─▶ …
//!                      └─▶ shard N−1
//! ```
//!
//! A shard router by `UserID % N`, by range (A–M, N–Z) or by region, and the hot
//! partition: the shard holding a celebrity's key melts down while the shard of an
//! obscure account sits idle.
//!
//! - **Hash**: keys spread evenly, each shard gets 1/N of the ordinary keys.
//! - **Range**: each shard gets its range's share of the traffic (`weights`);
//!   with monotonically increasing keys (ids, timestamps) every write lands on
//!   the last range, the classic append hotspot.
//! - **Geography**: each shard gets its region's share of the users (`weights`).
//!
//! On top of that, the hottest key carries `hot_key_share` of all queries and
//! lives on one shard, whatever the strategy: no strategy splits one key.
//! For a Zipf(s) keyspace that share is [`zipf_top_share`](super::popularity::zipf_top_share).
//!
//! Each shard's latency follows the M/M/c model of [`database`](super::database)
//! (docs/models.md#sharding).

use serde::{Deserialize, Serialize};

/// How keys map to shards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShardStrategy {
    /// hash(key) % N.
    #[default]
    Hash,
    /// Contiguous key ranges.
    Range,
    /// By the user's region.
    Geography,
}
crate::named_enum!(ShardStrategy {
    Hash = "hash",
    Range = "range",
    Geography = "geography",
});

/// The sharding configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShardingConfig {
    /// Shards, each a primary with its replicas.
    pub shards: u32,
    /// How keys map to shards.
    pub strategy: ShardStrategy,
    /// Range or geography: traffic share of each shard (normalised; empty or short = even).
    pub weights: Vec<f64>,
    /// Share of all queries on the single hottest key [0..1].
    pub hot_key_share: f64,
    /// Shard that holds the hottest key.
    pub hot_key_shard: u32,
    /// Range only: keys grow monotonically, so every write lands on the last range.
    pub sequential_writes: bool,
}

impl Default for ShardingConfig {
    fn default() -> Self {
        ShardingConfig {
            shards: 1,
            strategy: ShardStrategy::Hash,
            weights: Vec::new(),
            hot_key_share: 0.0,
            hot_key_shard: 0,
            sequential_writes: false,
        }
    }
}

impl ShardingConfig {
    /// Shard count, at least 1.
    pub fn count(&self) -> usize {
        self.shards.max(1) as usize
    }

    /// Base weight of shard `i` before the hot key, normalised over the shards.
    fn base_share(&self, i: usize) -> f64 {
        let n = self.count();
        if self.strategy == ShardStrategy::Hash || self.weights.len() < n {
            return 1.0 / n as f64;
        }
        let total: f64 = self.weights[..n].iter().map(|w| w.max(0.0)).sum();
        if total <= 0.0 {
            1.0 / n as f64
        } else {
            self.weights[i].max(0.0) / total
        }
    }

    /// Share of the reads [0..1] that land on shard `i`. Sums to 1 over the shards.
    pub fn read_share(&self, i: usize) -> f64 {
        let h = self.hot_key_share.clamp(0.0, 1.0);
        let hot = usize::from(i == (self.hot_key_shard as usize).min(self.count() - 1));
        (1.0 - h) * self.base_share(i) + h * hot as f64
    }

    /// Share of the writes [0..1] that land on shard `i`. Sums to 1 over the shards.
    pub fn write_share(&self, i: usize) -> f64 {
        if self.strategy == ShardStrategy::Range && self.sequential_writes {
            return f64::from(u8::from(i + 1 == self.count()));
        }
        self.read_share(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_sharding_spreads_ordinary_keys_evenly() {
        let s = ShardingConfig {
            shards: 4,
            ..ShardingConfig::default()
        };
        for i in 0..4 {
            assert!((s.read_share(i) - 0.25).abs() < 1e-12);
        }
    }

    #[test]
    fn every_strategy_sends_every_query_somewhere() {
        for strategy in [
            ShardStrategy::Hash,
            ShardStrategy::Range,
            ShardStrategy::Geography,
        ] {
            let s = ShardingConfig {
                shards: 3,
                strategy,
                weights: vec![5.0, 3.0, 2.0],
                hot_key_share: 0.2,
                hot_key_shard: 1,
                sequential_writes: true,
            };
            let r: f64 = (0..3).map(|i| s.read_share(i)).sum();
            let w: f64 = (0..3).map(|i| s.write_share(i)).sum();
            assert!((r - 1.0).abs() < 1e-12 && (w - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn sequential_keys_put_every_write_on_the_last_range() {
        let s = ShardingConfig {
            shards: 4,
            strategy: ShardStrategy::Range,
            sequential_writes: true,
            ..ShardingConfig::default()
        };
        assert_eq!(s.write_share(3), 1.0);
        assert_eq!(s.write_share(0), 0.0);
    }
}
