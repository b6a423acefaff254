package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestFrontTest {
    private static final MethodTable TABLE = MethodTable.fromDescriptor();

    @Test
    void an_own_route_needs_a_path_variable_since_literal_paths_are_looked_up_among_v2_routes_first() {
        // Adding routes touches neither the dispatcher nor the codec.
        RestFront rest = new RestFront(TABLE, null, null, 1024, List.of(), null);
        RpcMethod like = TABLE.method("PatchKeys").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> rest.own(new RestFront.OwnRoute("POST",
                PathTemplate.parse("/v2/keys/roll"), "RollKey", like, (call, request, path, body) -> request)));
        assertDoesNotThrow(() -> rest.own(new RestFront.OwnRoute("POST",
                PathTemplate.parse("/v2/users/{user_app_id.user_id}/keys/{key_id}/roll"), "RollKey", like,
                (call, request, path, body) -> request)));
    }
}
