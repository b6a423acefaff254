package dev.clavis.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** One REST call as the door reads and answers it, whatever server carries it. */
interface RestCall {
    /** The HTTP method as sent, e.g. {@code GET} or an invented one. */
    String verb();

    /** The path as sent, still percent-encoded. */
    String path();

    /** Query parameters, decoded, in the order sent. */
    Map<String, List<String>> queryParams();

    /** The address of the connection's other end: the client, or a proxy in front of it. */
    String peer();

    /** Every value of a request header. */
    List<String> headers(String name);

    /** The Content-Length the client declared, or -1. */
    long declaredLength();

    InputStream body() throws IOException;

    /** A header of the reply to come. */
    void header(String name, String value);

    void reply(int httpStatus, String contentType, byte[] body);
}
