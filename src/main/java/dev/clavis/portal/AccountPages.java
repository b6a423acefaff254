package dev.clavis.portal;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.audit.AuditEntry;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.Caller;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.keys.KeyService;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.RestFront;
import dev.clavis.users.SignInThrottle;
import dev.clavis.users.User;
import dev.clavis.users.UserService;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Signing in, up and out, and the account's personal access tokens. */
final class AccountPages {
    /** The one answer to a sign-up whose id or email is taken, whichever it is. */
    private static final int ACTIVITY_PAGE = 50;
    /** The events the activity filter offers (the README lists them all). */
    private static final List<String> OPERATIONS = List.of("USER_LOGIN", "USER_LOGIN_FAILED", "USER_PASSWORD_CHANGE", "APP_CREATE",
            "APP_UPDATE", "APP_DELETE", "API_KEY_CREATE", "API_KEY_UPDATE", "API_KEY_DELETE", "API_KEY_REVEAL", "API_KEY_ROLL",
            "API_KEY_REVOKE", "API_KEY_EXPIRED_USE", "PAT_CREATE", "PAT_DELETE", "PAT_REVEAL", "PAT_ROLL", "PAT_REVOKE",
            "PAT_EXPIRED_USE", "SESSION_DELETE");
    static final String TAKEN = "That user id or email cannot be used. If you already have an account, sign in.";

    private final Pages pages;
    private final BrowserSession sessions;
    private final UserService users;
    private final KeyService keys;
    private final ScopeChooser chooser;
    private final SignInThrottle throttle;
    private final ClientAddresses clients;
    private final boolean signupEnabled;
    private final Clock clock;
    private final AuditTrail audit;

    AccountPages(Pages pages, UserService users, KeyService keys, ScopeChooser chooser, SignInThrottle throttle,
                 ClientAddresses clients, boolean signupEnabled, Clock clock, AuditTrail audit) {
        this.clock = clock;
        this.audit = audit;
        this.pages = pages;
        this.sessions = pages.sessions;
        this.users = users;
        this.keys = keys;
        this.chooser = chooser;
        this.throttle = throttle;
        this.clients = clients;
        this.signupEnabled = signupEnabled;
    }

    boolean signupEnabled() {
        return signupEnabled;
    }

    void signInPage(Context ctx, String error, String email, String next) {
        pages.render(ctx, "portal/signin.jte", Map.of("page", Page.form("Sign in", error, sessions.formToken(ctx)),
                "email", email, "next", next, "signupEnabled", signupEnabled));
    }

    void signUpPage(Context ctx, String error, String userId, String email) {
        pages.render(ctx, "portal/signup.jte", Map.of("page", Page.form("Sign up", error, sessions.formToken(ctx)),
                "userId", userId, "email", email));
    }

    /** A sign-in or sign-up form from another origin, or without this browser's form token, changes nothing. */
    private boolean formFromHere(Context ctx) {
        if (sessions.sameOrigin(ctx) && sessions.formTokenValid(ctx)) return true;
        ctx.status(HttpStatus.FORBIDDEN);
        pages.message(ctx, "Refused", "The form was stale or not from this site; nothing was done. Open the page again and retry.");
        return false;
    }

