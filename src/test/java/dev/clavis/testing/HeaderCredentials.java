package dev.clavis.testing;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends raw metadata headers, well-formed or not, with a gRPC call. */
public final class HeaderCredentials extends CallCredentials {
    private final String[] headers;

    /** Name, value, name, value, ... */
    public HeaderCredentials(String... headers) {
        this.headers = headers;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < headers.length; i += 2) {
            metadata.put(Metadata.Key.of(headers[i], Metadata.ASCII_STRING_MARSHALLER), headers[i + 1]);
        }
        applier.apply(metadata);
    }
}
