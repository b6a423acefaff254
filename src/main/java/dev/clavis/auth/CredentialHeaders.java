package dev.clavis.auth;

/** The two headers a credential may arrive in, as the front door read them (null if absent). */
public record CredentialHeaders(String authorization, String sessionToken) {
    public static final CredentialHeaders NONE = new CredentialHeaders(null, null);

    @Override
    public String toString() {
        return "CredentialHeaders[redacted]";
    }
}
