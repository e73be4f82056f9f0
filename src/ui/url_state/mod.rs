//! The run in the URL: a compact, human-readable query string, and the hook
//! that keeps the address bar in step with the run.

mod use_url_state;

pub use scalesim::link::{decode_query, encode_query, read_link, LinkRead, UrlState, View};
pub use use_url_state::{
    use_url_state, use_url_state_with_options, UrlStateHandle, UrlStateOptions,
};
