package dev.clavis.portal;

import dev.clavis.apps.App;
import dev.clavis.apps.AppService;
import dev.clavis.auth.Caller;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.keys.KeyService;
import dev.clavis.protocol.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.List;

/** The apps: the list, each app's overview and settings, and its API keys. */
final class AppPages {
    private final Pages pages;
    private final AppService apps;
    private final KeyService keys;
    private final ScopeChooser chooser;
    private final Clock clock;

    AppPages(Pages pages, AppService apps, KeyService keys, ScopeChooser chooser, Clock clock) {
        this.clock = clock;
        this.pages = pages;
        this.apps = apps;
        this.keys = keys;
        this.chooser = chooser;
    }

    void appsPage(Context ctx, Caller caller, String error) {
        Pages.Flash flash = pages.takeFlash(ctx);
        pages.render(ctx, "portal/apps.jte", pages.params("page", pages.page(ctx, caller, "Apps", "apps", flash, error),
                "apps", apps.list(caller.userId(), caller.userId(), dev.clavis.protocol.Page.of(1, 1000)),
                "created", flash.secret()));
    }

    void createApp(Context ctx, Caller caller) {
        try {
            String id = Pages.nz(ctx.formParam("app_id")).strip();
            AppService.Created created = apps.create(caller.userId(),
                    List.of(new AppService.AppDraft(id, id, Pages.nz(ctx.formParam("description")), App.PRIVATE, null))).get(0);
            pages.flash(ctx, new Pages.Flash("App " + id + " created with an API key of scope All.",
                    pages.newSecret("The app's API key", created.key().secret().reveal()), created.key().credential().publicId()));
            ctx.redirect("/apps/" + id);
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            appsPage(ctx, caller, e.details());
        }
    }

    /** What the app holds and how to start calling it; Settings beside it. */
    void overviewPage(Context ctx, Caller caller) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        Pages.Flash flash = pages.takeFlash(ctx);
        pages.render(ctx, "portal/app.jte", pages.params("page", pages.page(ctx, caller, app.name(), "apps", flash, null), "app", app,
                "contents", apps.contents(caller.userId(), app.id()), "created", flash.secret(),
                "baseUrl", (pages.sessions.secure(ctx) ? "https://" : "http://") + ctx.host()));
    }

    void settingsPage(Context ctx, Caller caller, String error) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        Pages.Flash flash = pages.takeFlash(ctx);
        List<Credential> list = keys.listForApp(caller.userId(), app.id(), dev.clavis.protocol.Page.of(1, 1000));
        pages.render(ctx, "portal/settings.jte", pages.params("page", pages.page(ctx, caller, app.name() + " settings", "apps", flash, error),
                "app", app, "keys", list, "created", flash.secret(), "createdId", flash.createdId(),
                "recoverable", keys.recoverable(), "now", clock.instant(), "expiringSoon", Pages.expiringSoon(list, clock.instant())));
    }

    void saveApp(Context ctx, Caller caller) {
        try {
            int visibility = "public".equals(ctx.formParam("visibility")) ? App.PUBLIC : App.PRIVATE;
            apps.patch(caller.userId(), "overwrite", List.of(new AppService.AppChange(ctx.pathParam("app"),
                    ctx.formParam("name"), Pages.nz(ctx.formParam("description")), visibility, null, null)));
            pages.flash(ctx, new Pages.Flash("Saved."));
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        } catch (ApiException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            settingsPage(ctx, caller, e.details());
        }
    }

    void deleteApp(Context ctx, Caller caller) {
        if (!"yes".equals(ctx.formParam("confirm"))) {
            ctx.status(HttpStatus.BAD_REQUEST);
            settingsPage(ctx, caller, "Tick the box to confirm the deletion.");
            return;
        }
        apps.delete(caller.userId(), ctx.pathParam("app"));
        pages.flash(ctx, new Pages.Flash("App " + ctx.pathParam("app") + " deleted, with its keys and data."));
        ctx.redirect("/apps");
    }

    /**
     * The create or edit form; after a refusal, with what was typed and ticked kept and the
     * message beside the field at fault.
     */
    /** The create form, or with {@code editing} the edit form, holding {@code draft}. */
    void keyForm(Context ctx, Caller caller, Credential editing, ScopeChooser.Draft draft) {
        App app = apps.get(caller.userId(), ctx.pathParam("app"));
        boolean edit = editing != null;
        if (draft.refused()) ctx.status(HttpStatus.BAD_REQUEST);
        pages.render(ctx, "portal/keyform.jte", chooser.form(
                pages.page(ctx, caller, edit ? "Edit API key" : "Create API key", "apps", Pages.NO_FLASH, null),
                (edit ? "Edit API key " + editing.displayPrefix() + "… of " : "Create API key for ") + app.name(),
                "/apps/" + app.id() + "/keys" + (edit ? "/" + editing.publicId() : ""), draft, !edit, "/apps/" + app.id() + "/settings"));
    }

    void createKey(Context ctx, Caller caller) {
        String appId = ctx.pathParam("app");
        ScopeChooser.Draft draft = ScopeChooser.Draft.posted(ctx).check(clock.instant());
        if (draft.refused()) {
            keyForm(ctx, caller, null, draft);
            return;
        }
        try {
            KeyService.Issued issued = keys.create(caller, caller.userId(), List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY,
                    draft.description(), draft.scopes(), List.of(), caller.userId(), appId,
                    draft.expiresAt(clock.instant())))).get(0);
            if (!draft.networkList().isEmpty()) keys.allowNetworks(caller.userId(), issued.credential().publicId(), draft.networkList());
            if (draft.rateLimit() != null) keys.limitRate(caller.userId(), issued.credential().publicId(), draft.rateLimit());
            pages.flash(ctx, new Pages.Flash("API key created.", pages.newSecret("New API key", issued.secret().reveal()),
                    issued.credential().publicId()));
            ctx.redirect("/apps/" + appId + "/settings");
        } catch (ApiException e) {
            keyForm(ctx, caller, null, draft.refusedWith(e));
        }
    }

    void editKey(Context ctx, Caller caller) {
        Credential key = appKey(ctx, caller);
        ScopeChooser.Draft draft = ScopeChooser.Draft.posted(ctx).check(clock.instant());
        if (draft.refused()) {
            keyForm(ctx, caller, key, draft);
            return;
        }
        try {
            // The form shows the whole description: an empty field clears it.
            keys.patch(caller, caller.userId(), "overwrite", List.of(new KeyService.KeyChange(key.publicId(),
                    draft.description(), draft.scopes(), List.of(), null)));
            keys.allowNetworks(caller.userId(), key.publicId(), draft.networkList());
            keys.limitRate(caller.userId(), key.publicId(), draft.rateLimit());
            pages.flash(ctx, new Pages.Flash("API key saved; the change applies to its next request."));
            ctx.redirect("/apps/" + ctx.pathParam("app") + "/settings");
        } catch (ApiException e) {
            keyForm(ctx, caller, key, draft.refusedWith(e));
        }
    }

    /**
     * The key a {@code /apps/<app>/keys/<key>} route names, only if it is an app key of that app:
     * not a PAT of the same user, nor a key of another of their apps.
     */
    Credential appKey(Context ctx, Caller caller) {
        Credential key = keys.get(caller.userId(), ctx.pathParam("key"));
        if (key.kind() != CredentialKind.APP_KEY || !ctx.pathParam("app").equals(key.appId())) {
            throw ApiException.notFound("Key not found.");
        }
        return key;
    }
}
