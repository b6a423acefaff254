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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The portal's session: the session token (the same kind {@code POST /v2/login} hands out) in an
 * HttpOnly, SameSite=Strict cookie, Secure over TLS. Its CSRF token is derived from the session
 * secret, so it needs no storage and a page can only know it by being served to the session.
 */
final class BrowserSession {
    static final String COOKIE = "clavis_session";
    /**
     * Before there is a session, the sign-in and sign-up forms carry this cookie's value: a page
     * of another origin can neither read it nor know it, so it cannot post a form signing the
     * visitor into an account of its choosing (login CSRF).
     */
    static final String FORM_COOKIE = "clavis_form";
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** The pre-session form token: the cookie's, or a new one set now. */
    String formToken(Context ctx) {
        String token = ctx.cookie(FORM_COOKIE);
        if (token == null || !token.matches("[0-9a-f]{64}")) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = HexFormat.of().formatHex(bytes);
            ctx.cookie(new Cookie(FORM_COOKIE, token, "/", -1, secure(ctx), true, null, SameSite.STRICT));
        }
        return token;
    }

    /** Whether a sign-in or sign-up form carries the pre-session token of this browser. */
    boolean formTokenValid(Context ctx) {
        return matches(ctx.cookie(FORM_COOKIE), ctx.formParam("csrf"));
    }

    /**
     * Whether a form was posted by a page of this very origin, as far as the browser says: a
     * {@code Sec-Fetch-Site} other than same-origin, or an {@code Origin} other than this
     * server's (another site, or another port of this host), is refused. A client that sends
     * neither (not a browser, or an old one) is left to the form tokens.
     */
    boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return false;
        String origin = ctx.header("Origin");
        return origin == null || origin.equals((secure(ctx) ? "https://" : "http://") + ctx.host());
    }

    /** The form token for this session. */
    static String csrf(String sessionToken) {
        return Secrets.hash("csrf:" + sessionToken);
    }

    /** Whether a state-changing request carries this session's form token. */
    boolean csrfValid(Context ctx) {
        String token = token(ctx);
        return token != null && matches(csrf(token), ctx.formParam("csrf"));
    }

    private static boolean matches(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** Over TLS, or behind a trusted proxy that terminated it and says so in X-Forwarded-Proto. */
    boolean secure(Context ctx) {
        return ctx.scheme().equals("https") || (clients.trustedProxy(ctx.req().getRemoteAddr())
                && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
    }
}
