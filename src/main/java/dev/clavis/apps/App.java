package dev.clavis.apps;

import java.time.Instant;

/**
 * An app owned by a user.
 *
 * @param visibility Clarifai's {@code Visibility.gettable}: {@link #PRIVATE} or {@link #PUBLIC}
 * @param metadata   a JSON object
 */
public record App(String userId, String id, String name, String description, int visibility, String metadata,
                  Instant createdAt, Instant modifiedAt) {
    public static final int PRIVATE = 10;
    public static final int PUBLIC = 50;

    public boolean isPublic() {
        return visibility == PUBLIC;
    }
}
