package dev.clavis.models;

import java.time.Instant;
import java.util.List;

/**
 * An immutable version of a model.
 *
 * @param params      what training learnt, as JSON; null for built-in models and untrained versions
 * @param completedAt when training ended, null before
 */
public record ModelVersion(String userId, String appId, String modelId, String id, int statusCode, String statusDetails,
                           List<String> concepts, String params, int totalInputCount, Instant createdAt,
                           Instant completedAt) {
    public boolean trained() {
        return statusCode == com.clarifai.grpc.api.status.StatusCode.MODEL_TRAINED_VALUE;
    }
}
