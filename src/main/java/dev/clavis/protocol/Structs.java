package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

/** {@code google.protobuf.Struct} to and from the JSON text records keep it as. */
public final class Structs {
    private Structs() {}

    public static String toJson(Struct struct) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(struct);
        } catch (InvalidProtocolBufferException e) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "metadata is not valid JSON.");
        }
    }

    public static Struct fromJson(String json) {
        Struct.Builder struct = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json, struct);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
        return struct.build();
    }
}
