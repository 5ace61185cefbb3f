//! Builds decompression bombs in memory: a deflate stream of N MiB of zeros made by repeating one
//! compressed block, as a gzip file or inside a hand-written zip whose headers may lie. Shared by
//! tests/bombs.rs and examples/bomb_rss.rs.
#![allow(dead_code)] // each user takes a different subset

use flate2::{Compress, Compression, Crc, FlushCompress};

/// How much the bombs inflate to: well past the cap.
pub const BOMB_MIB: usize = 320;
pub const MIB: usize = 1 << 20;

/// Compresses `input` with `flush`, returning every byte the compressor gave out.
pub fn compress_all(c: &mut Compress, mut input: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        out.reserve(64 * 1024);
        let before = c.total_in();
        c.compress_vec(input, &mut out, flush).unwrap();
        input = &input[(c.total_in() - before) as usize..];
        // Done when the input is used up and the compressor stopped short of filling the buffer.
        if input.is_empty() && out.len() < out.capacity() {
            return out;
        }
    }
}

/// A raw deflate stream of `mib` MiB of zeros and its CRC-32. The first MiB is compressed; the
/// block for the second MiB, which only refers back to zeros, is valid after any MiB of zeros, so
/// it is repeated instead of compressed again.
pub fn deflate_zeros(mib: usize) -> (Vec<u8>, u32) {
    assert!(mib >= 2);
    let zeros = vec![0u8; MIB];
    let mut c = Compress::new(Compression::best(), false);
    let mut out = compress_all(&mut c, &zeros, FlushCompress::Sync);
    let block = compress_all(&mut c, &zeros, FlushCompress::Sync);
    for _ in 1..mib {
        out.extend_from_slice(&block);
    }
    out.extend(compress_all(&mut c, &[], FlushCompress::Finish));
    let mut one = Crc::new();
    one.update(&zeros);
    let mut crc = Crc::new();
    for _ in 0..mib {
        crc.combine(&one);
    }
    (out, crc.sum())
}

/// A single-member gzip file of `mib` MiB of zeros.
pub fn gzip_zeros(mib: usize) -> Vec<u8> {
    let (deflate, crc) = deflate_zeros(mib);
    let mut g = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3];
    g.extend_from_slice(&deflate);
    g.extend_from_slice(&crc.to_le_bytes());
    g.extend_from_slice(&((mib * MIB) as u32).to_le_bytes());
    g
}

/// One zip entry: its name, method (0 stored, 8 deflated), raw data, the CRC-32 of the inflated
/// data, and the inflated size its headers claim (true or not).
pub struct Entry {
    pub name: &'static str,
    pub method: u16,
    pub data: Vec<u8>,
    pub crc: u32,
    pub claimed_size: u32,
}

impl Entry {
    pub fn stored(name: &'static str, data: Vec<u8>) -> Entry {
        let mut crc = Crc::new();
        crc.update(&data);
        Entry {
            name,
            method: 0,
            claimed_size: data.len() as u32,
            crc: crc.sum(),
            data,
        }
    }

    pub fn zeros(name: &'static str, mib: usize, claimed_size: u32) -> Entry {
        let (data, crc) = deflate_zeros(mib);
        Entry {
            name,
            method: 8,
            data,
            crc,
            claimed_size,
        }
    }
}

/// A zip archive written by hand, because only by hand can its headers lie about sizes.
pub fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let fields = |e: &Entry, v: &mut Vec<u8>| {
        for x in [20u16, 0, e.method, 0, 0x21] {
            v.extend_from_slice(&x.to_le_bytes()); // version, flags, method, time, date
        }
        for x in [e.crc, e.data.len() as u32, e.claimed_size] {
            v.extend_from_slice(&x.to_le_bytes());
        }
        v.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };
    for e in entries {
        let offset = out.len() as u32;
        out.extend_from_slice(&0x0403_4B50u32.to_le_bytes());
        fields(e, &mut out);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        central.extend_from_slice(&0x0201_4B50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        fields(e, &mut central);
        for x in [0u16, 0, 0] {
            central.extend_from_slice(&x.to_le_bytes()); // comment, disk, internal attributes
        }
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(e.name.as_bytes());
    }
    let (cd_offset, cd_size, n) = (out.len() as u32, central.len() as u32, entries.len() as u16);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4B50u32.to_le_bytes());
    for x in [0u16, 0, n, n] {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
