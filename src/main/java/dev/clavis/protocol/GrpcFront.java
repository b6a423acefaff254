package dev.clavis.protocol;

import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.Message;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.net.ClientAddresses;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The gRPC door: every method of {@code clarifai.api.V2}, each calling the same {@link Dispatcher}
 * as REST. Failures travel in the response's {@code status}; the call itself always ends OK,
 * also for a request message that cannot be decoded or is too large (a request marshaller that
 * never throws hands those on as {@link Refused}), and for methods the 10.3.3 table lacks
 * (answered by {@link #unknownMethods}).
 */
public final class GrpcFront {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> SESSION_TOKEN =
            Metadata.Key.of("x-clarifai-session-token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Arrival> ARRIVAL = Context.key("clavis-arrival");

    /** What the door learns of a call before its message: credentials and the client's address. */
    private record Arrival(CredentialHeaders headers, String client) {
        static final Arrival UNKNOWN = new Arrival(CredentialHeaders.NONE, "-");
    }

    private GrpcFront() {}

    /** A request message the server will not read, and why; answered in the method's response. */
    private record Refused(ApiException reason) {}

    /** @param maxMessageBytes the largest request message decoded; larger ones are answered 11006 */
    public static ServerServiceDefinition service(MethodTable table, Dispatcher dispatcher, int maxMessageBytes) {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(MethodTable.serviceName());
        for (RpcMethod method : table.methods()) {
            MethodDescriptor<Object, Message> lenient = method.grpc().toBuilder(
                    new LenientRequests(method.requestPrototype(), maxMessageBytes), method.grpc().getResponseMarshaller()).build();
            service.addMethod(lenient, handler(method, dispatcher));
        }
        return service.build();
    }

    /**
     * Reads each call's credentials and client address into its context, for the dispatcher;
     * install it on the server so that it sees calls to unknown methods too.
     */
    public static ServerInterceptor arrivals(ClientAddresses clients) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                              ServerCallHandler<Q, R> next) {
                CredentialHeaders headers = CredentialHeaders.of(all(metadata, AUTHORIZATION), all(metadata, SESSION_TOKEN));
                String client = clients.of(peer(call), () -> all(metadata, FORWARDED_FOR));
                return Contexts.interceptCall(Context.current().withValue(ARRIVAL, new Arrival(headers, client)),
                        call, metadata, next);
            }
        };
    }

    private static String peer(ServerCall<?, ?> call) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : "-";
    }

    private static Arrival arrival() {
        Arrival arrival = ARRIVAL.get();
        return arrival == null ? Arrival.UNKNOWN : arrival;
    }

    /**
     * What answers methods that are not in the table: newer clients call methods 10.3.3 lacks. They
     * get 10040 in a {@code BaseResponse}, whose {@code status} is field 1 as in every V2 response,
     * so the caller's own response type reads it.
     */
    public static HandlerRegistry unknownMethods(Dispatcher dispatcher) {
        return new HandlerRegistry() {
            @Override
            public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
                MethodDescriptor<InputStream, Message> any = MethodDescriptor.<InputStream, Message>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNKNOWN)
                        .setFullMethodName(methodName)
                        .setRequestMarshaller(IgnoredRequests.INSTANCE)
                        .setResponseMarshaller(ProtoUtils.marshaller(BaseResponse.getDefaultInstance()))
                        .build();
                return ServerMethodDefinition.create(any, ServerCalls.asyncBidiStreamingCall(out -> {
                    answer(out, dispatcher.reject(Door.GRPC, arrival().client(), "gRPC " + methodName, new ApiException(StatusCode.NOT_IMPLEMENTED,
                            methodName + " is not a method this server knows.")).response());
                    return new IgnoreRest<>();
                }));
            }
        };
    }

    private static ServerCallHandler<Object, Message> handler(RpcMethod method, Dispatcher dispatcher) {
        return switch (method.grpc().getType()) {
            case UNARY -> ServerCalls.asyncUnaryCall((request, out) -> answer(out, call(dispatcher, method, request)));
            case SERVER_STREAMING ->
                    ServerCalls.asyncServerStreamingCall((request, out) -> answer(out, call(dispatcher, method, request)));
            // No streaming-in method is implemented: answer at once with the dispatcher's
            // 10040 and ignore what the client streams.
            default -> ServerCalls.asyncBidiStreamingCall(out -> {
                answer(out, call(dispatcher, method, method.requestPrototype()));
                return new IgnoreRest<>();
            });
        };
    }

    private static Message call(Dispatcher dispatcher, RpcMethod method, Object request) {
        Arrival arrival = arrival();
        return dispatcher.call(Door.GRPC, arrival.client(), method, arrival.headers(), () -> {
            if (request instanceof Refused refused) throw refused.reason();
            return (Message) request;
        }).response();
    }

    private static void answer(StreamObserver<Message> out, Message response) {
        out.onNext(response);
        out.onCompleted();
    }

    /**
     * Decodes request messages, handing on what it will not decode as {@link Refused} rather than
     * throwing: grpc-java turns a marshaller's exception into UNKNOWN and a stack trace in the log.
     */
    private static final class LenientRequests implements MethodDescriptor.Marshaller<Object> {
        private final MethodDescriptor.Marshaller<Message> proto;
        private final String typeName;
        private final int maxBytes;

        LenientRequests(Message prototype, int maxBytes) {
            this.proto = ProtoUtils.marshaller(prototype);
            this.typeName = prototype.getDescriptorForType().getName();
            this.maxBytes = maxBytes;
        }

        @Override
        public InputStream stream(Object value) {
            return proto.stream((Message) value);
        }

        @Override
        public Object parse(InputStream stream) {
            try {
                if (stream instanceof KnownLength && stream.available() > maxBytes) {
                    return new Refused(new ApiException(StatusCode.CONN_EXCEEDS_LIMITS,
                            "The request message is larger than " + maxBytes + " bytes."));
                }
                return proto.parse(stream);
            } catch (IOException | RuntimeException undecodable) {
                return new Refused(new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT,
                        "The request message could not be decoded as a " + typeName + "."));
            }
        }
    }

    /** Requests to unknown methods are not read. */
    private enum IgnoredRequests implements MethodDescriptor.Marshaller<InputStream> {
        INSTANCE;

        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    }

    private static List<String> all(Metadata metadata, Metadata.Key<String> key) {
        Iterable<String> values = metadata.getAll(key);
        List<String> out = new ArrayList<>();
        if (values != null) values.forEach(out::add);
        return out;
    }

    private static final class IgnoreRest<T> implements StreamObserver<T> {
        @Override public void onNext(T value) {}
        @Override public void onError(Throwable t) {}
        @Override public void onCompleted() {}
    }
}
