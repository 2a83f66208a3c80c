//! End-to-end tests: the real `board` binary on 127.0.0.1:0, real websockets, real
//! SQLite files and a real PostgreSQL server. One test binary, one module per area.

mod support;

mod access;
mod audited_changes;
mod bad_input;
mod chronology;
mod cluster;
mod comments;
mod connections;
mod credentials;
mod demo;
mod directory_contract;
mod durability;
mod fuzz;
mod interop;
mod library;
mod limits;
mod operations;
mod outage;
mod presence;
mod randomized;
mod read_only;
mod references;
mod rooms;
mod seen_before;
mod snapshots;
mod store_contract;
mod sync;
