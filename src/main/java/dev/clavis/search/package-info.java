/**
 * Search over an app's inputs: by annotated or predicted concept, by metadata, and by
 * similarity (cosine over the built-in embeddings) to an image, a text or a stored input.
 */
package dev.clavis.search;
