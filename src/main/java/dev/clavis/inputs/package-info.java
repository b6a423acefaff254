/** An app's inputs: images and texts, their metadata, and the concepts annotated on them. */
package dev.clavis.inputs;
