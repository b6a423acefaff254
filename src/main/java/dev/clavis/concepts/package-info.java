/** An app's concepts: the labels its inputs are annotated with and its models predict. */
package dev.clavis.concepts;
