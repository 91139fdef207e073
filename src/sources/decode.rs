//! Turning a file's bytes into its decompressed content.
//!
//! Archives arrive renamed, re-compressed and mislabelled (`.json` files that
//! are gzip, `.gz` files that are not), so the compression is recognised from
//! the first bytes, never from the name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use super::inputs::Input;

/// Big enough to amortise system calls, small enough to stay bounded.
const READ_BUFFER: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Zstd,
}

impl Compression {
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Zstd => "zstd",
        }
    }
}

/// Wraps `reader` in the decoder its first bytes call for. Gzip and bzip2
/// archives are often several members concatenated (`cat a.gz b.gz`), so the
/// multi-member decoders are used: a single-member decoder would stop silently
/// after the first.
pub fn decoder<'a, R: BufRead + 'a>(
    mut reader: R,
) -> io::Result<(Compression, Box<dyn BufRead + 'a>)> {
    let compression = Compression::sniff(reader.fill_buf()?);
    let decoded: Box<dyn BufRead + 'a> = match compression {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            flate2::bufread::MultiGzDecoder::new(reader),
        )),
        Compression::Bzip2 => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            bzip2::bufread::MultiBzDecoder::new(reader),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            zstd::stream::read::Decoder::with_buffer(reader)?,
        )),
    };
    Ok((compression, decoded))
}

/// Opens an input and returns its decompressed content.
pub fn open(input: &Input) -> io::Result<(Compression, Box<dyn BufRead>)> {
    let raw: Box<dyn Read> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::File(path) | Input::Found(path) => Box::new(File::open(path)?),
    };
    decoder(BufReader::with_capacity(READ_BUFFER, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(bytes: &[u8]) -> (Compression, String) {
        let (c, mut r) = decoder(bytes).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (c, s)
    }

    #[test]
    fn gzip_members_are_all_read() {
        let mut bytes = Vec::new();
        for part in ["one\n", "two\n"] {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(part.as_bytes()).unwrap();
            bytes.extend(enc.finish().unwrap());
        }
        assert_eq!(
            read_all(&bytes),
            (Compression::Gzip, "one\ntwo\n".to_string())
        );
    }

    #[test]
    fn bzip2_and_zstd_are_recognised_by_their_bytes() {
        let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        enc.write_all(b"bz\n").unwrap();
        assert_eq!(
            read_all(&enc.finish().unwrap()),
            (Compression::Bzip2, "bz\n".into())
        );
        let z = zstd::encode_all(&b"zs\n"[..], 3).unwrap();
        assert_eq!(read_all(&z), (Compression::Zstd, "zs\n".into()));
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(read_all(b"{}\n"), (Compression::None, "{}\n".into()));
        assert_eq!(read_all(b""), (Compression::None, "".into()));
    }
}
