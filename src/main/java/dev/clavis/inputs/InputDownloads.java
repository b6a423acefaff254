package dev.clavis.inputs;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.jobs.Job;
import dev.clavis.jobs.JobWorkers;
import dev.clavis.jobs.Lease;
import dev.clavis.media.Images;
import dev.clavis.media.MediaRejected;
import dev.clavis.media.UrlFetcher;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Fetches inputs given by URL, as {@link Job#DOWNLOAD} jobs that any node may run: each input
 * goes from 30001 (pending) to 30000 with its media stored, or to 30002 with the reason. The
 * input's new state is written in one transaction with the job's end, by the node that holds it.
 */
public final class InputDownloads implements JobWorkers.Handler {
    private final Jdbi jdbi;
    private final UrlFetcher fetcher;
    private final Images images;
    private final Clock clock;

    /** What a download needs to know about its input. */
    public record Pending(String userId, String appId, String id, String kind, String url) {}

    public InputDownloads(Jdbi jdbi, UrlFetcher fetcher, Images images, Clock clock) {
        this.jdbi = jdbi;
        this.fetcher = fetcher;
        this.images = images;
        this.clock = clock;
    }

    @Override
    public void run(Lease lease) {
        Job job = lease.job();
        Optional<Pending> pending = jdbi.withExtension(InputStore.class, s -> s.pending(job.userId(), job.appId(), job.target()));
        if (pending.isEmpty()) {
            lease.finish(true, "Nothing to do: the input was deleted or is no longer pending.", h -> {});
            return;
        }
        Pending input = pending.get();
        try {
            byte[] bytes = fetcher.fetch(input.url());
            if (input.kind().equals("TEXT")) {
                requireText(bytes);
                lease.finish(true, "Stored " + bytes.length + " bytes of text.", h -> h.attach(InputStore.class)
                        .completeDownload(input.userId(), input.appId(), input.id(), bytes, "text/plain", null, null, clock.millis()));
            } else {
                Images.Decoded image = images.decode(bytes);
                lease.finish(true, "Stored a " + image.width() + "x" + image.height() + " " + image.format() + " image.",
                        h -> h.attach(InputStore.class).completeDownload(input.userId(), input.appId(), input.id(), bytes,
                                image.mediaType(), image.width(), image.height(), clock.millis()));
            }
        } catch (MediaRejected e) {
            lease.finish(false, e.getMessage(), h -> abandon(h, job, e.getMessage()));
        }
    }

    @Override
    public void abandon(Handle transaction, Job job, String why) {
        transaction.attach(InputStore.class).failDownload(job.userId(), job.appId(), job.target(), why, clock.millis());
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
