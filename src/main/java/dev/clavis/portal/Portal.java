package dev.clavis.portal;

import dev.clavis.apps.AppService;
import dev.clavis.apps.App;
import dev.clavis.audit.Actor;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Credential;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.keys.CredentialUsage;
import dev.clavis.keys.KeyService;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.RestFront;
import dev.clavis.users.SignInThrottle;
import dev.clavis.users.UserService;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The portal's routes, in one readable place: what each does lives in {@link AccountPages} and
 * {@link AppPages}, what they share in {@link Pages}. Every state-changing request is a POST from
 * this origin with the session's form token (before sign-in, the browser's).
 */
public final class Portal {
    private final Pages pages;
    private final AccountPages account;
    private final AppPages apps;
    private final KeyService keys;
    private final ClientAddresses clients;
    private final AppService appService;
    private final CredentialUsage usage;
    private final Clock clock;

    /** @param served the scopes the server's implemented methods need (see ScopeCatalog.neededBy) */
    public Portal(UserService users, AppService apps, KeyService keys, ScopeCatalog scopes, Set<String> served,
                  Authenticator authenticator, SignInThrottle throttle, Duration sessionLifetime, boolean signupEnabled,
                  ClientAddresses clients, Clock clock, AuditTrail audit, CredentialUsage usage) {
        this.usage = usage;
        this.clock = clock;
        this.keys = keys;
        this.clients = clients;
        this.pages = new Pages(new BrowserSession(authenticator, sessionLifetime, clients), keys, clients);
        ScopeChooser chooser = ScopeChooser.of(scopes, served);
        this.account = new AccountPages(pages, users, keys, chooser, throttle, clients, signupEnabled, clock, audit);
        this.appService = apps;
        this.apps = new AppPages(pages, apps, keys, chooser, clock);
    }

