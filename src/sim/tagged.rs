//! Internally tagged enums (`{ kind = "kill_pods", count = 3 }`) without serde's
//! per-variant buffering code.
//!
//! ```text
//!   any format ──map──▶ serde_json::Map ──take "kind"──▶ (variant, fields)
//!        ──▶ the enum's derived externally tagged code (`#[serde(remote = "Self")]`)
//! ```
//!
//! serde's own `#[serde(tag = "kind")]` buffers the input into its private
//! `Content` and gives every variant a reader for both sequences and maps: for
//! [`Action`](super::inputs::Action)'s ~40 variants that was 103 KB of wasm. Here
//! the fields are buffered once, as a JSON map (already in the page for HPA
//! manifests), and each variant reads only a map. The enum keeps one
//! definition: it derives its externally tagged code with
//! `#[serde(remote = "Self")]` and implements `Serialize` / `Deserialize` with
//! [`serialize`] and [`deserialize`]. The written form is the same as
//! `#[serde(tag = …)]`'s: the tag first, then the fields in declaration order.
//! The variants read their fields through one small map reader whose field
//! reading is shared rather than copied into each variant. Measured (wasm-opt
//! -Oz, gzip -9): 24 KB less gzipped wasm for `Action` and
//! [`Profile`](super::traffic::Profile), whose variant code shrank from 103 KB
//! to 27 KB, and serde's `Content` buffer left the page.

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, VariantAccess};
use serde::ser::{self, Impossible, SerializeStruct, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

/// Reads an internally tagged enum: a map whose `tag` entry names the variant
/// and whose other entries are that variant's fields. `external` is the enum's
/// derived externally tagged reader (`Enum::deserialize` of a
/// `#[serde(remote = "Self")]` derive).
pub fn deserialize<'de, D, T>(
    deserializer: D,
    tag: &'static str,
    external: fn(TaggedFields) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let tagged = deserializer.deserialize_map(TaggedMap {
        tag,
        name: std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("enum"),
    })?;
    external(tagged).map_err(de::Error::custom)
}

/// [`deserialize`] for a visitor that has already been handed the map (an enum that
/// also reads other shapes, as [`Action`](super::inputs::Action) reads link codes).
pub fn visit_map<'de, A, T>(
    map: A,
    tag: &'static str,
    name: &'static str,
    external: fn(TaggedFields) -> Result<T, serde_json::Error>,
) -> Result<T, A::Error>
where
    A: de::MapAccess<'de>,
{
    let tagged = de::Visitor::visit_map(TaggedMap { tag, name }, map)?;
    external(tagged).map_err(de::Error::custom)
}

/// Collects a tagged map: the tag's value as the variant, the rest as fields.
struct TaggedMap {
    tag: &'static str,
    /// The enum's name, for "expected internally tagged enum Action".
    name: &'static str,
}

impl<'de> de::Visitor<'de> for TaggedMap {
    type Value = TaggedFields;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internally tagged enum {}", self.name)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<TaggedFields, A::Error> {
        let mut variant = None;
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.tag {
                if variant.is_some() {
                    return Err(de::Error::duplicate_field(self.tag));
                }
                variant = Some(map.next_value_seed(VariantName)?);
            } else {
                fields.insert(key, map.next_value::<Value>()?);
            }
        }
        let variant = variant.ok_or_else(|| de::Error::missing_field(self.tag))?;
        Ok(TaggedFields { variant, fields })
    }
}

/// The tag's value: a variant name.
struct VariantName;

