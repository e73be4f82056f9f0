//! The run in the URL: a compact, human-readable query string, and the hook
//! that keeps the address bar in step with the run.

mod codec;
mod use_url_state;

pub use codec::{decode_query, encode_query, UrlState, View};
pub use use_url_state::{
    use_url_state, use_url_state_with_options, UrlStateHandle, UrlStateOptions,
};
