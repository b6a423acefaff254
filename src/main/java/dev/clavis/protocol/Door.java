package dev.clavis.protocol;

import java.util.Locale;

/** The front a call came in by; logs and metrics tell them apart. */
public enum Door {
    REST, GRPC;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name logs and metrics carry. */
    public String label() {
        return label;
    }
}
