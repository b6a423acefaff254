package dev.clavis.auth;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.protocol.ApiException;

/**
 * Who may read an account's own records outside the Clarifai methods (its audit log, a key's
 * usage): the account's user, with a PAT or session holding {@code All} or {@code Keys:Get}
 * (10.3.3 has no scope of its own for these); never an app key, never another user.
 */
public final class AccountReads {
    private AccountReads() {}

    /**
     * The caller, if they may read the records of {@code userId} ("me" for themselves) from
     * {@code client}; else 11007.
     */
    public static Caller authorize(Authenticator authenticator, CredentialHeaders headers, String client, String userId, String what) {
        Caller caller = authenticator.authenticate(headers, client);
        if (caller.is(CredentialKind.APP_KEY)) {
            throw new ApiException(StatusCode.CONN_INSUFFICIENT_SCOPES, "An app key reads no " + what + ": use a personal access token.");
        }
        if (!caller.scopes().contains(ScopeCatalog.ALL) && !caller.scopes().contains("Keys:Get")) {
            throw new ApiException(StatusCode.CONN_INSUFFICIENT_SCOPES, "Reading the " + what + " needs scope All or Keys:Get.");
        }
        if (!userId.equals("me") && !userId.equals(caller.userId())) {
            throw new ApiException(StatusCode.CONN_INSUFFICIENT_SCOPES, "A user reads only their own " + what + ".");
        }
        return caller;
    }
}
