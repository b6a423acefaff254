package dev.clavis.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.testing.LocalWeb;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The download guard. Every refused address here is refused before a connection is made: the
 * tests only ever connect to their own server on 127.0.0.1.
 */
class UrlFetcherTest {

    @Test
    void internal_addresses_are_recognised() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "::ffff:10.0.0.1",
                "::ffff:127.0.0.1"}) {
            assertTrue(UrlFetcher.internal(InetAddress.getByName(internal)), internal);
        }
        for (String external : new String[] {"93.184.216.34", "8.8.8.8", "2606:2800:220:1::1", "172.32.0.1", "100.128.0.1"}) {
            assertFalse(UrlFetcher.internal(InetAddress.getByName(external)), external);
        }
    }

    @Test
    void loopback_private_link_local_and_names_resolving_to_them_are_refused_without_an_allow_list() {
        UrlFetcher guarded = new UrlFetcher(1024, Duration.ofSeconds(2), 3, Set.of());
        for (String url : new String[] {"http://127.0.0.1:9/x", "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/",
                "http://localhost:9/x", "http://[::1]:9/x", "http://0.0.0.0:9/"}) {
            MediaRejected e = assertThrows(MediaRejected.class, () -> guarded.fetch(url), url);
            assertEquals(StatusCode.INPUT_DOWNLOAD_FAILED, e.code());
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
        }
    }

    @Test
    void only_http_and_https_urls_are_taken() {
        for (String url : new String[] {"ftp://example.com/x", "file:///etc/passwd", "gopher://x", "not a url", "http:///nohost",
                "http://user:pass@example.com/"}) {
            MediaRejected e = assertThrows(MediaRejected.class, () -> UrlFetcher.requireFetchable(url), url);
            assertEquals(StatusCode.INPUT_INVALID_URL, e.code(), url);
        }
    }

    @Test
    void redirects_are_checked_at_every_hop_and_limited() throws Exception {
        try (LocalWeb web = new LocalWeb(Map.of(
                "/ok", "fine".getBytes(),
                "/hop", ("redirect:/ok").getBytes(),
                "/to-private", "redirect:http://10.0.0.1/secret".getBytes(),
                "/to-metadata", "redirect:http://169.254.169.254/latest/meta-data/".getBytes(),
                "/loop", "redirect:/loop".getBytes()))) {
            UrlFetcher fetcher = new UrlFetcher(1024, Duration.ofSeconds(2), 3, Set.of("127.0.0.1"));
            assertArrayEquals("fine".getBytes(), fetcher.fetch(web.url("/hop")));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/to-private"))).getMessage().contains("refused"));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/to-metadata"))).getMessage().contains("refused"));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/loop"))).getMessage().contains("redirects"));
        }
    }

    @Test
    void size_status_and_time_are_bounded() throws Exception {
        try (LocalWeb web = new LocalWeb(Map.of("/big", new byte[4096], "/slow", "slow:3000".getBytes()))) {
            UrlFetcher fetcher = new UrlFetcher(1024, Duration.ofMillis(500), 3, Set.of("127.0.0.1"));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/big"))).getMessage().contains("larger than"));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/missing"))).getMessage().contains("404"));
            assertTrue(assertThrows(MediaRejected.class, () -> fetcher.fetch(web.url("/slow"))).getMessage().contains("failed"));
        }
    }
}
