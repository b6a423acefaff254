package dev.clavis.keys;

import com.clarifai.grpc.api.App;
import com.clarifai.grpc.api.DeleteKeyRequest;
import com.clarifai.grpc.api.GetKeyRequest;
import com.clarifai.grpc.api.Key;
import com.clarifai.grpc.api.ListAppKeysRequest;
import com.clarifai.grpc.api.ListKeysRequest;
import com.clarifai.grpc.api.MultiKeyResponse;
import com.clarifai.grpc.api.PatchKeysRequest;
import com.clarifai.grpc.api.PostKeysRequest;
import com.clarifai.grpc.api.SingleKeyResponse;
import com.clarifai.grpc.api.status.BaseResponse;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Message;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key RPCs. Only the create response carries a secret (in {@code id}, where Clarifai's
 * clients read it); lists and gets show the public id.
 */
public final class KeyHandlers {
    /** Enough for any one user's keys when a list is filtered by scopes in memory. */
    private static final int FILTER_WINDOW = 10_000;

    private final KeyService keys;

    public KeyHandlers(KeyService keys) {
        this.keys = keys;
    }

    public MultiKeyResponse postKeys(Call call, PostKeysRequest request) {
        call.requireOwnTarget();
        List<KeyService.KeyDraft> drafts = request.getKeysList().stream().map(KeyHandlers::draft).toList();
        MultiKeyResponse.Builder response = MultiKeyResponse.newBuilder();
        for (KeyService.Issued issued : keys.create(call.caller(), call.userId(), drafts)) {
            response.addKeys(toProto(issued.credential()).setId(issued.secret().reveal()));
        }
        return response.build();
    }

    public MultiKeyResponse listKeys(Call call, ListKeysRequest request) {
        call.requireOwnTarget();
        Page page = Page.of(request.getPage(), request.getPerPage());
        boolean filtered = request.getScopesCount() > 0 || request.getEndpointsCount() > 0;
        List<Credential> found = keys.list(call.userId(), Optional.empty(), request.getNotExpired(),
                filtered ? new Page(1, FILTER_WINDOW) : page);
        if (filtered) {
            found = found.stream()
                    .filter(k -> k.scopes().containsAll(request.getScopesList()))
                    .filter(k -> k.endpoints().containsAll(request.getEndpointsList()))
                    .skip(page.offset()).limit(page.perPage())
                    .toList();
        }
        return multi(found);
    }

    public MultiKeyResponse listAppKeys(Call call, ListAppKeysRequest request) {
        call.requireOwnTarget();
        return multi(keys.listForApp(call.userId(), call.appId(), Page.of(request.getPage(), request.getPerPage())));
    }

    public SingleKeyResponse getKey(Call call, GetKeyRequest request) {
        call.requireOwnTarget();
        return SingleKeyResponse.newBuilder().setKey(toProto(keys.get(call.userId(), request.getKeyId()))).build();
    }

    public MultiKeyResponse patchKeys(Call call, PatchKeysRequest request) {
        call.requireOwnTarget();
        List<KeyService.KeyChange> changes = request.getKeysList().stream()
                .map(k -> new KeyService.KeyChange(k.getId(), k.getDescription().isEmpty() ? null : k.getDescription(), k.getScopesList(),
                        k.getEndpointsList(), k.hasExpiresAt() ? Timestamps.toInstant(k.getExpiresAt()) : null))
                .toList();
        return multi(keys.patch(call.caller(), call.userId(), request.getAction(), changes));
    }

    /**
     * {@code POST /v2/users/{user_id}/keys/{key_id}/roll} with {@code {"expire_previous_in_seconds": N}}
     * (Clavis's own; authorized as PatchKeys): the same key with a new secret, answered like
     * PostKeys, the secret in {@code keys[0].id} this once.
     */
    public MultiKeyResponse rollKey(Call call, Message request, Map<String, String> path, JsonObject body) {
        call.requireOwnTarget();
        long seconds = 0;
        JsonElement given = body.get("expire_previous_in_seconds");
        if (given != null) {
            try {
                seconds = given.getAsJsonPrimitive().isNumber() || given.getAsJsonPrimitive().isString()
                        ? Long.parseLong(given.getAsString()) : -1;
            } catch (RuntimeException notAWholeNumber) {
                seconds = -1;
            }
            if (seconds < 0) throw ApiException.badRequest("expire_previous_in_seconds: a whole number of seconds, 0 or more.");
        }
        KeyService.Issued rolled = keys.roll(call.userId(), path.get("key_id"), Duration.ofSeconds(seconds));
        return MultiKeyResponse.newBuilder().addKeys(toProto(rolled.credential()).setId(rolled.secret().reveal())).build();
    }