    void signIn(Context ctx) {
        if (!formFromHere(ctx)) return;
        String email = Pages.nz(ctx.formParam("email"));
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
    void signUp(Context ctx) {
        if (!signupEnabled) {
            ctx.status(HttpStatus.NOT_FOUND);
            pages.message(ctx, "No such page", "Sign-up is off.");
            return;
        }
        if (!formFromHere(ctx)) return;
        String userId = Pages.nz(ctx.formParam("user_id"));
        String email = Pages.nz(ctx.formParam("email"));
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

    void securityPage(Context ctx, Caller caller, String error) {
        Pages.Flash flash = pages.takeFlash(ctx);
        List<Credential> pats = keys.list(caller.userId(), Optional.of(CredentialKind.PAT), false, dev.clavis.protocol.Page.of(1, 1000));
        pages.render(ctx, "portal/security.jte", pages.params("page", pages.page(ctx, caller, "Security", "security", flash, error),
                "pats", pats, "created", flash.secret(), "createdId", flash.createdId(), "recoverable", keys.recoverable(),
                "now", clock.instant(), "expiringSoon", Pages.expiringSoon(pats, clock.instant())));
    }

    void patForm(Context ctx, Caller caller, ScopeChooser.Draft draft) {
        if (draft.refused()) ctx.status(HttpStatus.BAD_REQUEST);
        pages.render(ctx, "portal/keyform.jte", chooser.form(
                pages.page(ctx, caller, "Create personal access token", "security", Pages.NO_FLASH, null),
                "Create personal access token", "/account/pats", draft, true, "/account/security"));
    }

    void createPat(Context ctx, Caller caller) {
        ScopeChooser.Draft draft = ScopeChooser.Draft.posted(ctx).check(clock.instant());
        if (draft.refused()) {
            patForm(ctx, caller, draft);
            return;
        }
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.PAT,
                    draft.description(), draft.scopes(), List.of(), "", "", draft.expiresAt(clock.instant())))).get(0);
            if (!draft.networkList().isEmpty()) keys.allowNetworks(caller.userId(), issued.credential().publicId(), draft.networkList());
            if (draft.rateLimit() != null) keys.limitRate(caller.userId(), issued.credential().publicId(), draft.rateLimit());
            pages.flash(ctx, new Pages.Flash("Personal access token created.",
                    pages.newSecret("New personal access token", issued.secret().reveal()), issued.credential().publicId()));
            ctx.redirect("/account/security");
        } catch (ApiException e) {
            patForm(ctx, caller, draft.refusedWith(e));
        }
    }

    /** The account's audit log, newest first, filtered by app, event and outcome, a page at a time. */
    void activityPage(Context ctx, Caller caller, List<String> appIds) {
        String app = Pages.nz(ctx.queryParam("app"));
        String operation = Pages.nz(ctx.queryParam("operation"));
        String outcome = Pages.nz(ctx.queryParam("outcome"));
        int page;
        try {
            page = Math.max(1, Integer.parseInt(Pages.nz(ctx.queryParam("page")).isEmpty() ? "1" : ctx.queryParam("page")));
        } catch (NumberFormatException e) {
            page = 1;
        }
        // One more than a page, to know whether there is a next one.
        List<AuditEntry> found = audit.search(caller.userId(), new AuditTrail.Query(null, null,
                operation.isEmpty() ? List.of() : List.of(operation), outcome.isEmpty() ? null : outcome.equals("ok"), List.of(),
                null, app.isEmpty() ? null : app, false, 1, page * ACTIVITY_PAGE + 1));
        List<AuditEntry> shown = found.subList(Math.min(found.size(), (page - 1) * ACTIVITY_PAGE), Math.min(found.size(), page * ACTIVITY_PAGE));
        StringBuilder query = new StringBuilder();
        if (!app.isEmpty()) query.append("app=").append(URLEncoder.encode(app, StandardCharsets.UTF_8)).append('&');
        if (!operation.isEmpty()) query.append("operation=").append(URLEncoder.encode(operation, StandardCharsets.UTF_8)).append('&');
        if (!outcome.isEmpty()) query.append("outcome=").append(URLEncoder.encode(outcome, StandardCharsets.UTF_8)).append('&');
        pages.render(ctx, "portal/activity.jte", pages.params("page", pages.page(ctx, caller, "Activity", "activity", Pages.NO_FLASH, null),
                "entries", shown, "appIds", appIds, "operations", OPERATIONS, "app", app, "operation", operation, "outcome", outcome,
                "pageNumber", page, "more", found.size() > page * ACTIVITY_PAGE, "query", query.toString()));
    }

    /** The token an {@code /account/pats/<key>} route names, only if it is a PAT. */
    Credential pat(Context ctx, Caller caller) {
        Credential key = keys.get(caller.userId(), ctx.pathParam("key"));
        if (key.kind() != CredentialKind.PAT) throw ApiException.notFound("Token not found.");
        return key;
    }

    /** Where to go after signing in: a path of this site, never another origin. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return "/apps";
        }
        return next;
    }
}
