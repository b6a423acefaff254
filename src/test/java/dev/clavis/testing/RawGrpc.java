package dev.clavis.testing;

import com.clarifai.credentials.ClarifaiCallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Unary gRPC calls with bytes as they are, for messages and methods no generated stub would send. */
public final class RawGrpc {
    private RawGrpc() {}

    /**
     * @param endpoint   the full method name with its leading slash, {@code /clarifai.api.V2/ListApps}
     * @param credential sent as {@code authorization: Key <credential>}
     */
    public static byte[] call(Channel channel, String endpoint, byte[] request, String credential) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(endpoint.substring(1))
                .setRequestMarshaller(Bytes.INSTANCE)
                .setResponseMarshaller(Bytes.INSTANCE)
                .build();
        return ClientCalls.blockingUnaryCall(channel.newCall(descriptor,
                CallOptions.DEFAULT.withCallCredentials(new ClarifaiCallCredentials(credential))), request);
    }

    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
