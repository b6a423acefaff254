package dev.clavis.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.Gson;
import dev.clavis.apps.App;
import dev.clavis.apps.AppService;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.auth.Secrets;
import dev.clavis.keys.KeyService;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.RestFront;
import dev.clavis.users.SignInThrottle;
import dev.clavis.users.User;
import dev.clavis.users.UserService;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The portal's routes. Every state-changing request is a POST with the session's CSRF token. */
public final class Portal {

    private final UserService users;
    private final AppService apps;
    private final KeyService keys;
    private final ScopeCatalog scopes;
    private final BrowserSession sessions;
    private final SignInThrottle throttle;
    private final boolean signupEnabled;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    /** One message (and at most one new secret) for the next page a session sees, by session hash. */
    private final Cache<String, Flash> flashes = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();
    private final String dependencies;
    /** The scope groups of what this server implements, shown first; the rest folded. */
    private final Map<String, List<String>> servedGroups = new LinkedHashMap<>();
    private final Map<String, List<String>> otherGroups = new LinkedHashMap<>();
    private final ClientAddresses clients;

    /** A message for the next page, with at most one new secret and the id of what was just created. */
    private record Flash(String notice, NewSecret secret, String createdId) {
        Flash(String notice) {
            this(notice, null, null);
        }
    }

    private static final Flash NO_FLASH = new Flash(null);
    private static final String RENDERED = "clavis.portal.rendered";
    /** The one answer to a sign-up whose id or email is taken, whichever it is. */
    private static final String NO_SCOPES = "Choose at least one scope, or All.";
    static final String TAKEN = "That user id or email cannot be used. If you already have an account, sign in.";

    /** @param served the scopes the server's implemented methods need (see ScopeCatalog.neededBy) */
    public Portal(UserService users, AppService apps, KeyService keys, ScopeCatalog scopes, Set<String> served,
                  Authenticator authenticator, SignInThrottle throttle, Duration sessionLifetime, boolean signupEnabled,
                  ClientAddresses clients) {
        this.throttle = throttle;
        this.clients = clients;
        this.users = users;
        this.apps = apps;
        this.keys = keys;
        this.scopes = scopes;
        this.sessions = new BrowserSession(authenticator, sessionLifetime, clients);
        this.signupEnabled = signupEnabled;
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (String scope : scopes.exposed()) deps.put(scope, scopes.dependenciesOf(scope));
        this.dependencies = new Gson().toJson(deps);
        scopes.byResource().forEach((group, members) -> {
            boolean isServed = group.equals("General") || members.stream().anyMatch(served::contains);
            (isServed ? servedGroups : otherGroups).put(group, members);
        });
    }

