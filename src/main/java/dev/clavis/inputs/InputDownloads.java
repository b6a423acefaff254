package dev.clavis.inputs;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.media.Images;
import dev.clavis.media.MediaRejected;
import dev.clavis.media.UrlFetcher;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches inputs given by URL in the background: each goes from 30001 (pending) to 30000 with
 * its media stored, or to 30002 with the reason. Inputs still pending at start-up (the node
 * stopped mid-download) are fetched again.
 */
public final class InputDownloads {
    private static final Logger log = LoggerFactory.getLogger(InputDownloads.class);

    private final Jdbi jdbi;
    private final UrlFetcher fetcher;
    private final Images images;
    private final Clock clock;
    private final Executor workers;
    private final LongAdder failures = new LongAdder();

    /** What a download needs to know about its input. */
    public record Pending(String userId, String appId, String id, String kind, String url) {}

    /** @param workers where downloads run; its owner (the composition root) stops it */
    public InputDownloads(Jdbi jdbi, UrlFetcher fetcher, Images images, Executor workers, Clock clock) {
        this.workers = workers;
        this.jdbi = jdbi;
        this.fetcher = fetcher;
        this.images = images;
        this.clock = clock;
    }

    public void enqueue(Pending input) {
        workers.execute(() -> download(input));
    }

    /** Downloads that ended in failure since start (the input is marked failed). */
    public long failures() {
        return failures.sum();
    }

    public void resumePending() {
        jdbi.onDemand(InputStore.class).pending().forEach(this::enqueue);
    }

    private void download(Pending input) {
        InputStore store = jdbi.onDemand(InputStore.class);
        try {
            byte[] bytes = fetcher.fetch(input.url());
            if (input.kind().equals("TEXT")) {
                requireText(bytes);
                store.completeDownload(input.userId(), input.appId(), input.id(), bytes, "text/plain", null, null, clock.millis());
            } else {
                Images.Decoded image = images.decode(bytes);
                store.completeDownload(input.userId(), input.appId(), input.id(), bytes, image.mediaType(),
                        image.width(), image.height(), clock.millis());
            }
        } catch (MediaRejected e) {
            failures.increment();
            store.failDownload(input.userId(), input.appId(), input.id(), e.getMessage(), clock.millis());
        } catch (RuntimeException e) {
            failures.increment();
            log.error("download of input {} failed unexpectedly", input.id(), e);
            store.failDownload(input.userId(), input.appId(), input.id(), "Download failed: internal error.", clock.millis());
        }
    }

    private static void requireText(byte[] bytes) throws MediaRejected {
        if (bytes.length > InputService.MAX_TEXT_BYTES) {
            throw new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED, "Texts have at most " + InputService.MAX_TEXT_BYTES + " bytes.");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED, "The text is not UTF-8.");
        }
    }

}
