package dev.clavis.protocol;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.util.List;

/**
 * Everything the descriptor says about one V2 method: how it is called over gRPC and REST, who may
 * call it and with which scopes.
 *
 * @param appLevel       the method acts inside one app: every binding that names a user also names an app
 * @param read           the method only reads: each declared scope is a {@code :Get} scope, Predict or Search
 * @param statusField    the response's {@code status}, looked up once rather than on every call
 * @param userAppIdField the request's {@code user_app_id}; null when it names no user and app
 */
public record RpcMethod(
        String name,
        MethodDescriptor<Message, Message> grpc,
        Descriptors.MethodDescriptor proto,
        AuthType authType,
        List<String> scopes,
        List<HttpBinding> bindings,
        Message requestPrototype,
        Message responsePrototype,
        boolean appLevel,
        boolean read,
        Descriptors.FieldDescriptor statusField,
        Descriptors.FieldDescriptor userAppIdField) {

    /** The full gRPC name, as keys list it in {@code endpoints}: {@code /clarifai.api.V2/PostKeys}. */
    public String endpoint() {
        return "/" + grpc.getFullMethodName();
    }
}
