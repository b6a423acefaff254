package dev.clavis.media;

import com.clarifai.grpc.api.status.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Downloads media that users name by URL, without becoming a way into the network it runs in:
 * http and https only; the host's addresses are checked after DNS, and again on every redirect,
 * and loopback, private, link-local, carrier-grade NAT, multicast and unspecified addresses are
 * refused unless the allow-list names the host; a size cap, timeouts and a redirect limit.
 *
 * <p>Known gap: the HTTP client resolves the host again when it connects, so a DNS server that
 * answers differently within that moment (rebinding) is not caught here.
 */
public final class UrlFetcher {
    private final long maxBytes;
    private final Duration timeout;
    private final int maxRedirects;
    private final Set<String> allowedHosts;
    private final HttpClient http;

    public UrlFetcher(long maxBytes, Duration timeout, int maxRedirects, Set<String> allowedHosts) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // each hop is checked here
                .connectTimeout(timeout)
                .build();
    }

    /** Refuses at once what no download could fix: not a URL, or not http(s). */
    public static void requireFetchable(String url) throws MediaRejected {
        parse(url);
    }

    public byte[] fetch(String url) throws MediaRejected {
        URI uri = parse(url);
        for (int hop = 0; ; hop++) {
            requirePublic(uri);
            HttpResponse<InputStream> response = send(uri);
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                close(response);
                if (hop >= maxRedirects) throw failed("more than " + maxRedirects + " redirects");
                String location = response.headers().firstValue("Location").orElseThrow(() -> failed("a redirect without a Location"));
                try {
                    uri = parse(uri.resolve(location).toString());
                } catch (IllegalArgumentException e) {
                    throw failed("a redirect to an invalid URL");
                }
                continue;
            }
            if (status != 200) {
                close(response);
                throw failed("the server answered HTTP " + status);
            }
            return read(response);
        }
    }

    private HttpResponse<InputStream> send(URI uri) throws MediaRejected {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failed("the download failed (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("the download was interrupted");
        }
    }

    private byte[] read(HttpResponse<InputStream> response) throws MediaRejected {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            close(response);
            throw new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED, "Download failed: larger than " + maxBytes + " bytes.");
        }
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED, "Download failed: larger than " + maxBytes + " bytes.");
            }
            return bytes;
        } catch (IOException e) {
            throw failed("reading the body failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void requirePublic(URI uri) throws MediaRejected {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host)) return;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw failed("the host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (allowedHosts.contains(address.getHostAddress())) continue;
            if (internal(address)) {
                throw failed("the host '" + host + "' is a loopback, private or link-local address, which is refused");
            }
        }
    }

    /** Addresses of this machine or its networks, never the public internet. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                   // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))    // benchmarking
                    || first >= 240;                            // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;        // fc00::/7
            boolean mapped = isV4Mapped(b);
            if (mapped) {
                try {
                    return internal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
            return uniqueLocal;
        }
        return true;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static URI parse(String url) throws MediaRejected {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new MediaRejected(StatusCode.INPUT_INVALID_URL, "Not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new MediaRejected(StatusCode.INPUT_INVALID_URL, "Only http and https URLs can be downloaded.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new MediaRejected(StatusCode.INPUT_INVALID_URL, "The URL has no host.");
        if (uri.getRawUserInfo() != null) throw new MediaRejected(StatusCode.INPUT_INVALID_URL, "URLs with credentials are refused.");
        return uri;
    }

    private static MediaRejected failed(String why) {
        return new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED, "Download failed: " + why + ".");
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Nothing more to read from it either way.
        }
    }
}
