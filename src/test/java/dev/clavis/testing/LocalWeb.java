package dev.clavis.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/** A small web server on 127.0.0.1 for download tests: fixed bodies, redirects and a slow path. */
public final class LocalWeb implements AutoCloseable {
    private final HttpServer server;

    /** Path -> body; a body starting with "redirect:" answers 302 to the rest of it. */
    public LocalWeb(Map<String, byte[]> pages) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = pages.get(exchange.getRequestURI().getPath());
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (text.startsWith("redirect:")) {
                    exchange.getResponseHeaders().add("Location", text.substring("redirect:".length()));
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
                if (text.startsWith("slow:")) sleep(Long.parseLong(text.substring(5)));
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
