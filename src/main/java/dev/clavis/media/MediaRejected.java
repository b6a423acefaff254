package dev.clavis.media;

import com.clarifai.grpc.api.status.StatusCode;

/** One input's media could not be used; the input gets this status, its request goes on. */
public final class MediaRejected extends Exception {
    private final StatusCode code;

    public MediaRejected(StatusCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public StatusCode code() {
        return code;
    }
}
