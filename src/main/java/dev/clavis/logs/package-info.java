/** How Clavis writes its logs: appenders that keep log output off the request path. */
package dev.clavis.logs;
