package dev.clavis.protocol;

import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.Status;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One message-typed field that the dispatcher reads or replaces on every call (a response's
 * {@code status}, a request's {@code user_app_id}), through each class's own {@code getX} and
 * {@code Builder.setX}, bound once per class: {@code getField}/{@code setField} would reflect on
 * every call, refusals (a flood of 11005s, say) as much as successes.
 * A class without those methods (a dynamic message) is served through the descriptor.
 *
 * @param <V> the field's message type
 */
final class MessageField<V extends Message> {
    /** Responses' {@code status}. */
    static final MessageField<Status> STATUS = new MessageField<>("Status", Status.class);
    /** Requests' {@code user_app_id}. */
    static final MessageField<UserAppIDSet> USER_APP_ID = new MessageField<>("UserAppId", UserAppIDSet.class);

    private record Accessors(Function<Object, Object> get, BiFunction<Object, Object, Object> set) {}

    private final Class<V> type;
    private final ClassValue<Accessors> bound;

    private MessageField(String camelName, Class<V> type) {
        this.type = type;
        this.bound = new ClassValue<>() {
            @Override
            protected Accessors computeValue(Class<?> message) {
                try {
                    Class<?> builder = message.getMethod("newBuilder").getReturnType();
                    @SuppressWarnings("unchecked")
                    Function<Object, Object> get = GeneratedAccessors.bind(message, "get" + camelName, new Class<?>[0],
                            Function.class, "apply", Object.class);
                    @SuppressWarnings("unchecked")
                    BiFunction<Object, Object, Object> set = GeneratedAccessors.bind(builder, "set" + camelName,
                            new Class<?>[] {type}, BiFunction.class, "apply", Object.class);
                    return new Accessors(get, set);
                } catch (Error e) {
                    throw e;
                } catch (Throwable noSuchMethods) {
                    return null;
                }
            }
        };
    }

    /** Whether a message class is served through its generated methods: for the test that holds every one to it. */
    boolean boundFor(Class<?> message) {
        return bound.get(message) != null;
    }

    /** The field's value; {@code field} is the same field by descriptor, for a class without generated methods. */
    V of(Message message, FieldDescriptor field) {
        Accessors accessors = bound.get(message.getClass());
        return type.cast(accessors != null ? accessors.get().apply(message) : message.getField(field));
    }

    /** The message with the field replaced. */
    Message with(Message message, FieldDescriptor field, V value) {
        Accessors accessors = bound.get(message.getClass());
        Message.Builder builder = message.toBuilder();
        return accessors != null ? ((Message.Builder) accessors.set().apply(builder, value)).build()
                : builder.setField(field, value).build();
    }
}
