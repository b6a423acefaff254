package dev.clavis.protocol;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of implemented RPCs. Registration is typed by the generated method descriptor, so
 * a handler with the wrong request or response type does not compile.
 */
public final class Handlers {
    private final Map<String, Handler<Message, Message>> byMethod = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Handlers on(MethodDescriptor<Q, R> method, Handler<Q, R> handler) {
        String name = method.getBareMethodName();
        if (byMethod.putIfAbsent(name, (Handler<Message, Message>) handler) != null) {
            throw new IllegalStateException(name + " registered twice");
        }
        return this;
    }

    /** The methods with a handler: what this server implements. */
    public Set<String> methodNames() {
        return Set.copyOf(byMethod.keySet());
    }

    Optional<Handler<Message, Message>> find(String methodName) {
        return Optional.ofNullable(byMethod.get(methodName));
    }
}
