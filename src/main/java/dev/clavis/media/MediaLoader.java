package dev.clavis.media;

import com.clarifai.grpc.api.status.StatusCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Turns what a request or a stored input holds into {@link Media}, fetching URLs through the guard. */
public final class MediaLoader {
    private final Images images;
    private final UrlFetcher fetcher;

    public MediaLoader(Images images, UrlFetcher fetcher) {
        this.images = images;
        this.fetcher = fetcher;
    }

    /**
     * Exactly one of the four is non-null, as in an input's data. {@code samples}: how many of an
     * image's pixels the caller will look at, 0 for all (see {@link Images#decode(byte[], long)}).
     */
    public Media load(byte[] imageBytes, String imageUrl, String text, String textUrl, long samples) throws MediaRejected {
        if (imageBytes != null) return new Media.Picture(images.decode(imageBytes, samples).pixels());
        if (imageUrl != null) {
            UrlFetcher.requireFetchable(imageUrl);
            return new Media.Picture(images.decode(fetcher.fetch(imageUrl), samples).pixels());
        }
        if (text != null) return new Media.Text(text);
        if (textUrl != null) {
            UrlFetcher.requireFetchable(textUrl);
            return new Media.Text(utf8(fetcher.fetch(textUrl)));
        }
        throw new MediaRejected(StatusCode.INPUT_INVALID_ARGUMENT, "Give one of image.base64, image.url, text.raw or text.url.");
    }

    /** A stored input's content, by its kind (IMAGE or TEXT). */
    public Media stored(String kind, byte[] content) throws MediaRejected {
        return kind.equals("TEXT") ? new Media.Text(utf8(content)) : new Media.Picture(images.decode(content).pixels());
    }

    private static String utf8(byte[] bytes) throws MediaRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "The text is not UTF-8.");
        }
    }
}
