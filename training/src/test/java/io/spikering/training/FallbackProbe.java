package io.spikering.training;

import io.spikering.neuron.Activation;

/** Run by {@link FloatMatrixOpsTest} in a JVM without the Vector API module: one training step on the fallback products,
 * and the parallel LMU's products it would use. */
public final class FallbackProbe
{
    private FallbackProbe()
    {
    }

    public static void main(final String[] args)
    {
        final LmuSpec spec = new LmuSpec(12, 30.0, true, 30, 1, 20, Activation.TANH, 3);
        final float[][] x = new float[10][30];
        final int[] labels = new int[10];
        final int[] order = new int[10];
        for (int s = 0; s < 10; s++)
        {
            x[s][(7 * s) % 30] = 1.0f;
            labels[s] = s % 3;
            order[s] = s;
        }
        try (RecurrentTrainer trainer = new RecurrentTrainer(spec, RecurrentLmu.Options.kerasPsMnist(), 1, 10, 5, 1, 1e-3, 0.0, 0))
        {
            trainer.step(x, labels, order, 0, 10, 0.0, 0);
            System.out.println("products: " + RecurrentTrainer.products());
            System.out.println("window products: " + WindowProducts.best().describe());
            // the parallel LMU's tanh rows: the scalar port, without loading VectorFdlibmTanh
            final float[] z = {-2.0f, -0.25f, 0.5f, 1.5f, 3.0f, 0.1f, -7.0f, 0.9f, 30.0f};
            final double[] out = new double[z.length];
            ShardKernel.activate(Activation.TANH, z, out, z.length);
            boolean same = true;
            for (int j = 0; j < z.length; j++)
            {
                same &= Double.doubleToRawLongBits(out[j]) == Double.doubleToRawLongBits(StrictMath.tanh(z[j]));
            }
            System.out.println("window tanh: " + (same ? "StrictMath.tanh's bits" : "differs from StrictMath.tanh"));
        }
    }
}
