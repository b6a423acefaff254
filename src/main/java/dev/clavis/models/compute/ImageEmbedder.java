package dev.clavis.models.compute;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A fixed image feature extractor: the image scaled to 64×64, then a hue/saturation/value
 * histogram (colour), a 4×4 grid of mean colours (layout) and a 2×2 grid of gradient-orientation
 * histograms (shape and texture), each block normalised, concatenated and normalised again.
 */
public final class ImageEmbedder {
    private static final int SIDE = 64;
    public static final int DIMENSIONS = 8 * 3 * 3 + 4 * 4 * 3 + 2 * 2 * 8;

    public float[] embed(BufferedImage image) {
        BufferedImage small = scaled(image);
        double[] histogram = new double[8 * 3 * 3];
        double[] layout = new double[4 * 4 * 3];
        double[] gray = new double[SIDE * SIDE];
        float[] hsb = new float[3];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int p = small.getRGB(x, y);
                int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
                Color.RGBtoHSB(r, g, b, hsb);
                int h = Math.min(7, (int) (hsb[0] * 8)), s = Math.min(2, (int) (hsb[1] * 3)), v = Math.min(2, (int) (hsb[2] * 3));
                histogram[(h * 3 + s) * 3 + v]++;
                int cell = (y / 16) * 4 + x / 16;
                layout[cell * 3] += r / 255.0;
                layout[cell * 3 + 1] += g / 255.0;
                layout[cell * 3 + 2] += b / 255.0;
                gray[y * SIDE + x] = (0.299 * r + 0.587 * g + 0.114 * b) / 255.0;
            }
        }
        double[] edges = new double[2 * 2 * 8];
        for (int y = 1; y < SIDE - 1; y++) {
            for (int x = 1; x < SIDE - 1; x++) {
                double gx = gray[(y - 1) * SIDE + x + 1] + 2 * gray[y * SIDE + x + 1] + gray[(y + 1) * SIDE + x + 1]
                        - gray[(y - 1) * SIDE + x - 1] - 2 * gray[y * SIDE + x - 1] - gray[(y + 1) * SIDE + x - 1];
                double gy = gray[(y + 1) * SIDE + x - 1] + 2 * gray[(y + 1) * SIDE + x] + gray[(y + 1) * SIDE + x + 1]
                        - gray[(y - 1) * SIDE + x - 1] - 2 * gray[(y - 1) * SIDE + x] - gray[(y - 1) * SIDE + x + 1];
                double magnitude = Math.hypot(gx, gy);
                if (magnitude < 1e-6) continue;
                double angle = Math.atan2(gy, gx); // orientation without sign: 0..pi
                if (angle < 0) angle += Math.PI;
                int bin = Math.min(7, (int) (angle / Math.PI * 8));
                int cell = (y / 32) * 2 + x / 32;
                edges[cell * 8 + bin] += magnitude;
            }
        }
        return Vectors.concatNormalized(histogram, layout, edges);
    }

    private static BufferedImage scaled(BufferedImage image) {
        BufferedImage out = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, SIDE, SIDE, null);
        g.dispose();
        return out;
    }
}
