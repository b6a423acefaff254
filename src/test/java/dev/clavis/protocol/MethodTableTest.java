package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodTableTest {
    private static final MethodTable TABLE = MethodTable.fromDescriptor();

    private static MethodTable.Match route(String verb, String path) {
        return TABLE.route(verb, PathTemplate.segments(path).orElseThrow()).orElseThrow(() -> new AssertionError(verb + " " + path));
    }

    @Test
    void key_methods_carry_their_declared_auth_type_and_scopes() {
        RpcMethod postKeys = TABLE.method("PostKeys").orElseThrow();
        assertEquals(AuthType.PAT, postKeys.authType());
        assertEquals(List.of("Apps:Get", "Keys:Add", "Keys:Get"), postKeys.scopes().stream().sorted().toList());
        assertEquals(AuthType.KEY, TABLE.method("GetApp").orElseThrow().authType());
        assertEquals(AuthType.NONE, TABLE.method("ListStatusCodes").orElseThrow().authType());
        assertEquals(AuthType.SESSION, TABLE.method("ListScopes").orElseThrow().authType());
    }

    @Test
    void the_seed_routes_resolve_with_their_path_variables() {
        MethodTable.Match postKeys = route("POST", "/v2/users/alice/keys");
        assertEquals("PostKeys", postKeys.method().name());
        assertEquals(Map.of("user_app_id.user_id", "alice"), postKeys.pathVariables());
        assertEquals("ListAppKeys", route("GET", "/v2/users/alice/apps/a1/keys").method().name());
        assertEquals("PostModelOutputs", route("POST", "/v2/models/m1/versions/v1/outputs").method().name());
        assertEquals("MyScopes", route("GET", "/v2/my_scopes").method().name());
    }

    @Test
    void literal_segments_win_over_variables() {
        assertEquals("GetConceptCounts", route("GET", "/v2/concepts/status").method().name());
        assertEquals("GetConcept", route("GET", "/v2/concepts/dog").method().name());
        assertEquals("PostConceptsSearches", route("POST", "/v2/concepts/searches").method().name());
    }

    @Test
    void every_binding_of_every_method_resolves_to_a_binding_of_that_template() {
        int bindings = 0;
        List<String> wrong = new ArrayList<>();
        for (RpcMethod method : TABLE.methods()) {
            for (HttpBinding binding : method.bindings()) {
                bindings++;
                String path = binding.path().toString().replaceAll("\\{[^}]+}", "x1");
                MethodTable.Match match = route(binding.verb(), path);
                // Either this method, or one whose template is at least as specific.
                if (match.method() != method && match.binding().path().literalCount() < binding.path().literalCount()) {
                    wrong.add(binding.verb() + " " + binding.path() + " -> " + match.method().name());
                }
            }
        }
        assertTrue(bindings > 300, "the descriptor has hundreds of bindings, saw " + bindings);
        assertEquals(List.of(), wrong);
    }

    @Test
    void a_path_of_literals_is_looked_up_whole_and_finds_what_matching_its_segments_finds() {
        int literals = 0;
        for (RpcMethod method : TABLE.methods()) {
            for (HttpBinding binding : method.bindings()) {
                String path = binding.path().toString();
                MethodTable.Match whole = TABLE.literalRoute(binding.verb(), path);
                if (binding.path().literalCount() < binding.path().segmentCount()) {
                    assertNull(whole, path + " has variables");
                    continue;
                }
                literals++;
                MethodTable.Match matched = route(binding.verb(), path);
                assertEquals(matched.method(), whole.method(), binding.verb() + " " + path);
                assertEquals(matched.binding(), whole.binding(), binding.verb() + " " + path);
                assertEquals(Map.of(), whole.pathVariables());
            }
        }
        assertTrue(literals > 20, "saw " + literals);
        assertEquals("MyScopes", TABLE.literalRoute("GET", "/v2/myscopes").method().name());
        assertNull(TABLE.literalRoute("POST", "/v2/myscopes"), "another verb");
        assertNull(TABLE.literalRoute("GET", "/v2/myscopes/"), "another path");
        // Escaped, it is the segments' matching that finds it.
        assertNull(TABLE.literalRoute("GET", "/v2/my%73copes"));
        assertEquals("MyScopes", route("GET", "/v2/my%73copes").method().name());
    }

    @Test
    void app_level_and_read_are_derived_from_bindings_and_scopes() {
        assertTrue(TABLE.method("GetApp").orElseThrow().appLevel());
        assertFalse(TABLE.method("PostKeys").orElseThrow().appLevel());
        assertTrue(TABLE.method("PostModelOutputs").orElseThrow().read());
        assertFalse(TABLE.method("PostInputs").orElseThrow().read());
        assertFalse(TABLE.method("DeleteApp").orElseThrow().read());
    }

    @Test
    void undecodable_paths_match_nothing() {
        assertTrue(PathTemplate.segments("/v2/apps/%zz").isEmpty());
        assertTrue(TABLE.route("GET", PathTemplate.segments("/v2/no/such/thing/here").orElseThrow()).isEmpty());
    }
}
