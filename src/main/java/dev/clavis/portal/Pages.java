package dev.clavis.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clavis.audit.Actor;
import dev.clavis.auth.Caller;
import dev.clavis.auth.Credential;
import dev.clavis.auth.Secrets;
import dev.clavis.keys.CredentialUsage;
import dev.clavis.keys.KeyService;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.RestFront;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every portal page shares: the session and its guards (sign-in, form token, origin),
 * rendering with the portal's headers, the one-time message carried to the next page, and the
 * audited reveal of a kept secret.
 */
final class Pages {
    /** A message for the next page, with at most one new secret and the id of what was just created. */
    record Flash(String notice, NewSecret secret, String createdId) {
        Flash(String notice) {
            this(notice, null, null);
        }
    }

    static final Flash NO_FLASH = new Flash(null);
    private static final int USAGE_DAYS = 14;
    private static final String RENDERED = "clavis.portal.rendered";

    final BrowserSession sessions;
    private final KeyService keys;
    private final ClientAddresses clients;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    /** One message (and at most one new secret) for the next page a session sees, by session hash. */
    private final Cache<String, Flash> flashes = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();

    Pages(BrowserSession sessions, KeyService keys, ClientAddresses clients) {
        this.sessions = sessions;
        this.keys = keys;
        this.clients = clients;
    }

    /**
     * The signed-in caller, or a redirect to sign-in; for state changes also a valid CSRF token,
     * or 403 with nothing done.
     */
    Optional<Caller> signedIn(Context ctx, boolean changesState) {
        Optional<Caller> caller = sessions.caller(ctx);
        if (caller.isEmpty()) {
            // A page asked for comes back after sign-in; a form posted without a session does not.
            boolean page = ctx.method().name().equals("GET");
            ctx.redirect(page ? "/signin?next=" + URLEncoder.encode(pathWithQuery(ctx), StandardCharsets.UTF_8) : "/signin");
            return Optional.empty();
        }
        if (changesState && !(sessions.sameOrigin(ctx) && sessions.csrfValid(ctx))) {
            ctx.status(HttpStatus.FORBIDDEN);
            render(ctx, "portal/message.jte", params("page", Page.anonymous("Refused",
                    "The form was stale or not from this site (missing CSRF token); nothing was changed.")));
            return Optional.empty();
        }
        Actor.set(Actor.current().as(caller.get().userId(), caller.get().publicId()));
        return caller;
    }

    /** A page with a title and a line; with the navigation when someone is signed in. */
    void message(Context ctx, String title, String line) {
        Optional<Caller> caller = sessions.caller(ctx);
        Page page = caller.isPresent() ? page(ctx, caller.get(), title, null, NO_FLASH, line) : Page.anonymous(title, line);
        render(ctx, "portal/message.jte", params("page", page));
    }

    /** Whether this request already got a portal page (a 404 of the portal's own, say). */
    static boolean isPage(Context ctx) {
        return ctx.attribute(RENDERED) != null;
    }

    static String pathWithQuery(Context ctx) {
        String query = ctx.queryString();
        return query == null ? ctx.path() : ctx.path() + "?" + query;
    }

    /** @param section the part of the navigation this page belongs to ("apps", "security"), or null */
    Page page(Context ctx, Caller caller, String title, String section, Flash flash, String error) {
        return new Page(title, section, caller.userId(), BrowserSession.csrf(sessions.token(ctx)), flash.notice(), error);
    }

    void flash(Context ctx, Flash flash) {
        flashes.put(Secrets.hash(sessions.token(ctx)), flash);
    }

    Flash takeFlash(Context ctx) {
        Flash flash = flashes.asMap().remove(Secrets.hash(sessions.token(ctx)));
        return flash == null ? NO_FLASH : flash;
    }

