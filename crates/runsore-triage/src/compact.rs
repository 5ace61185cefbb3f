//! A compact JSON serializer that writes the bytes `serde_json::to_writer` writes, faster: strings
//! are scanned for what needs escaping eight bytes at a time, and keys and values are appended to
//! one buffer without `serde_json`'s per-string writer calls. `serde_json` escaped every key and
//! string a byte at a time through its writer, some 230 instructions per string: a sixth of the
//! server's work on `POST /api/assess`. Numbers are formatted by the same crates as `serde_json`
//! (`itoa`'s digits are std's; floats by `zmij`, the crate and version `serde_json` uses), and
//! escapes are `serde_json`'s (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, else `\u00xx` in lower
//! case). `info_json.rs` holds the two equal on every worked case.
//!
//! It also writes JSON kept written ([`Raw`]): the knowledge base's condition information.

use std::cell::Cell;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The name under which a [`Raw`] value reaches [`Compact`].
const RAW: &str = "$runsore::triage::raw";

thread_local! {
    /// The JSON of the [`Raw`] value being written.
    static PENDING: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// JSON written before, written as it is by [`Compact`]. Only [`Compact`] may be given one
/// (another serializer would see a unit struct): `info_json.rs` hands them out only while
/// [`to_vec`] writes.
pub(crate) struct Raw(pub &'static str);

impl Serialize for Raw {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        PENDING.with(|p| p.set(Some(self.0)));
        serializer.serialize_unit_struct(RAW)
    }
}

/// Appends the compact JSON of `value` to `out`.
pub(crate) fn to_vec<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> serde_json::Result<()> {
    value.serialize(&mut Compact { out })
}

type Error = serde_json::Error;
type Done<T = ()> = std::result::Result<T, Error>;

/// The serializer: everything goes into `out`.
pub(crate) struct Compact<'v> {
    out: &'v mut Vec<u8>,
}

/// 0 for a byte written as it is; else the letter of its escape (`u` for `\u00xx`).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes needs escaping: one under 0x20, a quote or a backslash (the
/// classic has-zero and has-less-than tests, exact for the word as a whole).
#[inline]
fn needs_escape(word: u64) -> bool {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    (control | zero(word ^ (ONES * b'"' as u64)) | zero(word ^ (ONES * b'\\' as u64))) != 0
}

/// Whether any byte of `bytes` needs escaping, eight at a time (the last few padded with a
/// letter, which needs none).
#[inline]
fn any_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if needs_escape(u64::from_le_bytes(w)) {
            return true;
        }
    }
    let rest = words.remainder();
    let mut w = [b'a'; 8];
    w[..rest.len()].copy_from_slice(rest);
    needs_escape(u64::from_le_bytes(w))
}

/// `s` as a JSON string, quoted and escaped as `serde_json` escapes it.
#[inline]
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if any_escape(bytes) {
        escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// The bytes of a string that needs escapes, escaped (without the quotes).
#[cold]
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[b as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match escape {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ]);
            }
            letter => out.extend_from_slice(&[b'\\', letter]),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

