package dev.clavis.models.compute;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dominant colours of an image: every sampled pixel is matched to the nearest CSS named
 * colour in CIELAB (perceptual distance), and each colour's share of the samples is its value.
 */
public final class ColorRecognizer {
    /**
     * At most this many pixels are sampled, evenly across the image: a share estimated from 4,096
     * samples is within ±0.7 % of the image's (one standard error at a quarter of it), finer than
     * what the shares are read for, and an image decoded at 64 rows instead of 128 costs the
     * decoder a fifth less (a noisy 256×256 JPEG: 220 µs against 270 µs) and the count a quarter.
     */
    public static final int MAX_SAMPLES = 64 * 64;

    private final String[] names;
    /** Each colour's id, {@code #rrggbb}. */
    private final String[] hex;
    private final int[] rgb;
    private final double[][] lab;
    /**
     * Nearest palette entry per colour at 5 bits a channel, filled as colours are met: the Lab
     * search over 147 colours costs far more than the lookup. Races only recompute an entry.
     */
    private final short[] nearestCache = new short[1 << 15];

    /** One colour of the image: hex id such as {@code #ff0000}, W3C name, share of the image. */
    public record Share(String hex, String name, double share) {}

    public ColorRecognizer() {
        int n = NamedColors.ALL.size();
        names = new String[n];
        hex = new String[n];
        rgb = new int[n];
        lab = new double[n][];
        Arrays.fill(nearestCache, (short) -1);
        int i = 0;
        for (Map.Entry<String, Integer> e : NamedColors.ALL.entrySet()) {
            names[i] = e.getKey();
            rgb[i] = e.getValue();
            hex[i] = String.format(Locale.ROOT, "#%06x", e.getValue());
            lab[i] = lab(e.getValue());
            i++;
        }
    }

    /** All colours present, largest share first. */
    public List<Share> recognize(BufferedImage image) {
        double stride = Math.max(1, Math.sqrt((double) image.getWidth() * image.getHeight() / MAX_SAMPLES));
        int[] xs = samplePositions(image.getWidth(), stride);
        int[] ys = samplePositions(image.getHeight(), stride);
        int[] counts = new int[names.length];
        count(image, xs, ys, counts);
        List<Share> shares = new ArrayList<>();
        double total = (double) xs.length * ys.length;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) shares.add(new Share(hex[i], names[i], counts[i] / total));
        }
        shares.sort(Comparator.comparingDouble(Share::share).reversed().thenComparing(Share::name));
        return shares;
    }

    /** The centres of evenly spaced samples along a side of {@code length} pixels. */
    private static int[] samplePositions(int length, double stride) {
        int[] positions = new int[(int) Math.ceil(length / stride - 0.5)];
        for (int i = 0; i < positions.length; i++) positions[i] = Math.min(length - 1, (int) (stride / 2 + i * stride));
        return positions;
    }

    /**
     * Adds each sampled pixel to its colour's count. The decoders' usual layouts (JPEG's 3-byte
     * BGR, PNG's and BMP's packed ints) are read straight from the raster, one tight loop each:
     * {@code getRGB} converts every pixel through the colour model, and a per-pixel accessor call
     * cost as much as finding the colour. Other layouts, and premultiplied alpha, take that road.
     */
    private void count(BufferedImage image, int[] xs, int[] ys, int[] counts) {
        WritableRaster raster = image.getRaster();
        boolean whole = raster.getParent() == null && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
        if (whole && image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getSampleModel() instanceof ComponentSampleModel layout && layout.getPixelStride() == 3) {
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int scanline = layout.getScanlineStride();
            for (int y : ys) {
                int row = y * scanline;
                for (int x : xs) {
                    int i = row + x * 3;
                    counts[nearest((data[i + 2] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i] & 0xFF))]++;
                }
            }
        } else if (whole && (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel layout) {
            int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
            int scanline = layout.getScanlineStride();
            for (int y : ys) {
                int row = y * scanline;
                for (int x : xs) counts[nearest(data[row + x] & 0xFFFFFF)]++;
            }
        } else {
            for (int y : ys) {
                for (int x : xs) counts[nearest(image.getRGB(x, y) & 0xFFFFFF)]++;
            }
        }
    }

    private int nearest(int pixel) {
        int bucket = ((pixel >> 9) & 0x7C00) | ((pixel >> 6) & 0x3E0) | ((pixel >> 3) & 0x1F);
        short cached = nearestCache[bucket];
        if (cached >= 0) return cached;
        // The bucket's centre stands for every colour in it.
        int centre = ((bucket >> 10) << 19 | 0x40000) | (((bucket >> 5) & 0x1F) << 11 | 0x400) | ((bucket & 0x1F) << 3 | 0x4);
        int found = nearestTo(centre);
        nearestCache[bucket] = (short) found;
        return found;
    }

    private int nearestTo(int pixel) {
        double[] p = lab(pixel);
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i < lab.length; i++) {
            double dl = p[0] - lab[i][0], da = p[1] - lab[i][1], db = p[2] - lab[i][2];
            double d = dl * dl + da * da + db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    /** sRGB (D65) to CIELAB. */
    static double[] lab(int rgb) {
        double r = linear(((rgb >> 16) & 0xFF) / 255.0);
        double g = linear(((rgb >> 8) & 0xFF) / 255.0);
        double b = linear((rgb & 0xFF) / 255.0);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double linear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}
