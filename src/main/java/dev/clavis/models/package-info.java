/**
 * Models and their versions: the built-in ones of {@code clavis/main}, trainable classifiers
 * that users create in their apps, training, and prediction.
 */
package dev.clavis.models;
