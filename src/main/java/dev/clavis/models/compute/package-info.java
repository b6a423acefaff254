/**
 * The computation behind the models: fixed feature extractors (colours, image and text
 * embeddings) and a trainable classifier on their embeddings. Pure functions of their inputs,
 * no storage, no protocol.
 */
package dev.clavis.models.compute;
