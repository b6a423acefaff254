package dev.clavis.portal;

import com.google.gson.Gson;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.net.Cidr;
import dev.clavis.protocol.ApiException;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
     * What the form holds: as first shown, or as sent back with the reasons it was refused, each
     * by the field at fault ({@code errors}: field name to message). {@code expires} is empty
     * (never), {@code 30} or {@code 90} (days), or {@code date} ({@code expiresOn}, yyyy-mm-dd: the
     * key works to the end of that day, UTC); {@code rate} is empty for the server's limit.
     */
    record Draft(String description, List<String> scopes, String expires, String expiresOn, String networks, String rate,
                 Map<String, String> errors) {
        static Draft of(String description, List<String> scopes, String networks, String rate) {
            return new Draft(description, scopes, "", "", networks, rate, Map.of());
        }

        /** The form as posted. */
        static Draft posted(Context ctx) {
            return new Draft(Pages.nz(ctx.formParam("description")), ctx.formParams("scopes"), Pages.nz(ctx.formParam("expires")),
                    Pages.nz(ctx.formParam("expires_on")), Pages.nz(ctx.formParam("networks")), Pages.nz(ctx.formParam("rate")).strip(),
                    Map.of());
        }

        /** Refusals to show before sending anything on: no scope ticked, or an expiry, network or rate that is not one. */
        Draft check(Instant now) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (scopes.isEmpty()) errors.put("scopes", NO_SCOPES);
            try {
                expiresAt(now);
            } catch (IllegalArgumentException e) {
                errors.put("expiry", e.getMessage());
            }
            for (String network : networkList()) {
                try {
                    Cidr.parse(network);
                } catch (IllegalArgumentException e) {
                    errors.put("networks", e.getMessage());
                }
            }
            try {
                rateLimit();
            } catch (IllegalArgumentException e) {
                errors.put("rate", e.getMessage());
            }
            return new Draft(description, scopes, expires, expiresOn, networks, rate, errors);
        }

        /** The networks typed, comma- or space-separated. */
        List<String> networkList() {
            return java.util.Arrays.stream(networks.split("[,\\s]+")).filter(n -> !n.isBlank()).toList();
        }

        /** The key's own requests per second; null for the server's. */
        Integer rateLimit() {
            if (rate.isEmpty()) return null;
            try {
                int perSecond = Integer.parseInt(rate);
                if (perSecond >= 0) return perSecond;
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("A whole number of requests per second (0 for no limit), or empty for the server's.");
        }

        /** When the key is to expire; null for never. */
        Instant expiresAt(Instant now) {
            switch (expires) {
                case "" -> {
                    return null;
                }
                case "30", "90" -> {
                    return now.plus(Duration.ofDays(Long.parseLong(expires)));
                }
                case "date" -> {
                    LocalDate day;
                    try {
                        day = LocalDate.parse(expiresOn);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("Choose the day it expires.");
                    }
                    Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    if (!end.isAfter(now)) throw new IllegalArgumentException("That day is past; choose a later one.");
                    return end;
                }
                default -> throw new IllegalArgumentException("Choose never, 30 days, 90 days or a day.");
            }
        }

        boolean refused() {
            return !errors.isEmpty();
        }

        /** The service's refusal, by the field it is about (the scopes when it names none). */
        Draft refusedWith(ApiException e) {
            String d = e.details();
            String field = d.startsWith("Descriptions") ? "description" : d.contains("expires_at") ? "expiry"
                    : d.startsWith("allowed_cidrs") ? "networks" : d.startsWith("requests_per_second") ? "rate" : "scopes";
            return new Draft(description, scopes, expires, expiresOn, networks, rate, Map.of(field, d));
        }
    }

    /** The template's parameters for {@code keyform.jte}. */
    Map<String, Object> form(Page page, String heading, String action, Draft draft, boolean offerExpiry, String cancel) {
        Map<String, Object> params = new HashMap<>();
        params.put("page", page);
        params.put("heading", heading);
        params.put("action", action);
        params.put("offerExpiry", offerExpiry);
        params.put("description", draft.description());
        params.put("selected", draft.scopes());
        params.put("expires", draft.expires());
        params.put("expiresOn", draft.expiresOn());
        params.put("networks", draft.networks());
        params.put("rate", draft.rate());
        for (String field : List.of("description", "scopes", "expiry", "networks", "rate")) {
            params.put(field + "Error", draft.errors().get(field));
        }
        params.put("served", served);
        params.put("others", others);
        params.put("dependencies", dependencies);
        params.put("cancel", cancel);
        return params;
    }
}
