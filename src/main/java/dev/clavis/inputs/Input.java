package dev.clavis.inputs;

import java.time.Instant;
import java.util.List;

/**
 * An input as stored, without its bytes (which are read only when something computes on them).
 *
 * @param kind       IMAGE or TEXT
 * @param text       the text of a TEXT input, null for images
 * @param statusCode 30000 ready, 30001 pending download, 30002 failed
 */
public record Input(String userId, String appId, String id, String kind, String url, String text, String mediaType,
                    Integer width, Integer height, String metadata, int statusCode, String statusDetails,
                    Instant createdAt, Instant modifiedAt, List<InputConcept> concepts) {

    /** A concept on an input: value 1 (shows it) or 0 (does not). */
    public record InputConcept(String id, String name, double value) {}

    public Input withConcepts(List<InputConcept> list) {
        return new Input(userId, appId, id, kind, url, text, mediaType, width, height, metadata, statusCode, statusDetails,
                createdAt, modifiedAt, list);
    }
}
