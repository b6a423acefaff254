package dev.clavis.auth;

/**
 * A credential secret in plaintext. It exists only between generation and the create response,
 * and between a request header and its hash; {@link #toString()} never shows it.
 */
public final class Secret {
    private final String value;

    Secret(String value) {
        this.value = value;
    }

    /** The plaintext, for the one response that hands it to its owner. */
    public String reveal() {
        return value;
    }

    public String hash() {
        return Secrets.hash(value);
    }

    /** The prefix and first characters, enough to recognise a key in a list. */
    public String displayPrefix() {
        return value.substring(0, Secrets.DISPLAY_PREFIX_LENGTH);
    }

    @Override
    public String toString() {
        return "Secret[" + displayPrefix() + "...]";
    }
}
