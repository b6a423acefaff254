/** Users: created from the command line, signing in for a session, and GetUser. */
package dev.clavis.users;