    public void install(RoutesConfig app) {
        app.exception(ApiException.class, (e, ctx) -> {
            ctx.status(e.httpStatus());
            message(ctx, "That did not work", e.details());
        });
        // Unknown pages get a page (the API's unknown paths keep their JSON answer: see RestFront).
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/v2/") || isPage(ctx)) return;
            message(ctx, "No such page", "There is nothing at " + ctx.path() + ".");
        });
        app.get("/favicon.ico", ctx -> asset(ctx, "favicon.svg", "image/svg+xml"));
        app.get("/portal/portal.css", ctx -> asset(ctx, "portal.css", "text/css; charset=utf-8"));
        app.get("/portal/portal.js", ctx -> asset(ctx, "portal.js", "text/javascript; charset=utf-8"));
        app.get("/", ctx -> ctx.redirect(sessions.caller(ctx).isPresent() ? "/apps" : "/signin"));
        app.get("/signin", ctx -> signInPage(ctx, null, "", safeNext(ctx.queryParam("next"))));
        app.post("/signin", this::signIn);
        app.get("/signup", ctx -> {
            if (!signupEnabled) throw ApiException.notFound("Sign-up is off.");
            signUpPage(ctx, null, "", "");
        });
        app.post("/signup", this::signUp);
        app.get("/signout", ctx -> signedIn(ctx, false).ifPresent(caller ->
                render(ctx, "portal/signout.jte", Map.of("page", page(ctx, caller, "Sign out", null, NO_FLASH, null)))));
        app.post("/signout", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            keys.endSession(sessions.token(ctx));
            sessions.end(ctx);
            ctx.redirect("/signin");
        }));
        app.get("/apps", ctx -> signedIn(ctx, false).ifPresent(caller -> appsPage(ctx, caller, null)));
        app.post("/apps", ctx -> signedIn(ctx, true).ifPresent(caller -> createApp(ctx, caller)));
        app.get("/apps/{app}", ctx -> signedIn(ctx, false).ifPresent(caller -> overviewPage(ctx, caller)));
        app.get("/apps/{app}/settings", ctx -> signedIn(ctx, false).ifPresent(caller -> settingsPage(ctx, caller, null)));
        app.post("/apps/{app}/settings", ctx -> signedIn(ctx, true).ifPresent(caller -> saveApp(ctx, caller)));
        app.post("/apps/{app}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> deleteApp(ctx, caller)));
        app.get("/apps/{app}/keys/new", ctx -> signedIn(ctx, false).ifPresent(caller ->
                keyForm(ctx, caller, null, "", List.of(), null, null)));
        app.post("/apps/{app}/keys", ctx -> signedIn(ctx, true).ifPresent(caller -> createKey(ctx, caller)));
        app.get("/apps/{app}/keys/{key}/edit", ctx -> signedIn(ctx, false).ifPresent(caller -> {
            Credential key = appKey(ctx, caller);
            keyForm(ctx, caller, key, key.description(), key.scopes(), null, null);
        }));
        app.post("/apps/{app}/keys/{key}", ctx -> signedIn(ctx, true).ifPresent(caller -> editKey(ctx, caller)));
        app.post("/apps/{app}/keys/{key}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            Credential key = appKey(ctx, caller);
            String back = "/apps/" + ctx.pathParam("app") + "/settings";
            if (confirmed(ctx, caller, "Delete API key", "Delete API key " + key.displayPrefix() + "… ("
                    + described(key) + ")? Requests with it will fail at once.", back)) {
                keys.delete(caller.userId(), key.publicId());
                flash(ctx, new Flash("The key was deleted; requests with it now fail."));
                ctx.redirect(back);
            }
        }));
        app.post("/apps/{app}/keys/{key}/reveal", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            reveal(ctx, caller, appKey(ctx, caller), "API key");
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        }));
        app.post("/account/pats/{key}/reveal", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            reveal(ctx, caller, pat(ctx, caller), "Personal access token");
            ctx.redirect("/account/security");
        }));
        app.get("/account/security", ctx -> signedIn(ctx, false).ifPresent(caller -> securityPage(ctx, caller, null)));
        app.get("/account/pats/new", ctx -> signedIn(ctx, false).ifPresent(caller ->
                patForm(ctx, caller, "", List.of(ScopeCatalog.ALL), null, null)));
        app.post("/account/pats", ctx -> signedIn(ctx, true).ifPresent(caller -> createPat(ctx, caller)));
        app.post("/account/pats/{key}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            Credential pat = pat(ctx, caller);
            if (confirmed(ctx, caller, "Delete token", "Delete personal access token " + pat.displayPrefix() + "… ("
                    + described(pat) + ")? Requests with it will fail at once.", "/account/security")) {
                keys.delete(caller.userId(), pat.publicId());
                flash(ctx, new Flash("The token was deleted."));
                ctx.redirect("/account/security");
            }
        }));
    }

    /**
     * The signed-in caller, or a redirect to sign-in; for state changes also a valid CSRF token,
     * or 403 with nothing done.
     */
    private Optional<Caller> signedIn(Context ctx, boolean changesState) {
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
        return caller;
    }

    private void signInPage(Context ctx, String error, String email, String next) {
        render(ctx, "portal/signin.jte", Map.of("page", Page.form("Sign in", error, sessions.formToken(ctx)),
                "email", email, "next", next, "signupEnabled", signupEnabled));
    }

    private void signUpPage(Context ctx, String error, String userId, String email) {
        render(ctx, "portal/signup.jte", Map.of("page", Page.form("Sign up", error, sessions.formToken(ctx)),
                "userId", userId, "email", email));
    }

    /** A sign-in or sign-up form from another origin, or without this browser's form token, changes nothing. */
    private boolean formFromHere(Context ctx) {
        if (sessions.sameOrigin(ctx) && sessions.formTokenValid(ctx)) return true;
        ctx.status(HttpStatus.FORBIDDEN);
        message(ctx, "Refused", "The form was stale or not from this site; nothing was done. Open the page again and retry.");
        return false;
    }

    private void signIn(Context ctx) {
        if (!formFromHere(ctx)) return;
        String email = nz(ctx.formParam("email"));
        String next = safeNext(ctx.formParam("next"));
        String address = RestFront.clientAddress(ctx, clients);
        Duration wait = throttle.retryAfter(email, address);
        if (!wait.isZero()) {
            ctx.status(HttpStatus.TOO_MANY_REQUESTS);
            ctx.header("Retry-After", Long.toString(SignInThrottle.seconds(wait)));
            signInPage(ctx, "Too many failed sign-ins from here; try again in " + SignInThrottle.seconds(wait) + " s.", email, next);
            return;
        }
        Optional<User> user = users.verify(email, ctx.formParam("password"));
        if (user.isEmpty()) {
            throttle.failed(email, address);
            ctx.status(HttpStatus.UNAUTHORIZED);
            signInPage(ctx, "Wrong email or password.", email, next);
            return;
        }
        throttle.succeeded(email, address);
        sessions.start(ctx, keys.createSession(user.get().id()).secret().reveal());
        ctx.redirect(next);
    }

    /**
     * Every refusal that could tell whether an id or email is taken reads the same, and refusals
     * are throttled per address like failed sign-ins, so sign-up is no faster a way to learn who
     * has an account. (Malformed input is still named: it says nothing about anyone.)
     */
    private void signUp(Context ctx) {
        if (!signupEnabled) {
            ctx.status(HttpStatus.NOT_FOUND);
            message(ctx, "No such page", "Sign-up is off.");
            return;
        }
        if (!formFromHere(ctx)) return;
        String userId = nz(ctx.formParam("user_id"));
        String email = nz(ctx.formParam("email"));
        String address = RestFront.clientAddress(ctx, clients);
        Duration wait = throttle.signUpRetryAfter(address);
        if (!wait.isZero()) {
            ctx.status(HttpStatus.TOO_MANY_REQUESTS);
            ctx.header("Retry-After", Long.toString(SignInThrottle.seconds(wait)));
            signUpPage(ctx, "Too many refused sign-ups from here; try again in " + SignInThrottle.seconds(wait) + " s.", userId, email);
            return;
        }
        try {
            User user = users.create(userId, email, ctx.formParam("password"));
            sessions.start(ctx, keys.createSession(user.id()).secret().reveal());
            ctx.redirect("/apps");
        } catch (ApiException e) {
            throttle.signUpRefused(address);
            ctx.status(HttpStatus.BAD_REQUEST);
            signUpPage(ctx, e.code() == StatusCode.DATABASE_DUPLICATE_KEY ? TAKEN : e.details(), userId, email);
        }
    }

    private void appsPage(Context ctx, Caller caller, String error) {
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/apps.jte", params("page", page(ctx, caller, "Apps", "apps", flash, error),
                "apps", apps.list(caller.userId(), caller.userId(), dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret()));
    }

    private void createApp(Context ctx, Caller caller) {
        try {
            String id = nz(ctx.formParam("app_id")).strip();
            AppService.Created created = apps.create(caller.userId(),
                    List.of(new AppService.AppDraft(id, id, nz(ctx.formParam("description")), App.PRIVATE, null))).get(0);
            flash(ctx, new Flash("App " + id + " created with an API key of scope All.",
                    newSecret("The app's API key", created.key().secret().reveal()), created.key().credential().publicId()));
            ctx.redirect("/apps/" + id);
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appsPage(ctx, caller, e.details());
        }
    }

    /** What the app holds and how to start calling it; Settings beside it. */
    private void overviewPage(Context ctx, Caller caller) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/app.jte", params("page", page(ctx, caller, app.name(), "apps", flash, null), "app", app,
                "contents", apps.contents(caller.userId(), app.id()), "created", flash.secret(),
                "baseUrl", (sessions.secure(ctx) ? "https://" : "http://") + ctx.host()));
    }

    private void settingsPage(Context ctx, Caller caller, String error) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/settings.jte", params("page", page(ctx, caller, app.name() + " settings", "apps", flash, error),
                "app", app, "keys", keys.listForApp(caller.userId(), app.id(), dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret(), "createdId", flash.createdId(), "recoverable", keys.recoverable()));
    }

    private void saveApp(Context ctx, Caller caller) {
        try {
            int visibility = "public".equals(ctx.formParam("visibility")) ? App.PUBLIC : App.PRIVATE;
            apps.patch(caller.userId(), "overwrite", List.of(new AppService.AppChange(ctx.pathParam("app"),
                    ctx.formParam("name"), nz(ctx.formParam("description")), visibility, null, null)));
            flash(ctx, new Flash("Saved."));
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            settingsPage(ctx, caller, e.details());
        }
    }

    private void deleteApp(Context ctx, Caller caller) {
        if (!"yes".equals(ctx.formParam("confirm"))) {
            ctx.status(HttpStatus.BAD_REQUEST);
            settingsPage(ctx, caller, "Tick the box to confirm the deletion.");
            return;
        }
        apps.delete(caller.userId(), ctx.pathParam("app"));
        flash(ctx, new Flash("App " + ctx.pathParam("app") + " deleted, with its keys and data."));
        ctx.redirect("/apps");
    }

    /**
     * The create or edit form; after a refusal, with what was typed and ticked kept and the
     * message beside the field at fault.
     */
    private void keyForm(Context ctx, Caller caller, Credential editing, String description, List<String> selected,
                         String descriptionError, String scopesError) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        boolean edit = editing != null;
        render(ctx, "portal/keyform.jte", params(
                "page", page(ctx, caller, edit ? "Edit API key" : "Create API key", "apps", NO_FLASH, null),
                "heading", (edit ? "Edit API key " + editing.displayPrefix() + "… of " : "Create API key for ") + app.name(),
                "action", "/apps/" + app.id() + "/keys" + (edit ? "/" + editing.publicId() : ""),
                "description", description, "descriptionError", descriptionError,
                "selected", selected, "scopesError", scopesError,
                "served", servedGroups, "others", otherGroups, "dependencies", dependencies,
                "cancel", "/apps/" + app.id() + "/settings"));
    }

    private void createKey(Context ctx, Caller caller) {
        String appId = ctx.pathParam("app");
        String description = nz(ctx.formParam("description"));
        List<String> chosen = ctx.formParams("scopes");
        if (chosen.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST);
            keyForm(ctx, caller, null, description, chosen, null, NO_SCOPES);
            return;
        }
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY,
                    description, chosen, List.of(), caller.userId(), appId, null))).get(0);
            flash(ctx, new Flash("API key created.", newSecret("New API key", issued.secret().reveal()),
                    issued.credential().publicId()));
            ctx.redirect("/apps/" + appId + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            boolean aboutDescription = e.details().startsWith("Descriptions");
            keyForm(ctx, caller, null, description, chosen, aboutDescription ? e.details() : null, aboutDescription ? null : e.details());
        }
    }

    private void editKey(Context ctx, Caller caller) {
        String appId = ctx.pathParam("app");
        Credential key = appKey(ctx, caller);
        String description = nz(ctx.formParam("description"));
        List<String> chosen = ctx.formParams("scopes");
        if (chosen.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST);
            keyForm(ctx, caller, key, description, chosen, null, NO_SCOPES + " Nothing was changed.");
            return;
        }
        try {
            // The form shows the whole description: an empty field clears it.
            keys.patch(caller, caller.userId(), "overwrite", List.of(new KeyService.KeyChange(key.publicId(),
                    description, chosen, List.of(), null)));
            flash(ctx, new Flash("API key saved; the change applies to its next request."));
            ctx.redirect("/apps/" + appId + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            boolean aboutDescription = e.details().startsWith("Descriptions");
            keyForm(ctx, caller, key, description, chosen, aboutDescription ? e.details() : null, aboutDescription ? null : e.details());
        }
    }

    /**
     * Whether a deletion was confirmed: by the script's dialog, or else (no script) on a page
     * that asks first, shown now.
     */
    private boolean confirmed(Context ctx, Caller caller, String title, String question, String cancel) {
        if ("yes".equals(ctx.formParam("confirm"))) return true;
        render(ctx, "portal/confirm.jte", Map.of("page", page(ctx, caller, title, null, NO_FLASH, null),
                "question", question, "action", ctx.path(), "cancel", cancel));
        return false;
    }

    private static String described(Credential key) {
        return key.description().isEmpty() ? "no description" : key.description();
    }

    private void securityPage(Context ctx, Caller caller, String error) {
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/security.jte", params("page", page(ctx, caller, "Security", "security", flash, error),
                "pats", keys.list(caller.userId(), Optional.of(CredentialKind.PAT), false, dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret(), "createdId", flash.createdId(), "recoverable", keys.recoverable()));
    }

    private void patForm(Context ctx, Caller caller, String description, List<String> selected, String descriptionError,
                         String scopesError) {
        render(ctx, "portal/keyform.jte", params(
                "page", page(ctx, caller, "Create personal access token", "security", NO_FLASH, null),
                "heading", "Create personal access token", "action", "/account/pats",
                "description", description, "descriptionError", descriptionError,
                "selected", selected, "scopesError", scopesError,
                "served", servedGroups, "others", otherGroups, "dependencies", dependencies,
                "cancel", "/account/security"));
    }

    private void createPat(Context ctx, Caller caller) {
        String description = nz(ctx.formParam("description"));
        List<String> chosen = ctx.formParams("scopes");
        if (chosen.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST);
            patForm(ctx, caller, description, chosen, null, NO_SCOPES);
            return;
        }
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.PAT,
                    description, chosen, List.of(), "", "", null))).get(0);
            flash(ctx, new Flash("Personal access token created.", newSecret("New personal access token", issued.secret().reveal()),
                    issued.credential().publicId()));
            ctx.redirect("/account/security");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            boolean aboutDescription = e.details().startsWith("Descriptions");
            patForm(ctx, caller, description, chosen, aboutDescription ? e.details() : null, aboutDescription ? null : e.details());
        }
    }

    /** An audited "copy": the secret again, for the next page (the audit line is the key service's). */
    private void reveal(Context ctx, Caller caller, Credential key, String what) {
        String address = RestFront.clientAddress(ctx, clients);
        String secret = keys.reveal(caller.userId(), key.publicId(), address).reveal();
        flash(ctx, new Flash(what + " shown again; the reveal is recorded.", new NewSecret(what, secret, NewSecret.KEPT),
                key.publicId()));
    }

    private NewSecret newSecret(String label, String value) {
        return new NewSecret(label, value, keys.recoverable() ? NewSecret.KEPT : NewSecret.SHOWN_ONCE);
    }

    /**
     * The key a {@code /apps/<app>/keys/<key>} route names, only if it is an app key of that app:
     * not a PAT of the same user, nor a key of another of their apps.
     */
    private Credential appKey(Context ctx, Caller caller) {
        Credential key = keys.get(caller.userId(), ctx.pathParam("key"));
        if (key.kind() != CredentialKind.APP_KEY || !ctx.pathParam("app").equals(key.appId())) {
            throw ApiException.notFound("Key not found.");
        }
        return key;
    }

    /** The token an {@code /account/pats/<key>} route names, only if it is a PAT. */
    private Credential pat(Context ctx, Caller caller) {
        Credential key = keys.get(caller.userId(), ctx.pathParam("key"));
        if (key.kind() != CredentialKind.PAT) throw ApiException.notFound("Token not found.");
        return key;
    }

    /** A page with a title and a line; with the navigation when someone is signed in. */
    private void message(Context ctx, String title, String line) {
        Optional<Caller> caller = sessions.caller(ctx);
        Page page = caller.isPresent() ? page(ctx, caller.get(), title, null, NO_FLASH, line) : Page.anonymous(title, line);
        render(ctx, "portal/message.jte", params("page", page));
    }

    /** Whether this request already got a portal page (a 404 of the portal's own, say). */
    private static boolean isPage(Context ctx) {
        return ctx.attribute(RENDERED) != null;
    }

    /** Where to go after signing in: a path of this site, never another origin. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return "/apps";
        }
        return next;
    }

    private static String pathWithQuery(Context ctx) {
        String query = ctx.queryString();
        return query == null ? ctx.path() : ctx.path() + "?" + query;
    }

    /** @param section the part of the navigation this page belongs to ("apps", "security"), or null */
    private Page page(Context ctx, Caller caller, String title, String section, Flash flash, String error) {
        return new Page(title, section, caller.userId(), BrowserSession.csrf(sessions.token(ctx)), flash.notice(), error);
    }

    private void flash(Context ctx, Flash flash) {
        flashes.put(Secrets.hash(sessions.token(ctx)), flash);
    }

    private Flash takeFlash(Context ctx) {
        Flash flash = flashes.asMap().remove(Secrets.hash(sessions.token(ctx)));
        return flash == null ? NO_FLASH : flash;
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
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

    private static void asset(Context ctx, String name, String type) {
        try (InputStream in = Portal.class.getResourceAsStream("/portal/" + name)) {
            ctx.contentType(type).result(in.readAllBytes());
            ctx.header("X-Content-Type-Options", "nosniff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Template parameters; unlike Map.of, values may be null (a page without a new secret). */
    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }
}
