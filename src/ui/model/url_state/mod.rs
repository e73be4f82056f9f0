//! The run in the URL: a compact, human-readable query string (the codec is
//! the engine's, `scalesim::link`, shared with the CLI).

pub use scalesim::link::{
    decode_query, encode_query, read_link, EmbedParts, LinkRead, UrlState, View,
};
