package dev.clavis.protocol;

import com.clarifai.grpc.api.Service;
import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.auth.scope.S;
import com.clarifai.grpc.auth.util.Extension;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.Descriptors;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The V2 methods as the published service descriptor declares them: bindings, auth type, scopes.
 * Nothing here is copied by hand; a newer descriptor brings its methods with it.
 */
public final class MethodTable {
    private static final String USER_ID = "user_app_id.user_id";
    private static final String APP_ID = "user_app_id.app_id";

    private final Map<String, RpcMethod> byName;
    /** Routes grouped by verb and segment count, most specific first. */
    private final Map<String, List<Route>> routes;
    /**
     * Routes without variables, by verb and then by their path as sent: app keys name no user or
     * app, so most of their calls ({@code /v2/inputs}, {@code /v2/myscopes}) are found by one
     * lookup, with nothing to split, decode or bind.
     */
    private final Map<String, Map<String, Match>> literal;

    /** A binding and the method it calls. */
    public record Route(RpcMethod method, HttpBinding binding) {}

    /** A matched route with the path variables it bound. */
    public record Match(RpcMethod method, HttpBinding binding, Map<String, String> pathVariables) {}

    private MethodTable(Map<String, RpcMethod> byName) {
        this.byName = byName;
        Map<String, List<Route>> grouped = new HashMap<>();
        for (RpcMethod method : byName.values()) {
            for (HttpBinding b : method.bindings()) {
                grouped.computeIfAbsent(routeKey(b.verb(), b.path().segmentCount()), k -> new ArrayList<>())
                        .add(new Route(method, b));
            }
        }
        // Stable sort keeps descriptor order between equally specific routes.
        grouped.values().forEach(list -> list.sort(
                Comparator.comparingInt((Route r) -> r.binding().path().literalCount()).reversed()));
        this.routes = grouped;
        Map<String, Map<String, Match>> literal = new HashMap<>();
        for (RpcMethod method : byName.values()) {
            for (HttpBinding b : method.bindings()) {
                if (b.path().literalCount() < b.path().segmentCount()) continue;
                // The first in descriptor order, as route() would find it among equally specific ones.
                literal.computeIfAbsent(b.verb(), k -> new HashMap<>())
                        .putIfAbsent(b.path().toString(), new Match(method, b, Map.of()));
            }
        }
        this.literal = literal;
    }

    /**
     * Reads the table from {@code com.clarifai.grpc.api.V2}. The gRPC method descriptors are
     * built here rather than taken from {@code V2Grpc}: those pick a JSON or binary marshaller
     * from a process-wide switch in Clarifai's client code, which the server must not depend on.
     */
    public static MethodTable fromDescriptor() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        registry.add(AnnotationsProto.http);
        registry.add(Extension.clAuthType);
        registry.add(Extension.clDependingScopes);

