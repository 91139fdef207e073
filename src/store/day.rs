//! One day of counters in one value: the unit the store reads and writes.
//!
//! Keeping the 24 hours of a (topic, day, region) together is what makes a
//! year-long curve cheap: 365 values instead of 8,760 keys per region, and
//! an order of magnitude fewer sled pages to load when the store opens. An
//! hour nobody posted in costs one bit.
//!
//! Bytes: format `1`, then a 24-bit little-endian mask of the hours present,
//! then for each present hour in order its [`Counter`] as varints. An hour is
//! present once a counter was added to it, even a zero one, so that reading
//! back yields exactly the (hour, region) rows that were written.

use super::counter::{Counter, DecodeError};

pub const HOURS_PER_DAY: usize = 24;
const FORMAT: u8 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCounters {
    /// Bit `h` set: hour `h` of the day has a counter.
    present: u32,
    hours: [Counter; HOURS_PER_DAY],
}

impl DayCounters {
    /// Adds `delta` to hour `hour` (0 to 23) of the day; a later hour is a
    /// caller's bug and is ignored rather than stored somewhere wrong.
    pub fn add(&mut self, hour: usize, delta: &Counter) {
        if let Some(slot) = self.hours.get_mut(hour) {
            slot.add(delta);
            self.present |= 1 << hour;
        }
    }

    /// Adds every hour of `other` to this day.
    pub fn merge(&mut self, other: &DayCounters) {
        for (h, c) in other.hours() {
            self.add(h, c);
        }
    }

    pub fn get(&self, hour: usize) -> Option<&Counter> {
        (hour < HOURS_PER_DAY && self.present & (1 << hour) != 0).then(|| &self.hours[hour])
    }

