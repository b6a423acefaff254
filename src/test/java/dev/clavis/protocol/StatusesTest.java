package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.clarifai.grpc.api.status.StatusCode;
import org.junit.jupiter.api.Test;

class StatusesTest {

    @Test
    void the_design_table_maps_each_code_to_its_http_status() {
        assertEquals(200, Statuses.http(StatusCode.SUCCESS));
        assertEquals(401, Statuses.http(StatusCode.CONN_KEY_INVALID));
        assertEquals(401, Statuses.http(StatusCode.CONN_KEY_NOT_FOUND));
        assertEquals(403, Statuses.http(StatusCode.CONN_INSUFFICIENT_SCOPES));
        assertEquals(404, Statuses.http(StatusCode.CONN_DOES_NOT_EXIST));
        assertEquals(429, Statuses.http(StatusCode.CONN_THROTTLED));
        assertEquals(400, Statuses.http(StatusCode.CONN_BAD_REQUEST_FORMAT));
        assertEquals(400, Statuses.http(StatusCode.CONN_INVALID_REQUEST));
        assertEquals(409, Statuses.http(StatusCode.DATABASE_DUPLICATE_KEY));
        assertEquals(400, Statuses.http(StatusCode.FAILURE));
        assertEquals(501, Statuses.http(StatusCode.NOT_IMPLEMENTED));
        assertEquals(500, Statuses.http(StatusCode.INTERNAL_SERVER_ISSUE));
    }

    @Test
    void resource_codes_follow_their_names() {
        assertEquals(404, Statuses.http(StatusCode.MODEL_DOES_NOT_EXIST));
        assertEquals(400, Statuses.http(StatusCode.INPUT_INVALID_ARGUMENT));
        assertEquals(403, Statuses.http(StatusCode.MODEL_PERMISSION_DENIED));
    }

    @Test
    void a_missing_credential_is_11102_with_401() {
        ApiException e = ApiException.missingCredential("none");
        assertEquals(StatusCode.CONN_INVALID_REQUEST, e.code());
        assertEquals(401, e.httpStatus());
    }

    @Test
    void descriptions_match_clarifais_wording() {
        assertEquals("Invalid API key or Invalid API key/application pair", Statuses.description(StatusCode.CONN_KEY_INVALID));
        assertEquals("Ok", Statuses.description(StatusCode.SUCCESS));
        assertEquals("Model does not exist", Statuses.description(StatusCode.MODEL_DOES_NOT_EXIST));
    }
}
