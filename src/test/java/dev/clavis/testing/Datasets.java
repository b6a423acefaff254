package dev.clavis.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated data sets for training tests: three kinds of picture that differ in colour and shape,
 * and three topics of text, each drawn with random variation from a seed.
 */
public final class Datasets {
    public static final List<String> SCENES = List.of("sunset", "forest", "ocean");
    public static final List<String> TOPICS = List.of("sports", "cooking", "computing");

    private static final String[][] WORDS = {
        {"match", "goal", "team", "player", "score", "league", "coach", "stadium", "referee", "season", "striker", "win"},
        {"recipe", "oven", "flour", "butter", "simmer", "sauce", "garlic", "bake", "kitchen", "onion", "pan", "salt"},
        {"server", "database", "compiler", "kernel", "network", "cache", "thread", "memory", "code", "query", "bug", "cpu"},
    };
    private static final String[] FILLER = {"the", "a", "with", "after", "before", "and", "then", "very", "our", "this", "today"};

    /** A labelled example. */
    public record Labelled<T>(T item, String label) {}

    private Datasets() {}

    public static List<Labelled<BufferedImage>> scenes(int perClass, long seed) {
        Random random = new Random(seed);
        List<Labelled<BufferedImage>> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (String scene : SCENES) out.add(new Labelled<>(scene(scene, random), scene));
        }
        return out;
    }

    public static List<Labelled<String>> texts(int perClass, long seed) {
        Random random = new Random(seed);
        List<Labelled<String>> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (int t = 0; t < TOPICS.size(); t++) out.add(new Labelled<>(sentence(WORDS[t], random), TOPICS.get(t)));
        }
        return out;
    }

    private static String sentence(String[] topic, Random random) {
        StringBuilder s = new StringBuilder();
        int length = 6 + random.nextInt(8);
        for (int i = 0; i < length; i++) {
            String[] from = random.nextInt(3) == 0 ? FILLER : topic;
            s.append(i == 0 ? "" : " ").append(from[random.nextInt(from.length)]);
        }
        return s.toString();
    }

    private static BufferedImage scene(String kind, Random random) {
        int w = 48 + random.nextInt(48);
        int h = 48 + random.nextInt(48);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        switch (kind) {
            case "sunset" -> {
                g.setColor(jitter(new Color(230, 90, 40), random));
                g.fillRect(0, 0, w, h);
                g.setColor(jitter(new Color(250, 210, 60), random));
                int r = h / 4 + random.nextInt(h / 4);
                g.fillOval(random.nextInt(w / 2), random.nextInt(h / 2), r, r);
            }
            case "forest" -> {
                g.setColor(jitter(new Color(40, 130, 50), random));
                g.fillRect(0, 0, w, h);
                g.setColor(jitter(new Color(100, 60, 30), random));
                for (int x = random.nextInt(8); x < w; x += 8 + random.nextInt(8)) g.fillRect(x, 0, 3 + random.nextInt(3), h);
            }
            default -> {
                g.setColor(jitter(new Color(30, 80, 190), random));
                g.fillRect(0, 0, w, h);
                g.setColor(jitter(new Color(225, 235, 245), random));
                g.setStroke(new BasicStroke(2));
                for (int y = random.nextInt(8); y < h; y += 7 + random.nextInt(8)) g.drawLine(0, y, w, y + random.nextInt(3) - 1);
            }
        }
        g.dispose();
        for (int i = 0; i < w * h / 20; i++) { // speckle noise
            image.setRGB(random.nextInt(w), random.nextInt(h), random.nextInt(0xFFFFFF));
        }
        return image;
    }

    private static Color jitter(Color c, Random random) {
        return new Color(clamp(c.getRed() + random.nextInt(41) - 20), clamp(c.getGreen() + random.nextInt(41) - 20),
                clamp(c.getBlue() + random.nextInt(41) - 20));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
