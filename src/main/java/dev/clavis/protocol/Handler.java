package dev.clavis.protocol;

import com.google.protobuf.Message;

/** One RPC, written once and served by both front doors. Failures are thrown as {@link ApiException}. */
@FunctionalInterface
public interface Handler<Q extends Message, R extends Message> {
    R handle(Call call, Q request);
}
