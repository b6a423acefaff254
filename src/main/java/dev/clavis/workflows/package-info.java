/** Workflows: graphs of an app's models, run on each input in one call. */
package dev.clavis.workflows;
