package dev.clavis.keys;

import com.clarifai.grpc.api.EndpointDeps;
import com.clarifai.grpc.api.ListScopesRequest;
import com.clarifai.grpc.api.MultiScopeDepsResponse;
import com.clarifai.grpc.api.MultiScopeResponse;
import com.clarifai.grpc.api.MultiScopeRootResponse;
import com.clarifai.grpc.api.MultiScopeUserResponse;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.MyScopesRootRequest;
import com.clarifai.grpc.api.MyScopesUserRequest;
import com.clarifai.grpc.api.ScopeDeps;
import dev.clavis.apps.AppHandlers;
import dev.clavis.apps.AppService;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.AuthType;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.RpcMethod;

/** What a credential may do (MyScopes*) and what each scope brings with it (ListScopes). */
public final class ScopeHandlers {
    private final ScopeCatalog scopes;
    private final MethodTable methods;
    private final AppService apps;

    public ScopeHandlers(ScopeCatalog scopes, MethodTable methods, AppService apps) {
        this.scopes = scopes;
        this.methods = methods;
        this.apps = apps;
    }

    public MultiScopeResponse myScopes(Call call, MyScopesRequest request) {
        return MultiScopeResponse.newBuilder()
                .addAllScopes(call.caller().scopes())
                .addAllEndpoints(call.caller().endpoints())
                .setApp(AppHandlers.toProto(apps.get(call.userId(), call.appId())))
                .build();
    }

    public MultiScopeUserResponse myScopesUser(Call call, MyScopesUserRequest request) {
        return MultiScopeUserResponse.newBuilder()
                .addAllScopes(call.caller().scopes())
                .addAllEndpoints(call.caller().endpoints())
                .build();
    }

    public MultiScopeRootResponse myScopesRoot(Call call, MyScopesRootRequest request) {
        return MultiScopeRootResponse.newBuilder()
                .addAllScopes(call.caller().scopes())
                .addAllEndpoints(call.caller().endpoints())
                .build();
    }

    /** For a key type, each scope with what it brings, and each callable method with what it needs. */
    public MultiScopeDepsResponse listScopes(Call call, ListScopesRequest request) {
        CredentialKind kind = CredentialKind.ofWireType(request.getKeyType())
                .orElseThrow(() -> ApiException.badRequest("key_type is app_specific_key or personal_access_token."));
        MultiScopeDepsResponse.Builder response = MultiScopeDepsResponse.newBuilder();
        for (String scope : scopes.exposed()) {
            response.addScopeDeps(ScopeDeps.newBuilder().setScope(scope).addAllDependingScopes(scopes.dependenciesOf(scope)));
        }
        for (RpcMethod m : methods.methods()) {
            boolean callable = m.authType() == AuthType.KEY || (kind == CredentialKind.PAT && m.authType() == AuthType.PAT);
            if (callable) {
                response.addEndpointDeps(EndpointDeps.newBuilder().setEndpoint(m.endpoint()).addAllDependingScopes(m.scopes()));
            }
        }
        return response.build();
    }
}
