package dev.clavis.protocol;

import com.clarifai.grpc.api.status.Status;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every response's {@code status}, read and replaced through the response class's own
 * {@code getStatus} and {@code Builder.setStatus}, bound once per class: the dispatcher fills the
 * status of every answer, refusals (a flood of 11005s, say) as much as successes, and
 * {@code getField}/{@code setField} would reflect on each.
 * A class without those methods (a dynamic message) is served through the descriptor.
 */
final class ResponseStatus {
    private record Accessors(Function<Object, Object> get, BiFunction<Object, Object, Object> set) {}

    private static final ClassValue<Accessors> BOUND = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> response) {
            try {
                Class<?> builder = response.getMethod("newBuilder").getReturnType();
                @SuppressWarnings("unchecked")
                Function<Object, Object> get = GeneratedAccessors.bind(response, "getStatus", new Class<?>[0],
                        Function.class, "apply", Object.class);
                @SuppressWarnings("unchecked")
                BiFunction<Object, Object, Object> set = GeneratedAccessors.bind(builder, "setStatus",
                        new Class<?>[] {Status.class}, BiFunction.class, "apply", Object.class);
                return new Accessors(get, set);
            } catch (Error e) {
                throw e;
            } catch (Throwable noSuchMethods) {
                return null;
            }
        }
    };

    private ResponseStatus() {}

    /** Whether a response class is served through its generated methods: for the test that holds every one to it. */
    static boolean boundFor(Class<?> response) {
        return BOUND.get(response) != null;
    }

    static Status of(Message response, FieldDescriptor field) {
        Accessors bound = BOUND.get(response.getClass());
        return (Status) (bound != null ? bound.get().apply(response) : response.getField(field));
    }

    /** The response with its status replaced. */
    static Message with(Message response, FieldDescriptor field, Status status) {
        Accessors bound = BOUND.get(response.getClass());
        Message.Builder builder = response.toBuilder();
        return bound != null ? ((Message.Builder) bound.set().apply(builder, status)).build()
                : builder.setField(field, status).build();
    }
}
