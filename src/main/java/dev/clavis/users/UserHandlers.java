package dev.clavis.users;

import com.clarifai.grpc.api.GetUserRequest;
import com.clarifai.grpc.api.SingleUserResponse;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Timestamps;

/** GetUser: a caller's own profile (anyone else's is not found). */
public final class UserHandlers {
    private final UserService users;

    public UserHandlers(UserService users) {
        this.users = users;
    }

    public SingleUserResponse getUser(Call call, GetUserRequest request) {
        call.requireOwnTarget();
        User user = users.find(call.userId()).orElseThrow(() -> ApiException.notFound("User not found."));
        return SingleUserResponse.newBuilder()
                .setUser(com.clarifai.grpc.api.User.newBuilder()
                        .setId(user.id())
                        .setPrimaryEmail(user.email())
                        .setCreatedAt(Timestamps.of(user.createdAt())))
                .build();
    }
}
