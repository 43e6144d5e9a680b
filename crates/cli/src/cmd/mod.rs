//! One module per subcommand: its flags (`Args`) and its `run`.

pub mod bench;
pub mod code;
pub mod demo;
pub mod dict;
pub mod eval_parse;
pub mod explain;
pub mod export;
pub mod ingest;
mod input;
pub mod parse;
mod petrarch;
pub mod query;
pub mod serve;
pub mod train;
pub mod validate;