    public void install(RoutesConfig app) {
        // Whatever a portal request changes is recorded as done in the portal, from the client's address.
        app.before(ctx -> Actor.set(new Actor("portal", null, null, null, RestFront.clientAddress(ctx, clients))));
        app.after(ctx -> Actor.clear());
        app.exception(ApiException.class, (e, ctx) -> {
            ctx.status(e.httpStatus());
            pages.message(ctx, "That did not work", e.details());
        });
        // Unknown pages get a page (the API's unknown paths keep their JSON answer: see RestFront).
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/v2/") || Pages.isPage(ctx)) return;
            pages.message(ctx, "No such page", "There is nothing at " + ctx.path() + ".");
        });
        app.get("/favicon.ico", ctx -> Pages.asset(ctx, "favicon.svg", "image/svg+xml"));
        app.get("/portal/portal.css", ctx -> Pages.asset(ctx, "portal.css", "text/css; charset=utf-8"));
        app.get("/portal/portal.js", ctx -> Pages.asset(ctx, "portal.js", "text/javascript; charset=utf-8"));
        app.get("/", ctx -> ctx.redirect(pages.sessions.caller(ctx).isPresent() ? "/apps" : "/signin"));

        app.get("/signin", ctx -> account.signInPage(ctx, null, "", AccountPages.safeNext(ctx.queryParam("next"))));
        app.post("/signin", account::signIn);
        app.get("/signup", ctx -> {
            if (!account.signupEnabled()) throw ApiException.notFound("Sign-up is off.");
            account.signUpPage(ctx, null, "", "");
        });
        app.post("/signup", account::signUp);
        app.get("/signout", ctx -> pages.signedIn(ctx, false).ifPresent(caller ->
                pages.render(ctx, "portal/signout.jte", Map.of("page", pages.page(ctx, caller, "Sign out", null, Pages.NO_FLASH, null)))));
        app.post("/signout", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            keys.endSession(pages.sessions.token(ctx));
            pages.sessions.end(ctx);
            ctx.redirect("/signin");
        }));

        app.get("/apps", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> apps.appsPage(ctx, caller, null)));
        app.post("/apps", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> apps.createApp(ctx, caller)));
        app.get("/apps/{app}", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> apps.overviewPage(ctx, caller)));
        app.get("/apps/{app}/settings", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> apps.settingsPage(ctx, caller, null)));
        app.post("/apps/{app}/settings", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> apps.saveApp(ctx, caller)));
        app.post("/apps/{app}/delete", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> apps.deleteApp(ctx, caller)));
        app.get("/apps/{app}/keys/new", ctx -> pages.signedIn(ctx, false).ifPresent(caller ->
                apps.keyForm(ctx, caller, null, ScopeChooser.Draft.of("", List.of(), "", ""))));
        app.post("/apps/{app}/keys", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> apps.createKey(ctx, caller)));
        app.get("/apps/{app}/keys/{key}/edit", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> {
            Credential key = apps.appKey(ctx, caller);
            apps.keyForm(ctx, caller, key, ScopeChooser.Draft.of(key.description(), key.scopes(),
                    String.join(", ", key.allowedNetworks().stream().map(Object::toString).toList()),
                    key.rateLimit() == null ? "" : key.rateLimit().toString()));
        }));
        app.post("/apps/{app}/keys/{key}", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> apps.editKey(ctx, caller)));
        app.post("/apps/{app}/keys/{key}/delete", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            Credential key = apps.appKey(ctx, caller);
            String back = "/apps/" + ctx.pathParam("app") + "/settings";
            if (pages.confirmed(ctx, caller, "Delete API key", "Delete API key " + key.displayPrefix() + "… ("
                    + Pages.described(key) + ")? Requests with it will fail at once.", back)) {
                keys.delete(caller.userId(), key.publicId());
                pages.flash(ctx, new Pages.Flash("The key was deleted; requests with it now fail."));
                ctx.redirect(back);
            }
        }));
        app.get("/apps/{app}/keys/{key}/usage", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> pages.usagePage(ctx, caller,
                apps.appKey(ctx, caller), "key", "/apps/" + ctx.pathParam("app") + "/settings", usage, clock)));
        app.get("/apps/{app}/keys/{key}/roll", ctx -> pages.signedIn(ctx, false).ifPresent(caller ->
                pages.rollForm(ctx, caller, apps.appKey(ctx, caller), "key", "/apps/" + ctx.pathParam("app") + "/settings")));
        app.post("/apps/{app}/keys/{key}/roll", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            pages.roll(ctx, caller, apps.appKey(ctx, caller), "API key");
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        }));
        app.post("/apps/{app}/keys/{key}/reveal", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            pages.reveal(ctx, caller, apps.appKey(ctx, caller), "API key");
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        }));

        app.get("/account/activity", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> account.activityPage(ctx, caller,
                appService.list(caller.userId(), caller.userId(), dev.clavis.protocol.Page.of(1, 1000)).stream().map(App::id).toList())));
        app.get("/account/security", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> account.securityPage(ctx, caller, null)));
        app.get("/account/pats/new", ctx -> pages.signedIn(ctx, false).ifPresent(caller ->
                account.patForm(ctx, caller, ScopeChooser.Draft.of("", List.of(ScopeCatalog.ALL), "", ""))));
        app.post("/account/pats", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> account.createPat(ctx, caller)));
        app.get("/account/pats/{key}/usage", ctx -> pages.signedIn(ctx, false).ifPresent(caller -> pages.usagePage(ctx, caller,
                account.pat(ctx, caller), "token", "/account/security", usage, clock)));
        app.get("/account/pats/{key}/roll", ctx -> pages.signedIn(ctx, false).ifPresent(caller ->
                pages.rollForm(ctx, caller, account.pat(ctx, caller), "token", "/account/security")));
        app.post("/account/pats/{key}/roll", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            pages.roll(ctx, caller, account.pat(ctx, caller), "Personal access token");
            ctx.redirect("/account/security");
        }));
        app.post("/account/pats/{key}/reveal", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            pages.reveal(ctx, caller, account.pat(ctx, caller), "Personal access token");
            ctx.redirect("/account/security");
        }));
        app.post("/account/pats/{key}/delete", ctx -> pages.signedIn(ctx, true).ifPresent(caller -> {
            Credential pat = account.pat(ctx, caller);
            if (pages.confirmed(ctx, caller, "Delete token", "Delete personal access token " + pat.displayPrefix() + "… ("
                    + Pages.described(pat) + ")? Requests with it will fail at once.", "/account/security")) {
                keys.delete(caller.userId(), pat.publicId());
                pages.flash(ctx, new Pages.Flash("The token was deleted."));
                ctx.redirect("/account/security");
            }
        }));
    }
}
