/**
 * Who is calling and what they may do: the secret format, password hashing, authentication of
 * a request's credential (cached, revocable at once) and the authorization rules of DESIGN §3.
 */
package dev.clavis.auth;
