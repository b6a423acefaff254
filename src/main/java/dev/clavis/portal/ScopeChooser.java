package dev.clavis.portal;

import com.google.gson.Gson;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.protocol.ApiException;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The form that creates or edits a key or token: the scope groups of what this server serves,
 * shown first, the others folded, and each scope's dependencies for the page's script.
 *
 * @param dependencies scope name to the scopes it needs, as JSON
 */
record ScopeChooser(Map<String, List<String>> served, Map<String, List<String>> others, String dependencies) {
    private static final String NO_SCOPES = "Choose at least one scope, or All.";

    /** @param servedScopes the scopes the server's implemented methods need (see ScopeCatalog.neededBy) */
    static ScopeChooser of(ScopeCatalog scopes, Set<String> servedScopes) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (String scope : scopes.exposed()) deps.put(scope, scopes.dependenciesOf(scope));
        Map<String, List<String>> served = new LinkedHashMap<>();
        Map<String, List<String>> others = new LinkedHashMap<>();
        scopes.byResource().forEach((group, members) -> {
            boolean isServed = group.equals("General") || members.stream().anyMatch(servedScopes::contains);
            (isServed ? served : others).put(group, members);
        });
        return new ScopeChooser(Collections.unmodifiableMap(served), Collections.unmodifiableMap(others), new Gson().toJson(deps));
    }

    /**
     * What the form holds: as first shown, or as sent back with the reason it was refused beside
     * the field at fault.
     */
    record Draft(String description, List<String> scopes, String descriptionError, String scopesError) {
        static Draft of(String description, List<String> scopes) {
            return new Draft(description, scopes, null, null);
        }

        /** The form as posted. */
        static Draft posted(Context ctx) {
            return of(Pages.nz(ctx.formParam("description")), ctx.formParams("scopes"));
        }

        /** A refusal to show before sending anything on: no scope ticked. */
        Draft check() {
            return scopes.isEmpty() ? new Draft(description, scopes, null, NO_SCOPES) : this;
        }

        boolean refused() {
            return descriptionError != null || scopesError != null;
        }

        /** The service's refusal, shown by the description when it is about it and by the scopes otherwise. */
        Draft refusedWith(ApiException e) {
            boolean aboutDescription = e.details().startsWith("Descriptions");
            return new Draft(description, scopes, aboutDescription ? e.details() : null, aboutDescription ? null : e.details());
        }
    }

    /** The template's parameters for {@code keyform.jte}. */
    Map<String, Object> form(Page page, String heading, String action, Draft draft, String cancel) {
        Map<String, Object> params = new HashMap<>();
        params.put("page", page);
        params.put("heading", heading);
        params.put("action", action);
        params.put("description", draft.description());
        params.put("descriptionError", draft.descriptionError());
        params.put("selected", draft.scopes());
        params.put("scopesError", draft.scopesError());
        params.put("served", served);
        params.put("others", others);
        params.put("dependencies", dependencies);
        params.put("cancel", cancel);
        return params;
    }
}
