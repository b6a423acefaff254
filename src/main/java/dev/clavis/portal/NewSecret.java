package dev.clavis.portal;

/** A secret just created, shown once with a warning: "New API key", "clvk_...". */
public record NewSecret(String label, String value) {
    @Override
    public String toString() {
        return "NewSecret[" + label + "]";
    }
}
