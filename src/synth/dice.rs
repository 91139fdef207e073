//! Randomness for the generators, reproducible byte for byte.
//!
//! Only `ChaCha8Rng::next_u64` is used: its stream is fixed by the algorithm,
//! whereas `rand`'s distributions may change between versions. Arithmetic is
//! limited to + - * / and `sqrt` (correctly rounded by IEEE 754), never `exp`
//! or `ln`, whose last bits differ between platform maths libraries.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) struct Dice {
    rng: ChaCha8Rng,
}

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// An independent stream for one part of a scenario, so that changing how
    /// much one part draws does not reshuffle the others.
    pub fn fork(&mut self, salt: u64) -> Dice {
        let seed = self.rng.next_u64() ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Dice::new(seed)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.rng.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn in proportion to `weights` (all zero: index 0).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return 0;
        }
        let mut target = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                return i;
            }
            target -= w;
        }
        weights.len() - 1
    }

    /// A standard normal deviate, approximated by the sum of twelve uniforms
    /// (Irwin–Hall) to stay clear of `ln` and `cos`.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// How many events happen when `mean` are expected: a Poisson count,
    /// drawn by inversion for small means and approximated by a rounded
    /// normal (same mean and variance) above 30.
    pub fn count(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            let x = mean + mean.sqrt() * self.normal();
            return if x <= 0.0 { 0 } else { (x + 0.5) as u64 };
        }
        let u = self.unit();
        let mut k = 0u64;
        let mut p = 1.0 / exp_series(mean);
        let mut cumulative = p;
        while u > cumulative && k < 200 {
            k += 1;
            p *= mean / k as f64;
            cumulative += p;
        }
        k
    }
}

/// e^x for 0 <= x <= 30 by its power series: only + * /, which IEEE 754
/// rounds the same everywhere, unlike a platform's `exp`.
fn exp_series(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut k = 1.0;
    while term > sum * 1e-17 {
        term *= x / k;
        sum += term;
        k += 1.0;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_by_the_seed() {
        let a: Vec<u64> = {
            let mut d = Dice::new(7);
            (0..5).map(|_| d.below(1000)).collect()
        };
        let b: Vec<u64> = {
            let mut d = Dice::new(7);
            (0..5).map(|_| d.below(1000)).collect()
        };
        assert_eq!(a, b);
        let mut c = Dice::new(8);
        assert_ne!(a, (0..5).map(|_| c.below(1000)).collect::<Vec<_>>());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut d = Dice::new(1);
        for _ in 0..10_000 {
            assert!(d.below(3) < 3);
            assert!((5..=9).contains(&d.range(5, 9)));
            let u = d.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(d.weighted(&[0.0, 1.0, 0.0]) == 1);
        }
        assert_eq!(d.below(0), 0);
        assert_eq!(d.count(0.0), 0);
    }

    #[test]
    fn counts_average_to_their_mean_small_or_large() {
        let mut d = Dice::new(3);
        let n = 40_000;
        for (mean, tolerance) in [(0.03, 0.005), (0.7, 0.03), (5.0, 0.1), (40.0, 0.5)] {
            let total: u64 = (0..n).map(|_| d.count(mean)).sum();
            let got = total as f64 / n as f64;
            assert!((got - mean).abs() < tolerance, "{mean}: {got}");
        }
        // Poisson(1): P(0) = 1/e
        let zeros = (0..n).filter(|_| d.count(1.0) == 0).count() as f64 / n as f64;
        assert!((zeros - 0.3679).abs() < 0.01, "{zeros}");
    }

    #[test]
    fn the_series_matches_e() {
        assert!((exp_series(1.0) - std::f64::consts::E).abs() < 1e-15);
        assert!((exp_series(30.0) / 1.068_647_458_152_446_2e13 - 1.0).abs() < 1e-14);
    }
}