        Descriptors.ServiceDescriptor service = Service.getDescriptor().findServiceByName("V2");
        Map<String, RpcMethod> byName = new LinkedHashMap<>();
        for (Descriptors.MethodDescriptor proto : service.getMethods()) {
            MethodOptions options = reparse(proto.getOptions(), registry);
            Message request = defaultInstance(proto.getInputType());
            Message response = defaultInstance(proto.getOutputType());
            List<String> scopes = options.getExtension(Extension.clDependingScopes).stream()
                    .map(MethodTable::scopeName).toList();
            List<HttpBinding> bindings = bindings(options.getExtension(AnnotationsProto.http));
            byName.put(proto.getName(), new RpcMethod(
                    proto.getName(),
                    grpcMethod(service, proto, request, response),
                    proto,
                    AuthType.of(options.getExtension(Extension.clAuthType)),
                    scopes,
                    bindings,
                    request,
                    response,
                    isAppLevel(bindings),
                    isRead(proto.getName(), scopes),
                    statusField(response.getDescriptorForType()),
                    userAppIdField(request.getDescriptorForType())));
        }
        return new MethodTable(byName);
    }

    /** Every V2 response carries a {@code status}; errors travel in it (DESIGN §1). */
    private static Descriptors.FieldDescriptor statusField(Descriptors.Descriptor response) {
        Descriptors.FieldDescriptor field = response.findFieldByName("status");
        if (field == null) throw new IllegalStateException(response.getFullName() + " has no status");
        return field;
    }

    /** A request's {@code user_app_id} field, or null for requests that name no user and app. */
    private static Descriptors.FieldDescriptor userAppIdField(Descriptors.Descriptor request) {
        Descriptors.FieldDescriptor field = request.findFieldByName("user_app_id");
        return field != null && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType() == UserAppIDSet.getDescriptor() ? field : null;
    }

    /** The full service name, {@code clarifai.api.V2}. */
    public static String serviceName() {
        return Service.getDescriptor().findServiceByName("V2").getFullName();
    }

    public Optional<RpcMethod> method(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<RpcMethod> methods() {
        return byName.values();
    }

    /**
     * The route bound to exactly this path, as it arrived (undecoded), when one has no variables;
     * null otherwise: then {@link #route} decides. A path naming a literal route with escapes
     * ({@code /v2/my%73copes}) is not found here but is there.
     */
    public Match literalRoute(String verb, String rawPath) {
        Map<String, Match> paths = literal.get(verb);
        return paths == null ? null : paths.get(rawPath);
    }

    /** The most specific route for a verb and decoded path segments. */
    public Optional<Match> route(String verb, List<String> segments) {
        for (Route r : routes.getOrDefault(routeKey(verb, segments.size()), List.of())) {
            Optional<Map<String, String>> bound = r.binding().path().match(segments);
            if (bound.isPresent()) return Optional.of(new Match(r.method(), r.binding(), bound.get()));
        }
        return Optional.empty();
    }

    /** Whether some other verb is bound to this path (so the answer is 405, not 404). */
    public boolean pathExists(List<String> segments) {
        return routes.entrySet().stream()
                .filter(e -> e.getKey().endsWith(":" + segments.size()))
                .flatMap(e -> e.getValue().stream())
                .anyMatch(r -> r.binding().path().match(segments).isPresent());
    }

    /** {@code Inputs_Add} is spelled {@code Inputs:Add} on the wire. */
    public static String scopeName(S scope) {
        return scope.name().replace('_', ':');
    }

    private static String routeKey(String verb, int segmentCount) {
        return verb + ":" + segmentCount;
    }

    private static boolean isAppLevel(List<HttpBinding> bindings) {
        boolean namesApp = bindings.stream().anyMatch(b -> b.path().hasVariable(APP_ID));
        boolean userOnly = bindings.stream().anyMatch(b -> b.path().hasVariable(USER_ID) && !b.path().hasVariable(APP_ID));
        return namesApp && !userOnly;
    }

    private static boolean isRead(String name, List<String> scopes) {
        if (scopes.isEmpty()) return !name.matches("^(Post|Patch|Put|Delete).*");
        return scopes.stream().allMatch(s -> s.endsWith(":Get") || s.equals("Predict") || s.equals("Search"));
    }

    private static List<HttpBinding> bindings(HttpRule rule) {
        List<HttpBinding> out = new ArrayList<>();
        addBinding(rule, out);
        for (HttpRule extra : rule.getAdditionalBindingsList()) addBinding(extra, out);
        return List.copyOf(out);
    }

    private static void addBinding(HttpRule rule, List<HttpBinding> out) {
        String verb;
        String path;
        switch (rule.getPatternCase()) {
            case GET -> { verb = "GET"; path = rule.getGet(); }
            case POST -> { verb = "POST"; path = rule.getPost(); }
            case PUT -> { verb = "PUT"; path = rule.getPut(); }
            case PATCH -> { verb = "PATCH"; path = rule.getPatch(); }
            case DELETE -> { verb = "DELETE"; path = rule.getDelete(); }
            case CUSTOM -> { verb = rule.getCustom().getKind(); path = rule.getCustom().getPath(); }
            default -> { return; }
        }
        out.add(new HttpBinding(verb, PathTemplate.parse(path), rule.getBody()));
    }

    private static MethodDescriptor<Message, Message> grpcMethod(Descriptors.ServiceDescriptor service,
            Descriptors.MethodDescriptor proto, Message request, Message response) {
        MethodDescriptor.MethodType type = proto.isClientStreaming()
                ? (proto.isServerStreaming() ? MethodDescriptor.MethodType.BIDI_STREAMING : MethodDescriptor.MethodType.CLIENT_STREAMING)
                : (proto.isServerStreaming() ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY);
        return MethodDescriptor.<Message, Message>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service.getFullName(), proto.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    /** The generated class's default instance for a message type (all V2 files use java_multiple_files). */
    private static Message defaultInstance(Descriptors.Descriptor type) {
        String javaPackage = type.getFile().getOptions().getJavaPackage();
        StringBuilder name = new StringBuilder(type.getName());
        for (Descriptors.Descriptor outer = type.getContainingType(); outer != null; outer = outer.getContainingType()) {
            name.insert(0, outer.getName() + "$");
        }
        try {
            Class<?> generated = Class.forName(javaPackage + "." + name);
            return (Message) generated.getMethod("getDefaultInstance").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no generated class for " + type.getFullName(), e);
        }
    }

    /** Custom options are only typed when parsed with their extensions registered. */
    private static MethodOptions reparse(MethodOptions options, ExtensionRegistry registry) {
        try {
            return MethodOptions.parseFrom(options.toByteString(), registry);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable options in the V2 descriptor", e);
        }
    }
}
