//! The pieces pages are built from. Each renders what it is given, so tests drive it with data.

pub mod bulk_actions;
pub mod error_notice;
pub mod evidence;
pub mod field;
pub mod health;
pub mod keys;
pub mod kyc_table;
pub mod list_job;
pub mod match_list;
pub mod pager;
pub mod prescreen_result;
pub mod queue_table;
pub mod status;
pub mod text;
