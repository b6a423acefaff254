package dev.clavis.concepts;

import com.clarifai.grpc.api.ConceptTypeCount;
import com.clarifai.grpc.api.GetConceptCountsRequest;
import com.clarifai.grpc.api.GetConceptRequest;
import com.clarifai.grpc.api.ListConceptsRequest;
import com.clarifai.grpc.api.MultiConceptCountResponse;
import com.clarifai.grpc.api.MultiConceptResponse;
import com.clarifai.grpc.api.PatchConceptsRequest;
import com.clarifai.grpc.api.PostConceptsRequest;
import com.clarifai.grpc.api.PostConceptsSearchesRequest;
import com.clarifai.grpc.api.SingleConceptResponse;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Timestamps;
import java.util.List;

/** The concept RPCs. */
public final class ConceptHandlers {
    private final ConceptService concepts;

    public ConceptHandlers(ConceptService concepts) {
        this.concepts = concepts;
    }

    public MultiConceptResponse postConcepts(Call call, PostConceptsRequest request) {
        return multi(concepts.create(call.userId(), call.appId(), drafts(request.getConceptsList())));
    }

    public MultiConceptResponse listConcepts(Call call, ListConceptsRequest request) {
        return multi(concepts.list(call.userId(), call.appId(), Page.of(request.getPage(), request.getPerPage())));
    }

    public SingleConceptResponse getConcept(Call call, GetConceptRequest request) {
        return SingleConceptResponse.newBuilder()
                .setConcept(toProto(concepts.get(call.userId(), call.appId(), request.getConceptId()))).build();
    }

    public MultiConceptResponse patchConcepts(Call call, PatchConceptsRequest request) {
        return multi(concepts.rename(call.userId(), call.appId(), request.getAction(), drafts(request.getConceptsList())));
    }

    public MultiConceptResponse postConceptsSearches(Call call, PostConceptsSearchesRequest request) {
        Page page = Page.of(request.getPagination().getPage(), request.getPagination().getPerPage());
        return multi(concepts.search(call.userId(), call.appId(), request.getConceptQuery().getName(), page));
    }

    public MultiConceptCountResponse getConceptCounts(Call call, GetConceptCountsRequest request) {
        MultiConceptCountResponse.Builder response = MultiConceptCountResponse.newBuilder();
        for (ConceptStore.ConceptCount c : concepts.counts(call.userId(), call.appId(), Page.of(request.getPage(), request.getPerPage()))) {
            response.addConceptCountsBuilder().setId(c.id()).setName(c.name())
                    .setConceptTypeCount(ConceptTypeCount.newBuilder().setPositive(c.positive()).setNegative(c.negative()));
        }
        return response.build();
    }

    private static List<ConceptService.ConceptDraft> drafts(List<com.clarifai.grpc.api.Concept> concepts) {
        return concepts.stream().map(c -> new ConceptService.ConceptDraft(c.getId(), c.getName())).toList();
    }

    private static MultiConceptResponse multi(List<Concept> list) {
        return MultiConceptResponse.newBuilder().addAllConcepts(list.stream().map(ConceptHandlers::toProto).toList()).build();
    }

    public static com.clarifai.grpc.api.Concept toProto(Concept c) {
        return com.clarifai.grpc.api.Concept.newBuilder()
                .setId(c.id()).setName(c.name()).setAppId(c.appId()).setUserId(c.userId())
                .setValue(1f)
                .setCreatedAt(Timestamps.of(c.createdAt()))
                .build();
    }
}
