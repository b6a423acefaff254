/**
 * Clavis: the command line ({@link dev.clavis.Main}) and the composition root
 * ({@link dev.clavis.Clavis}) that builds the database, services and front doors. Everything
 * else lives in one package per concern: the wire in {@code protocol}, credentials in
 * {@code auth}, one package per resource, the portal in {@code portal}.
 */
package dev.clavis;
