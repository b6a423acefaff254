package dev.clavis.media;

import com.clarifai.grpc.api.status.StatusCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes images (JPEG, PNG, GIF and BMP from the JDK, WebP from TwelveMonkeys) after checking
 * their declared size against a pixel budget, so a small file that claims to be enormous (a
 * decompression bomb) is refused before any pixel is allocated.
 */
public final class Images {
    /**
     * The installed decoders in the registry's order, looked up once: ImageIO.getImageReaders
     * walks the registry's ordering per call, more time than reading a small image's header.
     */
    private static final List<ImageReaderSpi> DECODERS = decoders();

    private final long maxPixels;

    /** A decoded image and what it was. */
    public record Decoded(BufferedImage pixels, String mediaType, String format) {
        public int width() {
            return pixels.getWidth();
        }

        public int height() {
            return pixels.getHeight();
        }
    }

    public Images(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public Decoded decode(byte[] bytes) throws MediaRejected {
        return decode(bytes, 0);
    }

    /**
     * Decodes an image for a computation that looks at no more than {@code samples} pixels,
     * evenly spread (0: all of them): a large image is read with every n-th pixel of every n-th
     * row, which spares the decoder most of its colour conversion and the copy of the rest.
     */
    public Decoded decode(byte[] bytes, long samples) throws MediaRejected {
        if (bytes.length == 0) throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "The image is empty.");
        // In memory: ImageIO.createImageInputStream would copy the bytes into a temporary file first.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in);
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "The image has no pixels.");
                if (width * height > maxPixels) {
                    throw new MediaRejected(StatusCode.INPUT_OVER_LIMIT, "The image is " + width + "x" + height
                            + " pixels; at most " + maxPixels + " pixels are accepted.");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = samples > 0 ? (int) Math.sqrt((double) width * height / samples) : 1;
                if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage pixels = reader.read(0, param);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                String[] types = reader.getOriginatingProvider().getMIMETypes();
                return new Decoded(pixels, types.length > 0 ? types[0] : "image/" + format, format);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException corrupt) {
            // Decoders signal damage with IOExceptions and, for some formats, runtime exceptions.
            throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "The image could not be decoded; it may be damaged.");
        }
    }

    private static ImageReader readerFor(ImageInputStream in) throws IOException, MediaRejected {
        for (ImageReaderSpi decoder : DECODERS) {
            if (decoder.canDecodeInput(in)) return decoder.createReaderInstance();
        }
        throw new MediaRejected(StatusCode.INPUT_UNSUPPORTED_FORMAT, "Not an image of a supported format (JPEG, PNG, GIF, BMP, WebP).");
    }

    private static List<ImageReaderSpi> decoders() {
        List<ImageReaderSpi> found = new ArrayList<>();
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true).forEachRemaining(found::add);
        return List.copyOf(found);
    }
}