    /// The hours present, in order.
    pub fn hours(&self) -> impl Iterator<Item = (usize, &Counter)> + '_ {
        self.hours
            .iter()
            .enumerate()
            .filter(move |(h, _)| self.present & (1 << h) != 0)
    }

    pub fn first_hour(&self) -> Option<usize> {
        (self.present != 0).then(|| self.present.trailing_zeros() as usize)
    }

    pub fn last_hour(&self) -> Option<usize> {
        (self.present != 0).then(|| 31 - self.present.leading_zeros() as usize)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 8 * self.present.count_ones() as usize);
        out.push(FORMAT);
        out.extend_from_slice(&self.present.to_le_bytes()[..3]);
        for (_, c) in self.hours() {
            c.encode_into(&mut out);
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<DayCounters, DecodeError> {
        let (&format, rest) = bytes.split_first().ok_or(DecodeError::Empty)?;
        if format != FORMAT {
            return Err(DecodeError::Format(format, FORMAT));
        }
        let mask = rest.get(..3).ok_or(DecodeError::Truncated)?;
        let present = u32::from_le_bytes([mask[0], mask[1], mask[2], 0]);
        // No day is written without an hour in it.
        if present == 0 {
            return Err(DecodeError::NoHours);
        }
        let mut rest = &rest[3..];
        let mut day = DayCounters {
            present,
            ..DayCounters::default()
        };
        for (h, slot) in day.hours.iter_mut().enumerate() {
            if present & (1 << h) != 0 {
                *slot = Counter::decode_from(&mut rest)?;
            }
        }
        if !rest.is_empty() {
            return Err(DecodeError::Trailing(rest.len()));
        }
        Ok(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts(n: u64) -> Counter {
        Counter {
            posts: n,
            complaints: n / 2,
            sentiment_micros: -250_000 * n as i64,
            ..Counter::default()
        }
    }

    #[test]
    fn a_day_round_trips_and_missing_hours_cost_nothing() {
        let mut day = DayCounters::default();
        day.add(20, &posts(3));
        day.add(23, &posts(1));
        day.add(20, &posts(2));
        let bytes = day.encode();
        // Header 4 bytes; hour 20: 5, 2, 0, 0, 0 and zigzag(-1_250_000) =
        // 2_499_999 in 4 bytes = 9; hour 23: 1, 0, 0, 0, 0 and
        // zigzag(-250_000) = 499_999 in 3 = 8.
        assert_eq!(bytes.len(), 4 + 9 + 8);
        assert_eq!(&bytes[..4], &[1, 0x00, 0x00, 0x90]);
        let back = DayCounters::decode(&bytes).unwrap();
        assert_eq!(back, day);
        assert_eq!(back.get(20), Some(&posts(5)));
        assert_eq!(back.get(21), None);
        assert_eq!(back.get(24), None);
        assert_eq!((back.first_hour(), back.last_hour()), (Some(20), Some(23)));
        let hours: Vec<_> = back.hours().map(|(h, c)| (h, c.posts)).collect();
        assert_eq!(hours, vec![(20, 5), (23, 1)]);
    }

    #[test]
    fn adding_to_a_stored_day_sums_hour_by_hour() {
        let mut stored = DayCounters::default();
        stored.add(0, &posts(4));
        stored.add(5, &posts(1));
        let stored = DayCounters::decode(&stored.encode()).unwrap();
        let mut delta = DayCounters::default();
        delta.add(5, &posts(2));
        delta.add(6, &Counter::default());
        let mut total = stored;
        total.merge(&delta);
        let total = DayCounters::decode(&total.encode()).unwrap();
        assert_eq!(total.get(0), Some(&posts(4)));
        assert_eq!(total.get(5), Some(&posts(3)));
        // A zero counter still marks its hour: the row was written.
        assert_eq!(total.get(6), Some(&Counter::default()));
        assert_eq!(total.hours().count(), 3);
    }

    #[test]
    fn a_full_day_round_trips() {
        let mut day = DayCounters::default();
        for h in 0..24 {
            day.add(h, &posts(h as u64 * 1000));
        }
        assert_eq!(DayCounters::decode(&day.encode()).unwrap(), day);
        assert_eq!((day.first_hour(), day.last_hour()), (Some(0), Some(23)));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut day = DayCounters::default();
        day.add(3, &posts(7));
        let good = day.encode();
        assert_eq!(DayCounters::decode(&[]), Err(DecodeError::Empty));
        assert_eq!(
            DayCounters::decode(&[2, 8, 0, 0]),
            Err(DecodeError::Format(2, 1))
        );
        assert_eq!(DayCounters::decode(&[1, 8]), Err(DecodeError::Truncated));
        assert_eq!(
            DayCounters::decode(&[1, 0, 0, 0]),
            Err(DecodeError::NoHours)
        );
        // Hour 23 marked but no counter behind it.
        assert_eq!(
            DayCounters::decode(&[1, 0, 0, 0x80]),
            Err(DecodeError::Truncated)
        );
        assert_eq!(
            DayCounters::decode(&good[..good.len() - 1]),
            Err(DecodeError::Truncated)
        );
        let mut long = good.clone();
        long.push(0);
        assert_eq!(DayCounters::decode(&long), Err(DecodeError::Trailing(1)));
        // Every prefix and a spread of noise: errors or values, never panics.
        for n in 0..good.len() {
            let _ = DayCounters::decode(&good[..n]);
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200 {
            let noise: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = DayCounters::decode(&noise);
        }
    }

    #[test]
    fn an_old_48_byte_counter_is_not_read_as_a_day() {
        // Schema 1 kept six little-endian u64s per hour. One with posts = 1
        // starts with the format byte, but then marks no hour; one with
        // posts = 257 marks hour 0 and leaves 38 bytes over.
        let mut old = [0u8; 48];
        old[0] = 1;
        old[8] = 1;
        assert_eq!(DayCounters::decode(&old), Err(DecodeError::NoHours));
        old[1] = 1;
        assert_eq!(DayCounters::decode(&old), Err(DecodeError::Trailing(38)));
    }
}
