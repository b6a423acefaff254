package dev.clavis.models.compute;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixed text feature extractor: words and their character trigrams, hashed with a sign into
 * 256 buckets (feature hashing), counts damped by log, normalised. Texts sharing words or word
 * pieces land close together.
 */
public final class TextEmbedder {
    public static final int DIMENSIONS = 256;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public float[] embed(String text) {
        double[] counts = new double[DIMENSIONS];
        Matcher words = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (words.find()) {
            String word = words.group();
            add(counts, "w:" + word, 1.0);
            String padded = "<" + word + ">";
            for (int i = 0; i + 3 <= padded.length(); i++) add(counts, "t:" + padded.substring(i, i + 3), 0.5);
        }
        for (int i = 0; i < counts.length; i++) counts[i] = Math.signum(counts[i]) * Math.log1p(Math.abs(counts[i]));
        return Vectors.concatNormalized(counts);
    }

    private static void add(double[] counts, String feature, double weight) {
        int h = fnv1a(feature);
        counts[Math.floorMod(h, DIMENSIONS)] += ((h >>> 31) == 0 ? weight : -weight);
    }

    /** FNV-1a: stable across JVMs and runs, unlike String.hashCode's mixing assumptions. */
    private static int fnv1a(String s) {
        int hash = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
