//! The numbers kept for one (topic, hour, region), and their compact bytes.

/// Sums only, so counters from different batches, files and sources add up
/// exactly whatever the order. Sentiment is kept as a sum of compounds in
/// millionths: an integer, so that adding is exact and associative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counter {
    pub posts: u64,
    pub complaints: u64,
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    pub sentiment_micros: i64,
}

/// Why a stored value could not be read back; the store reports it as a
/// damaged entry instead of guessing numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("value is empty")]
    Empty,
    #[error("value has format {0}, this outcry reads format {1}")]
    Format(u8, u8),
    #[error("value ends in the middle of a number")]
    Truncated,
    #[error("value holds a number wider than 64 bits")]
    Overflow,
    #[error("value marks no hour")]
    NoHours,
    #[error("value has {0} bytes after its last hour")]
    Trailing(usize),
}

impl Counter {
    /// Saturating: real counts never come near 2^63, but a damaged store
    /// value can decode to anything, and adding to it must not panic.
    pub fn add(&mut self, other: &Counter) {
        self.posts = self.posts.saturating_add(other.posts);
        self.complaints = self.complaints.saturating_add(other.complaints);
        self.negative = self.negative.saturating_add(other.negative);
        self.neutral = self.neutral.saturating_add(other.neutral);
        self.positive = self.positive.saturating_add(other.positive);
        self.sentiment_micros = self.sentiment_micros.saturating_add(other.sentiment_micros);
    }

    /// The mean compound score of the posts counted, if any.
    pub fn mean_sentiment(&self) -> Option<f64> {
        (self.posts > 0).then(|| self.sentiment_micros as f64 / 1e6 / self.posts as f64)
    }

    /// Appends the counter as six LEB128 varints (the sentiment zigzagged):
    /// hourly counts are small, so a typical hour costs 6 to 10 bytes where
    /// fixed-width fields cost 48.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        for v in [
            self.posts,
            self.complaints,
            self.negative,
            self.neutral,
            self.positive,
            zigzag(self.sentiment_micros),
        ] {
            put_varint(out, v);
        }
    }

    /// Reads one counter off the front of `bytes`, advancing it.
    pub fn decode_from(bytes: &mut &[u8]) -> Result<Counter, DecodeError> {
        Ok(Counter {
            posts: take_varint(bytes)?,
            complaints: take_varint(bytes)?,
            negative: take_varint(bytes)?,
            neutral: take_varint(bytes)?,
            positive: take_varint(bytes)?,
            sentiment_micros: unzigzag(take_varint(bytes)?),
        })
    }
}

/// Small negative sums (the usual sentiment) stay short: 0, -1, 1, -2 … map
/// to 0, 1, 2, 3 …
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn take_varint(bytes: &mut &[u8]) -> Result<u64, DecodeError> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        let shift = 7 * i as u32;
        // The tenth byte may carry only the top bit of a u64.
        if shift >= 64 || (shift == 63 && b & 0x7f > 1) {
            return Err(DecodeError::Overflow);
        }
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            *bytes = &bytes[i + 1..];
            return Ok(value);
        }
    }
    Err(DecodeError::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(c: &Counter) -> (usize, Counter) {
        let mut out = Vec::new();
        c.encode_into(&mut out);
        let mut rest = out.as_slice();
        let back = Counter::decode_from(&mut rest).unwrap();
        assert!(rest.is_empty());
        (out.len(), back)
    }

    #[test]
    fn encoding_round_trips_negative_sums_in_few_bytes() {
        let c = Counter {
            posts: 3,
            complaints: 2,
            negative: 2,
            neutral: 1,
            positive: 0,
            sentiment_micros: -1_250_000,
        };
        // Five one-byte counts; zigzag(-1_250_000) = 2_499_999 needs 22 bits,
        // so four varint bytes of seven.
        assert_eq!(round_trip(&c), (9, c));
        assert_eq!(c.mean_sentiment(), Some(-1.25 / 3.0));
        assert_eq!(round_trip(&Counter::default()), (6, Counter::default()));
    }

    #[test]
    fn extremes_survive() {
        let c = Counter {
            posts: u64::MAX,
            complaints: 127,
            negative: 128,
            neutral: 0,
            positive: 1 << 63,
            sentiment_micros: i64::MIN,
        };
        assert_eq!(round_trip(&c).1, c);
        let c = Counter {
            sentiment_micros: i64::MAX,
            ..c
        };
        assert_eq!(round_trip(&c).1, c);
        assert_eq!((zigzag(0), zigzag(-1), zigzag(1), zigzag(-2)), (0, 1, 2, 3));
    }

    #[test]
    fn adding_to_a_damaged_huge_value_saturates_instead_of_panicking() {
        let mut c = Counter {
            posts: u64::MAX,
            sentiment_micros: i64::MAX - 1,
            ..Counter::default()
        };
        c.add(&Counter {
            posts: 2,
            sentiment_micros: 5,
            ..Counter::default()
        });
        assert_eq!(c.posts, u64::MAX);
        assert_eq!(c.sentiment_micros, i64::MAX);
    }

    #[test]
    fn bad_varints_are_errors() {
        assert_eq!(
            take_varint(&mut &[0x80, 0x80][..]),
            Err(DecodeError::Truncated)
        );
        assert_eq!(take_varint(&mut &[][..]), Err(DecodeError::Truncated));
        // Ten bytes whose last carries more than bit 63.
        let wide = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(take_varint(&mut &wide[..]), Err(DecodeError::Overflow));
        let eleven = [0x80; 11];
        assert_eq!(take_varint(&mut &eleven[..]), Err(DecodeError::Overflow));
        let mut rest = &[0xac, 0x02, 0x07][..];
        assert_eq!(take_varint(&mut rest), Ok(300));
        assert_eq!(rest, &[0x07]);
    }
}
