//! How busy people are at each hour of their own day.
//!
//! Curves are tables by local hour, interpolated linearly between hours, with
//! 1.0 at the busiest hour. Piecewise-linear on purpose: no `sin`/`exp`, so the
//! same seed gives the same counts on every platform.

/// Anything people post: low at 4am, a lunchtime shoulder, busiest 8–10pm.
const CHATTER: [f64; 24] = [
    0.55, 0.38, 0.25, 0.16, 0.11, 0.12, 0.20, 0.35, 0.50, 0.60, 0.66, 0.72, //
    0.78, 0.78, 0.76, 0.78, 0.82, 0.86, 0.90, 0.95, 1.00, 1.00, 0.92, 0.75,
];

/// Watching films and series at home: the evening is most of it.
const VIEWING: [f64; 24] = [
    0.55, 0.35, 0.20, 0.10, 0.06, 0.05, 0.07, 0.10, 0.14, 0.18, 0.22, 0.25, //
    0.28, 0.30, 0.32, 0.36, 0.42, 0.52, 0.65, 0.82, 0.95, 1.00, 0.95, 0.78,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    Chatter,
    Viewing,
}

/// Seconds since local midnight, for a UTC time and an offset east of UTC.
pub(crate) fn local_seconds(unix_secs: i64, offset: i32) -> i64 {
    (unix_secs + i64::from(offset)).rem_euclid(86_400)
}

/// The local calendar day number (days since 1970-01-01 in local time).
pub(crate) fn local_day(unix_secs: i64, offset: i32) -> i64 {
    (unix_secs + i64::from(offset)).div_euclid(86_400)
}

/// The curve's level at a moment of the local day.
pub(crate) fn level(curve: Curve, local_secs: i64) -> f64 {
    let table = match curve {
        Curve::Chatter => &CHATTER,
        Curve::Viewing => &VIEWING,
    };
    let secs = local_secs.rem_euclid(86_400);
    let hour = (secs / 3600) as usize;
    let frac = (secs % 3600) as f64 / 3600.0;
    let a = table[hour];
    let b = table[(hour + 1) % 24];
    a + (b - a) * frac
}

/// A piecewise-linear function through `(x, y)` points sorted by x; flat
/// beyond the ends.
pub(crate) fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return 0.0;
    };
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x >= x0 && x <= x1 {
            if x1 == x0 {
                return y1;
            }
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    last.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_follows_the_offset() {
        // 2012-12-25T02:00Z is 21:00 in New York (UTC-5).
        let t = 1_356_400_800;
        assert_eq!(local_seconds(t, -5 * 3600), 21 * 3600);
        assert_eq!(local_day(t, 0) - local_day(t, -5 * 3600), 1);
        assert_eq!(level(Curve::Viewing, 21 * 3600), 1.0);
        assert_eq!(level(Curve::Chatter, 4 * 3600), 0.11);
        assert!((level(Curve::Chatter, 4 * 3600 + 1800) - 0.115).abs() < 1e-12);
        // wraps from 23:30 towards midnight
        assert!((level(Curve::Viewing, 23 * 3600 + 1800) - 0.665).abs() < 1e-12);
    }

    #[test]
    fn interpolation_is_flat_outside_and_linear_inside() {
        let pts = [(0.0, 0.0), (2.0, 1.0), (4.0, 0.0)];
        assert_eq!(interpolate(&pts, -1.0), 0.0);
        assert_eq!(interpolate(&pts, 1.0), 0.5);
        assert_eq!(interpolate(&pts, 3.0), 0.5);
        assert_eq!(interpolate(&pts, 9.0), 0.0);
        assert_eq!(interpolate(&[], 1.0), 0.0);
    }
}