    /**
     * {@code POST /v2/users/{user_id}/keys/{key_id}/allowed_cidrs} with {@code {"allowed_cidrs": ["10.0.0.0/8", ...]}}
     * (Clavis's own; authorized as PatchKeys): limits where the key may be used from; an empty
     * list lifts the limit. Answered like PatchKeys (Clarifai's Key has no field to show them).
     */
    public MultiKeyResponse allowNetworks(Call call, Message request, Map<String, String> path, JsonObject body) {
        call.requireOwnTarget();
        JsonElement given = body.get("allowed_cidrs");
        if (given == null || !given.isJsonArray()) throw ApiException.badRequest("allowed_cidrs: a list of CIDRs, [] for anywhere.");
        List<String> networks = new ArrayList<>();
        for (JsonElement network : given.getAsJsonArray()) {
            if (!network.isJsonPrimitive() || !network.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("allowed_cidrs: each is a string such as 10.0.0.0/8 or 2001:db8::/32.");
            }
            networks.add(network.getAsString());
        }
        return MultiKeyResponse.newBuilder().addKeys(toProto(keys.allowNetworks(call.userId(), path.get("key_id"), networks))).build();
    }

    /**
     * {@code POST /v2/users/{user_id}/keys/{key_id}/rate_limit} with {@code {"requests_per_second": N}}
     * (Clavis's own; authorized as PatchKeys): the key's own limit, 0 for none, {@code null} for the
     * server's default again. Answered like PatchKeys (Clarifai's Key has no field to show it).
     */
    public MultiKeyResponse limitRate(Call call, Message request, Map<String, String> path, JsonObject body) {
        call.requireOwnTarget();
        if (!body.has("requests_per_second")) throw ApiException.badRequest("requests_per_second: a whole number, or null.");
        JsonElement given = body.get("requests_per_second");
        Integer perSecond;
        if (given.isJsonNull()) {
            perSecond = null;
        } else {
            try {
                perSecond = given.getAsJsonPrimitive().isNumber() ? Integer.valueOf(given.getAsString()) : Integer.valueOf(-1);
            } catch (RuntimeException notAWholeNumber) {
                perSecond = -1;
            }
        }
        return MultiKeyResponse.newBuilder().addKeys(toProto(keys.limitRate(call.userId(), path.get("key_id"), perSecond))).build();
    }

    public BaseResponse deleteKey(Call call, DeleteKeyRequest request) {
        call.requireOwnTarget();
        keys.delete(call.userId(), request.getKeyId());
        return BaseResponse.getDefaultInstance();
    }

    private static KeyService.KeyDraft draft(Key key) {
        CredentialKind kind = CredentialKind.ofWireType(key.getType())
                .orElseThrow(() -> ApiException.badRequest("Unknown key type '" + key.getType()
                        + "': use app_specific_key or personal_access_token."));
        if (key.getAppsCount() > 1) throw ApiException.badRequest("An app key is bound to exactly one app.");
        App app = key.getAppsCount() == 1 ? key.getApps(0) : App.getDefaultInstance();
        Instant expires = key.hasExpiresAt() ? Timestamps.toInstant(key.getExpiresAt()) : null;
        return new KeyService.KeyDraft(kind, key.getDescription(), key.getScopesList(), key.getEndpointsList(),
                app.getUserId(), app.getId(), expires);
    }

    private static MultiKeyResponse multi(List<Credential> list) {
        MultiKeyResponse.Builder response = MultiKeyResponse.newBuilder();
        list.forEach(k -> response.addKeys(toProto(k)));
        return response.build();
    }

    static Key.Builder toProto(Credential key) {
        Key.Builder out = Key.newBuilder()
                .setId(key.publicId())
                .setType(key.kind().wireType())
                .setDescription(key.description())
                .addAllScopes(key.scopes())
                .addAllEndpoints(key.endpoints())
                .setCreatedAt(Timestamps.of(key.createdAt()));
        if (key.appId() != null) out.addApps(App.newBuilder().setId(key.appId()).setUserId(key.userId()));
        if (key.expiresAt() != null) out.setExpiresAt(Timestamps.of(key.expiresAt()));
        return out;
    }
}
