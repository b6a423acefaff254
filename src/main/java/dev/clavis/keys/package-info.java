/**
 * App-specific API keys, personal access tokens and sessions (all credentials, told apart by
 * kind), and the scope RPCs that describe them.
 */
package dev.clavis.keys;
