package dev.clavis.media;

import java.awt.image.BufferedImage;

/** Something a model can compute on: decoded pixels or a text. */
public sealed interface Media {
    record Picture(BufferedImage pixels) implements Media {}

    record Text(String text) implements Media {}
}
