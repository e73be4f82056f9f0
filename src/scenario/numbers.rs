//! Every number in a value, with its path: a serde serializer that visits the
//! numbers only, so that one walk finds each number a scenario or an action holds
//! (a `NaN` inside an `Option<f64>` included, which a JSON value would show as
//! `null`, the same as an absent value).
//!
//! Paths read as in a scenario file: `topology.regions[1].traffic_share`,
//! `events[0].action.multiplier`; map keys are path segments
//! (`balancer.zone_weights.eu-a`).

use serde::ser::{self, Serialize};

/// One number and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Its path, with array indices (`traffic.classes[1].share`).
    pub path: String,
    /// Its value (integers converted; a `u64` above 2^53 rounds).
    pub value: f64,
}

/// The numbers in `value`, in serialization order, their paths starting with
/// `prefix` (empty for none).
pub fn numbers_of<T: Serialize + ?Sized>(value: &T, prefix: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut walk = Walk {
        path: prefix.to_string(),
        out: &mut out,
    };
    // The walk itself never fails; a type whose serialization fails yields what it
    // visited before failing.
    let _ = value.serialize(&mut walk);
    out
}

/// `path` with each array index replaced by `[]` (`traffic.classes[1].share` →
/// `traffic.classes[].share`): the form the range table is keyed by.
pub fn pattern_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            c if in_index && c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out
}

/// The serializer: `path` is where it stands.
struct Walk<'a> {
    path: String,
    out: &'a mut Vec<Found>,
}

impl Walk<'_> {
    fn number(&mut self, v: f64) {
        self.out.push(Found {
            path: self.path.clone(),
            value: v,
        });
    }

    /// Visits `value` at `segment` below the current path.
    fn at<T: Serialize + ?Sized>(&mut self, segment: Segment<'_>, value: &T) {
        let len = self.path.len();
        match segment {
            Segment::Key(k) => {
                if !self.path.is_empty() {
                    self.path.push('.');
                }
                self.path.push_str(k);
            }
            Segment::Index(i) => {
                self.path.push('[');
                self.path.push_str(&i.to_string());
                self.path.push(']');
            }
        }
        let _ = value.serialize(&mut *self);
        self.path.truncate(len);
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The walk's error (never raised by the walk itself).
#[derive(Debug)]
pub struct WalkError(String);

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WalkError {}

impl ser::Error for WalkError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WalkError(msg.to_string())
    }
}

/// A sequence, tuple or map being walked: the next index, and a map's pending key.
struct Compound<'w, 'a> {
    walk: &'w mut Walk<'a>,
    index: usize,
    key: Option<String>,
}

impl<'w, 'a> ser::Serializer for &'w mut Walk<'a> {
    type Ok = ();
    type Error = WalkError;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, _: bool) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WalkError> {
        self.number(v as f64);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WalkError> {
        self.number(v as f64);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WalkError> {
        self.number(f64::from(v));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WalkError> {
        self.number(v);
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WalkError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        self.at(Segment::Key(variant), value);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, WalkError> {
        Ok(Compound {
            walk: self,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, WalkError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, WalkError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WalkError> {
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, WalkError> {
        self.serialize_seq(None)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, WalkError> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WalkError> {
        self.serialize_seq(None)
    }
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.walk.at(Segment::Index(self.index), value);
        self.index += 1;
    }
}

/// The compound serializers whose parts are elements `[0]`, `[1]`, …
macro_rules! elements {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = WalkError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
                self.element(value);
                Ok(())
            }
            fn end(self) -> Result<(), WalkError> {
                Ok(())
            }
        }
    };
}

elements!(SerializeSeq, serialize_element);
elements!(SerializeTuple, serialize_element);
elements!(SerializeTupleStruct, serialize_field);
elements!(SerializeTupleVariant, serialize_field);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WalkError> {
        self.key = Some(key_text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        let key = self.key.take().unwrap_or_default();
        self.walk.at(Segment::Key(&key), value);
        Ok(())
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        self.walk.at(Segment::Key(key), value);
        Ok(())
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        self.walk.at(Segment::Key(key), value);
        Ok(())
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

/// A map key as a path segment (strings as they are; other keys through JSON).
fn key_text<T: Serialize + ?Sized>(key: &T) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner {
        share: f64,
        when: Option<f64>,
        name: String,
    }

    #[derive(Serialize)]
    struct Outer {
        tick_s: f64,
        count: u32,
        classes: Vec<Inner>,
        weights: BTreeMap<String, f64>,
    }

    #[test]
    fn every_number_is_found_with_its_path_a_nan_in_an_option_included() {
        let v = Outer {
            tick_s: 1.0,
            count: 3,
            classes: vec![
                Inner {
                    share: 0.5,
                    when: None,
                    name: "a".into(),
                },
                Inner {
                    share: 0.5,
                    when: Some(f64::NAN),
                    name: "b".into(),
                },
            ],
            weights: [("eu-a".to_string(), 2.0)].into_iter().collect(),
        };
        let found = numbers_of(&v, "run");
        let paths: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "run.tick_s",
                "run.count",
                "run.classes[0].share",
                "run.classes[1].share",
                "run.classes[1].when",
                "run.weights.eu-a"
            ]
        );
        assert!(found[4].value.is_nan());
        assert_eq!(pattern_of("run.classes[12].when"), "run.classes[].when");
    }
}