    void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
        ctx.attribute(RENDERED, Boolean.TRUE);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    }

    static void asset(Context ctx, String name, String type) {
        try (InputStream in = Pages.class.getResourceAsStream("/portal/" + name)) {
            ctx.contentType(type).result(in.readAllBytes());
            ctx.header("X-Content-Type-Options", "nosniff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Template parameters; unlike Map.of, values may be null (a page without a new secret). */
    static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    /**
     * Whether a deletion was confirmed: by the script's dialog, or else (no script) on a page
     * that asks first, shown now.
     */
    boolean confirmed(Context ctx, Caller caller, String title, String question, String cancel) {
        if ("yes".equals(ctx.formParam("confirm"))) return true;
        render(ctx, "portal/confirm.jte", Map.of("page", page(ctx, caller, title, null, NO_FLASH, null),
                "question", question, "action", ctx.path(), "cancel", cancel));
        return false;
    }

    /** How many of these expire within the coming week (and have not yet). */
    static long expiringSoon(List<Credential> keys, Instant now) {
        return keys.stream().filter(k -> !k.expiredAt(now) && k.expiredAt(now.plus(Duration.ofDays(7)))).count();
    }

    static String described(Credential key) {
        return key.description().isEmpty() ? "no description" : key.description();
    }

    /** An audited "copy": the secret again, for the next page (the audit line is the key service's). */
    void reveal(Context ctx, Caller caller, Credential key, String what) {
        String address = RestFront.clientAddress(ctx, clients);
        String secret = keys.reveal(caller.userId(), key.publicId(), address).reveal();
        flash(ctx, new Flash(what + " shown again; the reveal is recorded.", new NewSecret(what, secret, NewSecret.KEPT),
                key.publicId()));
    }

    /** A key's or token's requests per day over the last two weeks, as a chart. */
    void usagePage(Context ctx, Caller caller, Credential key, String noun, String back, CredentialUsage usage, Clock clock) {
        Instant now = clock.instant();
        UsageChart chart = UsageChart.of(usage.between(key.publicId(), now.minus(Duration.ofDays(USAGE_DAYS)), now, true), now, USAGE_DAYS);
        String address = usage.lastAddress(key.publicId());
        String lastUsed = key.lastUsedAt() == null ? "never"
                : key.lastUsedAt().toString().substring(0, 16).replace('T', ' ') + " UTC" + (address == null ? "" : " from " + address);
        render(ctx, "portal/usage.jte", Map.of("page", page(ctx, caller, "Usage", null, NO_FLASH, null), "noun", noun,
                "name", key.displayPrefix() + "…", "chart", chart, "lastUsed", lastUsed, "back", back));
    }

    /** Asks how long the current secret may keep working before a roll. */
    void rollForm(Context ctx, Caller caller, Credential key, String noun, String cancel) {
        render(ctx, "portal/roll.jte", Map.of("page", page(ctx, caller, "Roll " + noun, null, NO_FLASH, null),
                "noun", noun, "name", key.displayPrefix() + "…", "action", ctx.path(), "cancel", cancel));
    }

    /** A new secret for the key, shown on the next page; the old one works for the overlap chosen. */
    void roll(Context ctx, Caller caller, Credential key, String what) {
        long seconds;
        try {
            seconds = Long.parseLong(nz(ctx.formParam("overlap")));
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        KeyService.Issued rolled = keys.roll(caller.userId(), key.publicId(), Duration.ofSeconds(seconds));
        String when = seconds == 0 ? "has stopped working" : "keeps working for " + (seconds % 86400 == 0
                ? seconds / 86400 + (seconds == 86400 ? " day" : " days") : seconds / 3600 + (seconds == 3600 ? " hour" : " hours"));
        flash(ctx, new Flash(what + " rolled; the previous secret " + when + ".", newSecret("New secret of " + what,
                rolled.secret().reveal()), key.publicId()));
    }

    NewSecret newSecret(String label, String value) {
        return new NewSecret(label, value, keys.recoverable() ? NewSecret.KEPT : NewSecret.SHOWN_ONCE);
    }
}
