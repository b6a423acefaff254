package dev.clavis.search;

import com.clarifai.grpc.api.And;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Filter;
import com.clarifai.grpc.api.Hit;
import com.clarifai.grpc.api.MultiSearchResponse;
import com.clarifai.grpc.api.Pagination;
import com.clarifai.grpc.api.PostInputsSearchesRequest;
import com.clarifai.grpc.api.PostSearchesRequest;
import com.clarifai.grpc.api.Query;
import com.clarifai.grpc.api.Rank;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.inputs.InputHandlers;
import dev.clavis.media.Media;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.Outputs;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Structs;
import java.util.ArrayList;
import java.util.List;

/**
 * PostInputsSearches (filters and ranks) and the older PostSearches (ands: {@code input} for
 * annotated concepts and metadata, {@code output} for predicted concepts and similar images).
 */
public final class SearchHandlers {
    private final SearchService search;
    private final Outputs outputs;

    public SearchHandlers(SearchService search, Outputs outputs) {
        this.search = search;
        this.outputs = outputs;
    }

    public MultiSearchResponse postInputsSearches(Call call, PostInputsSearchesRequest request) {
        if (request.getSearchesCount() != 1) {
            throw new ApiException(StatusCode.SEARCH_INVALID_REQUEST, "Send exactly one search.");
        }
        return hits(call, criteria(request.getSearches(0).getQuery()), request.getPagination());
    }

    public MultiSearchResponse postSearches(Call call, PostSearchesRequest request) {
        Query query = request.hasQuery() ? request.getQuery()
                : request.getSearchesCount() == 1 ? request.getSearches(0).getQuery() : null;
        if (query == null) throw new ApiException(StatusCode.SEARCH_INVALID_REQUEST, "Send a query.");
        return hits(call, criteria(query), request.getPagination());
    }

    private MultiSearchResponse hits(Call call, Criteria criteria, Pagination pagination) {
        MultiSearchResponse.Builder response = MultiSearchResponse.newBuilder();
        for (SearchService.Hit hit : search.search(call.userId(), call.appId(), criteria, Page.of(pagination.getPage(), pagination.getPerPage()))) {
            response.addHits(Hit.newBuilder().setScore((float) hit.score()).setInput(InputHandlers.toProto(hit.input()))
                    .setUserId(call.userId()).setAppId(call.appId()));
        }
        return response.build();
    }

    private Criteria criteria(Query query) {
        List<Criteria.ConceptCriterion> concepts = new ArrayList<>();
        List<String> metadata = new ArrayList<>();
        Media similar = null;
        String similarInput = null;
        for (Filter f : query.getFiltersList()) {
            Data data = f.hasAnnotation() ? f.getAnnotation().getData() : f.getInput().getData();
            addAnnotated(data, f.getNegate(), concepts, metadata);
        }
        for (And a : query.getAndsList()) {
            if (a.hasInput()) addAnnotated(a.getInput().getData(), a.getNegate(), concepts, metadata);
            if (a.hasAnnotation()) addAnnotated(a.getAnnotation().getData(), a.getNegate(), concepts, metadata);
            if (a.hasOutput()) {
                for (com.clarifai.grpc.api.Concept c : a.getOutput().getData().getConceptsList()) {
                    concepts.add(new Criteria.ConceptCriterion(key(c), (c.getValue() > 0) != a.getNegate(), true));
                }
                Data like = a.getOutput().getInput().getData();
                if (like.hasImage() || like.hasText()) similar = media(a.getOutput().getInput());
            }
        }
        for (Rank r : query.getRanksList()) {
            if (!r.getAnnotation().getInputId().isEmpty()) {
                similarInput = r.getAnnotation().getInputId();
            } else if (r.getAnnotation().getData().hasImage() || r.getAnnotation().getData().hasText()) {
                similar = media(com.clarifai.grpc.api.Input.newBuilder().setData(r.getAnnotation().getData()).build());
            } else {
                addAnnotated(r.getAnnotation().getData(), r.getNegate(), concepts, metadata);
            }
        }
        return new Criteria(concepts, metadata, similar, similarInput);
    }

    private static void addAnnotated(Data data, boolean negate, List<Criteria.ConceptCriterion> concepts, List<String> metadata) {
        for (com.clarifai.grpc.api.Concept c : data.getConceptsList()) {
            concepts.add(new Criteria.ConceptCriterion(key(c), (c.getValue() > 0) != negate, false));
        }
        if (data.hasMetadata() && data.getMetadata().getFieldsCount() > 0) metadata.add(Structs.toJson(data.getMetadata()));
    }

    private static String key(com.clarifai.grpc.api.Concept c) {
        if (c.getId().isEmpty() && c.getName().isEmpty()) {
            throw new ApiException(StatusCode.SEARCH_INVALID_REQUEST, "A concept in a search needs an id or a name.");
        }
        return c.getId().isEmpty() ? c.getName() : c.getId();
    }

    private Media media(com.clarifai.grpc.api.Input input) {
        try {
            return outputs.load(input, Outputs.fetchDeadline());
        } catch (MediaRejected e) {
            throw new ApiException(StatusCode.SEARCH_INVALID_REQUEST, "The search's image or text: " + e.getMessage());
        }
    }
}
