//! Tail probabilities of small counts.
//!
//! Complaints per hour are counts, often single digits: three posts against
//! an expected one is nothing unusual for a Poisson count, yet a z-score
//! calls it two standard deviations. So "is this hour above normal?" is
//! asked of a count model: a negative binomial whose mean is the baseline and
//! whose extra variance covers both the day-to-day wobble of real traffic
//! and the uncertainty of a baseline estimated from a few weeks.

/// The predictive distribution of one hour's count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountModel {
    /// Expected count (the baseline), > 0.
    pub mean: f64,
    /// Negative binomial size `r`: variance is `mean + mean² / r`; infinite
    /// for Poisson.
    pub size: f64,
}

impl CountModel {
    /// A model for a baseline estimated from `samples` effective hours, with
    /// relative extra variance `dispersion` (variance = μ + μ/n + φμ²).
    pub fn new(mean: f64, samples: f64, dispersion: f64) -> CountModel {
        let mean = if mean.is_finite() && mean > 0.0 {
            mean
        } else {
            1e-6
        };
        let per_sample = if samples.is_finite() && samples > 0.0 {
            1.0 / samples
        } else {
            0.0
        };
        let extra = per_sample + dispersion.max(0.0) * mean;
        let size = if extra > 0.0 {
            mean / extra
        } else {
            f64::INFINITY
        };
        CountModel { mean, size }
    }

    pub fn poisson(mean: f64) -> CountModel {
        CountModel::new(mean, f64::INFINITY, 0.0)
    }

    /// ln P(Y = k).
    fn ln_pmf(&self, k: u64) -> f64 {
        let k = k as f64;
        let mu = self.mean;
        if !self.size.is_finite() || self.size > 1e9 {
            return -mu + k * mu.ln() - ln_gamma(k + 1.0);
        }
        let r = self.size;
        let p = r / (r + mu);
        ln_gamma(k + r) - ln_gamma(r) - ln_gamma(k + 1.0) + r * p.ln() + k * (1.0 - p).ln()
    }

    /// P(Y ≥ k + 1) / P(Y ≥ k) step: the ratio P(k+1) / P(k).
    fn ratio(&self, k: u64) -> f64 {
        let k = k as f64;
        if !self.size.is_finite() || self.size > 1e9 {
            return self.mean / (k + 1.0);
        }
        let r = self.size;
        (k + r) / (k + 1.0) * (self.mean / (r + self.mean))
    }

    /// P(Y ≥ k): how surprising `k` or more would be. Only the upper tail is
    /// of interest, so counts at or below the mean get 1.
    pub fn upper_tail(&self, k: u64) -> f64 {
        if (k as f64) <= self.mean {
            return 1.0;
        }
        // Beyond the mean the terms only shrink, so summing from k up until
        // they stop mattering is exact to rounding, even for tiny tails.
        let mut term = 1.0;
        let mut sum = 0.0;
        for j in k..k.saturating_add(1_000_000) {
            sum += term;
            term *= self.ratio(j);
            if term < sum * 1e-13 {
                break;
            }
        }
        (self.ln_pmf(k).exp() * sum).min(1.0)
    }

    /// The smallest count whose upper tail is below `alpha`.
    pub fn threshold(&self, alpha: f64) -> u64 {
        let start = self.mean.floor().max(0.0) as u64 + 1;
        if self.upper_tail(start) < alpha {
            return start;
        }
        // Doubling then bisection: the tail falls monotonically above the mean.
        let mut step = 1u64;
        let mut lo = start;
        let mut hi = start + step;
        while self.upper_tail(hi) >= alpha {
            lo = hi;
            step = step.saturating_mul(2);
            hi = hi.saturating_add(step);
            if hi == u64::MAX {
                return hi;
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.upper_tail(mid) < alpha {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

/// ln Γ(x) for x > 0: Stirling's series, shifted up to x ≥ 10 where its
/// first terms are accurate to about 1e-15.
pub fn ln_gamma(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return f64::INFINITY;
    }
    let mut shift = 0.0;
    let mut x = x;
    while x < 10.0 {
        shift += x.ln();
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series =
        inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0))));
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + series - shift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        assert!(close(ln_gamma(1.0).exp(), 1.0, 1e-12));
        assert!(close(ln_gamma(5.0).exp(), 24.0, 1e-12));
        assert!(close(
            ln_gamma(0.5).exp(),
            std::f64::consts::PI.sqrt(),
            1e-12
        ));
        // 20! = 2432902008176640000
        assert!(close(ln_gamma(21.0), 2432902008176640000f64.ln(), 1e-14));
    }

    #[test]
    fn poisson_tails_match_hand_sums() {
        let m = CountModel::poisson(1.0);
        // P(Y ≥ 3 | 1) = 1 - e⁻¹(1 + 1 + 1/2) = 0.0803014…
        assert!(close(m.upper_tail(3), 0.080_301_397_071_394, 1e-9));
        // Three posts against one expected is not news.
        assert!(m.upper_tail(3) > 0.01);
        // P(Y ≥ 10 | 1) = 1.1142547e-7
        assert!(close(m.upper_tail(10), 1.114_254_783_387_7e-7, 1e-6));
        assert_eq!(m.upper_tail(1), 1.0);
        assert_eq!(m.threshold(1e-4), 7);
    }

    #[test]
    fn negative_binomial_has_the_fatter_tail() {
        // mean 10, size 10: variance 20.
        let nb = CountModel {
            mean: 10.0,
            size: 10.0,
        };
        let p = CountModel::poisson(10.0);
        assert!(nb.upper_tail(20) > p.upper_tail(20));
        // P(Y ≥ 20) for NB(r=10, p=0.5) = 1 - Σ_{k<20} pmf(k) = 0.0307141…
        assert!(close(nb.upper_tail(20), 0.030_714_172_869_918, 1e-6));
        // The model from samples and dispersion: var = 10 + 10/20 + 0.05·100.
        let m = CountModel::new(10.0, 20.0, 0.05);
        assert!(close(m.size, 100.0 / 5.5, 1e-12));
    }

    #[test]
    fn thresholds_sit_where_the_tail_crosses() {
        for mean in [0.25, 1.0, 7.5, 120.0, 5000.0] {
            let m = CountModel::new(mean, 40.0, 0.03);
            let t = m.threshold(1e-4);
            assert!(m.upper_tail(t) < 1e-4, "{mean}");
            assert!(m.upper_tail(t - 1) >= 1e-4, "{mean}");
        }
        // Degenerate means do not hang or panic.
        assert!(CountModel::new(0.0, 0.0, 0.0).threshold(1e-4) >= 1);
        assert!(CountModel::new(f64::NAN, 1.0, 0.1).upper_tail(5) <= 1.0);
    }
}
