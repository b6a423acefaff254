package dev.clavis.portal;

/** A secret to show with a warning: just created ("New API key") or revealed again. */
public record NewSecret(String label, String value, String warning) {
    static final String SHOWN_ONCE = "Copy it now: it is shown this once. Clavis keeps only a hash and cannot show it again.";
    static final String KEPT = "Copy it now. Clavis keeps it sealed, and each time it is shown again is recorded.";

    @Override
    public String toString() {
        return "NewSecret[" + label + "]";
    }
}
