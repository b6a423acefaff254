package dev.clavis.inputs;

import com.clarifai.grpc.api.Annotation;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.DeleteAnnotationRequest;
import com.clarifai.grpc.api.DeleteAnnotationsRequest;
import com.clarifai.grpc.api.GetAnnotationRequest;
import com.clarifai.grpc.api.ListAnnotationsRequest;
import com.clarifai.grpc.api.MultiAnnotationResponse;
import com.clarifai.grpc.api.PatchAnnotationsRequest;
import com.clarifai.grpc.api.PostAnnotationsRequest;
import com.clarifai.grpc.api.SingleAnnotationResponse;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.Secrets;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Annotations are the concepts marked on inputs, one annotation per (input, concept). Their ids
 * are derived from the pair, so the same mark always has the same id and needs no table of its own.
 */
public final class AnnotationHandlers {
    private final InputService inputs;

    public AnnotationHandlers(InputService inputs) {
        this.inputs = inputs;
    }

    public MultiAnnotationResponse postAnnotations(Call call, PostAnnotationsRequest request) {
        return MultiAnnotationResponse.newBuilder()
                .addAllAnnotations(change(call, "merge", request.getAnnotationsList())).build();
    }

    public MultiAnnotationResponse patchAnnotations(Call call, PatchAnnotationsRequest request) {
        return MultiAnnotationResponse.newBuilder()
                .addAllAnnotations(change(call, request.getAction(), request.getAnnotationsList())).build();
    }

    public MultiAnnotationResponse listAnnotations(Call call, ListAnnotationsRequest request) {
        Page page = Page.of(request.getPage(), request.getPerPage());
        List<Annotation> all = new ArrayList<>();
        for (Input input : inputs.list(call.userId(), call.appId(), request.getInputIdsList(), new Page(1, 10_000))) {
            for (Input.InputConcept c : input.concepts()) {
                Annotation a = toProto(input, c);
                if (request.getIdsCount() == 0 || request.getIdsList().contains(a.getId())) all.add(a);
            }
        }
        return MultiAnnotationResponse.newBuilder()
                .addAllAnnotations(all.stream().skip(page.offset()).limit(page.perPage()).toList()).build();
    }

    public SingleAnnotationResponse getAnnotation(Call call, GetAnnotationRequest request) {
        Input input = inputs.get(call.userId(), call.appId(), request.getInputId());
        return SingleAnnotationResponse.newBuilder().setAnnotation(find(input, request.getAnnotationId())).build();
    }

    public BaseResponse deleteAnnotation(Call call, DeleteAnnotationRequest request) {
        Input input = inputs.get(call.userId(), call.appId(), request.getInputId());
        remove(call, input, List.of(find(input, request.getAnnotationId())));
        return BaseResponse.getDefaultInstance();
    }

    /** Deletes the named annotations, or every annotation of the named inputs when no ids are given. */
    public BaseResponse deleteAnnotations(Call call, DeleteAnnotationsRequest request) {
        if (request.getInputIdsCount() == 0) {
            throw new ApiException(StatusCode.ANNOTATION_INVALID_ARGUMENT, "Name the inputs whose annotations to delete.");
        }
        for (String inputId : request.getInputIdsList()) {
            Input input = inputs.get(call.userId(), call.appId(), inputId);
            List<Annotation> doomed = input.concepts().stream().map(c -> toProto(input, c))
                    .filter(a -> request.getIdsCount() == 0 || request.getIdsList().contains(a.getId())).toList();
            remove(call, input, doomed);
        }
        return BaseResponse.getDefaultInstance();
    }

    private List<Annotation> change(Call call, String action, List<Annotation> annotations) {
        if (annotations.isEmpty()) throw new ApiException(StatusCode.ANNOTATION_INVALID_ARGUMENT, "Send at least one annotation.");
        Map<String, List<InputService.ConceptMark>> byInput = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            if (a.getInputId().isEmpty()) throw new ApiException(StatusCode.ANNOTATION_INVALID_ARGUMENT, "An annotation needs an input_id.");
            List<InputService.ConceptMark> marks = byInput.computeIfAbsent(a.getInputId(), k -> new ArrayList<>());
            a.getData().getConceptsList().forEach(c -> marks.add(new InputService.ConceptMark(c.getId(), c.getName(), c.getValue())));
        }
        List<InputService.InputDraft> drafts = byInput.entrySet().stream()
                .map(e -> new InputService.InputDraft(e.getKey(), null, null, null, null, null, e.getValue())).toList();
        List<Annotation> out = new ArrayList<>();
        for (Input input : inputs.patch(call.userId(), call.appId(), action, drafts)) {
            for (InputService.ConceptMark m : byInput.get(input.id())) {
                input.concepts().stream().filter(c -> c.id().equals(m.id())).findFirst().ifPresent(c -> out.add(toProto(input, c)));
            }
        }
        return out;
    }

    private void remove(Call call, Input input, List<Annotation> doomed) {
        if (doomed.isEmpty()) return;
        List<InputService.ConceptMark> marks = doomed.stream()
                .map(a -> new InputService.ConceptMark(a.getData().getConcepts(0).getId(), null, 0)).toList();
        inputs.patch(call.userId(), call.appId(), "remove",
                List.of(new InputService.InputDraft(input.id(), null, null, null, null, null, marks)));
    }

    private static Annotation find(Input input, String annotationId) {
        return input.concepts().stream().map(c -> toProto(input, c)).filter(a -> a.getId().equals(annotationId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Annotation '" + annotationId + "' not found."));
    }

    static String annotationId(Input input, Input.InputConcept concept) {
        return Secrets.hash(input.userId() + "/" + input.appId() + "/" + input.id() + "/" + concept.id()).substring(0, 32);
    }

    private static Annotation toProto(Input input, Input.InputConcept c) {
        return Annotation.newBuilder()
                .setId(annotationId(input, c))
                .setInputId(input.id())
                .setUserId(input.userId())
                .setInputLevel(true)
                .setData(Data.newBuilder().addConcepts(com.clarifai.grpc.api.Concept.newBuilder()
                        .setId(c.id()).setName(c.name()).setValue((float) c.value()).setAppId(input.appId())))
                .setCreatedAt(Timestamps.of(input.createdAt()))
                .setModifiedAt(Timestamps.of(input.modifiedAt()))
                .build();
    }
}
