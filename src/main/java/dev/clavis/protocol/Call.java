package dev.clavis.protocol;

import dev.clavis.auth.Caller;
import dev.clavis.auth.Target;

/**
 * What a handler knows about the request beyond its message: who called, and the user and app
 * authorization resolved ({@code me} and missing ids already replaced).
 */
public record Call(String reqId, RpcMethod method, Caller caller, Target target) {
    public String userId() {
        return target.userId();
    }

    public String appId() {
        return target.appId();
    }

    /**
     * For resources only their owner may see even in a public app (keys): anyone else is told
     * the thing does not exist.
     */
    public void requireOwnTarget() {
        if (caller == null || !caller.userId().equals(target.userId())) {
            throw ApiException.notFound("Resource does not exist.");
        }
    }
}
