package dev.clavis.auth;

import java.util.List;

/** The authenticated party of one request. */
public record Caller(Credential credential) {
    public String userId() {
        return credential.userId();
    }

    public CredentialKind kind() {
        return credential.kind();
    }

    public boolean is(CredentialKind kind) {
        return credential.kind() == kind;
    }

    /** A session acts for its user with every scope; keys and PATs with their own. */
    public List<String> scopes() {
        return is(CredentialKind.SESSION) ? List.of(ScopeCatalog.ALL) : credential.scopes();
    }

    public List<String> endpoints() {
        return credential.endpoints();
    }

    public String publicId() {
        return credential.publicId();
    }
}
