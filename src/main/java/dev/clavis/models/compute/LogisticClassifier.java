package dev.clavis.models.compute;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Logistic regression on embeddings, trained by full-batch gradient descent with L2
 * regularisation on standardised features: softmax over the concepts when they are mutually
 * exclusive, one sigmoid per concept when they are not. Deterministic: same data, same model.
 */
public final class LogisticClassifier {
    private static final int ITERATIONS = 400;
    private static final double LEARNING_RATE = 0.5;
    private static final double L2 = 1e-3;

    /** A trained model: everything prediction needs, and nothing of the training data. */
    public record Trained(List<String> concepts, boolean mutuallyExclusive, double[] mean, double[] scale,
                          double[][] weights, double[] bias) {}

    /** One training example: its embedding and the concepts it shows. */
    public record Example(float[] features, Set<String> positives) {}

    private LogisticClassifier() {}

    public static Trained train(List<Example> examples, List<String> concepts, boolean mutuallyExclusive) {
        int n = examples.size();
        int d = examples.get(0).features().length;
        int k = concepts.size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (Example e : examples) for (int j = 0; j < d; j++) mean[j] += e.features()[j] / n;
        for (Example e : examples) for (int j = 0; j < d; j++) scale[j] += Math.pow(e.features()[j] - mean[j], 2) / n;
        for (int j = 0; j < d; j++) scale[j] = Math.max(Math.sqrt(scale[j]), 1e-6);

        double[][] x = new double[n][d];
        double[][] y = new double[n][k];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            for (int j = 0; j < d; j++) x[i][j] = (e.features()[j] - mean[j]) / scale[j];
            for (int c = 0; c < k; c++) y[i][c] = e.positives().contains(concepts.get(c)) ? 1 : 0;
        }

        double[][] w = new double[k][d];
        double[] b = new double[k];
        double[][] gradW = new double[k][d];
        double[] gradB = new double[k];
        double[] p = new double[k];
        for (int it = 0; it < ITERATIONS; it++) {
            for (double[] row : gradW) Arrays.fill(row, 0);
            Arrays.fill(gradB, 0);
            for (int i = 0; i < n; i++) {
                probabilities(w, b, x[i], mutuallyExclusive, p);
                for (int c = 0; c < k; c++) {
                    double error = p[c] - y[i][c];
                    gradB[c] += error;
                    double[] gw = gradW[c];
                    double[] xi = x[i];
                    for (int j = 0; j < d; j++) gw[j] += error * xi[j];
                }
            }
            for (int c = 0; c < k; c++) {
                b[c] -= LEARNING_RATE * gradB[c] / n;
                for (int j = 0; j < d; j++) w[c][j] -= LEARNING_RATE * (gradW[c][j] / n + L2 * w[c][j]);
            }
        }
        return new Trained(List.copyOf(concepts), mutuallyExclusive, mean, scale, w, b);
    }

    /** The probability of each concept, in the model's concept order. */
    public static double[] predict(Trained model, float[] features) {
        int d = model.mean().length;
        double[] x = new double[d];
        for (int j = 0; j < d && j < features.length; j++) x[j] = (features[j] - model.mean()[j]) / model.scale()[j];
        double[] p = new double[model.concepts().size()];
        probabilities(model.weights(), model.bias(), x, model.mutuallyExclusive(), p);
        return p;
    }

    private static void probabilities(double[][] w, double[] b, double[] x, boolean softmax, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double z = b[c];
            double[] wc = w[c];
            for (int j = 0; j < x.length; j++) z += wc[j] * x[j];
            out[c] = z;
            max = Math.max(max, z);
        }
        if (softmax) {
            double sum = 0;
            for (int c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c] - max);
            for (int c = 0; c < out.length; c++) out[c] /= sum;
        } else {
            for (int c = 0; c < out.length; c++) out[c] = 1 / (1 + Math.exp(-out[c]));
        }
    }
}
