package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.PatchKeysRequest;
import com.clarifai.grpc.api.PostInputsRequest;
import com.clarifai.grpc.api.PostModelOutputsRequest;
import com.google.protobuf.Descriptors.Descriptor;
import org.junit.jupiter.api.Test;

/** Reading request bodies: one streaming pass decides, and only bodies that need defaults are rebuilt. */
class JsonCodecTest {
    private static final JsonCodec JSON = new JsonCodec(MethodTable.fromDescriptor());
    private static final Descriptor INPUTS = PostInputsRequest.getDescriptor();

    @Test
    void a_concept_without_a_value_means_one_and_a_boolean_value_a_number() {
        assertTrue(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"concepts\":[{\"id\":\"a\"}]}}]}", INPUTS));
        assertTrue(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"concepts\":[{\"id\":\"a\",\"value\":true}]}}]}", INPUTS));
        PostInputsRequest.Builder request = PostInputsRequest.newBuilder();
        JSON.merge("{\"inputs\":[{\"data\":{\"concepts\":[{\"id\":\"a\"},{\"id\":\"b\",\"value\":false},{\"id\":\"c\",\"value\":0.5}]}}]}", request);
        var concepts = request.getInputs(0).getData().getConceptsList();
        assertEquals(1f, concepts.get(0).getValue());
        assertEquals(0f, concepts.get(1).getValue());
        assertEquals(0.5f, concepts.get(2).getValue());
    }

    @Test
    void bodies_that_give_every_value_are_read_once() {
        assertFalse(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"concepts\":[{\"id\":\"a\",\"value\":1}]}}]}", INPUTS));
        assertFalse(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"image\":{\"base64\":\"AAAA\"}},\"unknown\":{\"concepts\":[{}]}}]}", INPUTS),
                "an unknown field's contents are not concepts");
        assertFalse(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"metadata\":{\"concepts\":[{\"id\":\"x\"}]}}}]}", INPUTS),
                "metadata is a Struct, whatever its keys say");
        assertFalse(JSON.needsDefaults("{\"inputs\":[{\"data\":{\"image\":{\"base64\":\"AAAA\"}}}]}",
                PostModelOutputsRequest.getDescriptor()));
        assertTrue(JSON.needsDefaults("{\"model\":{\"output_info\":{\"output_config\":{\"select_concepts\":[{\"id\":\"a\"}]}}}}",
                PostModelOutputsRequest.getDescriptor()), "reached through the JSON names too");
        assertTrue(JSON.needsDefaults("{\"model\":{\"outputInfo\":{\"outputConfig\":{\"selectConcepts\":[{\"id\":\"a\"}]}}}}",
                PostModelOutputsRequest.getDescriptor()));
    }

    @Test
    void deep_nesting_and_text_after_the_body_are_refused_whatever_the_type() {
        String deep = "{\"keys\":[" + "[".repeat(100) + "]".repeat(100) + "]}";
        assertEquals(11100, assertThrows(ApiException.class, () -> JSON.needsDefaults(deep, PatchKeysRequest.getDescriptor()))
                .code().getNumber());
        String deepUnknown = "{\"x\":" + "{\"y\":".repeat(100) + "1" + "}".repeat(101);
        assertThrows(ApiException.class, () -> JSON.needsDefaults(deepUnknown, INPUTS));
        assertThrows(ApiException.class, () -> JSON.needsDefaults("{\"inputs\":[]} {}", INPUTS));
        assertThrows(ApiException.class, () -> JSON.needsDefaults("{\"inputs\":[}", INPUTS));
        assertFalse(JSON.needsDefaults("{\"inputs\":[]}  \n", INPUTS));
    }
}
