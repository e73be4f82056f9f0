//! Unit enums written as their names (`jitter = "full"`, `type = "Resource"`), read
//! through one shared name reader instead of serde's derive.
//!
//! serde's derive gives each unit enum its own `deserialize_enum` reader (about 1 KB
//! of wasm each, for 23 enums); here every enum shares [`read_index`], generic only
//! over the deserializer, and keeps a table of its names. The written form and the
//! error for an unknown name ("unknown variant `x`, expected one of `a`, `b`") are
//! serde's.

use serde::de::{self, Deserializer, Visitor};

/// Reads a name from `deserializer` and gives its index in `names`.
///
/// Errors: not a string ("invalid type: …, expected one of `a`, `b`"), or a name not
/// in `names` (serde's unknown-variant error).
pub fn read_index<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_str(NameIndex(names))
}

/// The visitor of [`read_index`].
struct NameIndex(&'static [&'static str]);

impl<'de> Visitor<'de> for NameIndex {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("one of ")?;
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{n}`")?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|n| *n == v)
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// `Serialize` and `Deserialize` for a unit enum as its variants' names:
/// `named_enum!(Jitter { None = "none", Full = "full" });`. Every variant must be
/// listed (the writer's `match` is exhaustive).
#[macro_export]
macro_rules! named_enum {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(match self {
                    $($ty::$variant => $name),+
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const ALL: &[$ty] = &[$($ty::$variant),+];
                $crate::sim::named_enum::read_index(deserializer, &[$($name),+]).map(|i| ALL[i])
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::sim::protection::BackoffKind;
    use crate::sim::resilience::backoff::Jitter;

    #[test]
    fn a_name_reads_back_and_an_unknown_one_lists_the_names() {
        for j in [
            Jitter::None,
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
        ] {
            let text = serde_json::to_string(&j).unwrap();
            assert_eq!(serde_json::from_str::<Jitter>(&text).unwrap(), j);
        }
        assert_eq!(
            serde_json::to_string(&BackoffKind::Exponential).unwrap(),
            "\"exponential\""
        );
        let err = serde_json::from_str::<Jitter>("\"fill\"")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "unknown variant `fill`, expected one of `none`, `full`, `equal`, `decorrelated`"
            ),
            "{err}"
        );
        let err = serde_json::from_str::<Jitter>("3").unwrap_err().to_string();
        assert!(err.contains("expected one of `none`"), "{err}");
    }
}
