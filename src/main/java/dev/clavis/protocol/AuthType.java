package dev.clavis.protocol;

/** Who may call a method, as declared by the method's {@code cl_auth_type} option. */
public enum AuthType {
    /** No credential at all (status codes). */
    NONE,
    /** App-specific keys, PATs and sessions. */
    KEY,
    /** PATs and sessions; never an app key. */
    PAT,
    /** Browser sessions only. */
    SESSION,
    /** Internal methods: nobody outside. */
    ADMIN;

    static AuthType of(com.clarifai.grpc.auth.types.AuthType declared) {
        return switch (declared) {
            case NoAuth -> NONE;
            case KeyAuth -> KEY;
            case PATAuth -> PAT;
            case SessionTokenAuth -> SESSION;
            // Undeclared methods are treated as internal: closed unless someone decides otherwise.
            default -> ADMIN;
        };
    }
}
