package dev.clavis.auth;

import java.util.Optional;

/** The three kinds of bearer secret, each with its own prefix so a leaked one can be recognised. */
public enum CredentialKind {
    APP_KEY("clvk_", "app_specific_key"),
    PAT("clvp_", "personal_access_token"),
    SESSION("clvs_", "session_token");

    private final String prefix;
    private final String wireType;

    CredentialKind(String prefix, String wireType) {
        this.prefix = prefix;
        this.wireType = wireType;
    }

    public String prefix() {
        return prefix;
    }

    /** The {@code Key.type} string. */
    public String wireType() {
        return wireType;
    }

    /** Reads {@code Key.type}: empty and the legacy {@code api_key} mean an app key. */
    public static Optional<CredentialKind> ofWireType(String type) {
        return switch (type) {
            case "", "app_specific_key", "api_key" -> Optional.of(APP_KEY);
            case "personal_access_token" -> Optional.of(PAT);
            default -> Optional.empty();
        };
    }
}