impl<'de> DeserializeSeed<'de> for VariantName {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for VariantName {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// One tagged map split into its variant name and its other fields: a
/// deserializer of an externally tagged enum.
pub struct TaggedFields {
    variant: String,
    fields: Map<String, Value>,
}

impl<'de> Deserializer<'de> for TaggedFields {
    type Error = serde_json::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> EnumAccess<'de> for TaggedFields {
    type Error = serde_json::Error;
    type Variant = Fields;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let name: StrDeserializer<'_, serde_json::Error> =
            self.variant.as_str().into_deserializer();
        Ok((seed.deserialize(name)?, Fields(self.fields)))
    }
}

/// A variant's fields (the map without its tag).
pub struct Fields(Map<String, Value>);

impl<'de> VariantAccess<'de> for Fields {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        match self.0.keys().next() {
            None => Ok(()),
            Some(k) => Err(de::Error::unknown_field(k, &[])),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, Self::Error> {
        Err(de::Error::custom("a tagged variant has named fields"))
    }

    fn tuple_variant<V: de::Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("a tagged variant has named fields"))
    }

    fn struct_variant<V: de::Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(FieldValues {
            entries: self.0.into_iter(),
            value: Value::Null,
        })
    }
}

/// A variant's fields as a map to its derived reader.
struct FieldValues {
    entries: serde_json::map::IntoIter,
    /// The value of the key last read.
    value: Value,
}

impl FieldValues {
    /// Moves to the next field: its key, with its value kept for
    /// `next_value_seed`. Not inlined: one copy rather than one per variant.
    #[inline(never)]
    fn next_entry(&mut self) -> Option<String> {
        let (key, value) = self.entries.next()?;
        self.value = value;
        Some(key)
    }
}

impl<'de> de::MapAccess<'de> for FieldValues {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.next_entry() {
            Some(key) => {
                let key: StrDeserializer<'_, serde_json::Error> = key.as_str().into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Not inlined: one reader per field type (f64, `Option<f64>`, …), shared
    /// by every variant, rather than a copy in each variant's reader.
    #[inline(never)]
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(std::mem::take(&mut self.value))
    }
}

/// Writes an internally tagged enum: `external` (the enum's derived externally
/// tagged writer, `Enum::serialize` of a `#[serde(remote = "Self")]` derive)
/// writes into a serializer that turns each variant into a struct whose first
/// field is `tag`, exactly as `#[serde(tag = …)]` does.
pub fn serialize<T, S, F>(
    value: &T,
    serializer: S,
    tag: &'static str,
    external: F,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    F: FnOnce(&T, TagFirst<S>) -> Result<S::Ok, S::Error>,
{
    external(
        value,
        TagFirst {
            inner: serializer,
            tag,
        },
    )
}

/// A serializer that takes only unit and struct variants and writes each as
/// a struct led by its tag.
pub struct TagFirst<S> {
    inner: S,
    tag: &'static str,
}

/// The struct [`TagFirst`] writes a struct variant's fields into.
pub struct TaggedStruct<S: SerializeStruct>(S);

fn only_variants<E: ser::Error, T>() -> Result<T, E> {
    Err(ser::Error::custom(
        "a tagged enum writes only unit and struct variants",
    ))
}

impl<S: Serializer> Serializer for TagFirst<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = TaggedStruct<S::SerializeStruct>;

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut s = self.inner.serialize_struct(name, 1)?;
        s.serialize_field(self.tag, variant)?;
        s.end()
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let mut s = self.inner.serialize_struct(name, len + 1)?;
        s.serialize_field(self.tag, variant)?;
        Ok(TaggedStruct(s))
    }

    fn serialize_bool(self, _: bool) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_i8(self, _: i8) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_i16(self, _: i16) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_i32(self, _: i32) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_i64(self, _: i64) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_u8(self, _: u8) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_u16(self, _: u16) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_u32(self, _: u32) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_u64(self, _: u64) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_f32(self, _: f32) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_f64(self, _: f64) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_char(self, _: char) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_str(self, _: &str) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        only_variants()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        only_variants()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        only_variants()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        only_variants()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        only_variants()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        only_variants()
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        only_variants()
    }
}

