/** The connection pool, Flyway migrations (the only schema source) and the Jdbi set-up. */
package dev.clavis.db;
