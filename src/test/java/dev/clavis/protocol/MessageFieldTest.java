package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clarifai.grpc.api.MultiScopeResponse;
import com.clarifai.grpc.api.status.Status;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;

/** The status of every response type is read and replaced through its generated methods, and a dynamic message still works. */
class ResponseStatusTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();

    @Test
    void every_response_type_has_its_status_read_and_replaced_without_touching_the_rest() {
        Status status = Status.newBuilder().setCode(StatusCode.SUCCESS).setReqId("r1").build();
        for (RpcMethod method : METHODS.methods()) {
            Message response = method.responsePrototype();
            Message replaced = ResponseStatus.with(response, method.statusField(), status);
            assertTrue(ResponseStatus.boundFor(response.getClass()), method.name() + " uses its generated getStatus/setStatus");
            assertEquals(response.getClass(), replaced.getClass(), method.name());
            assertEquals(status, ResponseStatus.of(replaced, method.statusField()), method.name());
            assertEquals(status, replaced.getField(method.statusField()), method.name());
        }
    }

    @Test
    void a_message_without_generated_methods_goes_through_its_descriptor() {
        RpcMethod method = METHODS.method("MyScopes").orElseThrow();
        Message dynamic = DynamicMessage.newBuilder(MultiScopeResponse.getDescriptor()).addRepeatedField(
                MultiScopeResponse.getDescriptor().findFieldByName("scopes"), "All").build();
        Status status = Status.newBuilder().setCode(StatusCode.SUCCESS).build();
        Message replaced = ResponseStatus.with(dynamic, method.statusField(), status);
        assertEquals(status, ResponseStatus.of(replaced, method.statusField()));
        assertEquals(1, replaced.getRepeatedFieldCount(MultiScopeResponse.getDescriptor().findFieldByName("scopes")));
    }
}
