package dev.clavis.protocol;

import com.clarifai.grpc.api.GetStatusCodeRequest;
import com.clarifai.grpc.api.ListStatusCodesRequest;
import com.clarifai.grpc.api.MultiStatusCodeResponse;
import com.clarifai.grpc.api.SingleStatusCodeResponse;
import com.clarifai.grpc.api.status.StatusCode;
import java.util.Arrays;

/** The status codes and what they say; no credential needed. */
public final class StatusCodeHandlers {

    public MultiStatusCodeResponse listStatusCodes(Call call, ListStatusCodesRequest request) {
        MultiStatusCodeResponse.Builder response = MultiStatusCodeResponse.newBuilder();
        Arrays.stream(StatusCode.values())
                .filter(c -> c != StatusCode.ZERO && c != StatusCode.UNRECOGNIZED)
                .forEach(c -> response.addStatuses(Statuses.of(c, null)));
        return response.build();
    }

    public SingleStatusCodeResponse getStatusCode(Call call, GetStatusCodeRequest request) {
        String id = request.getStatusCodeId();
        StatusCode code = null;
        try {
            code = StatusCode.forNumber(Integer.parseInt(id));
        } catch (NumberFormatException byName) {
            code = Arrays.stream(StatusCode.values()).filter(c -> c.name().equals(id)).findFirst().orElse(null);
        }
        if (code == null || code == StatusCode.ZERO || code == StatusCode.UNRECOGNIZED) {
            throw ApiException.notFound("Status code '" + id + "' does not exist.");
        }
        // The response has only a status, which must say the lookup succeeded; the code looked
        // up travels in its details.
        return SingleStatusCodeResponse.newBuilder()
                .setStatus(Statuses.of(StatusCode.SUCCESS, code.getNumber() + " " + code.name() + ": " + Statuses.description(code)))
                .build();
    }
}
