//! The numbers kept for one (topic, hour, region).

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

const ENCODED_LEN: usize = 48;

impl Counter {
    pub fn add(&mut self, other: &Counter) {
        self.posts += other.posts;
        self.complaints += other.complaints;
        self.negative += other.negative;
        self.neutral += other.neutral;
        self.positive += other.positive;
        self.sentiment_micros += other.sentiment_micros;
    }

    /// The mean compound score of the posts counted, if any.
    pub fn mean_sentiment(&self) -> Option<f64> {
        (self.posts > 0).then(|| self.sentiment_micros as f64 / 1e6 / self.posts as f64)
    }

    pub fn encode(&self) -> [u8; ENCODED_LEN] {
        let mut out = [0u8; ENCODED_LEN];
        let fields = [
            self.posts,
            self.complaints,
            self.negative,
            self.neutral,
            self.positive,
            self.sentiment_micros as u64,
        ];
        for (chunk, value) in out.chunks_exact_mut(8).zip(fields) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        out
    }

    /// `None` when the bytes are not a counter (a corrupt or foreign store).
    pub fn decode(bytes: &[u8]) -> Option<Counter> {
        if bytes.len() != ENCODED_LEN {
            return None;
        }
        let field =
            |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        Some(Counter {
            posts: field(0),
            complaints: field(1),
            negative: field(2),
            neutral: field(3),
            positive: field(4),
            sentiment_micros: field(5) as i64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_negative_sums() {
        let c = Counter {
            posts: 3,
            complaints: 2,
            negative: 2,
            neutral: 1,
            positive: 0,
            sentiment_micros: -1_250_000,
        };
        assert_eq!(Counter::decode(&c.encode()), Some(c));
        assert_eq!(c.mean_sentiment(), Some(-1.25 / 3.0));
        assert_eq!(Counter::decode(&[1, 2, 3]), None);
    }
}
