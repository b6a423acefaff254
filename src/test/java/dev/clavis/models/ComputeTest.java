package dev.clavis.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.models.compute.ColorRecognizer;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.LogisticClassifier;
import dev.clavis.models.compute.TextEmbedder;
import dev.clavis.models.compute.Vectors;
import dev.clavis.testing.Datasets;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The models' arithmetic on generated data, without a server. */
class ComputeTest {

    @Test
    void colour_shares_follow_the_pixels() {
        BufferedImage image = new BufferedImage(100, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 75, 40);
        g.setColor(Color.BLUE);
        g.fillRect(75, 0, 25, 40);
        g.dispose();
        List<ColorRecognizer.Share> shares = new ColorRecognizer().recognize(image);
        assertEquals("#ff0000", shares.get(0).hex());
        assertEquals("Red", shares.get(0).name());
        assertEquals(0.75, shares.get(0).share(), 0.02);
        assertEquals("Blue", shares.get(1).name());
        assertEquals(0.25, shares.get(1).share(), 0.02);
    }

    @Test
    void colours_read_straight_from_the_raster_match_the_colour_model_in_every_layout() {
        BufferedImage scene = Datasets.scenes(1, 3).get(0).item();
        ColorRecognizer colors = new ColorRecognizer();
        List<ColorRecognizer.Share> expected = null;
        // 3-byte BGR (JPEG), packed ints with and without alpha (PNG, BMP), premultiplied, and a
        // sub-image whose raster starts inside its parent's.
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage copy = new BufferedImage(scene.getWidth(), scene.getHeight(), type);
            copy.createGraphics().drawImage(scene, 0, 0, null);
            List<ColorRecognizer.Share> shares = colors.recognize(copy);
            if (expected == null) expected = shares;
            assertEquals(expected, shares, "image type " + type);
        }
        BufferedImage framed = new BufferedImage(scene.getWidth() + 20, scene.getHeight() + 20, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = framed.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(0, 0, framed.getWidth(), framed.getHeight());
        g.drawImage(scene, 10, 10, null);
        assertEquals(expected, colors.recognize(framed.getSubimage(10, 10, scene.getWidth(), scene.getHeight())));
    }

    @Test
    void embeddings_are_deterministic_unit_vectors_and_similar_things_are_close() {
        TextEmbedder text = new TextEmbedder();
        float[] a = text.embed("the striker scored a goal in the match");
        assertEquals(TextEmbedder.DIMENSIONS, a.length);
        assertEquals(1.0, Vectors.cosine(a, text.embed("the striker scored a goal in the match")), 1e-6);
        assertTrue(Vectors.cosine(a, text.embed("a late goal won the match")) > Vectors.cosine(a, text.embed("simmer the garlic sauce")));

        ImageEmbedder images = new ImageEmbedder();
        List<Datasets.Labelled<BufferedImage>> scenes = Datasets.scenes(2, 7);
        float[] sunset = images.embed(scenes.get(0).item());
        assertEquals(ImageEmbedder.DIMENSIONS, sunset.length);
        assertTrue(Vectors.cosine(sunset, images.embed(scenes.get(3).item())) > Vectors.cosine(sunset, images.embed(scenes.get(1).item())),
                "two sunsets are closer than a sunset and a forest");
    }

    @Test
    void a_classifier_on_image_embeddings_generalises_to_held_out_images() {
        ImageEmbedder embedder = new ImageEmbedder();
        double accuracy = heldOutAccuracy(Datasets.scenes(40, 1), Datasets.scenes(30, 2), embedder::embed, Datasets.SCENES);
        System.out.printf("embedding-classifier, generated scenes (3 classes, 120 train / 90 held out): accuracy %.3f%n", accuracy);
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
    }

    @Test
    void a_classifier_on_text_embeddings_generalises_to_held_out_texts() {
        TextEmbedder embedder = new TextEmbedder();
        double accuracy = heldOutAccuracy(Datasets.texts(30, 3), Datasets.texts(20, 4), embedder::embed, Datasets.TOPICS);
        System.out.printf("embedding-classifier, generated texts (3 topics, 90 train / 60 held out): accuracy %.3f%n", accuracy);
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
    }

    private static <T> double heldOutAccuracy(List<Datasets.Labelled<T>> train, List<Datasets.Labelled<T>> test,
                                              Function<T, float[]> embed, List<String> labels) {
        List<LogisticClassifier.Example> examples = train.stream()
                .map(l -> new LogisticClassifier.Example(embed.apply(l.item()), Set.of(l.label()))).toList();
        LogisticClassifier.Trained model = LogisticClassifier.train(examples, labels, true);
        int right = 0;
        for (Datasets.Labelled<T> l : test) {
            double[] p = LogisticClassifier.predict(model, embed.apply(l.item()));
            int best = 0;
            for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
            if (labels.get(best).equals(l.label())) right++;
        }
        return (double) right / test.size();
    }
}
