package dev.clavis.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final ClientAddresses clients;

    private record Flash(String notice, NewSecret secret) {}

    public Portal(UserService users, AppService apps, KeyService keys, ScopeCatalog scopes, Authenticator authenticator,
                  SignInThrottle throttle, Duration sessionLifetime, boolean signupEnabled, ClientAddresses clients) {
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
    }

    public void install(RoutesConfig app) {
        app.exception(ApiException.class, (e, ctx) -> {
            ctx.status(e.httpStatus());
            render(ctx, "portal/message.jte", params("page", Page.anonymous("That did not work", e.details())));
        });
        app.get("/portal/portal.css", ctx -> asset(ctx, "portal.css", "text/css; charset=utf-8"));
        app.get("/portal/portal.js", ctx -> asset(ctx, "portal.js", "text/javascript; charset=utf-8"));
        app.get("/", ctx -> ctx.redirect(sessions.caller(ctx).isPresent() ? "/apps" : "/signin"));
        app.get("/signin", ctx -> render(ctx, "portal/signin.jte", Map.of("page", Page.anonymous("Sign in", null), "email", "",
                "signupEnabled", signupEnabled)));
        app.post("/signin", this::signIn);
        app.get("/signup", ctx -> {
            if (!signupEnabled) throw ApiException.notFound("Sign-up is off.");
            render(ctx, "portal/signup.jte", Map.of("page", Page.anonymous("Sign up", null), "userId", "", "email", ""));
        });
        app.post("/signup", this::signUp);
        app.post("/signout", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            keys.endSession(sessions.token(ctx));
            sessions.end(ctx);
            ctx.redirect("/signin");
        }));
        app.get("/apps", ctx -> signedIn(ctx, false).ifPresent(caller -> appsPage(ctx, caller, null)));
        app.post("/apps", ctx -> signedIn(ctx, true).ifPresent(caller -> createApp(ctx, caller)));
        app.get("/apps/{app}/settings", ctx -> signedIn(ctx, false).ifPresent(caller -> appPage(ctx, caller, null)));
        app.post("/apps/{app}/settings", ctx -> signedIn(ctx, true).ifPresent(caller -> saveApp(ctx, caller)));
        app.post("/apps/{app}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> deleteApp(ctx, caller)));
        app.get("/apps/{app}/keys/new", ctx -> signedIn(ctx, false).ifPresent(caller -> keyForm(ctx, caller, null)));
        app.post("/apps/{app}/keys", ctx -> signedIn(ctx, true).ifPresent(caller -> createKey(ctx, caller)));
        app.get("/apps/{app}/keys/{key}/edit", ctx -> signedIn(ctx, false).ifPresent(caller ->
                keyForm(ctx, caller, keys.get(caller.userId(), ctx.pathParam("key")))));
        app.post("/apps/{app}/keys/{key}", ctx -> signedIn(ctx, true).ifPresent(caller -> editKey(ctx, caller)));
        app.post("/apps/{app}/keys/{key}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            keys.delete(caller.userId(), ctx.pathParam("key"));
            flash(ctx, new Flash("The key was deleted; requests with it now fail.", null));
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        }));
        app.post("/apps/{app}/keys/{key}/reveal", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            reveal(ctx, caller, "API key");
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        }));
        app.post("/account/pats/{key}/reveal", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            reveal(ctx, caller, "Personal access token");
            ctx.redirect("/account/security");
        }));
        app.get("/account/security", ctx -> signedIn(ctx, false).ifPresent(caller -> securityPage(ctx, caller, null)));
        app.get("/account/pats/new", ctx -> signedIn(ctx, false).ifPresent(caller -> patForm(ctx, caller)));
        app.post("/account/pats", ctx -> signedIn(ctx, true).ifPresent(caller -> createPat(ctx, caller)));
        app.post("/account/pats/{key}/delete", ctx -> signedIn(ctx, true).ifPresent(caller -> {
            keys.delete(caller.userId(), ctx.pathParam("key"));
            flash(ctx, new Flash("The token was deleted.", null));
            ctx.redirect("/account/security");
        }));
    }

    /**
     * The signed-in caller, or a redirect to sign-in; for state changes also a valid CSRF token,
     * or 403 with nothing done.
     */
    private Optional<Caller> signedIn(Context ctx, boolean changesState) {
        Optional<Caller> caller = sessions.caller(ctx);
        if (caller.isEmpty()) {
            ctx.redirect("/signin");
            return Optional.empty();
        }
        if (changesState && !sessions.csrfValid(ctx)) {
            ctx.status(HttpStatus.FORBIDDEN);
            render(ctx, "portal/message.jte", params("page", Page.anonymous("Refused",
                    "The form was stale or not from this site (missing CSRF token); nothing was changed.")));
            return Optional.empty();
        }
        return caller;
    }

    private void signIn(Context ctx) {
        String email = ctx.formParam("email");
        String address = RestFront.clientAddress(ctx, clients);
        if (!throttle.allowed(email, address)) {
            ctx.status(HttpStatus.TOO_MANY_REQUESTS);
            render(ctx, "portal/signin.jte", Map.of("page", Page.anonymous("Sign in",
                    "Too many sign-in attempts; wait a few minutes and try again."), "email", nz(email), "signupEnabled", signupEnabled));
            return;
        }
        Optional<User> user = users.verify(email, ctx.formParam("password"));
        if (user.isEmpty()) {
            throttle.failed(email, address);
            ctx.status(HttpStatus.UNAUTHORIZED);
            render(ctx, "portal/signin.jte", Map.of("page", Page.anonymous("Sign in", "Wrong email or password."),
                    "email", nz(email), "signupEnabled", signupEnabled));
            return;
        }
        sessions.start(ctx, keys.createSession(user.get().id()).secret().reveal());
        ctx.redirect("/apps");
    }

    private void signUp(Context ctx) {
        if (!signupEnabled) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        String userId = nz(ctx.formParam("user_id"));
        String email = nz(ctx.formParam("email"));
        try {
            User user = users.create(userId, email, ctx.formParam("password"));
            sessions.start(ctx, keys.createSession(user.id()).secret().reveal());
            ctx.redirect("/apps");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            render(ctx, "portal/signup.jte", Map.of("page", Page.anonymous("Sign up", e.details()), "userId", userId, "email", email));
        }
    }

    private void appsPage(Context ctx, Caller caller, String error) {
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/apps.jte", params("page", page(ctx, caller, "Apps", flash, error),
                "apps", apps.list(caller.userId(), caller.userId(), dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret()));
    }

    private void createApp(Context ctx, Caller caller) {
        try {
            String id = nz(ctx.formParam("app_id")).strip();
            AppService.Created created = apps.create(caller.userId(),
                    List.of(new AppService.AppDraft(id, id, nz(ctx.formParam("description")), App.PRIVATE, null))).get(0);
            flash(ctx, new Flash("App " + id + " created with an API key of scope All.",
                    newSecret("The app's API key", created.key().secret().reveal())));
            ctx.redirect("/apps/" + id + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appsPage(ctx, caller, e.details());
        }
    }

    private void appPage(Context ctx, Caller caller, String error) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/app.jte", params("page", page(ctx, caller, app.name(), flash, error), "app", app,
                "keys", keys.listForApp(caller.userId(), app.id(), dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret(), "recoverable", keys.recoverable()));
    }

    private void saveApp(Context ctx, Caller caller) {
        try {
            int visibility = "public".equals(ctx.formParam("visibility")) ? App.PUBLIC : App.PRIVATE;
            apps.patch(caller.userId(), "overwrite", List.of(new AppService.AppChange(ctx.pathParam("app"),
                    ctx.formParam("name"), nz(ctx.formParam("description")), visibility, null, null)));
            flash(ctx, new Flash("Saved.", null));
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appPage(ctx, caller, e.details());
        }
    }

    private void deleteApp(Context ctx, Caller caller) {
        if (!"yes".equals(ctx.formParam("confirm"))) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appPage(ctx, caller, "Tick the box to confirm the deletion.");
            return;
        }
        apps.delete(caller.userId(), ctx.pathParam("app"));
        flash(ctx, new Flash("App " + ctx.pathParam("app") + " deleted, with its keys and data.", null));
        ctx.redirect("/apps");
    }

    private void keyForm(Context ctx, Caller caller, Credential editing) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        boolean edit = editing != null;
        render(ctx, "portal/keyform.jte", Map.of(
                "page", page(ctx, caller, edit ? "Edit API key" : "Create API key", new Flash(null, null), null),
                "heading", (edit ? "Edit API key of " : "Create API key for ") + app.name(),
                "action", "/apps/" + app.id() + "/keys" + (edit ? "/" + editing.publicId() : ""),
                "description", edit ? editing.description() : "",
                "selected", edit ? editing.scopes() : List.of(),
                "groups", scopes.byResource(),
                "dependencies", dependencies,
                "cancel", "/apps/" + app.id() + "/settings"));
    }

    private void createKey(Context ctx, Caller caller) {
        String appId = ctx.pathParam("app");
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY,
                    nz(ctx.formParam("description")), ctx.formParams("scopes"), List.of(), caller.userId(), appId, null))).get(0);
            flash(ctx, new Flash("API key created.", newSecret("New API key", issued.secret().reveal())));
            ctx.redirect("/apps/" + appId + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appPage(ctx, caller, e.details());
        }
    }

    private void editKey(Context ctx, Caller caller) {
        String appId = ctx.pathParam("app");
        if (ctx.formParams("scopes").isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appPage(ctx, caller, "Choose at least one scope; nothing was changed.");
            return;
        }
        try {
            keys.patch(caller, caller.userId(), "overwrite", List.of(new KeyService.KeyChange(ctx.pathParam("key"),
                    nz(ctx.formParam("description")), ctx.formParams("scopes"), List.of(), null)));
            flash(ctx, new Flash("API key saved; the change applies to its next request.", null));
            ctx.redirect("/apps/" + appId + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appPage(ctx, caller, e.details());
        }
    }

    private void securityPage(Context ctx, Caller caller, String error) {
        Flash flash = takeFlash(ctx);
        render(ctx, "portal/security.jte", params("page", page(ctx, caller, "Security", flash, error),
                "pats", keys.list(caller.userId(), Optional.of(CredentialKind.PAT), false, dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret(), "recoverable", keys.recoverable()));
    }

    private void patForm(Context ctx, Caller caller) {
        render(ctx, "portal/keyform.jte", Map.of(
                "page", page(ctx, caller, "Create personal access token", new Flash(null, null), null),
                "heading", "Create personal access token", "action", "/account/pats", "description", "",
                "selected", List.of(ScopeCatalog.ALL), "groups", scopes.byResource(), "dependencies", dependencies,
                "cancel", "/account/security"));
    }

    private void createPat(Context ctx, Caller caller) {
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.PAT,
                    nz(ctx.formParam("description")), ctx.formParams("scopes"), List.of(), "", "", null))).get(0);
            flash(ctx, new Flash("Personal access token created.", newSecret("New personal access token", issued.secret().reveal())));
            ctx.redirect("/account/security");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            securityPage(ctx, caller, e.details());
        }
    }

    /** An audited "copy": the secret again, for the next page (the audit line is the key service's). */
    private void reveal(Context ctx, Caller caller, String what) {
        String publicId = ctx.pathParam("key");
        String address = RestFront.clientAddress(ctx, clients);
        String secret = keys.reveal(caller.userId(), publicId, address).reveal();
        flash(ctx, new Flash(what + " shown again; the reveal is recorded.", new NewSecret(what, secret, NewSecret.KEPT)));
    }

    private NewSecret newSecret(String label, String value) {
        return new NewSecret(label, value, keys.recoverable() ? NewSecret.KEPT : NewSecret.SHOWN_ONCE);
    }

    private Page page(Context ctx, Caller caller, String title, Flash flash, String error) {
        return new Page(title, caller.userId(), BrowserSession.csrf(sessions.token(ctx)), flash.notice(), error);
    }

    private void flash(Context ctx, Flash flash) {
        flashes.put(Secrets.hash(sessions.token(ctx)), flash);
    }

    private Flash takeFlash(Context ctx) {
        Flash flash = flashes.asMap().remove(Secrets.hash(sessions.token(ctx)));
        return flash == null ? new Flash(null, null) : flash;
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    }

    private static void asset(Context ctx, String name, String type) {
        try (InputStream in = Portal.class.getResourceAsStream("/portal/" + name)) {
            ctx.contentType(type).result(in.readAllBytes());
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
