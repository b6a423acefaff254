package dev.clavis.models.compute;

/** Small vector helpers shared by the extractors and by search. */
public final class Vectors {
    private Vectors() {}

    /** Each block scaled to unit length, then all of them together. */
    static float[] concatNormalized(double[]... blocks) {
        int n = 0;
        for (double[] b : blocks) n += b.length;
        double[] all = new double[n];
        int at = 0;
        for (double[] b : blocks) {
            double norm = norm(b);
            for (double v : b) all[at++] = norm == 0 ? 0 : v / norm;
        }
        double norm = norm(all);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (norm == 0 ? 0 : all[i] / norm);
        return out;
    }

    /** Cosine similarity; 0 when either vector is zero. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
