/**
 * The web portal: server-rendered pages (jte) for signing in, apps, API keys and personal access
 * tokens. It calls the same services as the API, so no rule is written twice; what it adds is
 * what browsers need: a session cookie, CSRF tokens, sign-in throttling.
 */
package dev.clavis.portal;
