package dev.clavis.inputs;

import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.DeleteInputRequest;
import com.clarifai.grpc.api.DeleteInputsRequest;
import com.clarifai.grpc.api.GetInputCountRequest;
import com.clarifai.grpc.api.GetInputRequest;
import com.clarifai.grpc.api.Image;
import com.clarifai.grpc.api.ImageInfo;
import com.clarifai.grpc.api.InputCount;
import com.clarifai.grpc.api.ListInputsRequest;
import com.clarifai.grpc.api.MultiInputResponse;
import com.clarifai.grpc.api.PatchInputsRequest;
import com.clarifai.grpc.api.PostInputsRequest;
import com.clarifai.grpc.api.SingleInputCountResponse;
import com.clarifai.grpc.api.SingleInputResponse;
import com.clarifai.grpc.api.Text;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Statuses;
import dev.clavis.protocol.Structs;
import dev.clavis.protocol.Timestamps;
import java.util.List;
import java.util.Map;

/** The input RPCs. */
public final class InputHandlers {
    private final InputService inputs;

    public InputHandlers(InputService inputs) {
        this.inputs = inputs;
    }

    /** Each input answers with its own status; the request's status says whether all, some or none were stored. */
    public MultiInputResponse postInputs(Call call, PostInputsRequest request) {
        List<InputService.Outcome> outcomes = inputs.add(call.userId(), call.appId(),
                request.getInputsList().stream().map(InputHandlers::draft).toList());
        MultiInputResponse.Builder response = MultiInputResponse.newBuilder();
        for (InputService.Outcome o : outcomes) {
            com.clarifai.grpc.api.Input.Builder input = o.stored() ? toProto(o.input()).toBuilder()
                    : com.clarifai.grpc.api.Input.newBuilder().setId(o.id()).setStatus(Statuses.of(o.code(), o.details()));
            response.addInputs(input);
        }
        long stored = outcomes.stream().filter(InputService.Outcome::stored).count();
        if (stored < outcomes.size()) {
            StatusCode overall = stored == 0 ? StatusCode.FAILURE : StatusCode.MIXED_STATUS;
            response.setStatus(Statuses.of(overall, (outcomes.size() - stored) + " of " + outcomes.size()
                    + " inputs were refused; each says why."));
        }
        return response.build();
    }

    public MultiInputResponse listInputs(Call call, ListInputsRequest request) {
        return multi(inputs.list(call.userId(), call.appId(), request.getIdsList(), Page.of(request.getPage(), request.getPerPage())));
    }

    public SingleInputResponse getInput(Call call, GetInputRequest request) {
        return SingleInputResponse.newBuilder().setInput(toProto(inputs.get(call.userId(), call.appId(), request.getInputId()))).build();
    }

    public MultiInputResponse patchInputs(Call call, PatchInputsRequest request) {
        return multi(inputs.patch(call.userId(), call.appId(), request.getAction(),
                request.getInputsList().stream().map(InputHandlers::draft).toList()));
    }

    public BaseResponse deleteInput(Call call, DeleteInputRequest request) {
        inputs.delete(call.userId(), call.appId(), List.of(request.getInputId()));
        return BaseResponse.getDefaultInstance();
    }

    public BaseResponse deleteInputs(Call call, DeleteInputsRequest request) {
        inputs.delete(call.userId(), call.appId(), request.getIdsList());
        return BaseResponse.getDefaultInstance();
    }

    public SingleInputCountResponse getInputCount(Call call, GetInputCountRequest request) {
        Map<Integer, Integer> counts = inputs.countByStatus(call.userId(), call.appId());
        return SingleInputCountResponse.newBuilder().setCounts(InputCount.newBuilder()
                .setProcessed(counts.getOrDefault(StatusCode.INPUT_DOWNLOAD_SUCCESS_VALUE, 0))
                .setToProcess(counts.getOrDefault(StatusCode.INPUT_DOWNLOAD_PENDING_VALUE, 0))
                .setErrors(counts.getOrDefault(StatusCode.INPUT_DOWNLOAD_FAILED_VALUE, 0)))
                .build();
    }

    private static InputService.InputDraft draft(com.clarifai.grpc.api.Input input) {
        Data data = input.getData();
        byte[] image = data.getImage().getBase64().isEmpty() ? null : data.getImage().getBase64().toByteArray();
        String imageUrl = data.getImage().getUrl().isEmpty() ? null : data.getImage().getUrl();
        String text = data.getText().getRaw().isEmpty() ? null : data.getText().getRaw();
        String textUrl = data.getText().getUrl().isEmpty() ? null : data.getText().getUrl();
        List<InputService.ConceptMark> concepts = data.getConceptsList().stream()
                .map(c -> new InputService.ConceptMark(c.getId(), c.getName(), c.getValue())).toList();
        return new InputService.InputDraft(input.getId(), image, imageUrl, text, textUrl,
                data.hasMetadata() ? Structs.toJson(data.getMetadata()) : null, concepts);
    }

    private static MultiInputResponse multi(List<Input> list) {
        return MultiInputResponse.newBuilder().addAllInputs(list.stream().map(InputHandlers::toProto).toList()).build();
    }

    public static com.clarifai.grpc.api.Input toProto(Input input) {
        Data.Builder data = Data.newBuilder().setMetadata(Structs.fromJson(input.metadata()));
        if (input.kind().equals("IMAGE")) {
            Image.Builder image = Image.newBuilder();
            if (input.url() != null) image.setUrl(input.url());
            if (input.width() != null) {
                image.setImageInfo(ImageInfo.newBuilder().setWidth(input.width()).setHeight(input.height())
                        .setFormat(input.mediaType() == null ? "" : input.mediaType()));
            }
            data.setImage(image);
        } else {
            Text.Builder text = Text.newBuilder();
            if (input.text() != null) text.setRaw(input.text());
            if (input.url() != null) text.setUrl(input.url());
            data.setText(text);
        }
        for (Input.InputConcept c : input.concepts()) {
            data.addConcepts(com.clarifai.grpc.api.Concept.newBuilder().setId(c.id()).setName(c.name())
                    .setValue((float) c.value()).setAppId(input.appId()));
        }
        return com.clarifai.grpc.api.Input.newBuilder()
                .setId(input.id())
                .setData(data)
                .setCreatedAt(Timestamps.of(input.createdAt()))
                .setModifiedAt(Timestamps.of(input.modifiedAt()))
                .setStatus(Statuses.of(StatusCode.forNumber(input.statusCode()), input.statusDetails()))
                .build();
    }
}
