package dev.clavis.search;

import dev.clavis.media.Media;
import java.util.List;

/**
 * What a search asks, whichever query form it came in.
 *
 * @param concepts   each must hold (or, with {@code present} false, must not)
 * @param metadata   JSON objects the input's metadata must contain
 * @param similarTo  media to rank by similarity, or null
 * @param similarToInput a stored input to rank by similarity, or null
 */
public record Criteria(List<ConceptCriterion> concepts, List<String> metadata, Media similarTo, String similarToInput) {

    /** A concept by id or name, annotated on the input or predicted for it by the app's classifiers. */
    public record ConceptCriterion(String idOrName, boolean present, boolean predicted) {}

    public boolean ranked() {
        return similarTo != null || similarToInput != null;
    }
}
