/** Apps: the unit an app-specific key is bound to. Creating one also creates its first key. */
package dev.clavis.apps;
