package dev.clavis.apps;

import com.clarifai.grpc.api.DeleteAppRequest;
import com.clarifai.grpc.api.GetAppRequest;
import com.clarifai.grpc.api.ListAppsRequest;
import com.clarifai.grpc.api.MultiAppResponse;
import com.clarifai.grpc.api.PatchAppRequest;
import com.clarifai.grpc.api.PatchAppsRequest;
import com.clarifai.grpc.api.PostAppsRequest;
import com.clarifai.grpc.api.SingleAppResponse;
import com.clarifai.grpc.api.Visibility;
import com.clarifai.grpc.api.status.BaseResponse;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Structs;
import dev.clavis.protocol.Timestamps;
import java.util.List;

/** The app RPCs: protocol messages in and out, rules in {@link AppService}. */
public final class AppHandlers {
    private final AppService apps;

    public AppHandlers(AppService apps) {
        this.apps = apps;
    }

    public MultiAppResponse postApps(Call call, PostAppsRequest request) {
        List<AppService.AppDraft> drafts = request.getAppsList().stream()
                .map(a -> new AppService.AppDraft(a.getId(), a.getName(), a.getDescription(),
                        a.getVisibility().getGettableValue(), a.hasMetadata() ? Structs.toJson(a.getMetadata()) : null))
                .toList();
        return multi(apps.create(call.userId(), drafts).stream().map(AppService.Created::app).toList());
    }

    public MultiAppResponse listApps(Call call, ListAppsRequest request) {
        Page page = Page.of(request.getPage(), request.getPerPage());
        return multi(apps.list(call.userId(), call.caller().userId(), page));
    }

    public SingleAppResponse getApp(Call call, GetAppRequest request) {
        return SingleAppResponse.newBuilder().setApp(toProto(apps.get(call.userId(), call.appId()))).build();
    }

    public SingleAppResponse patchApp(Call call, PatchAppRequest request) {
        com.clarifai.grpc.api.App app = request.getApp().toBuilder().setId(call.appId()).build();
        List<App> patched = apps.patch(call.userId(), request.getAction(),
                List.of(change(app, request.getMetadataAction().getOp())));
        return SingleAppResponse.newBuilder().setApp(toProto(patched.get(0))).build();
    }

    public MultiAppResponse patchApps(Call call, PatchAppsRequest request) {
        String op = request.getMetadataAction().getOp();
        return multi(apps.patch(call.userId(), request.getAction(),
                request.getAppsList().stream().map(a -> change(a, op)).toList()));
    }

    public BaseResponse deleteApp(Call call, DeleteAppRequest request) {
        apps.delete(call.userId(), call.appId());
        return BaseResponse.getDefaultInstance();
    }

    private static AppService.AppChange change(com.clarifai.grpc.api.App app, String metadataOp) {
        return new AppService.AppChange(app.getId(),
                app.getName(),
                app.getDescription().isEmpty() ? null : app.getDescription(),
                app.getVisibility().getGettableValue(),
                app.hasMetadata() ? Structs.toJson(app.getMetadata()) : null,
                metadataOp);
    }

    private static MultiAppResponse multi(List<App> list) {
        return MultiAppResponse.newBuilder().addAllApps(list.stream().map(AppHandlers::toProto).toList()).build();
    }

    public static com.clarifai.grpc.api.App toProto(App app) {
        return com.clarifai.grpc.api.App.newBuilder()
                .setId(app.id())
                .setUserId(app.userId())
                .setName(app.name())
                .setDescription(app.description())
                .setVisibility(Visibility.newBuilder().setGettableValue(app.visibility()))
                .setMetadata(Structs.fromJson(app.metadata()))
                .setCreatedAt(Timestamps.of(app.createdAt()))
                .setModifiedAt(Timestamps.of(app.modifiedAt()))
                .build();
    }
}
