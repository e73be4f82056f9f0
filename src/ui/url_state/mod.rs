//! The hook that keeps the address bar in step with the run (the codec is in
//! [`crate::model::url_state`]).

mod use_url_state;

pub use use_url_state::{
    use_url_state, use_url_state_with_options, UrlStateHandle, UrlStateOptions,
};
