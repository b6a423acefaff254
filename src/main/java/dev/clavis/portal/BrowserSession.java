package dev.clavis.portal;

import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.net.ClientAddresses;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.Secrets;
import dev.clavis.protocol.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The portal's session: the session token (the same kind {@code POST /v2/login} hands out) in an
 * HttpOnly, SameSite=Strict cookie, Secure over TLS. Its CSRF token is derived from the session
 * secret, so it needs no storage and a page can only know it by being served to the session.
 */
final class BrowserSession {
    static final String COOKIE = "clavis_session";

    private final Authenticator authenticator;
    private final Duration lifetime;
    private final ClientAddresses clients;

    BrowserSession(Authenticator authenticator, Duration lifetime, ClientAddresses clients) {
        this.authenticator = authenticator;
        this.lifetime = lifetime;
        this.clients = clients;
    }

    /** The signed-in user of this request, if the cookie holds a live session. */
    Optional<Caller> caller(Context ctx) {
        String token = ctx.cookie(COOKIE);
        if (token == null || Secrets.kindOf(token).filter(k -> k == CredentialKind.SESSION).isEmpty()) return Optional.empty();
        try {
            return Optional.of(authenticator.authenticate(new CredentialHeaders(null, token)));
        } catch (ApiException expiredOrEnded) {
            return Optional.empty();
        }
    }

    String token(Context ctx) {
        return ctx.cookie(COOKIE);
    }

    void start(Context ctx, String token) {
        ctx.cookie(new Cookie(COOKIE, token, "/", (int) lifetime.toSeconds(), secure(ctx), true, null, SameSite.STRICT));
    }

    void end(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, secure(ctx), true, null, SameSite.STRICT));
    }

    /** The form token for this session. */
    static String csrf(String sessionToken) {
        return Secrets.hash("csrf:" + sessionToken);
    }

    /** Whether a state-changing request carries this session's form token. */
    boolean csrfValid(Context ctx) {
        String token = token(ctx);
        String given = ctx.formParam("csrf");
        return token != null && given != null && MessageDigest.isEqual(
                csrf(token).getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** Over TLS, or behind a trusted proxy that terminated it and says so in X-Forwarded-Proto. */
    private boolean secure(Context ctx) {
        return ctx.scheme().equals("https") || (clients.trustedProxy(ctx.req().getRemoteAddr())
                && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
    }
}