impl<S: SerializeStruct> ser::SerializeStructVariant for TaggedStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::consistency::{ConsistencyMode, DataClass};
    use crate::sim::inputs::{Action, FaultKind, LatencyTarget, ScheduledAction};
    use crate::sim::traffic::Profile;

    fn samples() -> Vec<Action> {
        vec![
            Action::KillPods {
                count: 3,
                zone: Some("us-east-1b".into()),
            },
            Action::InjectLatency {
                target: LatencyTarget::CrossZone,
                ms: 250.5,
                duration_s: None,
            },
            Action::Restore {
                fault: FaultKind::ConsumersStopped,
            },
            Action::CacheFlush,
            Action::ReplicaLagSpike {
                ms: 900.0,
                duration_s: 60.0,
                shard: 1,
            },
            Action::SetConsistency {
                class: Some(DataClass::ALL[0]),
                mode: ConsistencyMode::Eventual,
            },
        ]
    }

    #[test]
    fn actions_are_written_tag_first_then_their_fields_in_order() {
        let kill = Action::KillPods {
            count: 3,
            zone: None,
        };
        assert_eq!(
            serde_json::to_string(&kill).unwrap(),
            r#"{"kind":"kill_pods","count":3,"zone":null}"#
        );
        assert_eq!(
            serde_json::to_string(&Action::CacheFlush).unwrap(),
            r#"{"kind":"cache_flush"}"#
        );
        let spike = Profile::Constant { rps: 120.0 };
        assert_eq!(
            serde_json::to_string(&spike).unwrap(),
            r#"{"kind":"constant","rps":120.0}"#
        );
    }

    #[test]
    fn every_sample_reads_back_the_same_from_json_and_from_toml() {
        for a in samples() {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a, "{json}");
            let event = ScheduledAction {
                at_s: 30.0,
                action: a.clone(),
            };
            let toml_text = toml::to_string(&event).unwrap();
            let back: ScheduledAction = toml::from_str(&toml_text).unwrap();
            assert_eq!(back, event, "{toml_text}");
        }
    }

    #[test]
    fn defaults_apply_and_nested_tagged_enums_read_from_toml() {
        let a: ScheduledAction =
            toml::from_str("at_s = 5.0\naction = { kind = \"replica_lag_spike\", ms = 400.0 }")
                .unwrap();
        assert_eq!(
            a.action,
            Action::ReplicaLagSpike {
                ms: 400.0,
                duration_s: 60.0,
                shard: 0
            }
        );
        #[derive(serde::Deserialize)]
        struct Doc {
            profile: Profile,
        }
        let text = "[profile]\nkind = \"product\"\n[[profile.parts]]\nkind = \"constant\"\nrps = 50.0\n\
                    [[profile.parts]]\nkind = \"spike\"\nmultiplier = 4.0\nstart_s = 10.0\nhold_s = 20.0\n";
        let doc: Doc = toml::from_str(text).unwrap();
        let json = serde_json::to_string(&doc.profile).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"product","parts":[{"kind":"constant","rps":50.0}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), doc.profile);
    }

    #[test]
    fn malformed_actions_say_what_is_wrong() {
        let err = |text: &str| {
            serde_json::from_str::<Action>(text)
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"count":3}"#).starts_with("missing field `kind`"));
        assert!(err(r#"{"kind":"nope"}"#)
            .starts_with("unknown variant `nope`, expected one of `kill_pods`"));
        assert!(err(r#"{"kind":"kill_pods"}"#).starts_with("missing field `count`"));
        assert!(err(r#"{"kind":"kill_pods","count":3,"bogus":1}"#)
            .starts_with("unknown field `bogus`, expected `count` or `zone`"));
        assert!(err(r#"{"kind":"cache_flush","x":1}"#).starts_with("unknown field `x`"));
        assert!(
            err(r#"{"kind":"kill_pods","kind":"kill_node"}"#).starts_with("duplicate field `kind`")
        );
        assert!(err("5").starts_with(
            "invalid type: integer `5`, expected an action: a table with its `kind`, or its link code"
        ));
        assert!(err(r#""zz_1""#).contains("zz"), "{}", err(r#""zz_1""#));
        assert!(err(r#"{"kind":3}"#)
            .starts_with("invalid type: integer `3`, expected variant identifier"));
    }
}
