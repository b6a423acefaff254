package dev.clavis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A cookie-keeping HTTP client that submits the portal's forms as a browser would, without one. */
public final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final String[] extraHeaders;

    public Browser(String base, String... extraHeaders) {
        this.base = base;
        this.extraHeaders = extraHeaders;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts form fields (name, value, name, value...); follows nothing. */
    public HttpResponse<String> post(String path, String... fields) {
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < fields.length; i += 2) {
            form.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /**
     * Fills in the form a page of the portal serves, as a person would: opens the page (taking
     * its form token) and posts the fields to the same path.
     */
    public HttpResponse<String> submit(String path, String... fields) {
        String[] withToken = java.util.Arrays.copyOf(fields, fields.length + 2);
        withToken[fields.length] = "csrf";
        withToken[fields.length + 1] = csrf(path);
        return post(path, withToken);
    }

    /** The CSRF token of a page this session was served. */
    public String csrf(String path) {
        Matcher m = CSRF.matcher(get(path).body());
        if (!m.find()) throw new AssertionError("no CSRF token on " + path);
        return m.group(1);
    }

    public Optional<HttpCookie> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (extraHeaders.length > 0) request.headers(extraHeaders);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
