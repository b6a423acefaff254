package dev.clavis.models;

import com.clarifai.grpc.api.status.StatusCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clavis.media.Media;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.compute.ColorRecognizer;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.LogisticClassifier;
import dev.clavis.models.compute.TextEmbedder;
import java.util.ArrayList;
import java.util.List;

/** Runs one model version on one piece of media. */
public final class Predictor {
    private final ColorRecognizer colors = new ColorRecognizer();
    private final ImageEmbedder imageEmbedder;
    private final TextEmbedder textEmbedder;
    /** Versions are immutable, so their parsed parameters can be kept. */
    private final Cache<String, Training.Params> params = Caffeine.newBuilder().maximumSize(1_000).build();

    /** What a model says about an input. */
    public sealed interface Prediction {
        /** Concepts with their values, highest first; names filled in by the caller where it knows them. */
        record Concepts(List<Scored> concepts) implements Prediction {}

        record Embedding(float[] vector) implements Prediction {}
    }

    /** A concept id with a value; {@code name} may be null. */
    public record Scored(String id, String name, double value) {}

    public Predictor(ImageEmbedder imageEmbedder, TextEmbedder textEmbedder) {
        this.imageEmbedder = imageEmbedder;
        this.textEmbedder = textEmbedder;
    }

    /**
     * How many of an image's pixels a model looks at, 0 for all: colour recognition samples a
     * grid, so its images can be decoded at that size. Embedders and classifiers see the whole
     * image, as they did in training.
     */
    public long samplesWanted(Model model) {
        return ModelType.of(model.typeId()).orElseThrow() == ModelType.COLOR_RECOGNIZER ? ColorRecognizer.MAX_SAMPLES : 0;
    }

    public Prediction run(Model model, ModelVersion version, Media media) throws MediaRejected {
        ModelType type = ModelType.of(model.typeId()).orElseThrow();
        return switch (type) {
            case COLOR_RECOGNIZER -> {
                List<Scored> out = new ArrayList<>();
                for (ColorRecognizer.Share s : colors.recognize(picture(media, model))) out.add(new Scored(s.hex(), s.name(), s.share()));
                yield new Prediction.Concepts(out);
            }
            case VISUAL_EMBEDDER -> new Prediction.Embedding(imageEmbedder.embed(picture(media, model)));
            case TEXT_EMBEDDER -> new Prediction.Embedding(textEmbedder.embed(text(media, model)));
            case EMBEDDING_CLASSIFIER -> classify(version, media);
        };
    }

    /**
     * A classifier on an embedding another model made (a workflow node fed by an embedder):
     * {@code picture} says which head, the image or the text one, the vector belongs to.
     */
    public Prediction classifyEmbedding(ModelVersion version, float[] vector, boolean picture) throws MediaRejected {
        Training.Params p = parameters(version);
        LogisticClassifier.Trained head = picture ? p.image() : p.text();
        if (head == null) {
            throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT,
                    "This model version was not trained on " + (picture ? "images" : "texts") + ".");
        }
        return concepts(head, LogisticClassifier.predict(head, vector));
    }

    private Training.Params parameters(ModelVersion version) {
        return params.get(version.userId() + "/" + version.appId() + "/" + version.modelId() + "/" + version.id(),
                k -> Training.GSON.fromJson(version.params(), Training.Params.class));
    }

    private static Prediction concepts(LogisticClassifier.Trained head, double[] values) {
        List<Scored> out = new ArrayList<>();
        for (int c = 0; c < values.length; c++) out.add(new Scored(head.concepts().get(c), null, values[c]));
        out.sort((a, b) -> Double.compare(b.value(), a.value()));
        return new Prediction.Concepts(out);
    }

    private Prediction classify(ModelVersion version, Media media) throws MediaRejected {
        Training.Params p = parameters(version);
        LogisticClassifier.Trained head;
        float[] features;
        if (media instanceof Media.Picture picture) {
            head = p.image();
            features = head == null ? null : imageEmbedder.embed(picture.pixels());
        } else {
            head = p.text();
            features = head == null ? null : textEmbedder.embed(((Media.Text) media).text());
        }
        if (head == null) {
            throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT,
                    "This model version was not trained on " + (media instanceof Media.Picture ? "images" : "texts") + ".");
        }
        return concepts(head, LogisticClassifier.predict(head, features));
    }

    private static java.awt.image.BufferedImage picture(Media media, Model model) throws MediaRejected {
        if (media instanceof Media.Picture p) return p.pixels();
        throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "Model '" + model.id() + "' takes images, not text.");
    }

    private static String text(Media media, Model model) throws MediaRejected {
        if (media instanceof Media.Text t) return t.text();
        throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "Model '" + model.id() + "' takes text, not images.");
    }
}
