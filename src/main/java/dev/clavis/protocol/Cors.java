package dev.clavis.protocol;

import java.util.List;
import java.util.Set;

/**
 * Which web origins may call the API from a browser ({@code --cors-origins}; none by default).
 * Credentials travel in headers, never in cookies, so an allowed origin gets what it needs to
 * send {@code Authorization} and JSON, and nothing lets a page ride on a signed-in portal session.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Clarifai-Session-Token";
    /** How long a browser may keep a preflight's answer. */
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;
    private final boolean anyOrigin;

    Cors(List<String> origins) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /** The Access-Control-Allow-Origin to send to a request from {@code origin}, or null for none. */
    String allowOrigin(String origin) {
        if (origin == null) return null;
        if (anyOrigin) return "*";
        return origins.contains(origin) ? origin : null;
    }
}