fn float64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn float32(out: &mut Vec<u8>, v: f32) {
    if v.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn integer(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// A sequence or map being written: whether its first element is still to come.
pub(crate) struct Compound<'s, 'v> {
    ser: &'s mut Compact<'v>,
    first: bool,
    /// The closing bytes: `]`, `}`, or `]}` / `}}` for a variant's.
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !self.first {
            self.ser.out.push(b',');
        }
        self.first = false;
    }

    fn end(self) -> Done {
        self.ser.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'s, 'v> ser::Serializer for &'s mut Compact<'v> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'s, 'v>;
    type SerializeTuple = Compound<'s, 'v>;
    type SerializeTupleStruct = Compound<'s, 'v>;
    type SerializeTupleVariant = Compound<'s, 'v>;
    type SerializeMap = Compound<'s, 'v>;
    type SerializeStruct = Compound<'s, 'v>;
    type SerializeStructVariant = Compound<'s, 'v>;

    fn serialize_bool(self, v: bool) -> Done {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        integer(self.out, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        float32(self.out, v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Done {
        float64(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        string(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        string(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Done {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        if name == RAW
            && let Some(json) = PENDING.with(Cell::take)
        {
            self.out.extend_from_slice(json.as_bytes());
            return Ok(());
        }
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.out.push(b'{');
        string(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Done<Compound<'s, 'v>> {
        self.out.push(b'[');
        Ok(Compound {
            ser: self,
            first: true,
            close: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Done<Compound<'s, 'v>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Done<Compound<'s, 'v>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Done<Compound<'s, 'v>> {
        self.out.push(b'{');
        string(self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            ser: self,
            first: true,
            close: b"]}",
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Done<Compound<'s, 'v>> {
        self.out.push(b'{');
        Ok(Compound {
            ser: self,
            first: true,
            close: b"}",
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Done<Compound<'s, 'v>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Done<Compound<'s, 'v>> {
        self.out.push(b'{');
        string(self.out, variant);
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            ser: self,
            first: true,
            close: b"}}",
        })
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.comma();
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.comma();
        key.serialize(Key(&mut *self.ser))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.ser.out.push(b':');
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.comma();
        string(self.ser.out, key);
        self.ser.out.push(b':');
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Done {
        Compound::end(self)
    }
}

/// A map key: a string, or a number or boolean written as a string, as `serde_json` takes them.
struct Key<'s, 'v>(&'s mut Compact<'v>);

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl Key<'_, '_> {
    fn quoted(self, write: impl FnOnce(&mut Vec<u8>)) -> Done {
        self.0.out.push(b'"');
        write(self.0.out);
        self.0.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for Key<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Done {
        self.quoted(|out| out.extend_from_slice(if v { b"true" } else { b"false" }))
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.quoted(|out| integer(out, v))
    }
    fn serialize_f32(self, v: f32) -> Done {
        if !v.is_finite() {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| float32(out, v))
    }
    fn serialize_f64(self, v: f64) -> Done {
        if !v.is_finite() {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| float64(out, v))
    }
    fn serialize_char(self, v: char) -> Done {
        string(self.0.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        string(self.0.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Done {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Done<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both<T: Serialize + ?Sized>(value: &T) {
        let mut ours = Vec::new();
        to_vec(&mut ours, value).expect("serialises");
        let theirs = serde_json::to_vec(value).expect("serialises");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    /// Every byte value, alone and among others at every offset of the eight-byte scan: escaped
    /// as `serde_json` escapes it.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for b in 0u8..0x80 {
            for pad in 0..17 {
                let mut s = "a".repeat(pad);
                s.push(b as char);
                s.push_str("bcdéfgh\u{1F3C3}ij");
                both(&s);
            }
        }
        both("");
        both("plain text longer than eight bytes, with \"quotes\" and a \\ and a\nnew line");
        both("naïve café, 5–10 km, ≥ 2 days \u{7f}");
    }

    /// Numbers, options, maps with keys of other kinds, enums of every shape, bytes, nesting.
    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(i32, String),
            Struct { a: f64, b: Option<bool> },
        }
        #[derive(Serialize)]
        struct S<'a> {
            f: f64,
            g: f32,
            i: i64,
            u: u128,
            none: Option<u8>,
            some: Option<&'a str>,
            list: Vec<E>,
            empty: Vec<u8>,
            map: std::collections::BTreeMap<i32, &'a str>,
            bools: std::collections::BTreeMap<bool, u8>,
            bytes: &'a serde_bytes_like::Bytes,
            unit: (),
            tuple: (u8, char),
        }
        mod serde_bytes_like {
            pub struct Bytes(pub [u8; 3]);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        for f in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-7,
            123_456.789,
            1e21,
            f64::NAN,
            f64::INFINITY,
        ] {
            both(&S {
                f,
                g: f as f32,
                i: -42,
                u: u128::MAX,
                none: None,
                some: Some("x"),
                list: vec![
                    E::Unit,
                    E::New(7),
                    E::Tuple(-1, "t".into()),
                    E::Struct { a: f, b: None },
                ],
                empty: Vec::new(),
                map: [(1, "one"), (-2, "minus two")].into_iter().collect(),
                bools: [(true, 1), (false, 0)].into_iter().collect(),
                bytes: &serde_bytes_like::Bytes([0, 127, 255]),
                unit: (),
                tuple: (1, '"'),
            });
        }
        both(&serde_json::json!({"a": [1, 2.5, null, {"b": "c"}], "d": {}}));
    }
}
