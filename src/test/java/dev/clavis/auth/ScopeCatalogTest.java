package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.MethodTable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeCatalogTest {
    private static final ScopeCatalog SCOPES = new ScopeCatalog(MethodTable.fromDescriptor());

    @Test
    void all_stays_all() {
        assertEquals(List.of("All"), SCOPES.expand(List.of("Inputs:Get", "All")));
    }

    @Test
    void declared_dependencies_are_added() {
        assertTrue(SCOPES.expand(List.of("Inputs:Delete")).containsAll(List.of("Inputs:Delete", "Inputs:Add", "Inputs:Get")));
        assertTrue(SCOPES.expand(List.of("Keys:Delete")).containsAll(List.of("Keys:Delete", "Keys:Add", "Keys:Get")));
    }

    @Test
    void predict_brings_the_reads_prediction_needs_and_nothing_else() {
        assertEquals(Set.of("Predict", "Apps:Get", "Concepts:Get", "Models:Get", "Workflows:Get"),
                Set.copyOf(SCOPES.expand(List.of("Predict"))));
    }

    @Test
    void a_get_scope_brings_only_its_own_dependencies() {
        assertEquals(List.of("Inputs:Get"), SCOPES.expand(List.of("Inputs:Get")));
    }

    @Test
    void unknown_and_unexposed_scopes_are_refused_by_name() {
        ApiException e = assertThrows(ApiException.class, () -> SCOPES.expand(List.of("Inputs:Fly")));
        assertEquals(StatusCode.CONN_INVALID_REQUEST, e.code());
        assertTrue(e.details().contains("Inputs:Fly"));
        assertThrows(ApiException.class, () -> SCOPES.expand(List.of("Outputs:Patch")));
    }

    @Test
    void missing_names_exactly_what_is_lacking() {
        assertEquals(List.of("Keys:Add"), SCOPES.missing(List.of("Apps:Get", "Keys:Get"), List.of("Apps:Get", "Keys:Add", "Keys:Get")));
        assertEquals(List.of(), SCOPES.missing(List.of("All"), List.of("Apps:Get", "Keys:Add")));
    }

    @Test
    void the_exposed_list_comes_from_the_descriptor() {
        assertTrue(SCOPES.exposed().containsAll(List.of("All", "Predict", "Search", "Inputs:Add", "Keys:Delete")));
        assertTrue(!SCOPES.exposed().contains("Outputs:Patch"));
    }
}
