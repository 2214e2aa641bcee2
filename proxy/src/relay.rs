//! One authenticated session: packets from the client relayed to its own
//! PostgreSQL connection, results streamed back. (Being written.)
