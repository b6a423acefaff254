/**
 * The administrator's command line: each command opens the database and the services it needs
 * (never the ports or worker pools), prints a table or {@code --json}, and sends log lines to
 * standard error so that its output stays its answer.
 */
package dev.clavis.cli;
