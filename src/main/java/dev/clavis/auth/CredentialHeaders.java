package dev.clavis.auth;

import java.util.List;

/**
 * The two headers a credential may arrive in, as the front door read them (null if absent), and
 * how many values they carried in all: more than one is a request that names two credentials
 * (or one twice), and no rule says which would win, so it is refused.
 */
public record CredentialHeaders(String authorization, String sessionToken, int values) {
    public static final CredentialHeaders NONE = new CredentialHeaders(null, null);

    public CredentialHeaders(String authorization, String sessionToken) {
        this(authorization, sessionToken, (authorization == null ? 0 : 1) + (sessionToken == null ? 0 : 1));
    }

    /** From every value each header arrived with (a header sent twice has two). */
    public static CredentialHeaders of(List<String> authorizations, List<String> sessionTokens) {
        return new CredentialHeaders(authorizations.isEmpty() ? null : authorizations.get(0),
                sessionTokens.isEmpty() ? null : sessionTokens.get(0), authorizations.size() + sessionTokens.size());
    }

    @Override
    public String toString() {
        return "CredentialHeaders[redacted]";
    }
}
