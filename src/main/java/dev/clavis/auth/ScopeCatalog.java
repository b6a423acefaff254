package dev.clavis.auth;

import com.clarifai.grpc.auth.scope.S;
import com.clarifai.grpc.auth.scope.Scope;
import com.google.protobuf.DescriptorProtos.EnumValueOptions;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.RpcMethod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scopes a key may hold, read from the published {@code S} enum (only those marked exposed),
 * and the expansion rule of DESIGN §3 that keeps anyone from making a useless key.
 */
public final class ScopeCatalog {
    public static final String ALL = "All";

    /** Exposed scope name -> its declared dependencies, in enum order. */
    private final Map<String, List<String>> declared = new LinkedHashMap<>();
    private final Map<String, Integer> order = new LinkedHashMap<>();
    private final Collection<RpcMethod> methods;

    public ScopeCatalog(MethodTable table) {
        this.methods = table.methods();
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        registry.add(Scope.clarfaiExposed);
        registry.add(Scope.clarifaiDependingScopes);
        for (EnumValueDescriptor value : S.getDescriptor().getValues()) {
            EnumValueOptions options = reparse(value.getOptions(), registry);
            if (!options.getExtension(Scope.clarfaiExposed)) continue;
            S scope = S.valueOf(value);
            String name = MethodTable.scopeName(scope);
            declared.put(name, options.getExtension(Scope.clarifaiDependingScopes).stream()
                    .map(MethodTable::scopeName).toList());
            order.put(name, value.getNumber());
        }
    }

    /** Every scope a key may be given, {@code All} first. */
    public Set<String> exposed() {
        return declared.keySet();
    }

    /**
     * The scopes stored for a request: {@code All} alone if asked for; otherwise the requested
     * scopes, their declared dependencies, and for each non-{@code :Get} scope the {@code :Get}
     * scopes of every method that needs it and otherwise only reads.
     *
     * @throws ApiException naming the first unknown scope
     */
    public List<String> expand(Collection<String> requested) {
        for (String s : requested) {
            if (!declared.containsKey(s)) throw ApiException.badRequest("Unknown scope '" + s + "'.");
        }
        if (requested.contains(ALL)) return List.of(ALL);
        Set<String> scopes = withDependencies(requested);
        for (String scope : List.copyOf(scopes)) {
            if (isGet(scope)) continue;
            for (RpcMethod m : methods) {
                if (m.scopes().contains(scope) && m.scopes().stream().allMatch(s -> s.equals(scope) || isGet(s))) {
                    scopes.addAll(m.scopes());
                }
            }
        }
        return sorted(withDependencies(scopes));
    }

    /** The scopes {@code required} asks for that {@code held} lacks. */
    public List<String> missing(Collection<String> held, Collection<String> required) {
        if (held.contains(ALL)) return List.of();
        return required.stream().filter(s -> !held.contains(s)).toList();
    }

    /** The exposed scopes by resource ("Inputs", "Models", ...); All, Predict and Search under "General". */
    public Map<String, List<String>> byResource() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String scope : exposed()) {
            String group = scope.contains(":") ? scope.substring(0, scope.indexOf(':')) : "General";
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(scope);
        }
        return groups;
    }

    /** The scopes some of these methods need: with a server's implemented methods, the scopes it serves. */
    public Set<String> neededBy(Set<String> methodNames) {
        Set<String> needed = new LinkedHashSet<>();
        for (RpcMethod m : methods) {
            if (methodNames.contains(m.name())) needed.addAll(m.scopes());
        }
        return needed;
    }

    /** What {@link #expand} adds to a single scope, for ListScopes. */
    public List<String> dependenciesOf(String scope) {
        List<String> expanded = new ArrayList<>(expand(List.of(scope)));
        expanded.remove(scope);
        return expanded;
    }

    private Set<String> withDependencies(Collection<String> start) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(start);
        while (!pending.isEmpty()) {
            String s = pending.pop();
            if (out.add(s)) pending.addAll(declared.getOrDefault(s, List.of()));
        }
        return out;
    }

    private List<String> sorted(Set<String> scopes) {
        return scopes.stream()
                .sorted((a, b) -> Integer.compare(order.getOrDefault(a, Integer.MAX_VALUE), order.getOrDefault(b, Integer.MAX_VALUE)))
                .toList();
    }

    private static boolean isGet(String scope) {
        return scope.endsWith(":Get");
    }

    private static EnumValueOptions reparse(EnumValueOptions options, ExtensionRegistry registry) {
        try {
            return EnumValueOptions.parseFrom(options.toByteString(), registry);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable scope options", e);
        }
    }
}
