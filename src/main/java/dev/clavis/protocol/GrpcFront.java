package dev.clavis.protocol;

import com.google.protobuf.Message;
import dev.clavis.auth.CredentialHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * The gRPC door: every method of {@code clarifai.api.V2}, each calling the same {@link Dispatcher}
 * as REST. Failures travel in the response's {@code status}; the call itself always ends OK.
 */
public final class GrpcFront {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> SESSION_TOKEN =
            Metadata.Key.of("x-clarifai-session-token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<CredentialHeaders> HEADERS = Context.key("clavis-credential-headers");

    private GrpcFront() {}

    public static ServerServiceDefinition service(MethodTable table, Dispatcher dispatcher) {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(MethodTable.serviceName());
        for (RpcMethod method : table.methods()) {
            service.addMethod(method.grpc(), handler(method, dispatcher));
        }
        return ServerInterceptors.intercept(service.build(), new CredentialCapture());
    }

    private static ServerCallHandler<Message, Message> handler(RpcMethod method, Dispatcher dispatcher) {
        return switch (method.grpc().getType()) {
            case UNARY -> ServerCalls.asyncUnaryCall((request, out) -> answer(out, call(dispatcher, method, request)));
            case SERVER_STREAMING ->
                    ServerCalls.asyncServerStreamingCall((request, out) -> answer(out, call(dispatcher, method, request)));
            // No streaming-in method is implemented: answer at once with the dispatcher's
            // 10040 and ignore what the client streams.
            default -> ServerCalls.asyncBidiStreamingCall(out -> {
                answer(out, call(dispatcher, method, method.requestPrototype()));
                return new IgnoreRest();
            });
        };
    }

    private static Message call(Dispatcher dispatcher, RpcMethod method, Message request) {
        CredentialHeaders headers = HEADERS.get();
        return dispatcher.call(method, headers == null ? CredentialHeaders.NONE : headers, () -> request).response();
    }

    private static void answer(StreamObserver<Message> out, Message response) {
        out.onNext(response);
        out.onCompleted();
    }

    /** Copies the credential metadata into the call's context for the dispatcher. */
    private static final class CredentialCapture implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                          ServerCallHandler<Q, R> next) {
            CredentialHeaders headers = CredentialHeaders.of(all(metadata, AUTHORIZATION), all(metadata, SESSION_TOKEN));
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, metadata, next);
        }
    }

    private static List<String> all(Metadata metadata, Metadata.Key<String> key) {
        Iterable<String> values = metadata.getAll(key);
        List<String> out = new ArrayList<>();
        if (values != null) values.forEach(out::add);
        return out;
    }

    private static final class IgnoreRest implements StreamObserver<Message> {
        @Override public void onNext(Message value) {}
        @Override public void onError(Throwable t) {}
        @Override public void onCompleted() {}
    }
}
