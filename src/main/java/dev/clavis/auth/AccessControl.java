package dev.clavis.auth;

import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.apps.App;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.AuthType;
import dev.clavis.protocol.RpcMethod;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The authorization rules of DESIGN §3, decided from the caller, the method's declared auth type
 * and scopes, and the user and app the request names. Every front door asks the same question in
 * the same order, so REST and gRPC give the same answer.
 */
public final class AccessControl {
    private static final String ME = "me";

    private final ScopeCatalog scopes;
    private final BiFunction<String, String, Optional<App>> apps;

    public AccessControl(ScopeCatalog scopes, BiFunction<String, String, Optional<App>> apps) {
        this.scopes = scopes;
        this.apps = apps;
    }

    public Target authorize(Caller caller, RpcMethod method, UserAppIDSet named) {
        requireCredentialKind(caller, method);
        Target target = caller.is(CredentialKind.APP_KEY) ? appKeyTarget(caller, named) : userTarget(caller, method, named);
        requireScopes(caller, method);
        if (!caller.is(CredentialKind.APP_KEY)) requireVisible(caller, method, target);
        return target;
    }

    private static void requireCredentialKind(Caller caller, RpcMethod method) {
        AuthType type = method.authType();
        if (type == AuthType.ADMIN) {
            throw ApiException.insufficientScopes("This method is internal to the server.");
        }
        if (type == AuthType.PAT && caller.is(CredentialKind.APP_KEY)) {
            throw ApiException.insufficientScopes(
                    "This method needs a personal access token (PAT); an app-specific API key cannot call it.");
        }
        if (type == AuthType.SESSION && !caller.is(CredentialKind.SESSION)) {
            throw ApiException.insufficientScopes("This method needs a session token from signing in.");
        }
    }

    /** An app key acts on its own app only; naming any other is a key/app mismatch. */
    private static Target appKeyTarget(Caller caller, UserAppIDSet named) {
        Credential key = caller.credential();
        String user = named.getUserId();
        String app = named.getAppId();
        boolean otherUser = !user.isEmpty() && !user.equals(ME) && !user.equals(key.userId());
        boolean otherApp = !app.isEmpty() && !app.equals(key.appId());
        if (otherUser || otherApp) {
            throw new ApiException(StatusCode.CONN_KEY_INVALID,
                    "Invalid API key/application pair: this key belongs to another app.");
        }
        return new Target(key.userId(), key.appId());
    }

    private static Target userTarget(Caller caller, RpcMethod method, UserAppIDSet named) {
        String user = named.getUserId();
        String app = named.getAppId();
        if (method.appLevel() && app.isEmpty()) {
            String missing = user.isEmpty() ? "user_id and app_id" : "app_id";
            throw new ApiException(StatusCode.CONN_KEY_INVALID,
                    "Must provide " + missing + " with a personal access token or session: only an app-specific API key implies them.");
        }
        return new Target(user.isEmpty() || user.equals(ME) ? caller.userId() : user, app);
    }

    private void requireScopes(Caller caller, RpcMethod method) {
        List<String> missing = scopes.missing(caller.scopes(), method.scopes());
        if (!missing.isEmpty()) {
            throw ApiException.insufficientScopes("Missing scopes: " + String.join(", ", missing) + ".");
        }
        List<String> endpoints = caller.endpoints();
        if (!endpoints.isEmpty() && !endpoints.contains(method.endpoint())) {
            throw ApiException.insufficientScopes("Missing endpoint: " + method.endpoint() + ".");
        }
    }

    /**
     * PATs and sessions reach their own apps, and other users' public apps for reading. A
     * private app of someone else looks exactly like one that does not exist.
     */
    private void requireVisible(Caller caller, RpcMethod method, Target target) {
        if (target.userId().isEmpty()) return;
        boolean own = target.userId().equals(caller.userId());
        if (!target.hasApp()) {
            // A user's account-level resources (keys, app list, profile) are theirs alone.
            if (!own) throw ApiException.notFound("User '" + target.userId() + "' not found.");
            return;
        }
        Optional<App> app = apps.apply(target.userId(), target.appId());
        if (app.isEmpty() || (!own && !app.get().isPublic())) {
            throw ApiException.notFound("App '" + target.appId() + "' of user '" + target.userId() + "' not found.");
        }
        if (!own && !method.read()) {
            throw ApiException.insufficientScopes("Another user's public app can be read, not changed.");
        }
    }
}
