package dev.clavis.protocol;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids ({@code status.req_id}), in the shape of Clarifai's ids: 32 lowercase hex
 * characters. They find a request's log lines and guard nothing, so each thread's own generator
 * serves, rather than a SecureRandom every request would queue on.
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
