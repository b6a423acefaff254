package dev.clavis.protocol;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants to and from {@code google.protobuf.Timestamp}, for handlers mapping records to messages. */
public final class Timestamps {
    private Timestamps() {}

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
