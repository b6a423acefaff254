/** One validated configuration record, from flags and environment, with secrets masked. */
package dev.clavis.config;
