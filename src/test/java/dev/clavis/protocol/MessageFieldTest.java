package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clarifai.grpc.api.MultiScopeResponse;
import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.Status;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;

/**
 * Every response's status and every request's user_app_id are read and replaced through their
 * generated methods, touching nothing else, and a dynamic message still works.
 */
class MessageFieldTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();

    @Test
    void every_response_type_has_its_status_read_and_replaced_without_touching_the_rest() {
        Status status = Status.newBuilder().setCode(StatusCode.SUCCESS).setReqId("r1").build();
        for (RpcMethod method : METHODS.methods()) {
            Message response = method.responsePrototype();
            Message replaced = MessageField.STATUS.with(response, method.statusField(), status);
            assertTrue(MessageField.STATUS.boundFor(response.getClass()), method.name() + " uses its generated getStatus/setStatus");
            assertEquals(response.getClass(), replaced.getClass(), method.name());
            assertEquals(status, MessageField.STATUS.of(replaced, method.statusField()), method.name());
            assertEquals(status, replaced.getField(method.statusField()), method.name());
        }
    }

    @Test
    void every_request_that_names_an_app_has_its_user_app_id_read_and_replaced_the_same_way() {
        UserAppIDSet ids = UserAppIDSet.newBuilder().setUserId("u1").setAppId("a1").build();
        int checked = 0;
        for (RpcMethod method : METHODS.methods()) {
            if (method.userAppIdField() == null) continue;
            // A request naming another user: the replacement must overwrite it.
            Message request = method.requestPrototype().toBuilder()
                    .setField(method.userAppIdField(), UserAppIDSet.newBuilder().setUserId("other").build()).build();
            Message replaced = MessageField.USER_APP_ID.with(request, method.userAppIdField(), ids);
            assertTrue(MessageField.USER_APP_ID.boundFor(request.getClass()), method.name() + " uses its generated getUserAppId/setUserAppId");
            assertEquals(ids, MessageField.USER_APP_ID.of(replaced, method.userAppIdField()), method.name());
            assertEquals(ids, replaced.getField(method.userAppIdField()), method.name());
            assertEquals(request.getClass(), replaced.getClass(), method.name());
            checked++;
        }
        assertTrue(checked > 100, "most methods name a user and app: " + checked);
    }

    @Test
    void a_message_without_generated_methods_goes_through_its_descriptor() {
        RpcMethod method = METHODS.method("MyScopes").orElseThrow();
        Message dynamic = DynamicMessage.newBuilder(MultiScopeResponse.getDescriptor()).addRepeatedField(
                MultiScopeResponse.getDescriptor().findFieldByName("scopes"), "All").build();
        Status status = Status.newBuilder().setCode(StatusCode.SUCCESS).build();
        Message replaced = MessageField.STATUS.with(dynamic, method.statusField(), status);
        assertEquals(status, MessageField.STATUS.of(replaced, method.statusField()));
        assertEquals(1, replaced.getRepeatedFieldCount(MultiScopeResponse.getDescriptor().findFieldByName("scopes")));
    }
}
